package org.essaim.standby;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.essaim.backup.BackupCommand;
import org.essaim.backup.BackupManifest;
import org.essaim.backup.BackupRestore;
import org.essaim.backup.RestoreCheck;
import org.essaim.mailserver.StoredMessageCatalog;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * {@code java -jar essaim.jar standby promote --data-dir <standby's data> --to <new data dir> [--gnupg-home <dir>]},
 * with the standby stopped: makes the standby's copy of the primary a primary's data directory
 * (docs/standby.md). The restored backup (the warm copy, or the latest fetched backup decrypted with an admin's
 * key through GnuPG), plus the mail the standby still held, which the first start stores into the INBOXes; that
 * start also writes {@code standby.promoted} to the public log. No Spring, no server.
 *
 * <p>Exit status: 0 promoted; 1 the restored data does not match its backup; 2 usage; 3 nothing to promote from.
 */
public final class StandbyCommand {
    static final String HELD = "standby-held";
    static final String MARKER = "promoted-from-standby.json";
    private static final String USAGE = """
            Usage: java -jar essaim.jar standby promote --data-dir <the standby's data directory> --to <new data directory>
                                                        [--gnupg-home <GnuPG home with an admin's key>]
            Run it with the standby stopped. Then start Essaim with essaim.data-dir=<new data directory> and without
            essaim.role=standby, and point the domain's MX (and the webmail's name) at this machine.""";

    private StandbyCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"standby".equals(args[0]) || !"promote".equals(args[1])) {
            err.println(USAGE);
            return 2;
        }
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i + 1 < args.length; i += 2) {
            options.put(args[i], args[i + 1]);
        }
        if (!options.containsKey("--data-dir") || !options.containsKey("--to")) {
            err.println(USAGE);
            return 2;
        }
        try {
            return promote(Path.of(options.get("--data-dir")).toAbsolutePath().normalize(),
                    Path.of(options.get("--to")).toAbsolutePath().normalize(), options.get("--gnupg-home"), out, err);
        } catch (IOException | SQLException e) {
            err.println("Cannot promote: " + e.getMessage());
            return 3;
        }
    }

    static int promote(Path standbyData, Path to, String gnupgHome, PrintStream out, PrintStream err)
            throws IOException, SQLException {
        Path standby = standbyData.resolve(WarmStandby.STANDBY_DIR);
        Path warm = standby.resolve(WarmStandby.WARM);
        BackupManifest manifest;
        if (Files.exists(warm.resolve(BackupRestore.RESTORED_MANIFEST))) {
            copyTree(warm, to);
            manifest = new ObjectMapper().disable(com.fasterxml.jackson.databind.DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                    .readValue(to.resolve(BackupRestore.RESTORED_MANIFEST).toFile(), BackupManifest.class);
            out.println("Using the warm copy restored on the standby (backup taken " + manifest.created() + ")");
        } else {
            Path latest = latestBackup(standby.resolve(WarmStandby.BACKUPS));
            out.println("Decrypting the primary's latest backup " + latest.getFileName() + " with GnuPG");
            manifest = BackupCommand.restoreDecrypting(latest, to, gnupgHome);
        }
        RestoreCheck.Report report = RestoreCheck.check(to, manifest);
        if (!report.passed()) {
            err.println("BROKEN: the restored data does not match its backup:");
            report.problems().forEach(problem -> err.println("  " + problem));
            return 1;
        }
        int held = copyHeldMail(standbyData, to.resolve(HELD));
        Map<String, String> marker = new LinkedHashMap<>();
        marker.put("backup", manifest.created());
        marker.put("heldMessages", String.valueOf(held));
        marker.put("promotedAt", Instant.now().toString());
        Files.write(to.resolve(MARKER), new ObjectMapper().writeValueAsBytes(marker));
        out.println("Promoted into " + to + ": the primary's backup of " + manifest.created() + " (" + report.messages()
                + " messages, log verified) and " + held + " messages the standby held, which the first start stores.");
        out.println("Start Essaim with essaim.data-dir=" + to + " (not as a standby) and point the MX at this machine;"
                + " the first start writes standby.promoted to the public log.");
        return 0;
    }

    /** The messages in the stopped standby's folders, as files the promoted server's first start stores. */
    private static int copyHeldMail(Path standbyData, Path heldDir) throws IOException, SQLException {
        Files.createDirectories(heldDir);
        List<StoredMessageCatalog.HeldMessage> held;
        try (Connection connection = DriverManager.getConnection(StoredMessageCatalog.jdbcUrlOf(standbyData), "", "")) {
            held = StoredMessageCatalog.heldMessages(connection);
        }
        ObjectMapper json = new ObjectMapper();
        int n = 0;
        for (StoredMessageCatalog.HeldMessage message : held) {
            Files.write(heldDir.resolve(n + ".eml"), message.content());
            Files.write(heldDir.resolve(n + ".json"), json.writeValueAsBytes(Map.of(
                    "recipient", message.account(), "folder", message.folder(), "received", message.received().getTime())));
            n++;
        }
        return n;
    }

    private static Path latestBackup(Path backups) throws IOException {
        if (!Files.isDirectory(backups)) {
            throw new IOException("the standby has fetched no backup of the primary (" + backups + ")");
        }
        try (Stream<Path> files = Files.list(backups)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".pgp")).sorted()
                    .reduce((first, second) -> second)
                    .orElseThrow(() -> new IOException("the standby has fetched no backup of the primary (" + backups + ")"));
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (Files.exists(to)) {
            try (Stream<Path> existing = Files.list(to)) {
                if (existing.findAny().isPresent()) {
                    throw new IOException(to + " is not empty");
                }
            }
        }
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path source : walk.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
