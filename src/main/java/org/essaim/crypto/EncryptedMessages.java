package org.essaim.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;

/**
 * Recognises mail that is already end-to-end encrypted, so it is stored as it came and never encrypted twice:
 * PGP/MIME ({@code multipart/encrypted}), inline PGP (a single-part body that is one armored PGP message)
 * and S/MIME enveloped data.
 */
public final class EncryptedMessages {
    private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";

    private EncryptedMessages() {
    }

    public static boolean isEncrypted(byte[] message) {
        RawMessage parsed = RawMessage.parse(message);
        String type = parsed.mediaType();
        if (type.equals("multipart/encrypted")) {
            return true;
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            String contentType = parsed.first("Content-Type").map(RawMessage.Field::value).orElse("").toLowerCase(Locale.ROOT);
            return contentType.contains("enveloped-data") || contentType.contains("authenveloped-data");
        }
        if (type.startsWith("text/")) {
            return isArmoredPgpMessage(decodedBody(parsed));
        }
        return false;
    }

    static String decodedBody(RawMessage parsed) {
        String encoding = parsed.first("Content-Transfer-Encoding").map(RawMessage.Field::value)
                .orElse("7bit").toLowerCase(Locale.ROOT);
        byte[] body = parsed.body();
        if (encoding.equals("base64")) {
            try {
                return new String(Base64.getMimeDecoder().decode(body), StandardCharsets.ISO_8859_1);
            } catch (IllegalArgumentException e) {
                return "";
            }
        }
        // Armor is plain ASCII: quoted-printable leaves it readable apart from soft line breaks.
        String text = new String(body, StandardCharsets.ISO_8859_1);
        return encoding.equals("quoted-printable") ? text.replace("=\r\n", "") : text;
    }

    /** A text/plain body that is one OpenPGP cleartext-signed message (inline signature, RFC 4880 section 7). */
    static boolean isClearSigned(RawMessage parsed) {
        return parsed.mediaType().equals("text/plain")
                && decodedBody(parsed).strip().startsWith("-----BEGIN PGP SIGNED MESSAGE-----");
    }

    private static boolean isArmoredPgpMessage(String body) {
        String trimmed = body.strip();
        return trimmed.startsWith(BEGIN) && trimmed.endsWith(END);
    }
}
