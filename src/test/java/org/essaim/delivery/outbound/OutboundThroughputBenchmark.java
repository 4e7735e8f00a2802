package org.essaim.delivery.outbound;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Folder;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.essaim.dkim.DkimKey;
import org.essaim.dkim.DkimKeys;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.EssaimProcess;
import org.essaim.support.TestDns;
import org.essaim.support.TestKeys;
import org.essaim.support.TrustAllTls;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outbound throughput A → B: 1 000 messages of 4 KB submitted to A over 8 parallel authenticated sessions
 * (STARTTLS + AUTH, as a client would: smtp-source cannot log in, and A relays only for logged-in users), each
 * DKIM-signed by A, sealed in A's queue, delivered to B's MX, checked there (SPF, DKIM, DMARC, spam) and stored
 * encrypted. Time from the first submission until B holds all 1 000.
 * {@code mvn -B -o test -Dtest=OutboundThroughputBenchmark -Dexcluded.test.groups=none}; docs/benchmarks.md.
 */
@Tag("benchmark")
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
            EssaimProcess a = EssaimProcess.start(Files.createDirectories(temp.resolve("a")), properties("a", net + "2", dns));
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

                String body = "x".repeat(76).concat("\r\n").repeat(52); // ~4 KB
                long start = System.nanoTime();
                ExecutorService sessions = Executors.newFixedThreadPool(SESSIONS);
                AtomicInteger next = new AtomicInteger();
                List<Future<?>> done = new ArrayList<>();
                for (int s = 0; s < SESSIONS; s++) {
                    done.add(sessions.submit(() -> {
                        Session session = Session.getInstance(submissionProperties(net + "2", a.submissionPort()));
                        try (Transport transport = session.getTransport("smtp")) {
                            transport.connect("alice@a.test", PASSWORD);
                            for (int i = next.getAndIncrement(); i < MESSAGES; i = next.getAndIncrement()) {
                                MimeMessage message = new MimeMessage(session);
                                message.setFrom(new InternetAddress("alice@a.test"));
                                message.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress("bob@b.test"));
                                message.setSubject("benchmark " + i);
                                message.setText(body);
                                message.saveChanges();
                                transport.sendMessage(message, message.getAllRecipients());
                            }
                        }
                        return null;
                    }));
                }
                for (Future<?> each : done) {
                    each.get();
                }
                long submitted = System.nanoTime();
                sessions.shutdown();
                long stored;
                while ((stored = storedAtB(b, net + "3")) < MESSAGES) {
                    Thread.sleep(500);
                    if ((System.nanoTime() - start) / 1e9 > 1800) {
                        throw new AssertionError("only " + stored + " arrived in 30 minutes");
                    }
                }
                double seconds = (System.nanoTime() - start) / 1e9;
                System.out.printf("BENCHMARK outbound A->B: %d x 4 KB over %d sessions: submitted in %.1f s, all stored at B"
                        + " after %.1f s = %.1f msg/s%n", MESSAGES, SESSIONS, (submitted - start) / 1e9, seconds, MESSAGES / seconds);
            } finally {
                a.close();
                b.close();
            }
        }
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

    private static Properties submissionProperties(String host, int port) {
        Properties props = new Properties();
        props.put("mail.smtp.host", host);
        props.put("mail.smtp.port", String.valueOf(port));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", TrustAllTls.socketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "false");
        return props;
    }

    private static Map<String, Object> properties(String name, String address, TestDns dns) {
        return Map.of("essaim.domain", name + ".test", "essaim.hostname", "mx." + name + ".test",
                "essaim.bind-address", address, "server.address", address, "essaim.smtp.port", 25,
                "essaim.bootstrap.admin-email", "admin@" + name + ".test", "essaim.dns.servers", dns.address(),
                "essaim.delivery.first-retry", "2s", "essaim.delivery.max-retry-interval", "5s");
    }
}
