package org.essaim.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Copies the encrypted backups off the machine after each run: into a plain directory
 * ({@code essaim.backup.copy-to}, kept equal to the backup directory's set of backups, for the operator's own sync)
 * and/or into a restic repository ({@code essaim.backup.restic-repository} with
 * {@code essaim.backup.restic-password-file}): one {@code restic backup} of the backup directory per run, so
 * restic uploads only the new backup. Nothing is ever deleted from the restic repository by Essaim, so it may be
 * append-only ({@code rest-server --append-only}); its owner prunes it.
 */
@Component
public class OffMachineCopies {
    private static final Logger LOGGER = LoggerFactory.getLogger(OffMachineCopies.class);
    static final String RESTIC_CACHE = ".restic-cache";

    private final EssaimProperties settings;

    public OffMachineCopies(EssaimProperties settings) {
        this.settings = settings;
    }

    void copy(Path backupDir) {
        EssaimProperties.Backup backup = settings.backup();
        if (backup.copyTo() != null) {
            mirror(backupDir, backup.copyTo());
        }
        if (backup.resticRepository() != null && !backup.resticRepository().isBlank()) {
            if (backup.resticPasswordFile() == null) {
                throw new IllegalStateException("essaim.backup.restic-repository needs essaim.backup.restic-password-file");
            }
            pushWithRestic(backupDir, backup.resticRepository(), backup.resticPasswordFile());
        }
    }

    /** Makes {@code target}'s set of backups (and records) equal to the backup directory's. */
    static void mirror(Path backupDir, Path target) {
        try {
            Files.createDirectories(target);
            Set<String> wanted = backupFiles(backupDir);
            for (String name : wanted) {
                Path copy = target.resolve(name);
                if (!Files.exists(copy) || Files.size(copy) != Files.size(backupDir.resolve(name))) {
                    Path partial = target.resolve(name + BackupDirectory.PARTIAL_SUFFIX);
                    Files.copy(backupDir.resolve(name), partial, StandardCopyOption.REPLACE_EXISTING);
                    Files.move(partial, copy, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            for (String name : backupFiles(target)) {
                if (!wanted.contains(name)) {
                    Files.delete(target.resolve(name));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot copy the backups to " + target + ": " + e.getMessage(), e);
        }
    }

    private static Set<String> backupFiles(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString())
                    .filter(name -> name.startsWith(BackupRecord.PREFIX)
                            && (name.endsWith(BackupRecord.ENCRYPTED_SUFFIX) || name.endsWith(BackupRecord.RECORD_SUFFIX)))
                    .collect(Collectors.toSet());
        }
    }

    private void pushWithRestic(Path backupDir, String repository, Path passwordFile) {
        List<String> base = List.of("restic", "--repo", repository, "--password-file", passwordFile.toString(),
                "--cache-dir", backupDir.resolve(RESTIC_CACHE).toString(), "--quiet");
        if (run(concat(base, List.of("cat", "config"))).exitCode != 0) {
            Result init = run(concat(base, List.of("init")));
            if (init.exitCode != 0) {
                throw new IllegalStateException("restic init failed: " + init.output);
            }
            LOGGER.info("Initialised the restic repository {}", repository);
        }
        Result push = run(concat(base, List.of("backup", "--host", settings.effectiveHostname(), "--tag", "essaim-backup",
                "--exclude", BackupDirectory.STAGING_PREFIX + "*", "--exclude", "*" + BackupDirectory.PARTIAL_SUFFIX,
                "--exclude", RESTIC_CACHE, backupDir.toString())));
        if (push.exitCode != 0) {
            throw new IllegalStateException("restic backup failed: " + push.output);
        }
        LOGGER.info("Backups pushed to the restic repository {}", repository);
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    private record Result(int exitCode, String output) { }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!process.waitFor(6, TimeUnit.HOURS)) {
                process.destroyForcibly();
                return new Result(-1, "timed out");
            }
            return new Result(process.exitValue(), output.length() > 2000 ? output.substring(0, 2000) : output);
        } catch (IOException e) {
            return new Result(-1, "cannot run " + command.get(0) + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, "interrupted");
        }
    }
}
