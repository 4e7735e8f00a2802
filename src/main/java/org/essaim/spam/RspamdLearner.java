package org.essaim.spam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands spam a member shared to rspamd's controller worker ({@code POST /learnspam}, rspamd's HTTP protocol), so
 * rspamd's own Bayes learns it too in rspamd mode. Never ham. A failure is logged as one WARN line without any detail
 * of the message: sharing still taught the embedded table.
 */
final class RspamdLearner {
    private static final Logger LOGGER = LoggerFactory.getLogger(RspamdLearner.class);

    private final URI learnSpam;
    private final String password;
    private final Duration timeout;
    private final HttpClient http;

    RspamdLearner(String controllerUrl, String password, Duration timeout) {
        this.learnSpam = URI.create(controllerUrl.replaceAll("/+$", "") + "/learnspam");
        this.password = password == null ? "" : password;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** @return whether rspamd said it learnt the message */
    boolean learnSpam(byte[] message) {
        HttpRequest.Builder request = HttpRequest.newBuilder(learnSpam).timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(message));
        if (!password.isEmpty()) {
            request.header("Password", password);
        }
        try {
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            if (response.statusCode() / 100 == 2) {
                return true;
            }
            LOGGER.warn("rspamd did not learn a shared spam message (HTTP {})", response.statusCode());
        } catch (IOException e) {
            LOGGER.warn("rspamd did not learn a shared spam message ({})", e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }
}
