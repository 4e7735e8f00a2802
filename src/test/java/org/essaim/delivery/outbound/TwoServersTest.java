package org.essaim.delivery.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.essaim.dkim.DkimKey;
import org.essaim.dkim.DkimKeys;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.GnuPG;
import org.essaim.support.TestCa;
import org.essaim.support.TestDns;
import org.essaim.support.TinySmtpServer;
import org.essaim.support.TrustAllTls;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.Type;

/**
 * Two Essaim servers talking over SMTP as strangers on the internet would: A (domain a.test) on one loopback
 * address, B (b.test) on another, each with its MX on port 25, and a real DNS server on a third address answering
 * for both zones (MX, A, SPF, DKIM, DMARC p=reject). Users write with swaks over submission; what arrives is read
 * over IMAPS and decrypted with GnuPG; reports are parsed with Python's email package. One pair of servers serves
 * every case (each start costs seconds of everyone's suite), in an order that leaves B running where needed.
 * <p>
 * Its own instances: two servers with their own domains and addresses (A in a JVM of its own, ChildEssaim).
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoServersTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String ALICE = "alice@a.test";
    private static final String BOB = "bob@b.test";

    @TempDir
    static Path temp;

    static String net;
    static TestDns dns;
    static ChildEssaim a;
    static EssaimInstance b;
    static GnuPG aliceGpg;
    static GnuPG bobGpg;
    static TestCa ca;
    static PolicyServer policyServer;
    static WkdServer wkd;
    static TinySmtpServer tiny;

    @BeforeAll
    static void twoServersAndTheirDns() throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        net = "127." + random.nextInt(20, 250) + "." + random.nextInt(1, 250) + ".";
        dns = TestDns.on(net + "53");
        zone("a.test", net + "2");
        zone("b.test", net + "3");
        // c.test: "some other mail server" (TinySmtpServer) for the MTA-STS cases; no SPF/DMARC needed to send there
        dns.mx("c.test", 10, "mx.c.test").a("mx.c.test", net + "5");
        // d.test: a domain whose mail server is down (nothing listens on its address): mail for it waits in A's queue
        dns.mx("d.test", 10, "mx.d.test").a("mx.d.test", net + "7");
        // MTA-STS policy hosts: one HTTPS server (port 443, as RFC 8461 fixes it) with certificates of a test CA
        dns.a("mta-sts.b.test", net + "4").a("mta-sts.c.test", net + "4");
        ca = TestCa.create("Essaim test CA");
        Path caFile = temp.resolve("test-ca.pem");
        ca.writeCertificate(caFile);
        policyServer = PolicyServer.on(net + "4", ca.issue("mta-sts.b.test", "mta-sts.c.test").serverContext());
        Path bChain = temp.resolve("b-chain.pem");
        Path bKey = temp.resolve("b-key.pem");
        ca.issue("mx.b.test").writePem(bChain, bKey);
        wkd = WkdServer.on(net + "6");

        // A in a JVM of its own (James' queue broker has one fixed name per JVM; and A must be killable)
        Map<String, Object> aProperties = properties("a", net + "2");
        aProperties.put("essaim.mta-sts.ca-file", caFile.toString());
        aProperties.put("essaim.wkd.base-url", wkd.baseUrl());
        Path aData = Files.createDirectories(temp.resolve("a"));
        // both servers start at once (A's JVM while B starts in this one): half the waiting
        java.util.concurrent.CompletableFuture<ChildEssaim> aStarted =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> ChildEssaim.start(aData, aProperties));
        Map<String, Object> bProperties = properties("b", net + "3");
        bProperties.put("essaim.tls.certificate", bChain.toString());
        bProperties.put("essaim.tls.private-key", bKey.toString());
        try {
            b = EssaimInstance.start(Files.createDirectories(temp.resolve("b")), bProperties);
        } finally {
            a = aStarted.join();
        }
        for (String[] record : a.dkimRecords("a.test")) {
            dns.txt(record[0], record[1]);
        }
        for (DkimKey key : b.bean(DkimKeys.class).keys("b.test")) {
            dns.txt(key.recordName(), key.recordValue());
        }
        aliceGpg = new GnuPG(temp.resolve("gpg-alice"));
        bobGpg = new GnuPG(temp.resolve("gpg-bob"));
        a.createAccount(ALICE, PASSWORD);
        a.publishKey(ALICE, aliceGpg.generateKey(ALICE));
        b.bean(MailServerBridge.class).createAccount(BOB, PASSWORD);
        b.publishKey(BOB, bobGpg.generateKey(BOB));
    }

    /** The names of the messages A's queue lists now. */
    private static java.util.Set<String> waitingNames() {
        return a.waitingMail().stream().map(line -> line[0]).collect(java.util.stream.Collectors.toSet());
    }

    /**
     * Waits (up to 2 minutes) until A's queue lists {@code messages} messages that were not among {@code before}, each
     * tried at least {@code attempts} times: the retries a fixed sleep used to hope for, counted instead.
     */
    private static void awaitWaiting(java.util.Set<String> before, int messages, int attempts) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 120_000;
        List<String[]> ours = List.of();
        while (System.currentTimeMillis() < deadline) {
            ours = a.waitingMail().stream().filter(line -> !before.contains(line[0])).toList();
            if (ours.size() >= messages && ours.stream().allMatch(line -> Integer.parseInt(line[3]) >= attempts)) {
                return;
            }
            Thread.sleep(200);
        }
        assertThat(ours).as("new messages in A's queue after 2 minutes, each tried %d times", attempts)
                .hasSizeGreaterThanOrEqualTo(messages)
                .allSatisfy(line -> assertThat(Integer.parseInt(line[3])).isGreaterThanOrEqualTo(attempts));
    }

    /**
     * The admin's "retry now" for the one message in A's queue that was not among {@code before}: tried again at once
     * instead of at the next timed retry (about 10 s apart here). Does nothing once it no longer waits (a timed retry
     * may have taken it first); tries again while it is being tried right now.
     */
    private static void retryNow(java.util.Set<String> before) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            List<String> ours = a.waitingMail().stream().map(line -> line[0]).filter(name -> !before.contains(name)).toList();
            if (ours.isEmpty() && i > 20 || ours.size() == 1 && a.retryWaitingMail(ours.get(0))) {
                return;
            }
            Thread.sleep(100);
        }
        org.assertj.core.api.Assertions.fail("A's new waiting message could not be retried now in 10 s: %s",
                a.waitingMail().stream().map(line -> String.join(" ", line)).toList());
    }

    /** A's queue size (spool and outgoing, messages being tried included) once at most {@code count}, or after a minute. */
    private static long awaitQueuedAtMost(long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        long queued = a.queueSize();
        while (queued > count && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
            queued = a.queueSize();
        }
        return queued;
    }

    private static void zone(String domain, String address) {
        dns.mx(domain, 10, "mx." + domain).a("mx." + domain, address)
                .txt(domain, "v=spf1 ip4:" + address + " -all")
                .txt("_dmarc." + domain, "v=DMARC1; p=reject; rua=mailto:postmaster@" + domain);
    }

    private static Map<String, Object> properties(String name, String address) {
        return new java.util.HashMap<>(Map.of(
                "essaim.domain", name + ".test",
                "essaim.hostname", "mx." + name + ".test",
                "essaim.bind-address", address,
                "server.address", address,
                "essaim.smtp.port", 25,
                "essaim.bootstrap.admin-email", "admin@" + name + ".test",
                "essaim.dns.servers", dns.address(),
                "essaim.delivery.first-retry", "2s",
                "essaim.delivery.max-retry-interval", "3s",
                "essaim.delivery.max-days", "1"));
    }

    @AfterAll
    static void stop() {
        for (AutoCloseable each : new AutoCloseable[] {a, b, dns, policyServer, wkd, tiny}) {
            try {
                if (each != null) {
                    each.close();
                }
            } catch (Exception e) {
                // stopping anyway
            }
        }
        if (aliceGpg != null) {
            aliceGpg.close();
            bobGpg.close();
        }
    }

    @Test
    @Order(1)
    void mailFromAToBArrivesWithPassingSpfDkimAndDmarcInsideTheCiphertext() throws Exception {
        String marker = "hello-" + UUID.randomUUID();
        String reply = submit(a, ALICE, ALICE, BOB, "Hello Bob", marker);
        assertThat(reply).contains("250");

        MimeMessage stored = awaitMessageWith(b, BOB, marker, bobGpg);
        assertThat(stored.getHeader("Essaim-Encrypted-On-Arrival")).as("marked as encrypted by B, not by Alice").isNotNull();
        assertThat(stored.getHeader("Authentication-Results")).as("the verdict is inside the ciphertext only").isNull();
        String decrypted = new String(bobGpg.decrypt(encryptedPart(stored)), StandardCharsets.UTF_8);
        assertThat(decrypted).contains(marker);
        String results = headerBlock(decrypted, "Authentication-Results");
        assertThat(results).startsWith("mx.b.test;").contains("spf=pass").contains("dkim=pass header.d=a.test")
                .contains("dmarc=pass");
        assertThat(decrypted).contains("DKIM-Signature:");
    }

    @Test
    @Order(2)
    void mailForgingAsDomainWithoutItsSignatureIsRefusedUnderPReject() throws Exception {
        String transcript = swaks("--server", net + "3:25", "--helo", "forger.example", "--from", "mallory@a.test",
                "--to", BOB, "--header", "From: Alice <" + ALICE + ">", "--header", "Subject: Trust me",
                "--body", "forged " + UUID.randomUUID());
        assertThat(transcript).containsPattern("<[~*-]+ +550 5\\.7\\.1 .*DMARC")
                .as("every language, English first").contains(" / Refuse : la politique DMARC de a.test");
    }

    @Test
    @Order(3)
    void submissionWithSomeoneElsesFromIsRefusedNamingTheAllowedAddresses() throws Exception {
        String transcript = submit(a, ALICE, "carol@a.test", BOB, "Not me", "x");
        assertThat(transcript).containsPattern("<[~*-]+ +550 5\\.7\\.1 .*From: .*" + ALICE)
                .contains(" / L'en-tete From: doit etre votre propre adresse : " + ALICE);
    }

    @Test
    @Order(4)
    void aPermanentRefusalComesBackAsAnRfc3464ReportThatPythonParses() throws Exception {
        String marker = "refused-" + UUID.randomUUID();
        assertThat(submit(a, ALICE, ALICE, "nobody@b.test", "To nobody", marker)).contains("250");

        MimeMessage report = awaitMessageWith(a, ALICE, "nobody@b.test", aliceGpg);
        byte[] plain = decryptedOrSame(report, aliceGpg);
        String parsed = python("""
                import sys, email, email.header
                m = email.message_from_bytes(sys.stdin.buffer.read())
                print("type", m.get_content_type(), m.get_param("report-type"))
                print("subject", ascii(str(email.header.make_header(email.header.decode_header(m["Subject"])))))
                for part in m.walk():
                    if part.get_content_type() == "message/delivery-status":
                        blocks = part.get_payload()
                        print("reporting", blocks[0]["Reporting-MTA"])
                        for b in blocks[1:]:
                            print("status", b["Status"], "action", b["Action"], "rcpt", b["Final-Recipient"])
                            print("diagnostic", b["Diagnostic-Code"])
                """, innerMessage(plain));
        assertThat(parsed).contains("type multipart/report delivery-status")
                .as("Alice chose no language: the subject in every language, English first")
                .contains("Undelivered Mail Returned to Sender / Message non remis, retourn\\xe9")
                .contains("reporting dns; mx.a.test")
                .containsPattern("status 5\\.\\d{1,3}\\.\\d{1,3} action failed rcpt rfc822; nobody@b.test")
                .containsPattern("diagnostic smtp; 550");
    }

    /**
     * Issue 17: a list on B with a member on A. Alice's domain publishes p=reject, so a copy that kept her From but
     * left from B would fail DMARC; the list rewrites From to itself (Reply-To: Alice) and B signs it with b.test's
     * key: A's arrival checks pass it.
     */
    @Test
    @Order(4)
    void aListPostFromAPRejectDomainArrivesWithFromRewrittenAndTheListDomainsValidSignature() throws Exception {
        String list = "friends@b.test";
        org.essaim.lists.ListService lists = b.bean(org.essaim.lists.ListService.class);
        lists.create(new org.essaim.lists.MailingList(list, "Friends of B", List.of(),
                org.essaim.lists.MailingList.Posting.ANYONE, org.essaim.lists.MailingList.Archive.NONE, "[friends]",
                org.essaim.lists.MailingList.Kind.ORDINARY));
        lists.addMember(list, ALICE);
        String marker = "list-" + UUID.randomUUID();
        assertThat(submit(a, ALICE, ALICE, list, "Through the list", marker)).contains("250");

        MimeMessage stored = awaitMessageWith(a, ALICE, marker, aliceGpg);
        String decrypted = new String(decryptedOrSame(stored, aliceGpg), StandardCharsets.UTF_8);
        assertThat(headerBlock(decrypted, "Authentication-Results")).contains("dkim=pass header.d=b.test")
                .contains("dmarc=pass");
        assertThat(headerBlock(decrypted, "From")).contains("<" + list + ">").doesNotContain("<" + ALICE + ">");
        assertThat(headerBlock(decrypted, "Reply-To")).contains(ALICE);
        assertThat(decrypted).contains("List-Id: \"Friends of B\" <friends.b.test>", "Subject: [friends] Through the list");
    }

    @Test
    @Order(5)
    void whileBIsDownAKeepsTheMessageAndDeliversItExactlyOnceWhenBIsBack() throws Exception {
        b.stop();
        java.util.Set<String> waitingBefore = waitingNames();
        long queuedBefore = a.queueSize();
        String marker = "patient-" + UUID.randomUUID();
        assertThat(submit(a, ALICE, ALICE, BOB, "Wait for me", marker)).contains("250");
        String doomed = "doomed-" + UUID.randomUUID();
        assertThat(submit(a, ALICE, ALICE, BOB, "Delete me", doomed)).contains("250");
        awaitWaiting(waitingBefore, 2, 1); // both tried at least once (retries come about 10 s apart here)
        assertThat(a.queueSize()).as("waiting in A's queue").isGreaterThanOrEqualTo(2);

        // the admin view's list (oldest first): metadata only, no subject, no recipient address; retries counted
        List<String[]> waiting = a.waitingMail();
        for (int i = 0; i < 20 && waiting.size() < 2; i++) { // a message being tried right now is not listed
            Thread.sleep(100);
            waiting = a.waitingMail();
        }
        assertThat(waiting).hasSizeGreaterThanOrEqualTo(2);
        List<String[]> ours = waiting.subList(waiting.size() - 2, waiting.size());
        assertThat(ours).allSatisfy(line -> {
            assertThat(line[1]).isEqualTo(ALICE);
            assertThat(line[2]).isEqualTo("b.test");
            assertThat(Integer.parseInt(line[3])).as("attempts").isPositive();
            assertThat(String.join(" ", line)).doesNotContain("Wait for me", "Delete me", BOB);
        });
        String patient = ours.get(0)[0];
        String newest = ours.get(1)[0];
        a.deleteWaitingMail("admin@a.test", newest); // the signed admin action queue.delete, as carried out
        assertThat(a.waitingMail()).extracting(line -> line[0]).doesNotContain(newest);
        assertThat(a.retryWaitingMail(newest)).as("deleted: nothing to retry").isFalse();
        boolean retried = a.retryWaitingMail(patient);
        for (int i = 0; i < 20 && !retried; i++) { // unless it is being tried right now
            Thread.sleep(100);
            retried = a.retryWaitingMail(patient);
        }
        assertThat(retried).as("retry now").isTrue(); // tried at once, B still down: it waits again

        b.restart();
        retryNow(waitingBefore); // B is back: the admin's retry now, not the next timed retry (up to 10 s away)
        awaitMessageWith(b, BOB, marker, bobGpg);
        // no second copy: once A's queues (waiting and being tried) hold no more than before this case, A has nothing
        // left that could bring one (what sleeping through more retry rounds hoped to show, made certain)
        assertThat(awaitQueuedAtMost(queuedBefore)).as("A's queues after the delivery").isLessThanOrEqualTo(queuedBefore);
        assertThat(countMessagesWith(b, BOB, marker, bobGpg)).isEqualTo(1);
        assertThat(countMessagesWith(b, BOB, doomed, bobGpg)).as("deleted from the queue by the admin").isZero();
    }

    @Test
    @Order(6)
    void plaintextWaitingForAnotherServerIsNowhereOnDiskAndComesBackAfterAKill() throws Exception {
        String dan = "dan@d.test"; // d.test's mail server is down (B stays up: stopping and restarting it cost seconds)
        java.util.Set<String> waitingBefore = waitingNames();
        String canary = "canary-" + UUID.randomUUID();
        assertThat(submit(a, ALICE, ALICE, dan, "Canary " + canary, "the canary says " + canary)).contains("250");
        awaitWaiting(waitingBefore, 1, 1); // queued, tried, waiting for a retry
        assertThat(a.queueSize()).isGreaterThanOrEqualTo(1);
        assertThat(filesContaining(a.dataDir(), canary)).as("readable copies under A's data directory").isEmpty();

        a.kill();
        assertThat(filesContaining(a.dataDir(), canary)).as("after SIGKILL").isEmpty();
        a.restart();

        MimeMessage report = awaitMessageWith(a, ALICE, "send it again", aliceGpg);
        assertThat(report.isMimeType("multipart/encrypted")).as("the report reaches Alice encrypted").isTrue();
        String parsed = python("""
                import sys, email
                m = email.message_from_bytes(sys.stdin.buffer.read())
                for part in m.walk():
                    if part.get_content_type() == "message/delivery-status":
                        for b in part.get_payload()[1:]:
                            print("status", b["Status"], "action", b["Action"], "rcpt", b["Final-Recipient"])
                """, decryptedOrSame(report, aliceGpg));
        assertThat(parsed).containsPattern("status \\d\\.\\d+\\.\\d+ action failed rcpt rfc822; " + dan);
    }

    @Test
    @Order(7)
    void underAnEnforcedMtaStsPolicyMailGoesOnlyToAListedMxOverValidatedTls() throws Exception {
        policyServer.serve("mta-sts.b.test", policy("enforce", "mx9.b.test"));
        dns.txt("_mta-sts.b.test", "v=STSv1; id=first;");
        String marker = "sts-" + UUID.randomUUID();
        java.util.Set<String> waitingBefore = waitingNames();
        assertThat(submit(a, ALICE, ALICE, BOB, "Under a policy", marker)).contains("250");
        awaitWaiting(waitingBefore, 1, 2); // tried, then retried when due: refused both times
        assertThat(countMessagesWith(b, BOB, marker, bobGpg)).as("B's MX is not listed: the mail waits").isZero();
        assertThat(a.queueSize()).isGreaterThanOrEqualTo(1);

        // the domain lists its MX in a new policy (new id): the cached one is replaced and the mail goes, over TLS
        policyServer.serve("mta-sts.b.test", policy("enforce", "mx.b.test"));
        dns.remove("_mta-sts.b.test", Type.TXT).txt("_mta-sts.b.test", "v=STSv1; id=second;");
        retryNow(waitingBefore);
        MimeMessage stored = awaitMessageWith(b, BOB, marker, bobGpg);
        assertThat(String.join("\n", stored.getHeader("Received"))).contains("with ESMTPS");
        assertThat(countMessagesWith(b, BOB, marker, bobGpg)).isEqualTo(1);
    }

    @Test
    @Order(8)
    void aCertificateNotNamingTheMxMakesMailWaitUnderEnforceAndIsOnlyReportedUnderTesting() throws Exception {
        // mx.c.test presents a certificate of a trusted CA, but for another name
        tiny = TinySmtpServer.on(net + "5", 25, ca.issue("other.c.test").serverContext());
        policyServer.serve("mta-sts.c.test", policy("enforce", "mx.c.test"));
        dns.txt("_mta-sts.c.test", "v=STSv1; id=c1;");
        String marker = "wrong-name-" + UUID.randomUUID();
        java.util.Set<String> waitingBefore = waitingNames();
        assertThat(submit(a, ALICE, ALICE, "carol@c.test", "Careful", marker)).contains("250");
        awaitWaiting(waitingBefore, 1, 1);
        retryNow(waitingBefore); // the timed retry is the previous case's
        awaitWaiting(waitingBefore, 1, 2); // tried, then retried: sent neither time
        assertThat(tiny.received()).as("never sent to a host whose certificate does not name it").isEmpty();

        policyServer.serve("mta-sts.c.test", policy("testing", "mx.c.test"));
        dns.remove("_mta-sts.c.test", Type.TXT).txt("_mta-sts.c.test", "v=STSv1; id=c2;");
        retryNow(waitingBefore);
        long deadline = System.currentTimeMillis() + 90_000;
        while (tiny.received().stream().noneMatch(r -> r.data().contains(marker)) && System.currentTimeMillis() < deadline) {
            Thread.sleep(500);
        }
        assertThat(tiny.received()).as("testing mode: delivered anyway").anyMatch(r -> r.data().contains(marker));
        assertThat(Files.readString(a.log()))
                .contains("MTA-STS policy of c.test requires TLS with a valid certificate for mx.c.test")
                .contains("policy in testing mode: delivered without it");
    }

    /**
     * Clear mail (a standard client over submission) for a recipient at another domain whose key that domain
     * publishes by WKD leaves A encrypted to that key, signed by A, and says that A (not Alice) encrypted it.
     */
    @Test
    @Order(9)
    void clearMailForARemoteRecipientWithAKeyInWkdLeavesEncryptedToThatKey() throws Exception {
        String dave = "dave@c.test"; // not carol@c.test: A remembers for 10 minutes that WKD had no key for her
        GnuPG daveGpg = new GnuPG(temp.resolve("gpg-dave"));
        try {
            daveGpg.generateKey(dave);
            wkd.publish(daveGpg.run(new byte[0], "--export", dave)); // WKD serves the binary key
            String marker = "wkd-" + UUID.randomUUID();
            assertThat(submit(a, ALICE, ALICE, dave, "Found by WKD", marker)).contains("250");

            long deadline = System.currentTimeMillis() + 90_000;
            java.util.Optional<TinySmtpServer.Received> sent = java.util.Optional.empty();
            while (sent.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(500);
                sent = tiny.received().stream().filter(r -> r.data().contains("Essaim-Encrypted-By-Sending-Server")).findFirst();
            }
            assertThat(sent).as("delivered to c.test's MX").isPresent();
            String data = sent.get().data();
            assertThat(data).doesNotContain(marker).doesNotContain("Found by WKD")
                    .contains("Essaim-Encrypted-By-Sending-Server: mx.a.test").contains("multipart/encrypted")
                    .contains("DKIM-Signature:").contains("d=a.test");
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new java.io.ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
            String decrypted = new String(daveGpg.decrypt(encryptedPart(message)), StandardCharsets.UTF_8);
            assertThat(decrypted).contains(marker).contains("Subject: Found by WKD");
        } finally {
            wkd.publish(null);
            daveGpg.close();
        }
    }

    private static String policy(String mode, String... mx) {
        StringBuilder text = new StringBuilder("version: STSv1\r\nmode: " + mode + "\r\n");
        for (String host : mx) {
            text.append("mx: ").append(host).append("\r\n");
        }
        return text.append("max_age: 86400\r\n").toString();
    }

    /** The HTTPS server of the MTA-STS policy hosts (mta-sts.&lt;domain&gt;, port 443), with the test CA's certificate. */
    static final class PolicyServer implements AutoCloseable {
        private final com.sun.net.httpserver.HttpsServer server;
        private final Map<String, String> policies = new java.util.concurrent.ConcurrentHashMap<>();

        private PolicyServer(com.sun.net.httpserver.HttpsServer server) {
            this.server = server;
        }

        static PolicyServer on(String address, javax.net.ssl.SSLContext tls) throws Exception {
            var server = com.sun.net.httpserver.HttpsServer.create(new java.net.InetSocketAddress(address, 443), 0);
            server.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(tls));
            PolicyServer policyServer = new PolicyServer(server);
            server.createContext("/.well-known/mta-sts.txt", exchange -> {
                String host = exchange.getRequestHeaders().getFirst("Host").replaceAll(":\\d+$", "");
                String policy = policyServer.policies.get(host);
                byte[] body = (policy == null ? "" : policy).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/plain");
                exchange.sendResponseHeaders(policy == null ? 404 : 200, body.length == 0 ? -1 : body.length);
                exchange.getResponseBody().write(body);
                exchange.close();
            });
            server.start();
            return policyServer;
        }

        void serve(String host, String policy) {
            policies.put(host, policy);
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    /** A Web Key Directory answering every query with one key (or 404 before one is set). */
    static final class WkdServer implements AutoCloseable {
        private final com.sun.net.httpserver.HttpServer server;
        private volatile byte[] key;

        private WkdServer(com.sun.net.httpserver.HttpServer server) {
            this.server = server;
        }

        static WkdServer on(String address) throws Exception {
            var server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(address, 0), 0);
            WkdServer wkd = new WkdServer(server);
            server.createContext("/", exchange -> {
                byte[] body = wkd.key;
                exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
                if (body != null) {
                    exchange.getResponseBody().write(body);
                }
                exchange.close();
            });
            server.start();
            return wkd;
        }

        String baseUrl() {
            return "http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort();
        }

        void publish(byte[] certificate) {
            key = certificate;
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private static List<Path> filesContaining(Path root, String text) throws Exception {
        byte[] needle = text.getBytes(StandardCharsets.UTF_8);
        List<Path> found = new ArrayList<>();
        try (var files = Files.walk(root)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                byte[] bytes;
                try {
                    bytes = Files.readAllBytes(file);
                } catch (java.io.IOException e) {
                    continue; // vanished meanwhile
                }
                if (indexOf(bytes, needle) >= 0) {
                    found.add(file);
                }
            }
        }
        return found;
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    // --- helpers ---

    private static String submit(Object server, String user, String from, String to, String subject, String body)
            throws Exception {
        String host = server == a ? net + "2" : net + "3";
        int port = server == a ? a.submissionPort() : b.submissionPort();
        return swaks("--server", host + ":" + port, "--tls", "--auth", "PLAIN",
                "--auth-user", user, "--auth-password", PASSWORD, "--from", user, "--to", to,
                "--header", "From: <" + from + ">", "--header", "Subject: " + subject, "--body", body);
    }

    static String swaks(String... arguments) throws Exception {
        List<String> command = new ArrayList<>(List.of("swaks", "--timeout", "60"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] output = process.getInputStream().readAllBytes();
        process.waitFor(90, TimeUnit.SECONDS);
        return new String(output, StandardCharsets.UTF_8);
    }

    static String python(String script, byte[] input) throws Exception {
        Process process = new ProcessBuilder("python3", "-c", script.stripIndent()).redirectErrorStream(true).start();
        try (var stdin = process.getOutputStream()) {
            stdin.write(input);
        }
        byte[] output = process.getInputStream().readAllBytes();
        process.waitFor(30, TimeUnit.SECONDS);
        return new String(output, StandardCharsets.UTF_8);
    }

    static Store imaps(Object server, String user) throws Exception {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", TrustAllTls.socketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        props.put("mail.imaps.connectiontimeout", "10000");
        props.put("mail.imaps.timeout", "15000");
        Store store = Session.getInstance(props).getStore("imaps");
        store.connect(server == a ? net + "2" : net + "3", server == a ? a.imapsPort() : b.imapsPort(), user, PASSWORD);
        return store;
    }

    /** Waits (up to 90 s) for a message in INBOX or Spam whose decrypted (or clear) text contains the marker. */
    static MimeMessage awaitMessageWith(Object server, String user, String marker, GnuPG gpg) throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (System.currentTimeMillis() < deadline) {
            List<MimeMessage> messages;
            try {
                messages = inbox(server, user);
            } catch (jakarta.mail.MessagingException e) {
                // "BAD FETCH failed. Invalid messageset": a message left the folder between SELECT and FETCH (moved
                // to Spam, or re-stored encrypted by the sweep); the next look sees the folder as it is now
                Thread.sleep(500);
                continue;
            }
            for (MimeMessage message : messages) {
                if (textOf(message, gpg).contains(marker)) {
                    return message;
                }
            }
            Thread.sleep(500);
        }
        throw new AssertionError("No message with " + marker + " for " + user);
    }

    static int countMessagesWith(Object server, String user, String marker, GnuPG gpg) throws Exception {
        int count = 0;
        for (MimeMessage message : inbox(server, user)) {
            if (textOf(message, gpg).contains(marker)) {
                count++;
            }
        }
        return count;
    }

    private static List<MimeMessage> inbox(Object server, String user) throws Exception {
        List<MimeMessage> messages = new ArrayList<>();
        Store store = imaps(server, user);
        try {
            for (String name : List.of("INBOX", "Spam")) { // where the spam filter files it is not the point here
                Folder folder = store.getFolder(name);
                if (!folder.exists()) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                for (Message message : folder.getMessages()) {
                    messages.add(new MimeMessage((MimeMessage) message));
                }
                folder.close(false);
            }
        } finally {
            store.close();
        }
        return messages;
    }

    private static String textOf(MimeMessage message, GnuPG gpg) throws Exception {
        byte[] raw = raw(message);
        if (gpg != null && message.isMimeType("multipart/encrypted")) {
            raw = gpg.decrypt(encryptedPart(message));
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    static byte[] decryptedOrSame(MimeMessage message, GnuPG gpg) throws Exception {
        return message.isMimeType("multipart/encrypted") ? gpg.decrypt(encryptedPart(message)) : raw(message);
    }

    /** The decrypted payload of a message encrypted on arrival is the whole original message. */
    static byte[] innerMessage(byte[] decrypted) {
        return decrypted;
    }

    static byte[] encryptedPart(MimeMessage message) throws Exception {
        MimeMultipart parts = (MimeMultipart) message.getContent();
        return parts.getBodyPart(1).getInputStream().readAllBytes();
    }

    static byte[] raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

    /** One header field (unfolded) from a message's text. */
    static String headerBlock(String message, String name) {
        String headers = message.split("\r?\n\r?\n", 2)[0];
        StringBuilder value = null;
        for (String line : headers.split("\r?\n")) {
            if (value != null && (line.startsWith(" ") || line.startsWith("\t"))) {
                value.append(' ').append(line.trim());
            } else if (value != null) {
                break;
            } else if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                value = new StringBuilder(line.substring(name.length() + 1).trim());
            }
        }
        return value == null ? "" : value.toString();
    }
}
