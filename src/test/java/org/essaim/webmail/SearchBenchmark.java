package org.essaim.webmail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
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
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The browser-side search index (issue 19) on a mailbox of 10 000 encrypted messages of about 4 KB of text each,
 * in headless Chromium: metadata index build (decrypting every protected subject), full index build (fetching,
 * decrypting and parsing every message), query times (in the worker, and from the page), how soon a new message
 * is searchable, and what IndexedDB holds. The text is made of a fixed-seed pseudo-random vocabulary of 30 000
 * words (Zipf-like), so the index grows as a real one does, unlike a repeated corpus. See docs/benchmarks.md.
 * <p>
 * Run: {@code mvn -B -o test -Dtest=SearchBenchmark -Dexcluded.test.groups=none}
 * (optional {@code -Dbenchmark.messages=10000 -Dbenchmark.queries=200}).
 */
@Tag("benchmark")
class SearchBenchmark {
    private static final String USER = "searchbench@" + EssaimInstance.DOMAIN;
    private static final String PASSWORD = "a long enough test password";
    private static final String PASSPHRASE = "benchmark passphrase";
    private static final int VOCABULARY = 30_000;

    @TempDir
    static Path dataDir;

    /** Figures are also written, as soon as measured, to target/search-benchmark.txt (surefire keeps stdout until the end). */
    private static void figure(String format, Object... args) {
        String line = String.format(format, args);
        System.out.println(line);
        try {
            java.nio.file.Files.writeString(Path.of("target", "search-benchmark.txt"), line + System.lineSeparator(),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void tenThousandEncryptedMessagesIndexedAndSearchedInTheBrowser() throws Exception {
        int count = Integer.getInteger("benchmark.messages", 10_000);
        int queries = Integer.getInteger("benchmark.queries", 200);
        try (EssaimInstance essaim = EssaimInstance.start(dataDir, Map.of("essaim.webmail.new-mail-check-seconds", 2))) {
            essaim.bean(MailServerBridge.class).createAccount(USER, PASSWORD);
            TestKeys.KeyPair key = TestKeys.generate(USER);
            essaim.publishKey(USER, key.publicKey());
            long fillStart = System.nanoTime();
            fill(essaim, key.publicKey(), count);
            figure("Search benchmark: %d encrypted messages (~4 KB text each), %d cores, load %s; filled in %d ms", count,
                    Runtime.getRuntime().availableProcessors(), loadAverage(), (System.nanoTime() - fillStart) / 1_000_000);

            try (Browser browser = Browser.launch()) {
                Page page = browser.newPage();
                page.setDefaultTimeout(3_600_000);
                LoginPage.logIn(page, essaim, USER, PASSWORD);
                page.locator("#messages").waitFor();
                long start = System.nanoTime();
                BrowserKeys.importPrivateKey(page, essaim, key.secretKey(), PASSPHRASE); // unlocking starts the index
                page.waitForFunction("n => { const b = document.querySelector('essaim-search-box');"
                        + " return b && Number(b.dataset.docs) >= n && b.dataset.indexing !== 'metadata'; }", count);
                long metadataMillis = (System.nanoTime() - start) / 1_000_000;
                figure("metadata index build (unlock to searchable): %d ms, load %s", metadataMillis, loadAverage());
                double[] metadataQueries = queryTimes(page, queries, false);
                figure("queries on metadata, worker time: p50 %.1f ms, p95 %.1f ms; page round trip p50 %.1f, p95 %.1f ms",
                        metadataQueries[0], metadataQueries[1], metadataQueries[2], metadataQueries[3]);

                page.locator("#search-input").click();
                start = System.nanoTime();
                page.locator("#search-index-bodies").click();
                page.waitForFunction("() => document.querySelector('essaim-search-box').dataset.indexing === 'done'");
                long bodiesMillis = (System.nanoTime() - start) / 1_000_000;
                figure("full index build (bodies: fetch, decrypt, parse, index, store): %d ms, load %s", bodiesMillis, loadAverage());
                double[] fullQueries = queryTimes(page, queries, true);
                figure("queries on full index, worker time: p50 %.1f ms, p95 %.1f ms; page round trip p50 %.1f, p95 %.1f ms",
                        fullQueries[0], fullQueries[1], fullQueries[2], fullQueries[3]);

                // New mail, three times: from SMTP delivery until the index holds its metadata (the page's new-mail
                // check, the server's list, the worker's sync), then until a search for its body word finds it.
                for (int round = 1; round <= 3; round++) {
                    String word = "newmailword" + System.nanoTime();
                    int docs = count + round;
                    start = System.nanoTime();
                    SmtpSender.deliver(essaim, "<late@example.org>", USER, "Late message " + round, "It says " + word);
                    page.waitForFunction("n => Number(document.querySelector('essaim-search-box').dataset.docs) >= n", docs,
                            new Page.WaitForFunctionOptions().setPollingInterval(50));
                    long metadataSynced = (System.nanoTime() - start) / 1_000_000;
                    page.waitForFunction("w => { const b = document.querySelector('essaim-search-box');"
                            + " b._run(w); return b._answer && b._answer.total === 1; }", word,
                            new Page.WaitForFunctionOptions().setPollingInterval(100));
                    long newMailMillis = (System.nanoTime() - start) / 1_000_000;
                    figure("new mail %d searchable by its body word %d ms after SMTP delivery (in the index's metadata after %d ms;"
                            + " new-mail check every 2 s), load %s", round, newMailMillis, metadataSynced, loadAverage());
                }

                Object storage = page.evaluate("async () => {"
                        + " const est = await navigator.storage.estimate();"
                        + " const db = await new Promise((ok, ko) => { const r = indexedDB.open('essaim-search'); r.onsuccess = () => ok(r.result); r.onerror = ko; });"
                        + " const docs = await new Promise((ok) => { const r = db.transaction('docs').objectStore('docs').getAll(); r.onsuccess = () => ok(r.result); });"
                        + " const bytes = docs.reduce((sum, d) => sum + d.data.byteLength + d.iv.byteLength, 0);"
                        + " const snaps = await new Promise((ok) => { const r = db.transaction('snapshots').objectStore('snapshots').getAll(); r.onsuccess = () => ok(r.result); });"
                        + " db.close();"
                        + " const snapshotBytes = snaps.reduce((sum, d) => sum + d.data.byteLength, 0);"
                        + " return {records: docs.length, docBytes: bytes, snapshotBytes, usage: est.usage}; }");

                figure("IndexedDB: %s", storage);

                // Warm reopen: a reload that loads the saved snapshot, interleaved with one that indexes every stored
                // record again (the snapshot deleted first, as before snapshots existed).
                for (boolean withSnapshot : new boolean[] {true, false, true, false}) {
                    if (!withSnapshot) {
                        page.evaluate("async () => { const db = await new Promise((ok, ko) => { const r = indexedDB.open('essaim-search');"
                                + " r.onsuccess = () => ok(r.result); r.onerror = ko; });"
                                + " await new Promise((ok, ko) => { const tx = db.transaction('snapshots', 'readwrite');"
                                + " tx.objectStore('snapshots').clear(); tx.oncomplete = ok; tx.onerror = ko; }); db.close(); }");
                    }
                    page.navigate(essaim.baseUrl() + "/mail/INBOX");
                    page.locator("#key-unlock-button").waitFor();
                    long reopen = System.nanoTime();
                    BrowserKeys.unlockInTopBar(page, PASSPHRASE);
                    page.waitForFunction("n => { const b = document.querySelector('essaim-search-box');"
                            + " return b && b.dataset.synced && Number(b.dataset.docs) >= n; }", count + 3);
                    long reopenMillis = (System.nanoTime() - reopen) / 1_000_000;
                    Object opened = page.evaluate("() => { const b = document.querySelector('essaim-search-box');"
                            + " return b.dataset.opened + ', index opened in ' + b.dataset.openedMs + ' ms'; }");
                    figure("warm reopen (unlock to searchable and synced) %s: %d ms (%s), load %s",
                            withSnapshot ? "from the snapshot" : "from the records", reopenMillis, opened, loadAverage());
                }
                double[] afterReopen = queryTimes(page, queries, true);
                figure("queries after reopen, worker time: p50 %.1f ms, p95 %.1f ms; page round trip p50 %.1f, p95 %.1f ms",
                        afterReopen[0], afterReopen[1], afterReopen[2], afterReopen[3]);
            }
        }
    }

    /** p50/p95 of the worker's query time and of the page's round trip, over a mix of words, prefixes and operators. */
    private static double[] queryTimes(Page page, int queries, boolean bodies) {
        Random random = new Random(42);
        List<Double> worker = new ArrayList<>();
        List<Double> roundTrip = new ArrayList<>();
        for (int i = 0; i < queries; i++) {
            String query = switch (i % 5) {
                case 0 -> word(zipf(random));
                case 1 -> word(zipf(random)).substring(0, 3);
                case 2 -> "from:sender" + (1 + random.nextInt(9999));
                case 3 -> "subject:" + word(zipf(random)) + " after:2026-01-01";
                default -> bodies ? word(zipf(random)) + " " + word(zipf(random)) : "in:inbox " + word(zipf(random));
            };
            @SuppressWarnings("unchecked")
            Map<String, Object> timing = (Map<String, Object>) page.evaluate("async q => { const b = document.querySelector('essaim-search-box');"
                    + " const t = performance.now(); await b._run(q); return {worker: b._answer.ms, page: performance.now() - t}; }", query);
            worker.add(((Number) timing.get("worker")).doubleValue());
            roundTrip.add(((Number) timing.get("page")).doubleValue());
        }
        return new double[] {percentile(worker, 50), percentile(worker, 95), percentile(roundTrip, 50), percentile(roundTrip, 95)};
    }

    private static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    private static String loadAverage() {
        return String.format("%.1f", java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }

    /** A pronounceable made-up word per rank: the vocabulary of the corpus. */
    private static String word(int rank) {
        String[] syllables = {"ka", "lo", "mi", "ne", "su", "ta", "ri", "po", "da", "fe", "gu", "va", "zo", "be", "chi", "ra"};
        StringBuilder word = new StringBuilder();
        int n = rank + 17;
        while (n > 0) {
            word.append(syllables[n % syllables.length]);
            n /= syllables.length;
        }
        return word.toString();
    }

    /** A rank drawn with a Zipf-like distribution (common words often, rare ones seldom). */
    private static int zipf(Random random) {
        return (int) Math.min(VOCABULARY - 1, Math.floor(Math.pow(VOCABULARY, random.nextDouble())) - 1);
    }

    private static void fill(EssaimInstance essaim, byte[] certificate, int count) throws Exception {
        PgpMimeEncryptor encryptor = new PgpMimeEncryptor();
        byte[][] ciphertexts = new byte[count][];
        int threads = Runtime.getRuntime().availableProcessors();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
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
        } finally {
            pool.shutdown();
        }
        Session session = Session.getInstance(new Properties());
        try (Store imap = MailClients.imaps(essaim, USER, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            for (int from = 0; from < count; from += 500) {
                List<Message> messages = new ArrayList<>(500);
                for (int i = from; i < Math.min(count, from + 500); i++) {
                    messages.add(new MimeMessage(session, new java.io.ByteArrayInputStream(ciphertexts[i])));
                }
                inbox.appendMessages(messages.toArray(Message[]::new));
            }
        }
    }

    private static byte[] plaintext(int n) {
        Random random = new Random(n);
        StringBuilder body = new StringBuilder(4200);
        while (body.length() < 4000) {
            body.append(word(zipf(random))).append(random.nextInt(12) == 0 ? ".\r\n" : " ");
        }
        String subject = word(zipf(random)) + " " + word(zipf(random)) + " " + word(zipf(random));
        return ("From: Sender " + n + " <sender" + n + "@example.org>\r\n"
                + "To: <" + USER + ">\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <search-bench-" + n + "@example.org>\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n" + body + "\r\n").getBytes(StandardCharsets.UTF_8);
    }
}
