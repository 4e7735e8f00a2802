package org.essaim.keys;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.essaim.crypto.PublicKeyValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code /api/keys}: an account publishes its own public key (PUT /me, as the logged-in user only) and
 * anyone reads a local user's key (GET /{email}). The body of an upload is the key itself, armored or binary,
 * whatever the Content-Type says.
 */
@RestController
@RequestMapping("/api/keys")
class KeysApiController {
    private static final Logger log = LoggerFactory.getLogger(KeysApiController.class);

    private final PublicKeyDirectory directory;

    KeysApiController(PublicKeyDirectory directory) {
        this.directory = directory;
    }

    @PutMapping("/me")
    ResponseEntity<Object> publish(Authentication account, HttpServletRequest request) throws IOException {
        // One byte more than the limit is enough to tell "too large"; the rest of the body is never read.
        byte[] body;
        try (InputStream in = request.getInputStream()) {
            body = in.readNBytes(PublicKeyValidator.MAX_BYTES + 1);
        }
        String address = account.getName();
        boolean replacing = directory.find(address).isPresent();
        StoredKey key;
        try {
            key = directory.publish(address, body);
        } catch (KeyRejectedException rejected) {
            log.info("Public key upload refused: {}", rejected.reason());
            return KeyResponses.error(statusOf(rejected), rejected.getMessage());
        }
        log.info("Public key {} published for {}", key.fingerprint(), key.address());
        return ResponseEntity.status(replacing ? HttpStatus.OK : HttpStatus.CREATED)
                .contentType(MediaType.APPLICATION_JSON)
                .body(summary(key));
    }

    /** The logged-in account's own published key, for the webmail's Keys page. */
    @GetMapping("/me")
    ResponseEntity<Object> mine(Authentication account) {
        if (account == null || !account.isAuthenticated() || "anonymousUser".equals(account.getName())) {
            return KeyResponses.error(HttpStatus.UNAUTHORIZED, "Log in to see your own key.");
        }
        return directory.find(account.getName())
                .<ResponseEntity<Object>>map(key -> {
                    Map<String, Object> body = summary(key);
                    body.put("armored", key.armored());
                    return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(body);
                })
                .orElseGet(() -> KeyResponses.error(HttpStatus.NOT_FOUND, "You have not published a key yet."));
    }

    /** Stops publishing the account's key (after revoking it in the browser, for instance). */
    @DeleteMapping("/me")
    ResponseEntity<Object> withdraw(Authentication account) {
        if (!directory.withdraw(account.getName())) {
            return KeyResponses.error(HttpStatus.NOT_FOUND, "You have no published key.");
        }
        log.info("Public key withdrawn for {}", account.getName());
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{email}")
    ResponseEntity<Object> lookup(@PathVariable String email) {
        return directory.find(email)
                .map(key -> KeyResponses.armored(key.armored()))
                .orElseGet(() -> KeyResponses.error(HttpStatus.NOT_FOUND, "No published key for " + email + "."));
    }

    private static HttpStatus statusOf(KeyRejectedException rejected) {
        return switch (rejected.reason()) {
            case TOO_LARGE -> HttpStatus.PAYLOAD_TOO_LARGE;
            case EMPTY -> HttpStatus.BAD_REQUEST;
            default -> HttpStatus.UNPROCESSABLE_ENTITY;
        };
    }

    private static Map<String, Object> summary(StoredKey key) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("address", key.address());
        body.put("fingerprint", key.fingerprint());
        body.put("uploadedAt", key.uploadedAt().toString());
        return body;
    }
}
