package org.essaim.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Figures for issue 17, on its own server:
 * <ul>
 * <li>fan-out: one post to a list of N local members (default 500), each copy encrypted to the member's own key:
 * time until the SMTP answer (everything encrypted and handed to storage) and until every member's INBOX holds it;
 * interleaved with the baseline of one ordinary message sent to the same N accounts as N RCPTs;</li>
 * <li>archive search over M public posts (default 10 000): the store's search and the search page over HTTP.</li>
 * </ul>
 * {@code mvn -B -o test -Dtest=ListsBenchmark -Dexcluded.test.groups=none [-Dbenchmark.members=500] [-Dbenchmark.posts=10000]}
 */
@Tag("benchmark")
class ListsBenchmark {
    private static final String[] WORDS = ("meeting garden budget rota kitchen harvest bread tools repair roof "
            + "assembly vote proposal minutes bicycle library seeds compost solar water rain winter summer festival "
            + "music choir print paper ink ladder paint window door key lock bus train ticket market cheese apple").split(" ");

    @TempDir
    Path work;

    @Test
    void fanOutAndSearch() throws Exception {
        int members = Integer.getInteger("benchmark.members", 500);
        int posts = Integer.getInteger("benchmark.posts", 10_000);
        try (EssaimInstance essaim = EssaimInstance.start(work.resolve("data"))) {
            MailServerBridge mailServer = essaim.bean(MailServerBridge.class);
            ListService lists = essaim.bean(ListService.class);
            MailingList list = new MailingList("bench@" + EssaimInstance.DOMAIN, "Benchmark", List.of(),
                    MailingList.Posting.ANYONE, MailingList.Archive.NONE, "[bench]", MailingList.Kind.ORDINARY);
            lists.create(list);
            List<String> accounts = new ArrayList<>();
            long setUp = System.nanoTime();
            for (int i = 0; i < members; i++) {
                String address = "member" + i + "@" + EssaimInstance.DOMAIN;
                mailServer.createAccount(address, "a long enough test password");
                essaim.publishKey(address, TestKeys.generate(address).publicKey());
                lists.join(list.address(), address, Member.Role.MEMBER);
                accounts.add(address);
            }
            System.out.printf("set-up: %d accounts with keys in %d s%n", members, (System.nanoTime() - setUp) / 1_000_000_000);

            List<long[]> listRuns = new ArrayList<>();
            List<long[]> baselineRuns = new ArrayList<>();
            for (int run = 1; run <= 3; run++) {
                listRuns.add(timeDelivery(essaim, mailServer, accounts, 2 * run - 1, List.of(list.address())));
                baselineRuns.add(timeDelivery(essaim, mailServer, accounts, 2 * run, accounts));
            }
            for (int run = 0; run < 3; run++) {
                System.out.printf("fan-out run %d: list post -> 250 after %d ms, in all %d INBOXes after %d ms | "
                                + "baseline %d RCPTs -> 250 after %d ms, stored after %d ms%n", run + 1,
                        listRuns.get(run)[0], members, listRuns.get(run)[1], members, baselineRuns.get(run)[0],
                        baselineRuns.get(run)[1]);
            }

            ArchiveStore archive = essaim.bean(ArchiveStore.class);
            MailingList talk = new MailingList("talk@" + EssaimInstance.DOMAIN, "Search benchmark", List.of(),
                    MailingList.Posting.ANYONE, MailingList.Archive.PUBLIC, "", MailingList.Kind.ORDINARY);
            lists.create(talk);
            Random random = new Random(17);
            long filling = System.nanoTime();
            for (int i = 0; i < posts; i++) {
                StringBuilder text = new StringBuilder();
                for (int w = 0; w < 300; w++) {
                    text.append(WORDS[random.nextInt(WORDS.length)]).append(' ');
                }
                if (i == posts / 2) {
                    text.append("xylophonist");
                }
                String body = "Subject: post " + i + "\r\nFrom: w" + i + "@example.org\r\nMessage-ID: <p" + i
                        + "@example.org>\r\n\r\n" + text + "\r\n";
                archive.archive(talk.address(), body.getBytes(StandardCharsets.UTF_8), false, "<p" + i + "@example.org>",
                        List.of(), "post " + i + " " + text);
            }
            System.out.printf("archive: %d posts written in %d ms%n", posts, (System.nanoTime() - filling) / 1_000_000);
            for (String query : List.of("xylophonist", "garden budget", "nothingmatchesthis", "cheese")) {
                List<Long> times = new ArrayList<>();
                int hits = 0;
                for (int i = 0; i < 11; i++) {
                    long begin = System.nanoTime();
                    hits = archive.search(talk.address(), query, 100).size();
                    times.add((System.nanoTime() - begin) / 1_000_000);
                }
                Collections.sort(times);
                System.out.printf("search \"%s\" over %d posts: %d hits (limit 100), median %d ms, max %d ms%n",
                        query, posts, hits, times.get(times.size() / 2), times.get(times.size() - 1));
            }
            HttpClient http = HttpClient.newHttpClient();
            List<Long> page = new ArrayList<>();
            for (int i = 0; i < 11; i++) {
                long begin = System.nanoTime();
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl()
                        + ListSettings.archivePath(talk.address()) + "search?q=garden+budget")).build(), HttpResponse.BodyHandlers.ofString());
                page.add((System.nanoTime() - begin) / 1_000_000);
                assertThat(response.statusCode()).isEqualTo(200);
            }
            Collections.sort(page);
            System.out.printf("search page over HTTP (100 hits shown): median %d ms, max %d ms%n",
                    page.get(page.size() / 2), page.get(page.size() - 1));
        }
    }

    /** Sends one message (to the list, or to every account directly) and times the 250 and the last INBOX. */
    private static long[] timeDelivery(EssaimInstance essaim, MailServerBridge mailServer, List<String> accounts, int expected,
                                       List<String> recipients) throws Exception {
        long begin = System.nanoTime();
        // A plain socket with a mail client's patience for the answer to the final dot (RFC 5321: 10 minutes).
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", essaim.smtpPort())) {
            socket.setSoTimeout(600_000);
            var in = new java.io.BufferedReader(new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            var out = socket.getOutputStream();
            java.util.function.Function<String, String> command = line -> {
                try {
                    if (line != null) {
                        out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                    }
                    String reply;
                    do {
                        reply = in.readLine();
                    } while (reply != null && reply.length() > 3 && reply.charAt(3) == '-');
                    return reply;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            };
            command.apply(null);
            command.apply("EHLO bench.example");
            assertThat(command.apply("MAIL FROM:<writer@example.org>")).startsWith("250");
            for (String recipient : recipients) {
                assertThat(command.apply("RCPT TO:<" + recipient + ">")).startsWith("250");
            }
            assertThat(command.apply("DATA")).startsWith("354");
            String message = "From: Writer <writer@example.org>\r\nTo: <" + recipients.get(0) + ">\r\nSubject: benchmark "
                    + expected + "\r\nMessage-ID: <bench" + expected + "-" + System.nanoTime() + "@example.org>\r\n\r\n"
                    + "A post of about one kilobyte. ".repeat(35) + "\r\n.";
            assertThat(command.apply(message)).startsWith("250");
            command.apply("QUIT");
        }
        long answered = (System.nanoTime() - begin) / 1_000_000;
        for (String account : accounts) {
            while (mailServer.storageUsage(account).messageCount() < expected) {
                Thread.sleep(50);
            }
        }
        return new long[] {answered, (System.nanoTime() - begin) / 1_000_000};
    }
}
