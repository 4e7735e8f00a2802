package org.essaim.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import org.essaim.governance.AuditCommand;
import org.essaim.mailserver.StoredMessageCatalog;
import org.essaim.mailserver.StoredMessageCatalog.StoredMessage;

/**
 * Checks a restored data directory against the manifest of the backup it came from: every database opens and
 * has the same number of rows in every table; every stored message is there with the same owner, folder,
 * UIDVALIDITY, UID, flags and SHA-256; every file has its SHA-256; the queued mail is there; the audit log's
 * hash chain and signatures verify and end at the recorded head. Plain JDBC and files: no server runs.
 */
public final class RestoreCheck {
    private static final String JAMES_DATABASE = "james/db/james";
    private static final String ESSAIM_DATABASE = "db/essaim";

    private RestoreCheck() {
    }

    /** What a restore check found. {@code problems} is empty when the restore is complete and intact. */
    public record Report(int messages, long accounts, BackupManifest.AuditHead auditHead, List<String> problems) {
        public boolean passed() {
            return problems.isEmpty();
        }
    }

    public static Report check(Path dataDir, BackupManifest manifest) {
        List<String> problems = new ArrayList<>();
        Path root = dataDir.toAbsolutePath().normalize();
        for (BackupManifest.DatabaseCopy database : manifest.databases()) {
            try (Connection connection = H2Databases.open(root.resolve(database.path()), database.user())) {
                Map<String, Long> counts = H2Databases.rowCounts(connection);
                if (!counts.equals(database.rowCounts())) {
                    problems.add("database " + database.path() + ": row counts differ: " + differences(database.rowCounts(), counts));
                }
                if (database.path().equals(JAMES_DATABASE)) {
                    compareMessages(manifest.messages(), StoredMessageCatalog.read(connection), problems);
                }
            } catch (SQLException e) {
                problems.add("database " + database.path() + " does not open: " + e.getMessage());
            }
        }
        compareFiles(root, manifest.files(), problems);
        long queued = countQueued(root.resolve(BackupRestore.RESTORED_QUEUES));
        if (queued != manifest.queuedMessages()) {
            problems.add("queued mail: " + queued + " messages restored, " + manifest.queuedMessages() + " in the backup");
        }
        String essaimUser = manifest.databases().stream().filter(d -> d.path().equals(ESSAIM_DATABASE))
                .map(BackupManifest.DatabaseCopy::user).findFirst().orElse("sa");
        BackupManifest.AuditHead head = auditHead(root, essaimUser, problems);
        if (manifest.auditHead() != null && !Objects.equals(head, manifest.auditHead())) {
            problems.add("audit log: head " + head + " restored, " + manifest.auditHead() + " in the backup");
        }
        verifyAuditChain(root, problems);
        return new Report(manifest.messages().size(), manifest.accounts(), head, List.copyOf(problems));
    }

    private static void compareMessages(List<StoredMessage> expected, List<StoredMessage> restored, List<String> problems) {
        Map<String, StoredMessage> byKey = new LinkedHashMap<>();
        restored.forEach(message -> byKey.put(message.key(), message));
        int missing = 0;
        int different = 0;
        for (StoredMessage message : expected) {
            StoredMessage found = byKey.remove(message.key());
            if (found == null) {
                if (missing++ < 5) {
                    problems.add("message missing: " + message.key());
                }
            } else if (!found.equals(message)) {
                if (different++ < 5) {
                    problems.add("message differs: " + message.key() + (found.sha256().equals(message.sha256())
                            ? " (flags " + found.flags() + " instead of " + message.flags() + ")" : " (other bytes)"));
                }
            }
        }
        if (missing > 5 || different > 5) {
            problems.add(missing + " messages missing and " + different + " different in all");
        }
        if (!byKey.isEmpty()) {
            problems.add(byKey.size() + " messages restored that the backup does not list, e.g. " + byKey.keySet().iterator().next());
        }
    }

    private static void compareFiles(Path root, List<BackupManifest.FileEntry> files, List<String> problems) {
        for (BackupManifest.FileEntry file : files) {
            Path restored = root.resolve(file.path());
            try (InputStream in = new DigestInputStream(Files.newInputStream(restored), BackupBundle.sha256())) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                MessageDigest digest = ((DigestInputStream) in).getMessageDigest();
                if (!HexFormat.of().formatHex(digest.digest()).equals(file.sha256())) {
                    problems.add("file differs: " + file.path());
                }
            } catch (IOException e) {
                problems.add("file missing: " + file.path());
            }
        }
    }

    private static long countQueued(Path restoredQueues) {
        if (!Files.isDirectory(restoredQueues)) {
            return 0;
        }
        try (Stream<Path> files = Files.walk(restoredQueues)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".json")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    /** The last audit entry of Essaim's database in a data directory, or null when there is none. */
    static BackupManifest.AuditHead auditHead(Connection essaimDatabase) throws SQLException {
        try (Statement statement = essaimDatabase.createStatement();
             ResultSet row = statement.executeQuery("SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")) {
            return row.next() ? new BackupManifest.AuditHead(row.getLong(1), row.getString(2)) : null;
        }
    }

    private static BackupManifest.AuditHead auditHead(Path root, String user, List<String> problems) {
        try (Connection connection = H2Databases.open(root.resolve(ESSAIM_DATABASE), user)) {
            return auditHead(connection);
        } catch (SQLException e) {
            problems.add("audit log unreadable: " + e.getMessage());
            return null;
        }
    }

    private static void verifyAuditChain(Path root, List<String> problems) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (PrintStream out = new PrintStream(output, true, StandardCharsets.UTF_8)) {
            if (AuditCommand.verifyDataDir(root, out, out) != 0) {
                problems.add("audit log does not verify: " + output.toString(StandardCharsets.UTF_8).trim());
            }
        } catch (AuditCommand.ReadFailure e) {
            problems.add("audit log unreadable: " + e.getMessage());
        }
    }

    private static String differences(Map<String, Long> expected, Map<String, Long> actual) {
        StringBuilder text = new StringBuilder();
        java.util.TreeSet<String> tables = new java.util.TreeSet<>(expected.keySet());
        tables.addAll(actual.keySet());
        for (String table : tables) {
            if (!Objects.equals(expected.get(table), actual.get(table))) {
                text.append(table).append(' ').append(expected.get(table)).append("→").append(actual.get(table)).append("; ");
            }
        }
        return text.toString();
    }
}
