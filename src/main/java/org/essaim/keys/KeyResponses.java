package org.essaim.keys;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

/**
 * Response shapes shared by the key endpoints. Content types are always set explicitly, so a client's Accept
 * header (gpg, curl, a browser) never turns an answer into a 406.
 */
final class KeyResponses {
    static final MediaType PGP_KEYS = MediaType.parseMediaType("application/pgp-keys");

    private KeyResponses() {
    }

    static ResponseEntity<Object> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(Map.of("error", message));
    }

    /** Armored keys go out as their UTF-8 bytes: armor comments may hold non-ASCII user IDs. */
    static ResponseEntity<Object> armored(String armored) {
        return ResponseEntity.ok().contentType(PGP_KEYS).body(armored.getBytes(StandardCharsets.UTF_8));
    }
}
