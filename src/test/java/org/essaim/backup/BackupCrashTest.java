package org.essaim.backup;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.search.FromStringTerm;
import jakarta.mail.search.NotTerm;

import org.essaim.support.EssaimInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.GnuPG;
import org.essaim.support.MailClients;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server killed (SIGKILL) in the middle of a backup, at several stages: while mail acceptance is paused and the
 * databases are copied, during the restore test (plaintext staging on disk), while encrypting (a partial file).
 * Each time the earlier backups still verify with the admin's key, the server starts again with no leftover of the
 * killed run, accepts mail (no pause survives a crash), keeps every message, and backs up again.
 */
class BackupCrashTest {
    private static final Pattern STAGE = Pattern.compile("Backup (\\S+Z): (.*)");
    private static final int BIG_MESSAGES = 3;

    @TempDir
    Path work;

    @Test
    void aBackupKilledAtAnyStageLeavesThePreviousBackupsRestorableAndTheServerRestartsClean() throws Exception {
        GnuPG admin = new GnuPG(work.resolve("admin-gnupg"));
        Path backups = work.resolve("data/backups");
        try (ChildEssaim essaim = ChildEssaim.start(work.resolve("data"),
                Map.of("essaim.backup.schedule", "*/2 * * * * *"))) {
            publishKey(essaim, admin.generateKey(EssaimInstance.ADMIN));
            // a few large messages, so that each stage of a backup lasts long enough to be interrupted
            String large = "x".repeat(76).concat("\r\n").repeat(40_000);
            for (int i = 0; i < BIG_MESSAGES; i++) {
                deliver(essaim, "large " + i, large);
            }
            int delivered = BIG_MESSAGES;
            essaim.awaitLine(line -> line.contains("restore test passed"), Duration.ofMinutes(3));

            for (String stage : List.of("mail acceptance paused", "restore test", "encrypting")) {
                int from = essaim.linesSoFar();
                int at = essaim.awaitLine(line -> STAGE.matcher(line).find() && line.endsWith(": " + stage), from,
                        Duration.ofMinutes(3));
                essaim.kill();
                Instant killedRun = startedOf(essaim.output().get(at));

                List<BackupDirectory.Listed> finished = BackupDirectory.list(backups);
                assertThat(finished).as("finished backups after a kill at '%s'", stage).isNotEmpty()
                        .allSatisfy(backup -> assertThat(backup.record()).isPresent());
                BackupAndRestoreTest.Output verify = BackupAndRestoreTest.backupCommand("verify",
                        finished.get(0).file().toString(), "--gnupg-home", work.resolve("admin-gnupg").toString());
                assertThat(verify.status()).as(verify.text()).isZero();

                int restartedAt = essaim.linesSoFar();
                essaim.restart();
                assertThat(backups.resolve(BackupDirectory.STAGING_PREFIX + killedRun.toEpochMilli()))
                        .as("the killed run's plaintext staging").doesNotExist();
                assertThat(backups.resolve(BackupRecord.fileName(killedRun) + BackupDirectory.PARTIAL_SUFFIX)).doesNotExist();
                deliver(essaim, "after " + stage, "hello");
                delivered++;
                assertThat(essaim.output().subList(restartedAt, essaim.linesSoFar())).as("no backup failed after the restart")
                        .noneMatch(line -> line.contains("Backup failed"));
                assertThat(inboxCount(essaim, delivered)).isEqualTo(delivered);
            }
            int from = essaim.linesSoFar();
            essaim.awaitLine(line -> line.contains("restore test passed"), from, Duration.ofMinutes(3));
        } finally {
            admin.close();
        }
        try (var files = Files.list(backups)) {
            assertThat(files.map(file -> file.getFileName().toString()))
                    .noneMatch(name -> name.endsWith(BackupDirectory.PARTIAL_SUFFIX) && !name.startsWith("last-run"));
        }
    }

    /** Delivers to the admin, trying again while a backup pauses acceptance (451 4.3.2, as a real sender would). */
    private static void deliver(ChildEssaim essaim, String subject, String body) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
                // 3 MB messages, checked and encrypted by a small-heap server that backs up every 2 s: on a loaded
                // machine the end of DATA can take longer than LineClient's 15 s
                smtp.socket().setSoTimeout(120_000);
                smtp.readSmtpReply();
                smtp.smtp("EHLO sender.example");
                String reply = smtp.smtp("MAIL FROM:<friend@example.org>");
                if (reply.startsWith("250")) {
                    assertThat(smtp.smtp("RCPT TO:<" + EssaimInstance.ADMIN + ">")).startsWith("250");
                    assertThat(smtp.smtp("DATA")).startsWith("354");
                    smtp.send("From: <friend@example.org>");
                    smtp.send("Subject: " + subject);
                    smtp.send("");
                    smtp.send(body);
                    reply = smtp.smtp(".");
                    smtp.smtp("QUIT");
                    if (reply.startsWith("250")) {
                        return;
                    }
                }
                assertThat(reply).startsWith("451 4.3.2");
            }
            assertThat(attempt).as("attempts").isLessThan(120);
            Thread.sleep(500);
        }
    }

    private static Instant startedOf(String line) {
        Matcher matcher = STAGE.matcher(line);
        assertThat(matcher.find()).isTrue();
        return Instant.parse(matcher.group(1));
    }

    private static void publishKey(ChildEssaim essaim, byte[] key) throws Exception {
        String basic = Base64.getEncoder().encodeToString((EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> published = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(essaim.baseUrl() + "/api/keys/me"))
                .header("Authorization", "Basic " + basic)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(key)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
    }

    /** The INBOX's message count once it reached {@code expected} (or after 30 s). */
    private static int inboxCount(ChildEssaim essaim, int expected) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            Store store = MailClients.imaps(essaim.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD);
            int count;
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                // the test's mail, not the notices of the backups that ran before the admin's key was published
                count = inbox.search(new NotTerm(new FromStringTerm("postmaster@"))).length;
                inbox.close(false);
            } finally {
                store.close();
            }
            if (count >= expected || System.currentTimeMillis() > deadline) {
                return count;
            }
            Thread.sleep(200);
        }
    }
}
