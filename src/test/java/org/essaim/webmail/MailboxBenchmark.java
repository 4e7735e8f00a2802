package org.essaim.webmail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import com.microsoft.playwright.Page;

import org.essaim.crypto.PgpMimeEncryptor;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of 10 000 encrypted messages (each with its {@code Essaim-Encrypted-Subject}) in headless Chromium:
 * how long until the first page of rows shows DECRYPTED subjects, and until the rows in the middle and at the end
 * show theirs after a jump there. Also how long filling the folder took (ciphertext made in the test with the
 * server's own PgpMimeEncryptor, then IMAP APPEND on a few connections). Medians of several runs; each run is a fresh
 * page (key imported again, so the page's subject cache starts empty). See docs/benchmarks.md.
 * <p>
 * Run: {@code mvn -B -o test -Dtest=MailboxBenchmark -Dexcluded.test.groups=none}
 * (optional {@code -Dbenchmark.messages=10000 -Dbenchmark.runs=5}).
 */
@Tag("benchmark")
class MailboxBenchmark {
    private static final String USER = "bench@" + EssaimInstance.DOMAIN;
    private static final String PASSWORD = "a long enough test password";
    private static final String PASSPHRASE = "benchmark passphrase";

    /** The subject element showing this text is decrypted, and no subject in the grid is still decrypting. */
    private static final String SHOWN = """
            (target) => {
              const grid = document.querySelector('#messages');
              if (!grid) return false;
              const subjects = [...grid.querySelectorAll('essaim-subject')];
              const decrypted = subjects.filter(s => s.getAttribute('state') === 'decrypted');
              return decrypted.some(s => s.shadowRoot.textContent.includes(target))
                  && !subjects.some(s => s.getAttribute('state') === 'decrypting');
            }""";

    @TempDir
    static Path dataDir;

    @Test
    void tenThousandEncryptedMessagesOpenAndScrollWithDecryptedSubjects() throws Exception {
        int count = Integer.getInteger("benchmark.messages", 10_000);
        int runs = Integer.getInteger("benchmark.runs", 5);
        try (EssaimInstance essaim = EssaimInstance.start(dataDir, Map.of("essaim.webmail.new-mail-check-seconds", 600))) {
            essaim.bean(MailServerBridge.class).createAccount(USER, PASSWORD);
            TestKeys.KeyPair key = TestKeys.generate(USER);
            essaim.publishKey(USER, key.publicKey());

            long fillStart = System.nanoTime();
            fill(essaim, key.publicKey(), count);
            long fillMillis = (System.nanoTime() - fillStart) / 1_000_000;

            List<Long> firstPage = new ArrayList<>();
            List<Long> middle = new ArrayList<>();
            List<Long> end = new ArrayList<>();
            try (Browser browser = Browser.launch()) {
                for (int run = 0; run <= runs; run++) { // run 0 warms up the server and the browser cache
                    Page page = browser.newPage();
                    try {
                        page.setDefaultTimeout(120_000);
                        LoginPage.logIn(page, essaim, USER, PASSWORD);
                        page.locator("#messages").waitFor();
                        BrowserKeys.importPrivateKey(page, essaim, key.secretKey(), PASSPHRASE);
                        page.locator("#folders vaadin-side-nav-item[data-folder='Drafts']").click();
                        page.waitForURL("**/mail/Drafts");

                        long start = System.nanoTime();
                        page.locator("#folders vaadin-side-nav-item[data-folder='INBOX']").click();
                        page.waitForFunction(SHOWN, subject(count));
                        long first = (System.nanoTime() - start) / 1_000_000;

                        start = System.nanoTime();
                        page.evaluate("(i) => document.querySelector('#messages').scrollToIndex(i)", count / 2);
                        page.waitForFunction(SHOWN, subject(count - count / 2));
                        long toMiddle = (System.nanoTime() - start) / 1_000_000;

                        start = System.nanoTime();
                        page.evaluate("(i) => document.querySelector('#messages').scrollToIndex(i)", count - 1);
                        page.waitForFunction(SHOWN, subject(1));
                        long toEnd = (System.nanoTime() - start) / 1_000_000;
                        System.out.printf("run %d: first page %d ms, middle %d ms, end %d ms%n", run, first, toMiddle, toEnd);
                        if (run > 0) {
                            firstPage.add(first);
                            middle.add(toMiddle);
                            end.add(toEnd);
                        }
                    } finally {
                        page.context().close();
                    }
                }
            }
            System.out.printf("Mailbox benchmark: %d encrypted messages, %d cores, Java %s%n", count,
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            System.out.printf("filling the folder (encrypt + IMAP APPEND): %d ms (%.0f messages/s)%n", fillMillis,
                    count * 1000.0 / fillMillis);
            print("first page with decrypted subjects", firstPage);
            print("jump to the middle, rows with decrypted subjects", middle);
            print("jump to the end, rows with decrypted subjects", end);
        }
    }

    /** The decrypted subject of message number n (1 = oldest); the trailing dot keeps #50 from matching #5000. */
    private static String subject(int n) {
        return "Benchmark subject #" + n + ".";
    }

    /**
     * Makes all ciphertext first, on every core, then APPENDs it in order on one IMAP connection, so message
     * number n is "Benchmark subject #n." (the server sees PGP/MIME and stores it as it is).
     */
    private static void fill(EssaimInstance essaim, byte[] certificate, int count) throws Exception {
        PgpMimeEncryptor encryptor = new PgpMimeEncryptor();
        byte[][] ciphertexts = new byte[count][];
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            long start = System.nanoTime();
            AtomicInteger next = new AtomicInteger(1);
            List<Future<?>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(pool.submit(() -> {
                    for (int n = next.getAndIncrement(); n <= count; n = next.getAndIncrement()) {
                        ciphertexts[n - 1] = encryptor.encrypt(plaintext(n), certificate);
                    }
                    return null;
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
            System.out.printf("encrypting %d messages: %d ms%n", count, (System.nanoTime() - start) / 1_000_000);
        } finally {
            pool.shutdown();
        }
        long start = System.nanoTime();
        Session session = Session.getInstance(new Properties());
        try (Store imap = MailClients.imaps(essaim, USER, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            int batch = 500;
            for (int from = 0; from < count; from += batch) {
                List<Message> messages = new ArrayList<>(batch);
                for (int i = from; i < Math.min(count, from + batch); i++) {
                    messages.add(new MimeMessage(session, new java.io.ByteArrayInputStream(ciphertexts[i])));
                }
                inbox.appendMessages(messages.toArray(Message[]::new));
            }
        }
        System.out.printf("APPENDing %d messages: %d ms%n", count, (System.nanoTime() - start) / 1_000_000);
    }

    private static byte[] plaintext(int n) {
        return ("From: Sender " + n + " <sender" + n + "@example.org>\r\n"
                + "To: <" + USER + ">\r\n"
                + "Subject: " + subject(n) + "\r\n"
                + "Message-ID: <bench-" + n + "@example.org>\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + "Body of message " + n + ".\r\n").getBytes(StandardCharsets.UTF_8);
    }

    private static void print(String what, List<Long> millis) {
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        long median = sorted.get(sorted.size() / 2);
        System.out.printf("%-50s median %6d ms  runs %s%n", what, median, millis);
    }
}
