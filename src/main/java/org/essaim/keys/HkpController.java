package org.essaim.keys;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.essaim.crypto.CertificateSummary;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The read-only half of the HKP keyserver protocol (draft-shaw-openpgp-hkp), so that
 * {@code gpg --keyserver hkp://HOST --recv-keys FINGERPRINT} and {@code --search-keys ADDRESS} work.
 *
 * <p>Only local users' published keys are served. A search is an exact mail address or a key's fingerprint
 * or key ID; there is no substring search, so the member list cannot be harvested through it. Uploads go
 * through {@code PUT /api/keys/me}, never through {@code /pks/add}.
 */
@RestController
@RequestMapping("/pks")
class HkpController {
    private static final MediaType TEXT = new MediaType("text", "plain", StandardCharsets.UTF_8);

    private final PublicKeyDirectory directory;

    HkpController(PublicKeyDirectory directory) {
        this.directory = directory;
    }

    @GetMapping("/lookup")
    ResponseEntity<Object> lookup(@RequestParam(defaultValue = "") String op,
                                  @RequestParam(defaultValue = "") String search) {
        String operation = op.toLowerCase(Locale.ROOT);
        if (!operation.equals("get") && !operation.equals("index") && !operation.equals("vindex")) {
            return KeyResponses.error(HttpStatus.NOT_IMPLEMENTED, "Supported operations: get, index, vindex.");
        }
        List<StoredKey> keys = find(search);
        if (keys.isEmpty()) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(TEXT).body("No keys found\n");
        }
        if (operation.equals("get")) {
            StringBuilder armored = new StringBuilder();
            keys.forEach(key -> armored.append(key.armored()).append(key.armored().endsWith("\n") ? "" : "\n"));
            return KeyResponses.armored(armored.toString());
        }
        return ResponseEntity.ok().contentType(TEXT).body(index(keys));
    }

    @RequestMapping("/add")
    ResponseEntity<Object> add() {
        return KeyResponses.error(HttpStatus.FORBIDDEN,
                "This keyserver publishes only its own users' keys. Upload yours with PUT /api/keys/me.");
    }

    private List<StoredKey> find(String search) {
        String term = search.trim();
        if (term.regionMatches(true, 0, "0x", 0, 2)) {
            return directory.findByFingerprintOrKeyId(term.substring(2));
        }
        // gpg may send "<addr>", "=addr" (exact) or "@addr" depending on how the user typed it.
        String address = term.replaceFirst("^[=<@*]+", "").replaceFirst(">$", "").trim();
        if (address.matches("[^@\\s<>]+@[^@\\s<>]+")) {
            return directory.find(address).stream().toList();
        }
        if (term.matches("[0-9A-Fa-f]{40}")) {
            return directory.findByFingerprintOrKeyId(term);
        }
        return List.of();
    }

    /** The machine-readable index: info:1:N, then per key a pub: line and one uid: line per user ID. */
    static String index(List<StoredKey> keys) {
        Instant now = Instant.now();
        StringBuilder out = new StringBuilder("info:1:").append(keys.size()).append('\n');
        for (StoredKey key : keys) {
            CertificateSummary summary = CertificateSummary.of(key.binary());
            String flags = (summary.revoked() ? "r" : "") + (summary.isExpired(now) ? "e" : "");
            out.append("pub:").append(summary.fingerprint())
                    .append(':').append(summary.algorithm())
                    .append(':').append(summary.bitStrength())
                    .append(':').append(summary.created().getEpochSecond())
                    .append(':').append(summary.expires() == null ? "" : summary.expires().getEpochSecond())
                    .append(':').append(flags).append('\n');
            for (String userId : summary.userIds()) {
                out.append("uid:").append(escape(userId)).append("::").append(':').append(flags).append('\n');
            }
        }
        return out.toString();
    }

    /** Colons, '%', control characters and non-ASCII bytes become %XX, as the index format requires. */
    private static String escape(String userId) {
        StringBuilder out = new StringBuilder();
        for (byte b : userId.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == ':' || c == '%' || c < 0x20 || c > 0x7e) {
                out.append('%').append(String.format("%02X", c));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }
}
