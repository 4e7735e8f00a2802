package org.essaim.backup;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The backup directory ({@code essaim.backup.dir}): the encrypted backups with their records, what the last run
 * did ({@code last-run.json}), the retention, and the clean-up of what an interrupted run left behind.
 */
@Component
public class BackupDirectory {
    private static final Logger LOGGER = LoggerFactory.getLogger(BackupDirectory.class);
    static final String STAGING_PREFIX = ".staging-";
    static final String PARTIAL_SUFFIX = ".partial";
    static final String LAST_RUN = "last-run.json";

    private final Path dir;

    public BackupDirectory(EssaimProperties settings) {
        this.dir = settings.backupDir();
    }

    /** What the last backup run did. */
    public record LastRun(String time, boolean succeeded, String file, String reason) {
        static LastRun succeeded(Instant time, String file) {
            return new LastRun(time.toString(), true, file, null);
        }

        static LastRun failed(Instant time, String reason) {
            return new LastRun(time.toString(), false, null, reason);
        }
    }

    /** The finished backups, newest first, with their records (a backup without its record is listed without one). */
    public List<Listed> list() {
        return list(dir);
    }

    /** A finished backup file and its record. */
    public record Listed(Path file, Instant created, Optional<BackupRecord> record) { }

    static List<Listed> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<Listed> backups = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.forEach(file -> BackupRecord.createdFromName(file.getFileName().toString())
                    .ifPresent(created -> backups.add(new Listed(file, created, BackupRecord.readBeside(file)))));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        backups.sort(Comparator.comparing(Listed::created).reversed());
        return backups;
    }

    public Optional<LastRun> lastRun() {
        Path file = dir.resolve(LAST_RUN);
        try {
            return Files.exists(file) ? Optional.of(BackupManifest.json().readValue(file.toFile(), LastRun.class))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    void recordRun(LastRun run) {
        try {
            Files.createDirectories(dir);
            Path partial = dir.resolve(LAST_RUN + PARTIAL_SUFFIX);
            Files.write(partial, BackupManifest.json().writeValueAsBytes(run));
            Files.move(partial, dir.resolve(LAST_RUN), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new backup's file name, one second later when that second's name is taken. */
    Path newBackupFile(Instant created) {
        Instant time = created;
        while (Files.exists(dir.resolve(BackupRecord.fileName(time)))) {
            time = time.plusSeconds(1);
        }
        return dir.resolve(BackupRecord.fileName(time));
    }

    /** Removes what an interrupted run left: staging directories and partial files. Finished backups stay. */
    public void removeLeftovers() {
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith(STAGING_PREFIX) || name.endsWith(PARTIAL_SUFFIX)) {
                    LOGGER.info("Removing {} left by an interrupted backup", name);
                    deleteTree(file);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void applyRetention(EssaimProperties.Backup.Keep keep) {
        List<Listed> backups = list();
        List<Instant> delete = Retention.toDelete(backups.stream().map(Listed::created).toList(), keep);
        for (Listed backup : backups) {
            if (delete.contains(backup.created())) {
                try {
                    Files.deleteIfExists(BackupRecord.recordFileOf(backup.file()));
                    Files.deleteIfExists(backup.file());
                    LOGGER.info("Backup {} removed (retention)", backup.file().getFileName());
                } catch (IOException e) {
                    LOGGER.warn("Could not remove {}: {}", backup.file().getFileName(), e.getMessage());
                }
            }
        }
    }

    static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            LOGGER.warn("Could not delete {}: {}", root, e.getMessage());
        }
    }
}
