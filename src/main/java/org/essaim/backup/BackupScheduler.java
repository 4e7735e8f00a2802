package org.essaim.backup;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;

import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs the backup at {@code essaim.backup.schedule} (a Spring cron expression; daily at 03:30 by default), on a
 * primary with {@code essaim.backup.enabled} (a standby holds no data of its own to back up).
 */
@Component
class BackupScheduler {
    private static final Logger LOGGER = LoggerFactory.getLogger(BackupScheduler.class);

    private final Backups backups;
    private final BackupDirectory directory;
    private final EssaimProperties settings;
    private final ExecutorService runner = Executors.newSingleThreadExecutor(task -> {
        Thread thread = new Thread(task, "essaim-backup");
        thread.setDaemon(true);
        return thread;
    });

    BackupScheduler(Backups backups, BackupDirectory directory, EssaimProperties settings) {
        this.backups = backups;
        this.directory = directory;
        this.settings = settings;
    }

    /**
     * A backup interrupted by a crash left a staging directory (plaintext copies) and partial files: they go at the
     * next start, before the server says it is up.
     */
    @PostConstruct
    void removeWhatAnInterruptedBackupLeft() {
        directory.removeLeftovers();
    }

    /** Starts the backup on its own thread, so a long one holds up no other scheduled task. */
    @Scheduled(cron = "${essaim.backup.schedule:0 30 3 * * *}")
    void scheduledBackup() {
        if (!settings.backup().enabled() || settings.isStandby() || backups.isRunning() || runner.isShutdown()) {
            return;
        }
        runner.execute(() -> {
            try {
                backups.backUp();
            } catch (BackupFailedException e) {
                LOGGER.debug("Scheduled backup failed (already reported): {}", e.getMessage());
            }
        });
    }

    /**
     * An orderly stop interrupts a running backup and gives it a moment to remove its staging directory and partial
     * file, so that only a crash leaves them (removed at the next start).
     */
    @PreDestroy
    void stop() throws InterruptedException {
        runner.shutdownNow();
        if (!runner.awaitTermination(20, TimeUnit.SECONDS)) {
            LOGGER.warn("The running backup did not stop within 20 s; its leftovers go at the next start");
        }
    }
}
