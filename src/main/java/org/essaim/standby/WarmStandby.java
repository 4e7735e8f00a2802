package org.essaim.standby;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.stream.Stream;

import org.essaim.backup.BackupCommand;
import org.essaim.backup.BackupManifest;
import org.essaim.backup.RestoreCheck;
import org.essaim.config.EssaimProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The warm standby ({@code essaim.standby.restore-schedule}, nightly by default): fetches the primary's latest
 * verified backup into {@code <data-dir>/standby/backups/} and, when the standby holds a key it is encrypted to
 * ({@code essaim.standby.gnupg-home}), restores it into {@code <data-dir>/standby/warm/} and checks it against its
 * manifest: a restore test on another machine every night, and a data directory ready for
 * {@code essaim.jar standby promote}. Without a key, only the encrypted backup is kept (promotion then needs an
 * admin's key).
 */
@Component
class WarmStandby {
    private static final Logger LOGGER = LoggerFactory.getLogger(WarmStandby.class);
    static final String STANDBY_DIR = "standby";
    static final String BACKUPS = "backups";
    static final String WARM = "warm";
    /** The backup the warm copy was restored from. */
    static final String RESTORED_FROM = "warm-restored-from";

    private final EssaimProperties settings;
    private final PrimaryClient primary;

    WarmStandby(EssaimProperties settings, PrimaryClient primary) {
        this.settings = settings;
        this.primary = primary;
    }

    @Scheduled(cron = "${essaim.standby.restore-schedule:0 30 5 * * *}")
    void nightly() {
        if (!settings.isStandby()) {
            return;
        }
        try {
            refresh();
        } catch (IOException | RuntimeException e) {
            LOGGER.error("Warm standby: the primary's latest backup could not be fetched or restored: {}", e.getMessage());
        }
    }

    void refresh() throws IOException {
        Path standby = settings.absoluteDataDir().resolve(STANDBY_DIR);
        Path backups = standby.resolve(BACKUPS);
        Files.createDirectories(backups);
        Path fetched;
        HttpResponse<InputStream> latest = primary.latestBackup();
        if (latest == null) {
            LOGGER.info("Warm standby: the primary has no verified backup yet");
            return;
        }
        String name = latest.headers().firstValue(StandbyApi.BACKUP_FILE_HEADER).orElseThrow();
        String sha256 = latest.headers().firstValue(StandbyApi.BACKUP_SHA256_HEADER).orElseThrow();
        fetched = backups.resolve(Path.of(name).getFileName().toString());
        if (!Files.exists(fetched)) {
            Path partial = backups.resolve(name + ".partial");
            MessageDigest digest = sha256();
            try (InputStream in = latest.body(); OutputStream out = new DigestOutputStream(Files.newOutputStream(partial), digest)) {
                in.transferTo(out);
            }
            if (!HexFormat.of().formatHex(digest.digest()).equals(sha256)) {
                Files.delete(partial);
                throw new IOException("the fetched backup " + name + " does not have the primary's SHA-256");
            }
            Files.move(partial, fetched, StandardCopyOption.ATOMIC_MOVE);
        } else {
            latest.body().close();
        }
        try (Stream<Path> files = Files.list(backups)) {
            for (Path older : files.filter(file -> !file.equals(fetched)).toList()) {
                Files.delete(older);
            }
        }
        Path restoredFrom = standby.resolve(RESTORED_FROM);
        if (settings.standby().gnupgHome() != null
                && !(Files.exists(restoredFrom) && Files.readString(restoredFrom).equals(fetched.getFileName().toString()))) {
            LOGGER.info("Warm standby: fetched the primary's backup {}", name);
            restore(fetched, standby);
            Files.writeString(restoredFrom, fetched.getFileName().toString());
        }
    }

    private void restore(Path backup, Path standby) throws IOException {
        Path partial = standby.resolve(WARM + ".partial");
        deleteTree(partial);
        BackupManifest manifest = BackupCommand.restoreDecrypting(backup, partial, settings.standby().gnupgHome().toString());
        RestoreCheck.Report report = RestoreCheck.check(partial, manifest);
        if (!report.passed()) {
            deleteTree(partial);
            throw new IOException("the restored backup " + backup.getFileName() + " does not match its manifest: "
                    + String.join("; ", report.problems()));
        }
        Path warm = standby.resolve(WARM);
        deleteTree(warm);
        Files.move(partial, warm, StandardCopyOption.ATOMIC_MOVE);
        LOGGER.info("Warm standby: restored {} at {} and checked it: {} messages of {} accounts, log head {}",
                backup.getFileName(), Instant.now(), report.messages(), report.accounts(),
                report.auditHead() == null ? "-" : report.auditHead().seq() + ":" + report.auditHead().hash());
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
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
