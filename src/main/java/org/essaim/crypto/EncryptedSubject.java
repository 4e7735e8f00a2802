package org.essaim.crypto;

import java.io.UnsupportedEncodingException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import jakarta.mail.internet.MimeUtility;


/**
 * The {@code Essaim-Encrypted-Subject} outer header: base64 of a binary, unsigned SEIPDv1 OpenPGP message whose
 * literal data is the real subject in UTF-8, encrypted to the same certificate as the body. The outer Subject is
 * "..." (protected headers), so without this header a message list could only show "..." until each message is
 * opened; with it, the browser decrypts one small packet per row. The value is folded in 76-character lines.
 */
final class EncryptedSubject {
    static final String HEADER = "Essaim-Encrypted-Subject";
    private static final int LINE = 76;

    private EncryptedSubject() {
    }

    /** The whole header field, CRLF-terminated; an absent Subject is encrypted as the empty subject. */
    static byte[] headerField(Optional<RawMessage.Field> subject, EncryptionRecipients.Recipient recipient) {
        String text = subject.map(EncryptedSubject::decoded).orElse("");
        return headerField(PgpMimeEncryptor.encrypt(text.getBytes(StandardCharsets.UTF_8), recipient, false));
    }

    private static byte[] headerField(byte[] ciphertext) {
        return (HEADER + ": " + folded(Base64.getEncoder().encodeToString(ciphertext)) + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * The subject as the user reads it: raw 8-bit UTF-8 (RFC 6532) or Latin-1 bytes read as such, folding
     * removed, RFC 2047 encoded-words decoded to Unicode. Encoded-words that cannot be decoded stay as written.
     */
    static String decoded(RawMessage.Field field) {
        String raw = utf8OrLatin1(field.raw());
        String value = raw.substring(raw.indexOf(':') + 1).replaceAll("\r\n(?=[ \t])", "").strip();
        try {
            return MimeUtility.decodeText(value);
        } catch (UnsupportedEncodingException | RuntimeException unknownCharset) {
            return value;
        }
    }

    private static String utf8OrLatin1(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException notUtf8) {
            return new String(bytes, StandardCharsets.ISO_8859_1);
        }
    }

    /** The first line shares its 76 characters with the field name; continuation lines start with one space. */
    static String folded(String base64) {
        StringBuilder out = new StringBuilder(base64.length() + base64.length() / LINE * 3 + 3);
        int first = Math.max(1, LINE - HEADER.length() - 2);
        int position = Math.min(first, base64.length());
        out.append(base64, 0, position);
        while (position < base64.length()) {
            int end = Math.min(position + LINE - 1, base64.length());
            out.append("\r\n ").append(base64, position, end);
            position = end;
        }
        return out.toString();
    }
}
