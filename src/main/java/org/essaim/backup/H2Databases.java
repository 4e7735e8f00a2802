package org.essaim.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The H2 commands backups use: an online copy, and the row count of every table (to compare after a restore). */
final class H2Databases {
    static final String FILE_SUFFIX = ".mv.db";

    private H2Databases() {
    }

    /** {@code BACKUP TO}: copies the database while it is in use, transactionally consistent, into a zip. */
    static void backup(Connection connection, Path zip) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC"); // everything committed is in the file before it is copied
            statement.execute("BACKUP TO '" + zip.toAbsolutePath().toString().replace("'", "''") + "'");
        }
    }

    static Map<String, Long> rowCounts(Connection connection) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT TABLE_NAME FROM INFORMATION_SCHEMA.TABLES "
                     + "WHERE TABLE_SCHEMA = 'PUBLIC' AND TABLE_TYPE = 'BASE TABLE'")) {
            while (rows.next()) {
                tables.add(rows.getString(1));
            }
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String table : tables) {
            try (Statement statement = connection.createStatement();
                 ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM \"" + table.replace("\"", "\"\"") + "\"")) {
                rows.next();
                counts.put(table, rows.getLong(1));
            }
        }
        return counts;
    }

    /** Opens a database file of a (restored) data directory; {@code path} is without {@code .mv.db}. */
    static Connection open(Path databaseWithoutSuffix, String user) throws SQLException {
        return DriverManager.getConnection("jdbc:h2:file:" + databaseWithoutSuffix.toAbsolutePath().normalize()
                + ";NON_KEYWORDS=VALUE,KEY", user, "");
    }

    /**
     * Unpacks the database file a {@code BACKUP TO} zip holds into {@code directory}, to be opened with
     * {@link #open}. (Opening it inside the zip, {@code jdbc:h2:zip:}, re-inflates the entry from its start at every
     * backward seek: minutes for a few hundred MB.)
     */
    static void unpackBackupZip(Path zip, Path directory) throws IOException {
        Files.createDirectories(directory);
        try (ZipInputStream entries = new ZipInputStream(Files.newInputStream(zip))) {
            for (ZipEntry entry; (entry = entries.getNextEntry()) != null; ) {
                if (!entry.isDirectory()) {
                    Files.copy(entries, directory.resolve(Path.of(entry.getName()).getFileName().toString()));
                }
            }
        }
    }
}
