package org.essaim.delivery.outbound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;

import org.essaim.dkim.DkimKey;
import org.essaim.dkim.DkimKeys;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.ChildEssaim;
import org.essaim.support.LoggedInSubmissionProxy;
import org.essaim.support.OwnInstance;
import org.essaim.support.TestDns;
import org.essaim.support.TestKeys;
import org.essaim.support.TrustAllTls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound throughput A → B: 1 000 messages of 4 KB from Postfix's {@code smtp-source} over 8 parallel sessions into
 * A's submission port, each DKIM-signed by A, sealed in A's queue, delivered to B's MX, checked there (SPF, DKIM,
 * DMARC, spam) and stored encrypted. Time from smtp-source's start until B holds all 1 000. smtp-source cannot do
 * STARTTLS or AUTH, so it talks to a {@link LoggedInSubmissionProxy} that logs in for it (A relays only for logged-in
 * users). Baseline, interleaved: the same smtp-source load straight to B's MX (from a domain without DMARC), i.e.
 * B's share of the work alone.
 * {@code mvn -B -o test -Dtest=OutboundThroughputBenchmark -Dexcluded.test.groups=none [-Dbenchmark.rounds=2]};
 * docs/benchmarks.md.
 * <p>
 * Its own instances: two servers with their own domains and addresses (A in a JVM of its own).
 */
@Tag("benchmark")
@OwnInstance
class OutboundThroughputBenchmark {
    private static final int MESSAGES = 1000;
    private static final int SESSIONS = 8;
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path temp;

    @Test
    void thousandFourKilobyteMessagesFromAToB() throws Exception {
        String net = "127." + ThreadLocalRandom.current().nextInt(20, 250) + "." + ThreadLocalRandom.current().nextInt(1, 250) + ".";
        try (TestDns dns = TestDns.on(net + "53")) {
            for (String[] zone : new String[][] {{"a.test", net + "2"}, {"b.test", net + "3"}}) {
                dns.mx(zone[0], 10, "mx." + zone[0]).a("mx." + zone[0], zone[1])
                        .txt(zone[0], "v=spf1 ip4:" + zone[1] + " -all").txt("_dmarc." + zone[0], "v=DMARC1; p=reject");
            }
            dns.mx("c.test", 10, "mx.c.test").a("mx.c.test", net + "9").txt("c.test", "v=spf1 ?all"); // the baseline's sender
            ChildEssaim a = ChildEssaim.start(Files.createDirectories(temp.resolve("a")), properties("a", net + "2", dns));
            EssaimInstance b = EssaimInstance.start(Files.createDirectories(temp.resolve("b")), properties("b", net + "3", dns));
            try {
                for (String[] record : a.dkimRecords("a.test")) {
                    dns.txt(record[0], record[1]);
                }
                for (DkimKey key : b.bean(DkimKeys.class).keys("b.test")) {
                    dns.txt(key.recordName(), key.recordValue());
                }
                a.createAccount("alice@a.test", PASSWORD);
                a.publishKey("alice@a.test", TestKeys.generate("alice@a.test").publicKey());
                b.bean(MailServerBridge.class).createAccount("bob@b.test", PASSWORD);
                b.publishGeneratedKey("bob@b.test");

                String sender = "alice@a.test";
                int rounds = Integer.getInteger("benchmark.rounds", 2);
                try (LoggedInSubmissionProxy toA = LoggedInSubmissionProxy.to(net + "2", a.submissionPort(), sender, PASSWORD)) {
                    for (int round = 1; round <= rounds; round++) {
                        // baseline: the same load straight to B's MX (B's arrival checks, encryption, storage only)
                        Run direct = run(null, b, net + "3", net + "3:25", "carol@c.test");
                        // Essaim A -> B: submission, sealed queue, DKIM signing, MX lookup, delivery, then B as above
                        Run viaA = run(a, b, net + "3", toA.address(), sender);
                        System.out.printf("BENCHMARK round %d: direct to B: %s | A -> B: %s | ratio %.2f (load %s)%n",
                                round, direct, viaA, viaA.stored / direct.stored, load());
                    }
                }
            } finally {
                a.close();
                b.close();
            }
        }
    }

    /** Seconds until smtp-source was done, and until B held every message. */
    record Run(double submitted, double stored) {
        @Override
        public String toString() {
            return String.format("%d x 4 KB over %d sessions: smtp-source done after %.1f s, all stored at B after %.1f s"
                    + " = %.1f msg/s", MESSAGES, SESSIONS, submitted, stored, MESSAGES / stored);
        }
    }

    /** One load; {@code a} (when it is A's run) is asked what still waits if B stops receiving for two minutes. */
    private static Run run(ChildEssaim a, EssaimInstance b, String bHost, String target, String sender) throws Exception {
        long before = storedAtB(b, bHost);
        long start = System.nanoTime();
        Process source = new ProcessBuilder("nice", "-n", "10", "smtp-source", "-d", "-s", String.valueOf(SESSIONS),
                "-m", String.valueOf(MESSAGES), "-l", "4096", "-f", sender, "-t", "bob@b.test", "-S", "benchmark",
                "-M", "bench.test", target).redirectErrorStream(true).start();
        String output = new String(source.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (source.waitFor() != 0) {
            throw new AssertionError("smtp-source failed: " + output);
        }
        long submitted = System.nanoTime();
        long stored = 0;
        long lastProgress = System.nanoTime();
        for (long now; stored < MESSAGES; ) {
            Thread.sleep(500);
            long count = storedAtB(b, bHost) - before;
            now = System.nanoTime();
            if (count > stored) {
                stored = count;
                lastProgress = now;
            } else if ((now - lastProgress) / 1e9 > 120) {
                StringBuilder waiting = new StringBuilder();
                if (a != null) {
                    waiting.append("A's queue size ").append(a.queueSize()).append("; outgoing queue:");
                    for (String[] line : a.waitingMail()) {
                        waiting.append("\n  ").append(String.join(" | ", line));
                    }
                }
                System.out.println("BENCHMARK stalled: " + stored + " of " + MESSAGES + " at B after "
                        + String.format("%.1f s", (now - start) / 1e9) + ", nothing new for 120 s. " + waiting);
                throw new AssertionError("only " + stored + " of " + MESSAGES + " arrived; " + waiting);
            }
        }
        return new Run((submitted - start) / 1e9, (System.nanoTime() - start) / 1e9);
    }

    private static String load() throws Exception {
        return Files.readString(Path.of("/proc/loadavg")).trim();
    }

    private static long storedAtB(EssaimInstance b, String host) throws Exception {
        Properties props = new Properties();
        props.put("mail.imaps.ssl.socketFactory", TrustAllTls.socketFactory());
        props.put("mail.imaps.ssl.checkserveridentity", "false");
        Store store = Session.getInstance(props).getStore("imaps");
        store.connect(host, b.imapsPort(), "bob@b.test", PASSWORD);
        try {
            long count = 0;
            for (String name : List.of("INBOX", "Spam")) {
                Folder folder = store.getFolder(name);
                if (folder.exists()) {
                    count += folder.getMessageCount();
                }
            }
            return count;
        } finally {
            store.close();
        }
    }

    private static Map<String, Object> properties(String name, String address, TestDns dns) {
        return Map.of("essaim.domain", name + ".test", "essaim.hostname", "mx." + name + ".test",
                "essaim.bind-address", address, "server.address", address, "essaim.smtp.port", 25,
                "essaim.bootstrap.admin-email", "admin@" + name + ".test", "essaim.dns.servers", dns.address(),
                "essaim.delivery.first-retry", "2s", "essaim.delivery.max-retry-interval", "5s");
    }
}
