package org.essaim.backup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.essaim.crypto.PgpMimeEncryptor;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.MailboxTransfer;
import org.essaim.support.EssaimInstance;
import org.essaim.support.OwnInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.GnuPG;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup and restore of a server holding 10 000 encrypted messages (about 4 KB stored each): the backup's duration,
 * its pause of mail acceptance, its size; the restore with the admin's key through GnuPG (decrypt + unpack + check
 * against the manifest); the first start on the restored directory. Figures are printed.
 *
 * <p>Run: {@code mvn -B -o test -Dtest=BackupBenchmark -Dexcluded.test.groups=none} (optional
 * {@code -Dbenchmark.messages=10000 -Dbenchmark.runs=3}).
 *
 * <p>Own instance: a fresh data directory holding only the benchmark's mail.
 */
@OwnInstance
@Tag("benchmark")
class BackupBenchmark {
    private static final String USER = "bench.backup@" + EssaimInstance.DOMAIN;

    @TempDir
    Path work;

    @Test
    void backupAndRestoreOfTenThousandMessages() throws Exception {
        int messages = Integer.getInteger("benchmark.messages", 10_000);
        int runs = Integer.getInteger("benchmark.runs", 3);
        GnuPG admin = new GnuPG(work.resolve("admin-gnupg"));
        EssaimInstance essaim = EssaimInstance.start(work.resolve("data"), Map.of("essaim.backup.schedule", "-"));
        try {
            essaim.publishKey(EssaimInstance.ADMIN, admin.generateKey(EssaimInstance.ADMIN));
            essaim.bean(MailServerBridge.class).createAccount(USER, "a long enough test password");
            TestKeys.KeyPair key = TestKeys.generate(USER);
            essaim.publishKey(USER, key.publicKey());
            long fill = System.nanoTime();
            MailboxTransfer transfer = essaim.bean(MailboxTransfer.class);
            PgpMimeEncryptor encryptor = new PgpMimeEncryptor();
            String body = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. ".repeat(40);
            for (int i = 0; i < messages; i++) {
                byte[] clear = ("From: <friend" + (i % 50) + "@example.org>\r\nTo: <" + USER + ">\r\nSubject: message " + i
                        + "\r\nMessage-ID: <" + i + ".bench@example.org>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n\r\n"
                        + body + i + "\r\n").getBytes(StandardCharsets.UTF_8);
                transfer.append(USER, i % 10 == 0 ? "Archive" : "INBOX", encryptor.encrypt(clear, key.publicKey()),
                        i % 3 == 0 ? Set.of("\\Seen") : Set.of(), new Date());
            }
            System.out.printf("BENCHMARK backup: filled %d messages in %.1f s; data directory %s%n", messages,
                    (System.nanoTime() - fill) / 1e9, human(size(essaim.dataDir())));
            Backups backups = essaim.bean(Backups.class);
            BackupRecord record = null;
            for (int run = 1; run <= runs; run++) {
                long begin = System.nanoTime();
                record = backups.backUp();
                System.out.printf("BENCHMARK backup run %d: %.1f s in all, mail acceptance paused %.3f s, file %s "
                                + "(restore test included: %d messages)%n", run, (System.nanoTime() - begin) / 1e9,
                        record.pauseSeconds(), human(record.size()), record.restoreTest().messages());
            }
            Path file = essaim.dataDir().resolve("backups").resolve(record.file());
            for (int run = 1; run <= runs; run++) {
                Path restored = work.resolve("restored-" + run);
                long begin = System.nanoTime();
                BackupAndRestoreTest.Output output = BackupAndRestoreTest.backupCommand("restore", file.toString(),
                        "--to", restored.toString(), "--gnupg-home", work.resolve("admin-gnupg").toString());
                System.out.printf("BENCHMARK restore run %d: %.1f s (gpg decrypt + unpack + check of every message), "
                        + "status %d, restored directory %s%n", run, (System.nanoTime() - begin) / 1e9, output.status(),
                        human(size(restored)));
            }
            essaim.stop();
            long start = System.nanoTime();
            try (ChildEssaim restoredServer = ChildEssaim.start(work.resolve("restored-1"), Map.of("essaim.backup.schedule", "-"))) {
                // SEARCH reads the store (no index to rebuild); queued mail, if any, is re-enqueued at this start
                System.out.printf("BENCHMARK first start on the restored directory: ready in %.1f s%n",
                        (System.nanoTime() - start) / 1e9);
                restoredServer.awaitLine(line -> true, 0, Duration.ofSeconds(1));
            }
            System.out.println("BENCHMARK load: " + Files.readString(Path.of("/proc/loadavg")).trim());
        } finally {
            essaim.close();
            admin.close();
        }
    }

    private static long size(Path directory) throws IOException {
        try (Stream<Path> files = Files.walk(directory)) {
            return files.filter(Files::isRegularFile).mapToLong(file -> file.toFile().length()).sum();
        }
    }

    private static String human(long bytes) {
        return String.format("%.1f MB", bytes / 1e6);
    }
}
