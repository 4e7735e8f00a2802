package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.essaim.support.ChildEssaim;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.StoredMessageIds;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "250 means stored" (issue 11): Essaim runs in a child JVM that is killed with SIGKILL at a random moment while
 * eight SMTP sessions deliver to it; after each restart every message that got 250 must be in the mailbox.
 * Several kills in a row on the same data (-Dkill.rounds, default 3).
 */
class AcknowledgedMailSurvivesKillTest {
    private static final int SESSIONS = 8;

    @TempDir
    Path temp;

    @Test
    void everyAcknowledgedMessageIsInTheMailboxAfterKillMinus9() throws Exception {
        int rounds = Integer.getInteger("kill.rounds", 3);
        Random random = new Random();
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicInteger sequence = new AtomicInteger();
        try (ChildEssaim essaim = new ChildEssaim(temp.resolve("data"), List.of("-XX:+UseSerialGC", "-Xmx384m"), Map.of())) {
            essaim.start();
            essaim.publishKey(EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD,
                    TestKeys.generate(EssaimInstance.ADMIN).publicKey());
            for (int round = 1; round <= rounds; round++) {
                List<Thread> senders = new ArrayList<>();
                for (int session = 0; session < SESSIONS; session++) {
                    Thread sender = new Thread(() -> sendUntilTheServerDies(essaim.smtpPort(), sequence, acknowledged));
                    sender.start();
                    senders.add(sender);
                }
                // Kill in full flow: once this round has had some 250s (the first deliveries of a fresh JVM are
                // slow), at a random moment within the next two seconds.
                long begin = System.currentTimeMillis();
                int before = acknowledged.size();
                while (acknowledged.size() < before + 20 && System.currentTimeMillis() - begin < 120_000) {
                    Thread.sleep(50);
                }
                Thread.sleep(random.nextInt(2_000));
                long ingestMillis = System.currentTimeMillis() - begin;
                essaim.kill();
                for (Thread sender : senders) {
                    sender.join(60_000);
                }
                essaim.start();
                // Copies that went through the queue (none expected) would be delivered just after the start.
                Set<String> stored = storedMessageIds(essaim.imapsPort());
                for (int wait = 0; wait < 30 && !stored.containsAll(acknowledged); wait++) {
                    Thread.sleep(1_000);
                    stored = storedMessageIds(essaim.imapsPort());
                }
                Set<String> lost = new HashSet<>(acknowledged);
                lost.removeAll(stored);
                System.out.printf("round %d: killed after %d ms; %d acknowledged so far, %d stored, %d lost%n",
                        round, ingestMillis, acknowledged.size(), stored.size(), lost.size());
                assertThat(acknowledged).as("messages acknowledged before kill %d", round).isNotEmpty();
                assertThat(lost).as("acknowledged messages missing after kill -9 number %d", round).isEmpty();
            }
        }
    }

    /** One SMTP session sending 4 KB messages until the connection breaks; records each id that got 250. */
    private static void sendUntilTheServerDies(int port, AtomicInteger sequence, Set<String> acknowledged) {
        String filler = "0123456789abcdef".repeat(4);
        try (LineClient smtp = LineClient.connect(port)) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            while (true) {
                String id = "kill-" + sequence.incrementAndGet() + "@sender.example";
                if (!smtp.smtp("MAIL FROM:<someone@sender.example>").startsWith("250")
                        || !smtp.smtp("RCPT TO:<" + EssaimInstance.ADMIN + ">").startsWith("250")
                        || !smtp.smtp("DATA").startsWith("354")) {
                    return;
                }
                StringBuilder message = new StringBuilder()
                        .append("From: someone@sender.example\r\nTo: ").append(EssaimInstance.ADMIN)
                        .append("\r\nSubject: durability ").append(id)
                        .append("\r\nMessage-ID: <").append(id).append(">\r\n\r\n");
                for (int line = 0; line < 64; line++) {
                    message.append(filler).append("\r\n");
                }
                smtp.sendRaw(message.append(".\r\n").toString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
                if (smtp.readSmtpReply().startsWith("250")) {
                    acknowledged.add(id);
                }
            }
        } catch (RuntimeException connectionBroke) {
            // the server was killed: whatever got no 250 may or may not be stored
        }
    }

    private static Set<String> storedMessageIds(int imapsPort) {
        return StoredMessageIds.in(imapsPort, EssaimInstance.ADMIN, EssaimInstance.ADMIN_PASSWORD, "INBOX");
    }
}
