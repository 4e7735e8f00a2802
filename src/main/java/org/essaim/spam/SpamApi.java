package org.essaim.spam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * What the webmail's spam features need from the server: {@code GET/PUT /api/spam/classifier}, the member's own
 * filter table as an OpenPGP message encrypted in their browser ({@link BrowserFilterBlobs}; each account reads and
 * writes only its own), and {@code POST /api/spam/shared}, one message shared as spam with the member's consent.
 */
@RestController
@RequestMapping("/api/spam")
class SpamApi {
    private static final MediaType PGP = MediaType.parseMediaType("application/pgp-encrypted");

    private final BrowserFilterBlobs blobs;
    private final SharedSpam shared;

    SpamApi(BrowserFilterBlobs blobs, SharedSpam shared) {
        this.blobs = blobs;
        this.shared = shared;
    }

    /**
     * "Report spam and share it": the body is one message the member decrypted in their browser and agreed to share
     * ({@link SharedSpam}). 204 when learnt; 413 when larger than what delivery reads; 429 over the daily limit.
     */
    @PostMapping("/shared")
    ResponseEntity<String> share(Authentication account, HttpServletRequest request) throws IOException {
        byte[] message;
        try (InputStream body = request.getInputStream()) {
            message = body.readNBytes(SharedSpam.MAX_BYTES + 1);
        }
        return switch (shared.share(account.getName(), message)) {
            case LEARNT -> ResponseEntity.noContent().build();
            case TOO_LARGE -> ResponseEntity.status(413).contentType(MediaType.TEXT_PLAIN).body("This message is too large to share.");
            case TOO_MANY_TODAY -> ResponseEntity.status(429).contentType(MediaType.TEXT_PLAIN)
                    .body("You have shared as many messages as a day allows; thank you.");
        };
    }

    @GetMapping("/classifier")
    ResponseEntity<String> classifier(Authentication account) {
        return blobs.of(account.getName())
                .map(blob -> ResponseEntity.ok().contentType(PGP).header("Cache-Control", "no-store").body(blob))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PutMapping("/classifier")
    ResponseEntity<String> keepClassifier(Authentication account, HttpServletRequest request) throws IOException {
        String armored;
        try (InputStream body = request.getInputStream()) {
            byte[] bytes = body.readNBytes(BrowserFilterBlobs.MAX_CHARS + 1);
            armored = new String(bytes, StandardCharsets.US_ASCII);
        }
        try {
            blobs.keep(account.getName(), armored);
        } catch (IllegalArgumentException e) {
            return ResponseEntity.badRequest().contentType(MediaType.TEXT_PLAIN).body(e.getMessage());
        }
        return ResponseEntity.noContent().build();
    }
}
