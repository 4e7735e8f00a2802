package org.essaim.mailserver.imap;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Supplier;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What server-side SEARCH, SORT and THREAD cost now that they read the mailbox store instead of an index
 * (mailserver/search): a folder of N encrypted messages (APPENDed, so encrypted to the owner's key), then the
 * median and range of 7 runs of each command over IMAPS, round trip included.
 * <p>Run: {@code mvn -B -o test -Dtest=ServerSearchBenchmark -Dexcluded.test.groups=none} (optional
 * {@code -Dbenchmark.messages=2000}). Tagged benchmark: left out of {@code mvn test}. Figures: docs/benchmarks.md.
 */
@Tag("benchmark")
class ServerSearchBenchmark {
    private static final String PASSWORD = "correct horse battery staple";

    @Test
    void searchSortAndThreadOverAFolderOfEncryptedMail() {
        int messages = Integer.getInteger("benchmark.messages", 2000);
        EssaimInstance essaim = EssaimInstance.shared();
        String account = "bench-search-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(account, PASSWORD);
        essaim.publishGeneratedKey(account);
        try (ImapSession imap = ImapSession.login(essaim.imapsPort(), account, PASSWORD)) {
            imap.tagged("CREATE \"Bench\"");
            long filling = System.nanoTime();
            for (int i = 0; i < messages; i++) {
                imap.append("Bench", "From: Sender " + (i % 50) + " <s" + (i % 50) + "@outside.example>\r\n"
                        + "To: <" + account + ">\r\nSubject: message " + i + "\r\nMessage-ID: <bench-" + i + "@outside.example>\r\n"
                        + (i % 10 == 0 ? "" : "References: <bench-" + (i - i % 10) + "@outside.example>\r\n")
                        + "Date: Wed, 25 Nov 2026 10:" + String.format(Locale.ROOT, "%02d", i % 60) + ":00 +0000\r\n\r\n"
                        + ("body line of message " + i + "\r\n").repeat(60));
            }
            System.out.printf(Locale.ROOT, "BENCHMARK server search: %d encrypted messages appended in %.1f s%n",
                    messages, (System.nanoTime() - filling) / 1e9);
            imap.tagged("SELECT \"Bench\"");
            assertThat(imap.tagged("STORE 1:" + (messages / 2) + " +FLAGS.SILENT (\\Seen)")).startsWith("OK");

            measure("UID SEARCH UID 1 (one message read)", () -> imap.numbers("UID SEARCH UID 1", "SEARCH").size());
            measure("SEARCH ALL", () -> imap.search("ALL").size());
            measure("SEARCH UNSEEN", () -> imap.search("UNSEEN").size());
            measure("SEARCH FROM \"s7@outside\"", () -> imap.search("FROM \"s7@outside\"").size());
            measure("SEARCH HEADER Message-ID", () -> imap.search("HEADER Message-ID \"bench-" + messages / 3 + "@\"").size());
            measure("SORT (DATE)", () -> imap.numbers("SORT (DATE) UTF-8 ALL", "SORT").size());
            measure("THREAD REFERENCES", () -> imap.command("THREAD REFERENCES UTF-8 ALL").size());
            measure("STORE 1:* +FLAGS.SILENT (\\Flagged)", () -> imap.tagged("STORE 1:* +FLAGS.SILENT (\\Flagged)").length());
        }
    }

    private static void measure(String what, Supplier<Integer> command) {
        command.get(); // warm-up
        List<Double> millis = new ArrayList<>();
        int result = 0;
        for (int run = 0; run < 7; run++) {
            long begin = System.nanoTime();
            result = command.get();
            millis.add((System.nanoTime() - begin) / 1e6);
        }
        Collections.sort(millis);
        System.out.printf(Locale.ROOT, "BENCHMARK server search: %-36s median %7.1f ms (range %.1f-%.1f), result size %d%n",
                what, millis.get(3), millis.get(0), millis.get(6), result);
    }
}
