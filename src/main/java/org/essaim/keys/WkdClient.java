package org.essaim.keys;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

import org.essaim.crypto.InvalidPublicKeyException;
import org.essaim.crypto.PublicKeyValidator;
import org.essaim.crypto.ValidatedCertificate;
import org.essaim.crypto.WkdHash;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Fetches the public key of an address at another domain from that domain's Web Key Directory
 * (draft-koch-openpgp-webkey-service): the advanced method
 * ({@code https://openpgpkey.<domain>/.well-known/openpgpkey/<domain>/hu/<hash>?l=<local>}) first, then the
 * direct one ({@code https://<domain>/.well-known/openpgpkey/hu/<hash>?l=<local>}).
 *
 * <p>A key is accepted only if {@link PublicKeyValidator} accepts it for the address (one certificate, a user ID
 * with that address, usable for encryption); anything else (no directory, timeout, wrong key) is "no key".
 * Timeouts are short: the composer waits for this while the user types. {@code essaim.wkd.base-url} replaces
 * both hosts by one base URL (tests point it at a loopback server, which serves both paths).
 */
@Component
public class WkdClient {
    private static final Logger LOGGER = LoggerFactory.getLogger(WkdClient.class);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

    private final String baseUrlOverride;
    private final PublicKeyValidator validator = new PublicKeyValidator();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NORMAL)
            .build();

    public WkdClient(@Value("${essaim.wkd.base-url:}") String baseUrlOverride) {
        this.baseUrlOverride = baseUrlOverride == null ? "" : baseUrlOverride.replaceAll("/+$", "");
    }

    public Optional<ValidatedCertificate> find(String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return Optional.empty();
        }
        String localPart = WkdHash.localPartOf(address);
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        String query = WkdHash.ofLocalPart(localPart) + "?l=" + URLEncoder.encode(localPart, StandardCharsets.UTF_8);
        String advancedBase = baseUrlOverride.isEmpty() ? "https://openpgpkey." + domain : baseUrlOverride;
        String directBase = baseUrlOverride.isEmpty() ? "https://" + domain : baseUrlOverride;
        return fetch(advancedBase + "/.well-known/openpgpkey/" + domain + "/hu/" + query, address)
                .or(() -> fetch(directBase + "/.well-known/openpgpkey/hu/" + query, address));
    }

    private Optional<ValidatedCertificate> fetch(String url, String address) {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(REQUEST_TIMEOUT).GET().build();
            HttpResponse<InputStream> response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = response.body()) {
                if (response.statusCode() != 200) {
                    return Optional.empty();
                }
                // One more byte than allowed, so that an oversized answer is refused by the validator.
                byte[] key = body.readNBytes(PublicKeyValidator.MAX_BYTES + 1);
                return Optional.of(validator.validate(key, address));
            }
        } catch (InvalidPublicKeyException e) {
            LOGGER.info("WKD answered with an unusable key for a recipient: {}", e.getMessage());
            return Optional.empty();
        } catch (IOException | IllegalArgumentException e) {
            LOGGER.debug("WKD lookup failed: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
