package org.essaim.spam;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Optional;

import org.essaim.crypto.EncryptedMessages;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * Each member's browser-side spam filter table (frontend/crypto/internal/spam-filter.js), as the browser encrypted
 * it to the member's own key: one armored OpenPGP message per account. The server never holds the table in clear
 * and cannot read it; it refuses anything that is not an OpenPGP-encrypted message (session key packets plus
 * encrypted data, {@link EncryptedMessages}), so a faulty client cannot make it store a table in clear either.
 */
@Component
public class BrowserFilterBlobs {
    /** A table is bounded in the browser (60 000 tokens); this leaves room for the armor and the labels. */
    static final int MAX_CHARS = 8 * 1024 * 1024;

    private final JdbcClient jdbc;

    public BrowserFilterBlobs(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> of(String account) {
        return jdbc.sql("SELECT blob FROM spam_browser_filter WHERE account = ?").param(account).query(String.class).optional();
    }

    /** @throws IllegalArgumentException when the blob is not one armored, really encrypted OpenPGP message */
    public void keep(String account, String armored) {
        if (!isEncryptedMessage(armored)) {
            throw new IllegalArgumentException("Only an OpenPGP-encrypted message is kept here.");
        }
        OffsetDateTime now = OffsetDateTime.now();
        if (jdbc.sql("UPDATE spam_browser_filter SET blob = ?, updated_at = ? WHERE account = ?").params(armored, now, account).update() == 0) {
            jdbc.sql("INSERT INTO spam_browser_filter (account, blob, updated_at) VALUES (?, ?, ?)").params(account, armored, now).update();
        }
    }

    static boolean isEncryptedMessage(String armored) {
        if (armored == null || armored.length() > MAX_CHARS) {
            return false;
        }
        String trimmed = armored.strip();
        if (!trimmed.startsWith("-----BEGIN PGP MESSAGE-----") || !trimmed.endsWith("-----END PGP MESSAGE-----")) {
            return false;
        }
        // As an inline-PGP text message: EncryptedMessages then checks the packets themselves, not just the armor.
        byte[] asMessage = ("Content-Type: text/plain; charset=us-ascii\r\n\r\n" + trimmed + "\r\n").getBytes(StandardCharsets.US_ASCII);
        return EncryptedMessages.isEncrypted(asMessage);
    }
}
