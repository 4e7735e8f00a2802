package org.essaim.mailserver;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Every message stored in a copy of James' mail database (a backup's copy, a restored data directory), read
 * straight from its tables with JDBC: owner, folder, UIDVALIDITY, UID, flags and the SHA-256 of the exact bytes
 * IMAP serves ({@code BODY[]}: the stored header bytes followed by the body bytes). No James classes and no server:
 * the backup's manifest and its restore checks use it.
 */
public final class StoredMessageCatalog {

    private StoredMessageCatalog() {
    }

    /** One stored message. {@code flags} are IMAP flag names, sorted (system flags with their backslash). */
    public record StoredMessage(String account, String mailbox, long uidValidity, long uid, List<String> flags,
                                String sha256, long size) {
        /** Owner, folder and UID: unique per message. */
        public String key() {
            return account + "/" + mailbox + "/" + uidValidity + "/" + uid;
        }
    }

    /** The JDBC address of the James database in a data directory (the server must not be running on it). */
    public static String jdbcUrlOf(java.nio.file.Path dataDir) {
        return org.essaim.mailserver.guice.EssaimJamesServer.jdbcUrl(dataDir.toAbsolutePath().normalize().resolve("james"));
    }

    public static List<StoredMessage> read(String jdbcUrl) throws SQLException {
        try (Connection connection = DriverManager.getConnection(jdbcUrl, "", "")) {
            return read(connection);
        }
    }

    public static List<StoredMessage> read(Connection connection) throws SQLException {
        Map<String, List<String>> userFlags = new HashMap<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT MAILBOX_ID, MAIL_UID, USERFLAG_NAME FROM JAMES_MAIL_USERFLAG")) {
            while (rows.next()) {
                userFlags.computeIfAbsent(rows.getLong(1) + "/" + rows.getLong(2), k -> new ArrayList<>())
                        .add(rows.getString(3));
            }
        }
        List<StoredMessage> messages = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT b.USER_NAME, b.MAILBOX_NAMESPACE, b.MAILBOX_NAME, "
                     + "b.MAILBOX_UID_VALIDITY, m.MAILBOX_ID, m.MAIL_UID, m.MAIL_IS_ANSWERED, m.MAIL_IS_DELETED, "
                     + "m.MAIL_IS_DRAFT, m.MAIL_IS_FLAGGED, m.MAIL_IS_RECENT, m.MAIL_IS_SEEN, m.HEADER_BYTES, m.MAIL_BYTES "
                     + "FROM JAMES_MAIL m JOIN JAMES_MAILBOX b ON b.MAILBOX_ID = m.MAILBOX_ID "
                     + "ORDER BY b.USER_NAME, b.MAILBOX_NAME, m.MAIL_UID")) {
            while (rows.next()) {
                TreeSet<String> flags = new TreeSet<>(userFlags.getOrDefault(rows.getLong(5) + "/" + rows.getLong(6), List.of()));
                addIf(flags, rows.getBoolean(7), "\\Answered");
                addIf(flags, rows.getBoolean(8), "\\Deleted");
                addIf(flags, rows.getBoolean(9), "\\Draft");
                addIf(flags, rows.getBoolean(10), "\\Flagged");
                addIf(flags, rows.getBoolean(11), "\\Recent");
                addIf(flags, rows.getBoolean(12), "\\Seen");
                MessageDigest sha256 = sha256();
                long size = digest(rows.getBinaryStream(13), sha256) + digest(rows.getBinaryStream(14), sha256);
                String namespace = rows.getString(2);
                String mailbox = "#private".equals(namespace) || namespace == null ? rows.getString(3)
                        : namespace + ":" + rows.getString(3);
                messages.add(new StoredMessage(rows.getString(1), mailbox, rows.getLong(4), rows.getLong(6),
                        List.copyOf(flags), HexFormat.of().formatHex(sha256.digest()), size));
            }
        }
        return messages;
    }

    /** A message held in a folder, read from a stopped server's database. */
    public record HeldMessage(String account, String folder, java.util.Date received, byte[] content) { }

    /** Every message of every account's folders (e.g. what a stopped standby still holds), oldest first per folder. */
    public static List<HeldMessage> heldMessages(Connection connection) throws SQLException {
        List<HeldMessage> messages = new ArrayList<>();
        try (Statement query = connection.createStatement();
             ResultSet rows = query.executeQuery("SELECT b.USER_NAME, b.MAILBOX_NAME, m.MAIL_DATE, m.HEADER_BYTES, m.MAIL_BYTES "
                     + "FROM JAMES_MAIL m JOIN JAMES_MAILBOX b ON b.MAILBOX_ID = m.MAILBOX_ID "
                     + "WHERE b.MAILBOX_NAMESPACE = '#private' ORDER BY b.USER_NAME, b.MAILBOX_NAME, m.MAIL_UID")) {
            while (rows.next()) {
                java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
                content.writeBytes(rows.getBytes(4));
                content.writeBytes(rows.getBytes(5));
                messages.add(new HeldMessage(rows.getString(1), rows.getString(2),
                        new java.util.Date(rows.getTimestamp(3).getTime()), content.toByteArray()));
            }
        }
        return messages;
    }

    private static void addIf(TreeSet<String> flags, boolean set, String flag) {
        if (set) {
            flags.add(flag);
        }
    }

    private static long digest(InputStream content, MessageDigest sha256) throws SQLException {
        if (content == null) {
            return 0;
        }
        try (content) {
            byte[] buffer = new byte[16384];
            long total = 0;
            for (int read; (read = content.read(buffer)) > 0; ) {
                sha256.update(buffer, 0, read);
                total += read;
            }
            return total;
        } catch (IOException e) {
            throw new SQLException("Cannot read a stored message: " + e.getMessage(), e);
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
