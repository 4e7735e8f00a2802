package org.essaim.spam;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.essaim.delivery.spam.SpamJudge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Asks a running rspamd (its normal worker's {@code /checkv2}, rspamd's HTTP protocol) for a verdict on a message still
 * in clear. The client's address, HELO, envelope and recipients go along as rspamd's request headers so its SPF,
 * RBL and per-user modules work; nothing is sent anywhere but to the configured URL (a loopback address in the
 * documented set-up). Failures throw: the caller falls back to the embedded filter.
 */
final class RspamdClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** rspamd's answer: its action, score and the symbols that fired (name → points). */
    record Result(String action, double score, List<Reason> symbols) {
        boolean reject() {
            return "reject".equals(action);
        }

        /** "add header" and "rewrite subject" are rspamd's "this is spam, deliver it marked". */
        boolean junk() {
            return "add header".equals(action) || "rewrite subject".equals(action) || "soft reject".equals(action);
        }
    }

    private final URI checkUri;
    private final Duration timeout;
    private final HttpClient http;

    RspamdClient(String baseUrl, Duration timeout) {
        this.checkUri = URI.create(baseUrl.replaceAll("/+$", "") + "/checkv2");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).version(HttpClient.Version.HTTP_1_1).build();
    }

    Result check(SpamJudge.Arrival arrival) throws IOException {
        HttpRequest.Builder request = HttpRequest.newBuilder(checkUri)
                .timeout(timeout)
                .POST(HttpRequest.BodyPublishers.ofByteArray(arrival.message()));
        arrival.client().ifPresent(ip -> request.header("IP", ip.getHostAddress()));
        if (!arrival.helo().isBlank()) {
            request.header("Helo", arrival.helo());
        }
        request.header("From", arrival.envelopeSender().orElse("<>"));
        for (String account : arrival.accounts()) {
            request.header("Rcpt", account);
        }
        if (arrival.accounts().size() == 1) {
            request.header("Deliver-To", arrival.accounts().get(0));
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while waiting for rspamd", e);
        }
        if (response.statusCode() != 200) {
            throw new IOException("rspamd answered HTTP " + response.statusCode());
        }
        return parse(response.body());
    }

    static Result parse(String body) throws IOException {
        JsonNode root = JSON.readTree(body);
        if (!root.hasNonNull("action")) {
            throw new IOException("rspamd's answer has no action");
        }
        List<Reason> symbols = new ArrayList<>();
        JsonNode symbolsNode = root.path("symbols");
        for (Iterator<Map.Entry<String, JsonNode>> it = symbolsNode.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> symbol = it.next();
            double points = symbol.getValue().path("score").asDouble(0);
            symbols.add(new Reason(symbol.getKey().toUpperCase(Locale.ROOT), points));
        }
        symbols.sort((a, b) -> Double.compare(Math.abs(b.points()), Math.abs(a.points())));
        return new Result(root.get("action").asText().toLowerCase(Locale.ROOT), root.path("score").asDouble(0), symbols);
    }
}
