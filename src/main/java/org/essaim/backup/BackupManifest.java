package org.essaim.backup;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import org.essaim.mailserver.StoredMessageCatalog.StoredMessage;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * What a backup holds, written into it as {@code manifest.json} and checked after every restore: each stored
 * message (owner, folder, UIDVALIDITY, UID, flags, SHA-256 of its bytes), the row count of every table of every
 * database, every file with its SHA-256, the mail that was queued, and the audit log's head.
 *
 * @param windowOpened when mail acceptance was paused (UTC, ISO-8601); every message accepted before is inside
 * @param windowClosed when it resumed
 */
public record BackupManifest(int format, String created, String domain, String windowOpened, String windowClosed,
                             List<DatabaseCopy> databases, List<StoredMessage> messages, List<FileEntry> files,
                             int queuedMessages, AuditHead auditHead, long accounts) {
    static final int FORMAT = 1;
    static final String FILE_NAME = "manifest.json";
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /**
     * One H2 database, copied online with {@code BACKUP TO}.
     *
     * @param path      where it lives in the data directory, without {@code .mv.db} (e.g. {@code db/essaim})
     * @param user      the database user to open it with
     * @param rowCounts rows per table, every table of the database
     */
    public record DatabaseCopy(String path, String user, Map<String, Long> rowCounts) { }

    /** A file of the data directory, by its path relative to it ({@code /} separators). */
    public record FileEntry(String path, String sha256, long size) { }

    public record AuditHead(long seq, String hash) { }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static BackupManifest fromJson(byte[] json) throws IOException {
        return JSON.readValue(json, BackupManifest.class);
    }

    static ObjectMapper json() {
        return JSON;
    }
}
