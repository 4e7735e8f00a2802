package org.essaim.backup;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar essaim.jar backup list|verify|restore}: works on the encrypted backups without a server and
 * without Spring. Decryption is GnuPG's ({@code gpg --decrypt}, with the admin's own key, agent and pinentry): the
 * private key never meets Essaim. A bundle decrypted beforehand (a {@code .zip}) is accepted too.
 *
 * <p>Exit status: 0 done and checked; 1 the restored data does not match the backup's manifest; 2 usage;
 * 3 the backup could not be read or decrypted.
 */
public final class BackupCommand {
    static final int OK = 0;
    static final int CHECK_FAILED = 1;
    static final int USAGE = 2;
    static final int UNREADABLE = 3;
    private static final String USAGE_TEXT = """
            Usage: java -jar essaim.jar backup list [--dir <backup directory>]          (default ./data/backups)
                   java -jar essaim.jar backup verify <backup> [--gnupg-home <dir>]
                   java -jar essaim.jar backup restore <backup> --to <new data directory> [--gnupg-home <dir>]
            <backup> is an encrypted backup (essaim-backup-*.pgp, decrypted by gpg with your key)
            or the bundle you decrypted yourself (gpg -d essaim-backup-*.pgp > bundle.zip).""";

    private BackupCommand() {
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length < 2 || !"backup".equals(args[0])) {
            err.println(USAGE_TEXT);
            return USAGE;
        }
        String command = args[1];
        List<String> positional = new ArrayList<>();
        Map<String, String> options = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--")) {
                if (i + 1 >= args.length) {
                    err.println(args[i] + " needs a value\n" + USAGE_TEXT);
                    return USAGE;
                }
                options.put(args[i], args[++i]);
            } else {
                positional.add(args[i]);
            }
        }
        try {
            return switch (command) {
                case "list" -> list(Path.of(options.getOrDefault("--dir", "data/backups")), out);
                case "verify" -> positional.size() == 1 ? verify(Path.of(positional.get(0)), options.get("--gnupg-home"), out, err)
                        : usage(err);
                case "restore" -> positional.size() == 1 && options.containsKey("--to")
                        ? restore(Path.of(positional.get(0)), Path.of(options.get("--to")), options.get("--gnupg-home"), out, err)
                        : usage(err);
                default -> usage(err);
            };
        } catch (IOException e) {
            err.println("Could not read the backup: " + e.getMessage());
            return UNREADABLE;
        }
    }

    private static int usage(PrintStream err) {
        err.println(USAGE_TEXT);
        return USAGE;
    }

    static int list(Path dir, PrintStream out) {
        List<BackupDirectory.Listed> backups = BackupDirectory.list(dir);
        if (backups.isEmpty()) {
            out.println("No backups in " + dir.toAbsolutePath());
            return OK;
        }
        for (BackupDirectory.Listed backup : backups) {
            StringBuilder line = new StringBuilder(backup.file().getFileName().toString());
            backup.record().ifPresentOrElse(record -> {
                line.append("  ").append(record.size()).append(" bytes");
                BackupRecord.RestoreTest test = record.restoreTest();
                line.append("  restore test ").append(test.passed() ? "passed" : "FAILED")
                        .append(": ").append(test.messages()).append(" messages, ").append(test.accounts()).append(" accounts");
                if (test.auditHead() != null) {
                    line.append(", log head ").append(test.auditHead().seq()).append(':').append(test.auditHead().hash());
                }
                line.append("  encrypted to ").append(String.join(", ", record.recipients().stream()
                        .map(r -> r.who() + " " + r.fingerprint()).toList()));
            }, () -> line.append("  (no record beside it)"));
            out.println(line);
        }
        return OK;
    }

    static int verify(Path backup, String gnupgHome, PrintStream out, PrintStream err) throws IOException {
        Path scratch = Files.createTempDirectory("essaim-backup-verify-");
        try {
            return restoreAndCheck(backup, scratch.resolve("data"), gnupgHome, out, err, false);
        } finally {
            BackupDirectory.deleteTree(scratch);
        }
    }

    static int restore(Path backup, Path to, String gnupgHome, PrintStream out, PrintStream err) throws IOException {
        return restoreAndCheck(backup, to, gnupgHome, out, err, true);
    }

    private static int restoreAndCheck(Path backup, Path to, String gnupgHome, PrintStream out, PrintStream err,
                                       boolean keep) throws IOException {
        if (!Files.isRegularFile(backup)) {
            throw new IOException("no such file " + backup);
        }
        BackupManifest manifest;
        try {
            manifest = backup.getFileName().toString().endsWith(".zip") ? restorePlain(backup, to)
                    : restoreDecrypting(backup, to, gnupgHome);
        } catch (IOException e) {
            if (keep) {
                BackupDirectory.deleteTree(to);
            }
            throw e;
        }
        RestoreCheck.Report report = RestoreCheck.check(to, manifest);
        if (!report.passed()) {
            err.println("BROKEN: the restored data does not match the backup's manifest:");
            report.problems().forEach(problem -> err.println("  " + problem));
            return CHECK_FAILED;
        }
        out.println("OK: " + report.messages() + " messages of " + report.accounts() + " accounts, every message's bytes, "
                + "UIDVALIDITY, UID and flags as in the manifest; every table and file; audit log verified, head "
                + (report.auditHead() == null ? "(none)" : report.auditHead().seq() + ":" + report.auditHead().hash())
                + "; backup taken " + manifest.created());
        if (keep) {
            out.println("Restored into " + to.toAbsolutePath() + ". Start Essaim with essaim.data-dir=" + to.toAbsolutePath()
                    + " (the search index is rebuilt and the queued mail queued again at the first start).");
        }
        return OK;
    }

    private static BackupManifest restorePlain(Path bundle, Path to) throws IOException {
        try (InputStream in = Files.newInputStream(bundle)) {
            return BackupRestore.restore(in, to);
        }
    }

    /**
     * Streams {@code gpg --decrypt} straight into the restore: the plaintext bundle never lands on disk.
     *
     * @param gnupgHome GnuPG's home directory, or null for the user's own
     */
    public static BackupManifest restoreDecrypting(Path backup, Path to, String gnupgHome) throws IOException {
        List<String> command = new ArrayList<>(List.of("gpg"));
        if (gnupgHome != null) {
            command.addAll(List.of("--homedir", gnupgHome));
        }
        command.addAll(List.of("--decrypt", backup.toAbsolutePath().toString()));
        Process gpg = new ProcessBuilder(command)
                .redirectInput(ProcessBuilder.Redirect.INHERIT) // pinentry may ask for the passphrase
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        BackupManifest manifest;
        try (InputStream plaintext = gpg.getInputStream()) {
            manifest = BackupRestore.restore(plaintext, to);
            plaintext.transferTo(java.io.OutputStream.nullOutputStream());
        } catch (IOException e) {
            gpg.destroyForcibly();
            throw e;
        }
        try {
            if (gpg.waitFor() != 0) {
                // e.g. a modified file: GnuPG checks the integrity code at the end
                throw new IOException("gpg could not decrypt the backup completely (exit status " + gpg.exitValue() + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        return manifest;
    }
}
