package org.essaim.crypto;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Recognises mail that is already end-to-end encrypted, so that it is stored exactly as it came and never encrypted
 * twice. The label is not enough (issue 11, item 4): what passes must really be ciphertext, by its form:
 * <ul>
 * <li>PGP/MIME (RFC 3156): {@code multipart/encrypted; protocol="application/pgp-encrypted"} with exactly its two
 * parts, the second one an armored OpenPGP message that parses as session key packets plus encrypted data
 * ({@link OpenPgpEncryptedMessage}), and no more than a short note around the parts and short part headers;</li>
 * <li>inline PGP: a single-part text body that is exactly one such armored OpenPGP message;</li>
 * <li>S/MIME: an {@code application/pkcs7-mime} body that parses as CMS EnvelopedData or AuthEnvelopedData
 * ({@link SmimeEnvelopedData}), whatever its {@code smime-type} label says.</li>
 * </ul>
 * Anything else, a wrapper or label around plaintext included, is not encrypted. In doubt, the answer is "not
 * encrypted": encrypting a real ciphertext once more loses nothing, storing plaintext breaks the promise.
 */
public final class EncryptedMessages {
    /** A sender's note before or after the parts ("This is an OpenPGP/MIME encrypted message"), not a letter. */
    private static final int MAX_NOTE = 512;
    /** A part's own header fields (type, description, disposition) are short; a letter does not fit. */
    private static final int MAX_PART_HEADERS = 1024;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PROTOCOL = Pattern.compile("(?i)(?:^|;)\\s*protocol\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");

    private EncryptedMessages() {
    }

    public static boolean isEncrypted(byte[] message) {
        RawMessage parsed = RawMessage.parse(message);
        String type = parsed.mediaType();
        if (type.equals("multipart/encrypted")) {
            return isPgpMime(parsed);
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            return SmimeEnvelopedData.isEnvelopedData(decodedBody(parsed));
        }
        if (type.startsWith("text/")) {
            return OpenPgpEncryptedMessage.isArmored(new String(decodedBody(parsed), StandardCharsets.ISO_8859_1));
        }
        return false;
    }

    /** A text/plain body that is one OpenPGP cleartext-signed message (inline signature, RFC 4880 section 7). */
    static boolean isClearSigned(RawMessage parsed) {
        return parsed.mediaType().equals("text/plain")
                && new String(decodedBody(parsed), StandardCharsets.ISO_8859_1).strip()
                        .startsWith("-----BEGIN PGP SIGNED MESSAGE-----");
    }

    private static boolean isPgpMime(RawMessage message) {
        String contentType = contentType(message);
        Optional<String> protocol = parameter(PROTOCOL, contentType);
        Optional<String> boundary = parameter(BOUNDARY, contentType);
        if (protocol.isEmpty() || !protocol.get().equalsIgnoreCase("application/pgp-encrypted") || boundary.isEmpty()) {
            return false;
        }
        Optional<List<byte[]>> parts = MultipartBody.split(message.body(), boundary.get(), MAX_NOTE);
        if (parts.isEmpty() || parts.get().size() != 2) {
            return false;
        }
        RawMessage control = RawMessage.parse(parts.get().get(0));
        RawMessage payload = RawMessage.parse(parts.get().get(1));
        if (headerLength(control) > MAX_PART_HEADERS || headerLength(payload) > MAX_PART_HEADERS) {
            return false;
        }
        if (!control.mediaType().equals("application/pgp-encrypted")
                || !new String(decodedBody(control), StandardCharsets.ISO_8859_1).contains("Version: 1")
                || !payload.mediaType().equals("application/octet-stream")) {
            return false;
        }
        byte[] data = decodedBody(payload);
        String text = new String(data, StandardCharsets.ISO_8859_1);
        return text.strip().startsWith("-----BEGIN PGP MESSAGE-----")
                ? OpenPgpEncryptedMessage.isArmored(text)
                : OpenPgpEncryptedMessage.isBinary(data);
    }

    private static int headerLength(RawMessage entity) {
        return entity.fields().stream().mapToInt(field -> field.raw().length).sum();
    }

    private static String contentType(RawMessage message) {
        return message.first("Content-Type").map(RawMessage.Field::value).orElse("");
    }

    private static Optional<String> parameter(Pattern pattern, String contentType) {
        int semicolon = contentType.indexOf(';');
        if (semicolon < 0) {
            return Optional.empty();
        }
        Matcher matcher = pattern.matcher(contentType.substring(semicolon));
        return matcher.find() ? Optional.of(matcher.group(1) != null ? matcher.group(1) : matcher.group(2)) : Optional.empty();
    }

    /** The entity's body with its Content-Transfer-Encoding undone (7bit, 8bit, binary: as is). */
    private static byte[] decodedBody(RawMessage entity) {
        String encoding = entity.first("Content-Transfer-Encoding").map(RawMessage.Field::value)
                .orElse("7bit").trim().toLowerCase(Locale.ROOT);
        byte[] body = entity.body();
        if (encoding.equals("base64")) {
            try {
                String compact = new String(body, StandardCharsets.US_ASCII).replaceAll("[\\r\\n\\t ]", "");
                return Base64.getDecoder().decode(compact);
            } catch (IllegalArgumentException e) {
                return new byte[0];
            }
        }
        if (encoding.equals("quoted-printable")) {
            return quotedPrintable(body);
        }
        return body;
    }

    private static byte[] quotedPrintable(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length);
        for (int i = 0; i < body.length; i++) {
            byte b = body[i];
            if (b == '=' && i + 2 < body.length && body[i + 1] == '\r' && body[i + 2] == '\n') {
                i += 2; // soft line break
            } else if (b == '=' && i + 2 < body.length
                    && Character.digit(body[i + 1], 16) >= 0 && Character.digit(body[i + 2], 16) >= 0) {
                out.write(Character.digit(body[i + 1], 16) * 16 + Character.digit(body[i + 2], 16));
                i += 2;
            } else {
                out.write(b);
            }
        }
        return out.toByteArray();
    }

    /** A multipart body cut at its boundary lines (RFC 2046 section 5.1.1), CRLF line ends. */
    static final class MultipartBody {
        private MultipartBody() {
        }

        /**
         * @return the parts (each an entity: headers, blank line, body), or empty when the body is no well-formed
         *         multipart with this boundary or has more than {@code maxNote} octets before or after its parts
         */
        static Optional<List<byte[]>> split(byte[] body, String boundary, int maxNote) {
            String text = new String(RawMessage.toCrlf(body), StandardCharsets.ISO_8859_1);
            String delimiter = "--" + boundary;
            List<byte[]> parts = new ArrayList<>();
            int lineStart = 0;
            int partStart = -1;
            boolean closed = false;
            while (lineStart <= text.length()) {
                int lineEnd = text.indexOf("\r\n", lineStart);
                String line = text.substring(lineStart, lineEnd < 0 ? text.length() : lineEnd);
                String trimmed = line.stripTrailing(); // transport padding after a boundary is allowed
                boolean delimiterLine = trimmed.equals(delimiter) || trimmed.equals(delimiter + "--");
                if (delimiterLine) {
                    if (partStart < 0) {
                        if (lineStart > maxNote) {
                            return Optional.empty(); // a preamble is a note, not a letter
                        }
                    } else {
                        // the CRLF before the delimiter belongs to the delimiter
                        int partEnd = Math.max(partStart, lineStart - 2);
                        parts.add(text.substring(partStart, partEnd).getBytes(StandardCharsets.ISO_8859_1));
                    }
                    if (trimmed.endsWith("--") && !trimmed.equals(delimiter)) {
                        closed = true;
                        int epilogue = lineEnd < 0 ? 0 : text.length() - (lineEnd + 2);
                        if (epilogue > maxNote) {
                            return Optional.empty();
                        }
                        break;
                    }
                    partStart = lineEnd < 0 ? text.length() : lineEnd + 2;
                }
                if (lineEnd < 0) {
                    break;
                }
                lineStart = lineEnd + 2;
            }
            return closed ? Optional.of(parts) : Optional.empty();
        }
    }
}
