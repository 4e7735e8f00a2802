package org.essaim.standby;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;

import org.essaim.config.EssaimProperties;
import org.springframework.stereotype.Component;

import com.fasterxml.jackson.databind.ObjectMapper;

/** The standby's HTTP client of its primary's {@code /api/standby} ({@link StandbyApi}), with the shared token. */
@Component
class PrimaryClient {
    private final String base;
    private final StandbyToken token;
    private final ObjectMapper json;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
            .followRedirects(HttpClient.Redirect.NORMAL).build();

    PrimaryClient(EssaimProperties settings, StandbyToken token, ObjectMapper json) {
        String primary = settings.standby().primary();
        this.base = primary == null ? null : primary.replaceAll("/+$", "") + "/api/standby";
        this.token = token;
        this.json = json;
    }

    StandbyDirectory directory() throws IOException {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/directory")).GET(),
                HttpResponse.BodyHandlers.ofByteArray());
        expect(response, 200);
        return json.readValue(response.body(), StandbyDirectory.class);
    }

    /** Hands one held message over; true when the primary has it (now or from an earlier attempt). */
    boolean deliver(String recipient, String folder, String deliveryId, Date received, byte[] message) throws IOException {
        String query = "?recipient=" + encode(recipient) + "&folder=" + encode(folder) + "&id=" + encode(deliveryId)
                + "&received=" + received.getTime();
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(base + "/deliver" + query))
                .header("Content-Type", "message/rfc822")
                .POST(HttpRequest.BodyPublishers.ofByteArray(message)), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200 || response.statusCode() == 201) {
            return true;
        }
        if (response.statusCode() == 401) {
            throw new IOException("the primary refused the standby's token");
        }
        return false;
    }

    /** The newest verified backup, streamed; the caller closes it. Null when the primary has none yet. */
    HttpResponse<InputStream> latestBackup() throws IOException {
        HttpResponse<InputStream> response = send(HttpRequest.newBuilder(URI.create(base + "/backups/latest")).GET(),
                HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() == 404) {
            response.body().close();
            return null;
        }
        if (response.statusCode() != 200) {
            response.body().close();
            throw new IOException("the primary answered " + response.statusCode() + " for its latest backup");
        }
        return response;
    }

    private <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) throws IOException {
        if (base == null) {
            throw new IOException("essaim.standby.primary is not set");
        }
        try {
            return http.send(request.header(StandbyToken.HEADER, token.authorization()).timeout(Duration.ofMinutes(10))
                    .build(), body);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private static void expect(HttpResponse<?> response, int status) throws IOException {
        if (response.statusCode() != status) {
            throw new IOException("the primary answered " + response.statusCode());
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
