package org.essaim.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;

import org.essaim.support.RspamdDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * In rspamd mode, spam a member shared is handed to rspamd's controller ({@code /learnspam}): a real rspamd with a
 * Bayes classifier on a real Redis, both on free loopback ports, started and stopped here; rspamd's own statistics
 * ({@code /stat}) count the message as learnt. Skipped where rspamd or redis-server is not installed (.ci/run
 * installs both).
 */
class SharedSpamInRspamdTest {
    private static final Path REDIS = Path.of("/usr/bin/redis-server");

    @Test
    void sharedSpamIsLearntByRspamdsBayes(@TempDir Path directory) throws Exception {
        assumeTrue(RspamdDaemon.installed() && Files.isExecutable(REDIS), "rspamd and redis-server are needed");
        int redisPort;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            redisPort = socket.getLocalPort();
        }
        Process redis = new ProcessBuilder(REDIS.toString(), "--port", String.valueOf(redisPort), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.toString())
                .redirectErrorStream(true).redirectOutput(directory.resolve("redis.out").toFile()).start();
        try {
            awaitListening(redisPort);
            try (RspamdDaemon rspamd = new RspamdDaemon(directory, redisPort)) {
                assertThat(learnt(rspamd)).isZero();
                byte[] spam = ("From: <seller@bargains.example>\r\nTo: <member@essaim.test>\r\nSubject: Cheap widgets\r\n"
                        + "Message-ID: <shared-1@bargains.example>\r\n\r\nBuy cheap widgets now, click here, limited offer, "
                        + "best prices on widgets today.\r\n").getBytes(StandardCharsets.US_ASCII);
                assertThat(new RspamdLearner(rspamd.controllerUrl(), "", Duration.ofSeconds(20)).learnSpam(spam)).isTrue();
                assertThat(learnt(rspamd)).isEqualTo(1);
            }
        } finally {
            redis.destroy();
            redis.waitFor(10, TimeUnit.SECONDS);
            redis.destroyForcibly();
        }
    }

    private static long learnt(RspamdDaemon rspamd) throws Exception {
        HttpResponse<String> stat = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(rspamd.controllerUrl() + "/stat")).timeout(Duration.ofSeconds(20)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(stat.statusCode()).isEqualTo(200);
        return new ObjectMapper().readTree(stat.body()).path("learned").asLong(-1);
    }

    private static void awaitListening(int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (java.io.IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IllegalStateException("redis-server did not listen");
    }
}
