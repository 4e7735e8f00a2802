package org.essaim.standby;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

import jakarta.mail.Folder;
import jakarta.mail.Store;

import org.essaim.backup.Backups;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.OwnInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.GnuPG;
import org.essaim.support.ImapSnapshot;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A primary and its standby (backup MX) on loopback, across an outage of the primary: the standby keeps the
 * primary's accounts, aliases and keys, takes the mail while the primary is stopped and stores it only as
 * ciphertext, hands every message over exactly once when the primary is back, restores the primary's backups
 * every night (warm standby), and is promoted with {@code essaim.jar standby promote}, which the log records.
 *
 * <p>Own instance: the primary is stopped and restarted (the outage) and shares a token file with its standby.
 */
@OwnInstance
class StandbyTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String ALICE = "alice.standby@" + EssaimInstance.DOMAIN;
    private static final String BOB = "bob.standby@" + EssaimInstance.DOMAIN;
    private static final String ALIAS = "team.standby@" + EssaimInstance.DOMAIN;
    private static final String CANARY = "canary-" + UUID.randomUUID();
    private static final String TOKEN = "a shared standby secret " + UUID.randomUUID();

    @TempDir
    Path work;

    @Test
    void theStandbyTakesMailWhileThePrimaryIsDownAndHandsEachMessageOverOnceAsCiphertextThenCanBePromoted() throws Exception {
        Path token = Files.writeString(work.resolve("token"), TOKEN);
        GnuPG admin = new GnuPG(work.resolve("admin-gnupg"));
        GnuPG standbyKey = new GnuPG(work.resolve("standby-gnupg"));
        Files.write(work.resolve("standby-key.asc"), standbyKey.generateKey("standby@" + EssaimInstance.DOMAIN));
        EssaimInstance primary = EssaimInstance.unstarted(work.resolve("primary"), Map.of(
                "essaim.standby.token-file", token.toString(),
                "essaim.backup.schedule", "-",
                "essaim.backup.recipients", work.resolve("standby-key.asc").toString()));
        // The standby's JVM starts while the primary starts in this one (its ports are chosen already): the two starts
        // overlap instead of adding up. Until the primary answers, the standby's rounds find it silent: the outage's
        // log lines below are therefore looked for only among the lines printed after the outage begins.
        CompletableFuture<ChildEssaim> standbyStarted = CompletableFuture.supplyAsync(() -> ChildEssaim.start(
                work.resolve("standby"), Map.of(
                        "essaim.role", "standby",
                        "essaim.standby.primary", primary.baseUrl(),
                        "essaim.standby.token-file", token.toString(),
                        "essaim.standby.sync-seconds", "1",
                        "essaim.standby.gnupg-home", work.resolve("standby-gnupg").toString(),
                        "essaim.standby.restore-schedule", "*/3 * * * * *")));
        ChildEssaim standby = null;
        try {
            String primaryUrl = primary.baseUrl();
            try {
                primary.launch();
            } finally {
                standby = standbyStarted.join();
            }
            assertThat(primary.baseUrl()).as("the primary kept the port its standby was given").isEqualTo(primaryUrl);
            primary.publishKey(EssaimInstance.ADMIN, admin.generateKey(EssaimInstance.ADMIN));
            MailServerBridge bridge = primary.bean(MailServerBridge.class);
            bridge.createAccount(ALICE, PASSWORD);
            bridge.createAccount(BOB, PASSWORD);
            String aliceKey = primary.publishGeneratedKey(ALICE);
            String bobKey = primary.publishGeneratedKey(BOB);
            bridge.addAlias(ALIAS, BOB);
            primary.bean(Backups.class).backUp();

            standby.awaitLine(line -> line.contains("Standby in step with the primary: 3 accounts, 1 aliases, 3 keys"),
                    0, Duration.ofMinutes(2));
            standby.awaitLine(line -> line.contains("Warm standby: restored") && line.contains("and checked it"), 0,
                    Duration.ofMinutes(3));

            int outage = standby.linesSoFar();
            primary.stop();
            List<String> ids = new ArrayList<>();
            for (String recipient : List.of(ALICE, ALICE, ALIAS, BOB)) {
                String id = UUID.randomUUID().toString();
                ids.add(id);
                SmtpSender.deliver(standby.smtpPort(), "<friend@example.org>", recipient, id, CANARY + " " + id);
            }
            standby.awaitLine(line -> line.contains("the primary does not answer"), outage, Duration.ofMinutes(1));
            Thread.sleep(3000); // the standby's database writes its pages within a second or so
            assertThat(filesHolding(standby.dataDir(), CANARY)).as("plaintext on the standby's disk").isEmpty();

            int back = standby.linesSoFar();
            primary.restart();
            assertThat(awaitInbox(primary.imapsPort(), ALICE, PASSWORD, 2)).isEqualTo(2);
            assertThat(awaitInbox(primary.imapsPort(), BOB, PASSWORD, 2)).isEqualTo(2);
            standby.awaitLine(line -> line.contains("The primary answers again"), back, Duration.ofMinutes(1));
            // nothing comes twice: the standby deletes each message the primary took, so once it holds none, no later
            // round has anything left to hand over (what waiting several rounds hoped to show, made certain)
            assertThat(awaitHeldByStandby(standby, 0)).as("messages the standby still holds after the hand-over").isZero();
            List<byte[]> alices = ImapSnapshot.bytesOf(primary.imapsPort(), ALICE, PASSWORD);
            List<byte[]> bobs = ImapSnapshot.bytesOf(primary.imapsPort(), BOB, PASSWORD);
            assertThat(alices).hasSize(2);
            assertThat(bobs).hasSize(2);
            List<String> plaintexts = new ArrayList<>();
            for (byte[] stored : alices) {
                assertThat(new String(stored, StandardCharsets.UTF_8)).contains("multipart/encrypted").doesNotContain(CANARY);
                plaintexts.add(new String(TestKeys.decrypt(pgpPart(stored), aliceKey), StandardCharsets.UTF_8));
            }
            for (byte[] stored : bobs) {
                assertThat(new String(stored, StandardCharsets.UTF_8)).contains("multipart/encrypted").doesNotContain(CANARY);
                plaintexts.add(new String(TestKeys.decrypt(pgpPart(stored), bobKey), StandardCharsets.UTF_8));
            }
            for (String id : ids) {
                assertThat(plaintexts.stream().filter(text -> text.contains(CANARY + " " + id))).as(id).hasSize(1);
            }
            // an answer lost on the way: the standby sends the same message again; the primary stores nothing twice
            assertThat(handOver(primary, ALICE, "retried/1", "Subject: again\r\n\r\nbody\r\n")).isEqualTo(201);
            assertThat(handOver(primary, ALICE, "retried/1", "Subject: again\r\n\r\nbody\r\n")).isEqualTo(200);
            assertThat(awaitInbox(primary.imapsPort(), ALICE, PASSWORD, 3)).isEqualTo(3);
            assertThat(handOver(primary, ALICE, "forged", "x")).as("without the token").isEqualTo(401);

            // promotion: the primary is gone for good; one more message reaches the standby meanwhile (for the admin,
            // whose standby account has a password we know, so we see it stored before stopping the standby)
            primary.stop();
            SmtpSender.deliver(standby.smtpPort(), "<friend@example.org>", EssaimInstance.ADMIN, "held at promotion", "held");
            assertThat(awaitInbox(standby.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, 1)).isEqualTo(1);
            standby.stop();
            Path promoted = work.resolve("promoted");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int status = StandbyCommand.run(new String[] {"standby", "promote", "--data-dir", standby.dataDir().toString(),
                    "--to", promoted.toString()}, new PrintStream(out), new PrintStream(out));
            assertThat(status).as(out.toString()).isZero();
            assertThat(out.toString()).contains("warm copy").contains("1 messages the standby held");
            try (ChildEssaim promotedServer = ChildEssaim.start(promoted, Map.of("essaim.backup.schedule", "-"))) {
                promotedServer.awaitLine(line -> line.contains("This server is the promoted standby: 1 held messages stored"),
                        0, Duration.ofMinutes(1));
                assertThat(awaitInbox(promotedServer.imapsPort(), EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, 1))
                        .isEqualTo(1);
                assertThat(ImapSnapshot.bytesOf(promotedServer.imapsPort(), ALICE, PASSWORD))
                        .as("Alice's mail as in the primary's backup").isEmpty();
                assertThat(auditLog(promotedServer)).contains("standby.promoted");
            }
        } finally {
            if (standby != null) {
                standby.close();
            }
            primary.close();
            admin.close();
            standbyKey.close();
        }
    }

    /** The armored OpenPGP message inside a stored PGP/MIME message. */
    private static byte[] pgpPart(byte[] stored) {
        String text = new String(stored, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = text.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length();
        return text.substring(begin, end).getBytes(StandardCharsets.US_ASCII);
    }

    /** How many messages Alice's and Bob's accounts on the standby hold together, once down to {@code count} (or after a minute). */
    private static int awaitHeldByStandby(ChildEssaim standby, int count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            int held = standby.messageCount(ALICE) + standby.messageCount(BOB);
            if (held <= count || System.currentTimeMillis() > deadline) {
                return held;
            }
            Thread.sleep(100);
        }
    }

    /** The INBOX's message count once it reached {@code count} (or after a minute). */
    private static int awaitInbox(int imapsPort, String account, String password, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            Store store = MailClients.imaps(imapsPort, account, password);
            int found;
            try {
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                found = inbox.getMessageCount();
                inbox.close(false);
            } finally {
                store.close();
            }
            if (found >= count || System.currentTimeMillis() > deadline) {
                return found;
            }
            Thread.sleep(250);
        }
    }

    private static int handOver(EssaimInstance primary, String recipient, String id, String message) throws Exception {
        String url = primary.baseUrl() + "/api/standby/deliver?recipient=" + URLEncoder.encode(recipient, StandardCharsets.UTF_8)
                + "&id=" + URLEncoder.encode(id, StandardCharsets.UTF_8) + "&received=" + System.currentTimeMillis();
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
                .POST(HttpRequest.BodyPublishers.ofString(message));
        if (!id.equals("forged")) {
            request.header("Authorization", "Bearer " + TOKEN);
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static String auditLog(ChildEssaim essaim) throws Exception {
        String basic = Base64.getEncoder().encodeToString((EssaimInstance.ADMIN + ":" + EssaimInstance.ADMIN_PASSWORD)
                .getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/audit?limit=1000"))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString()).body();
    }

    static List<Path> filesHolding(Path root, String marker) throws IOException {
        byte[] needle = marker.getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).filter(file -> {
                try {
                    return indexOf(Files.readAllBytes(file), needle) >= 0;
                } catch (IOException e) {
                    return false; // deleted while walking
                }
            }).toList();
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
