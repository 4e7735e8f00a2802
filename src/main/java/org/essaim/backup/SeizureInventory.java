package org.essaim.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.essaim.crypto.BackupEncryption;

/**
 * {@code java -jar essaim.jar inventory <data directory | backup .pgp | decrypted bundle .zip>}: prints what anyone
 * holding that disk or file can read without any key (docs/seizure.md). For a data directory (a copy, or with the
 * server stopped): accounts, admins, aliases, public keys, and for every stored message its owner, folder, date,
 * the outer headers (sender, recipients, Message-ID) and whether its body is encrypted; private key files; what
 * the queue and the search index hold. For an encrypted backup: only the keys it is encrypted to and the record
 * beside it. No server, no Spring.
 */
public final class SeizureInventory {
    private static final List<String> OUTER_HEADERS = List.of("date", "from", "to", "cc", "subject", "message-id");

    private SeizureInventory() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length != 2) {
            err.println("Usage: java -jar essaim.jar inventory <data directory | essaim-backup-*.pgp | bundle.zip>");
            return 2;
        }
        Path target = Path.of(args[1]);
        try {
            if (Files.isDirectory(target)) {
                dataDirectory(target, out);
            } else if (target.getFileName().toString().endsWith(".zip")) {
                Path scratch = Files.createTempDirectory("essaim-inventory-");
                try (InputStream in = Files.newInputStream(target)) {
                    BackupRestore.restore(in, scratch.resolve("data"));
                    out.println("# " + target + ": a DECRYPTED backup bundle, as readable as a data directory:");
                    dataDirectory(scratch.resolve("data"), out);
                } finally {
                    BackupDirectory.deleteTree(scratch);
                }
            } else {
                encryptedBackup(target, out);
            }
            return 0;
        } catch (IOException | SQLException e) {
            err.println("Cannot read " + target + ": " + e.getMessage());
            return 3;
        }
    }

    private static void encryptedBackup(Path file, PrintStream out) throws IOException {
        out.println("# " + file + " (" + Files.size(file) + " bytes)");
        try (InputStream in = Files.newInputStream(file)) {
            out.println("Encrypted (OpenPGP) to the key IDs " + String.join(", ", BackupEncryption.recipientKeyIds(in))
                    + "; nothing else in it is readable without one of their private keys.");
        }
        Path record = BackupRecord.recordFileOf(file);
        if (Files.exists(record)) {
            out.println("Readable record beside it (" + record.getFileName() + "):");
            out.println(Files.readString(record, StandardCharsets.UTF_8));
        }
    }

    static void dataDirectory(Path dataDir, PrintStream out) throws IOException, SQLException {
        Path root = dataDir.toAbsolutePath().normalize();
        out.println("# Readable without any key in " + root);
        Path essaim = root.resolve("db/essaim");
        if (Files.exists(Path.of(essaim + H2Databases.FILE_SUFFIX))) {
            try (Connection db = H2Databases.open(essaim, "sa")) {
                list(out, db, "Admins and spectators (account_role)", "SELECT address || ' ' || role FROM account_role ORDER BY address");
                list(out, db, "Published public keys (public_key: address, fingerprint)",
                        "SELECT address || ' ' || fingerprint FROM public_key ORDER BY address");
                list(out, db, "Audit log (public anyway)", "SELECT COUNT(*) || ' entries' FROM audit_entry");
            }
        }
        Path james = root.resolve(Backups.JAMES_DATABASE);
        if (Files.exists(Path.of(james + H2Databases.FILE_SUFFIX))) {
            try (Connection db = H2Databases.open(james, "")) {
                list(out, db, "Accounts (with PBKDF2-SHA512 password hashes)", "SELECT USER_NAME FROM JAMES_USER ORDER BY USER_NAME");
                list(out, db, "Aliases and forwards", "SELECT USER_NAME || '@' || DOMAIN_NAME || ' -> ' || TARGET_ADDRESS FROM JAMES_RECIPIENT_REWRITE");
                messages(out, db);
            }
        }
        files(root, out);
    }

    private static void messages(PrintStream out, Connection db) throws SQLException {
        out.println("## Stored messages: owner, folder, outer headers, body");
        int clear = 0;
        int total = 0;
        try (Statement query = db.createStatement();
             ResultSet rows = query.executeQuery("SELECT b.USER_NAME, b.MAILBOX_NAME, m.MAIL_UID, m.HEADER_BYTES, "
                     + "m.MAIL_CONTENT_OCTETS_COUNT FROM JAMES_MAIL m JOIN JAMES_MAILBOX b ON b.MAILBOX_ID = m.MAILBOX_ID "
                     + "ORDER BY b.USER_NAME, b.MAILBOX_NAME, m.MAIL_UID")) {
            while (rows.next()) {
                String headers = new String(rows.getBytes(4), StandardCharsets.UTF_8);
                boolean encrypted = headerValue(headers, "content-type").toLowerCase(Locale.ROOT).startsWith("multipart/encrypted");
                StringBuilder line = new StringBuilder(rows.getString(1) + " " + rows.getString(2) + " #" + rows.getLong(3) + ":");
                for (String name : OUTER_HEADERS) {
                    String value = headerValue(headers, name);
                    if (!value.isEmpty()) {
                        line.append(' ').append(name).append("=\"").append(value).append('"');
                    }
                }
                line.append(" body ").append(rows.getLong(5)).append(" bytes ").append(encrypted ? "ENCRYPTED" : "IN CLEAR");
                out.println(line);
                total++;
                clear += encrypted ? 0 : 1;
            }
        }
        out.println("(" + total + " messages, " + clear + " with a body in clear)");
    }

    private static void files(Path root, PrintStream out) throws IOException {
        out.println("## Files");
        List<String> notes = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path file : walk.filter(Files::isRegularFile).sorted().toList()) {
                String relative = DataDirectoryFiles.portable(root.relativize(file));
                String name = file.getFileName().toString();
                if (name.endsWith("key.pem") || relative.contains("dkim")) {
                    notes.add(relative + ": a PRIVATE key (TLS or DKIM) in clear: replace it after a seizure");
                } else if (relative.startsWith("james/var/search-index/")) {
                    notes.add(relative + ": search index (outer headers of stored mail, as words)");
                } else if (relative.startsWith("james/var/store/activemq/")) {
                    notes.add(relative + ": mail queue (queued mail: ciphertext for local accounts, outgoing mail as written)");
                } else if (relative.startsWith("james/var/mail/")) {
                    notes.add(relative + ": a mail repository (refused or failed mail)");
                } else if (relative.startsWith("backups/") && name.endsWith(".pgp")) {
                    notes.add(relative + ": an encrypted backup (unreadable without an admin's key)");
                }
            }
        }
        notes.stream().map(note -> note.replaceFirst("^(james/var/search-index|james/var/store/activemq)/[^:]*", "$1/…"))
                .distinct().forEach(out::println);
    }

    private static void list(PrintStream out, Connection db, String title, String sql) throws SQLException {
        out.println("## " + title);
        try (Statement query = db.createStatement(); ResultSet rows = query.executeQuery(sql)) {
            while (rows.next()) {
                out.println(rows.getString(1));
            }
        }
    }

    /** An unfolded header field's value from raw header bytes, or "". */
    static String headerValue(String headers, String name) {
        String[] lines = headers.split("\r?\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].toLowerCase(Locale.ROOT).startsWith(name + ":")) {
                StringBuilder value = new StringBuilder(lines[i].substring(name.length() + 1).trim());
                while (i + 1 < lines.length && (lines[i + 1].startsWith(" ") || lines[i + 1].startsWith("\t"))) {
                    value.append(' ').append(lines[++i].trim());
                }
                return value.toString();
            }
        }
        return "";
    }
}
