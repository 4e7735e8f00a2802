package org.essaim.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The clear-text record kept beside each encrypted backup ({@code essaim-backup-<time>.json} next to
 * {@code essaim-backup-<time>.pgp}): when, how big, its SHA-256, whom it is encrypted to, and the result of its
 * restore test. {@code backup list} reads these without any key. It says how many messages and accounts the
 * backup holds and the audit log's head (public anyway); nothing else.
 */
public record BackupRecord(String file, String created, long size, String sha256, List<Recipient> recipients,
                           RestoreTest restoreTest, double pauseSeconds, double durationSeconds) {
    static final String PREFIX = "essaim-backup-";
    static final String ENCRYPTED_SUFFIX = ".pgp";
    static final String RECORD_SUFFIX = ".json";
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final Pattern NAME = Pattern.compile(Pattern.quote(PREFIX) + "(\\d{8}T\\d{6}Z)" + Pattern.quote(ENCRYPTED_SUFFIX));

    /** @param who an admin's address, or the file an extra recipient's key came from */
    public record Recipient(String who, String fingerprint) { }

    /** The automatic restore test of this backup, before it was encrypted. */
    public record RestoreTest(String checkedAt, boolean passed, int messages, long accounts,
                              BackupManifest.AuditHead auditHead, List<String> problems) { }

    static String fileName(Instant created) {
        return PREFIX + STAMP.format(created) + ENCRYPTED_SUFFIX;
    }

    /** When the backup in a file named by {@link #fileName} was made. */
    static Optional<Instant> createdFromName(String fileName) {
        Matcher matcher = NAME.matcher(fileName);
        return matcher.matches() ? Optional.of(STAMP.parse(matcher.group(1), Instant::from)) : Optional.empty();
    }

    static Path recordFileOf(Path encrypted) {
        String name = encrypted.getFileName().toString();
        return encrypted.resolveSibling(name.substring(0, name.length() - ENCRYPTED_SUFFIX.length()) + RECORD_SUFFIX);
    }

    void writeBeside(Path encrypted) throws IOException {
        Path record = recordFileOf(encrypted);
        Path partial = record.resolveSibling(record.getFileName() + ".partial");
        Files.write(partial, BackupManifest.json().writeValueAsBytes(this));
        Files.move(partial, record, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static Optional<BackupRecord> readBeside(Path encrypted) {
        Path record = recordFileOf(encrypted);
        try {
            return Files.exists(record) ? Optional.of(BackupManifest.json().readValue(record.toFile(), BackupRecord.class))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
