package org.essaim.webmail.composing;

import java.time.Instant;
import java.util.regex.Pattern;

/**
 * Checks that what the browser handed over is ciphertext, never plaintext by mistake: an armored PGP message and
 * a base64 encrypted subject, nothing else in them.
 */
final class ArmoredCiphertext {
    private static final Pattern ARMORED_MESSAGE = Pattern.compile(
            "-----BEGIN PGP MESSAGE-----\n(?:[A-Za-z]+: [^\n]*\n)*\n[A-Za-z0-9+/=\n]+-----END PGP MESSAGE-----\n?");
    private static final Pattern BASE64 = Pattern.compile("[A-Za-z0-9+/]+={0,2}");
    static final int MAX_CHARS = 40 * 1024 * 1024;

    private ArmoredCiphertext() {
    }

    static String message(String armored) {
        String normalized = armored == null ? "" : armored.replace("\r\n", "\n");
        if (normalized.length() > MAX_CHARS || !ARMORED_MESSAGE.matcher(normalized).matches()) {
            throw new IllegalArgumentException("The browser did not hand over an armored OpenPGP message; nothing was sent.");
        }
        return normalized;
    }

    static String subject(String base64) {
        String compact = base64 == null ? "" : base64.replaceAll("\\s+", "");
        if (compact.isEmpty() || compact.length() > 64 * 1024 || !BASE64.matcher(compact).matches()) {
            throw new IllegalArgumentException("The encrypted subject is not base64; nothing was sent.");
        }
        return compact;
    }

    static Instant date(String millis) {
        try {
            return Instant.ofEpochMilli(Long.parseLong(millis));
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("The message date is not a number; nothing was sent.");
        }
    }
}
