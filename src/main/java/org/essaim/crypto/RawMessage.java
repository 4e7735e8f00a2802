package org.essaim.crypto;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An RFC 5322 message split into its header fields and body, byte for byte: nothing is decoded or re-encoded,
 * so 8-bit bodies and odd header folding survive exactly. Line ends are normalised to CRLF.
 */
final class RawMessage {

    /** One header field as it arrived, folded continuation lines included, CRLF-terminated. */
    record Field(String name, byte[] raw) {
        boolean is(String wanted) {
            return name.equalsIgnoreCase(wanted);
        }

        /** The unfolded value, bytes read as ISO-8859-1 so they round-trip. */
        String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return text.substring(colon + 1).replaceAll("\r\n[ \t]", " ").trim();
        }
    }

    private static final byte[] CRLF = {'\r', '\n'};

    private final List<Field> fields;
    /** The whole message (CRLF line ends); the body is its tail from {@code bodyStart}, kept as a view, not copied. */
    private final byte[] source;
    private final int bodyStart;

    private RawMessage(List<Field> fields, byte[] source, int bodyStart) {
        this.fields = fields;
        this.source = source;
        this.bodyStart = bodyStart;
    }

    static RawMessage parse(byte[] message) {
        byte[] crlf = toCrlf(message);
        List<Field> fields = new ArrayList<>();
        int position = 0;
        ByteArrayOutputStream current = null;
        String currentName = null;
        while (position < crlf.length) {
            int end = indexOfCrlf(crlf, position);
            int lineEnd = end < 0 ? crlf.length : end;
            int next = end < 0 ? crlf.length : end + 2;
            if (lineEnd == position) {
                position = next;
                break;
            }
            byte first = crlf[position];
            boolean continuation = first == ' ' || first == '\t';
            if (continuation && current != null) {
                current.write(crlf, position, next - position);
            } else {
                int colon = indexOf(crlf, (byte) ':', position, lineEnd);
                if (colon <= position) {
                    // Not a header line: the message has no blank line before its body; the rest is body.
                    break;
                }
                if (current != null) {
                    fields.add(new Field(currentName, current.toByteArray()));
                }
                currentName = new String(crlf, position, colon - position, StandardCharsets.ISO_8859_1).trim();
                current = new ByteArrayOutputStream();
                current.write(crlf, position, next - position);
                if (end < 0) {
                    current.writeBytes(CRLF);
                }
            }
            position = next;
        }
        if (current != null) {
            fields.add(new Field(currentName, current.toByteArray()));
        }
        int bodyStart = Math.min(position, crlf.length);
        return new RawMessage(List.copyOf(fields), crlf, bodyStart);
    }

    List<Field> fields() {
        return fields;
    }

    /** A copy of the body. */
    byte[] body() {
        return java.util.Arrays.copyOfRange(source, bodyStart, source.length);
    }

    int bodyLength() {
        return source.length - bodyStart;
    }

    /** Writes the body without copying it (large messages: one copy less in memory). */
    void writeBody(java.io.OutputStream out) throws java.io.IOException {
        out.write(source, bodyStart, source.length - bodyStart);
    }

    Optional<Field> first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst();
    }

    /** The media type of the top-level entity, lower case, without parameters ("text/plain" when absent). */
    String mediaType() {
        return first("Content-Type")
                .map(f -> f.value().split(";", 2)[0].trim().toLowerCase(Locale.ROOT))
                .filter(type -> !type.isEmpty())
                .orElse("text/plain");
    }

    static byte[] toCrlf(byte[] in) {
        int bareLineFeeds = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                bareLineFeeds++;
            }
        }
        if (bareLineFeeds == 0) {
            return in; // the usual case: SMTP delivers CRLF
        }
        byte[] out = new byte[in.length + bareLineFeeds];
        int o = 0;
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out[o++] = '\r';
            }
            out[o++] = in[i];
        }
        return out;
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] bytes, byte wanted, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }
}
