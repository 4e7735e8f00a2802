package org.essaim.lists;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A message as bytes: its header fields exactly as written (folding kept) and its body untouched, so that a list can
 * change headers and add a footer part without changing one byte of a signed part. Line ends become CRLF.
 */
final class RawPost {
    private static final byte[] CRLF = {'\r', '\n'};

    /** One header field: its name and its raw bytes, continuation lines and final CRLF included. */
    record Field(String name, byte[] raw) {
        boolean is(String other) {
            return name.equalsIgnoreCase(other);
        }

        /** The value, unfolded, without the name (encoded words left as they are). */
        String value() {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int colon = text.indexOf(':');
            return text.substring(colon + 1).replaceAll("\r\n[ \t]", " ").strip();
        }
    }

    private final List<Field> fields;
    private final byte[] body;

    private RawPost(List<Field> fields, byte[] body) {
        this.fields = fields;
        this.body = body;
    }

    static RawPost parse(byte[] message) {
        byte[] crlf = toCrlf(message);
        List<Field> fields = new ArrayList<>();
        int position = 0;
        String name = null;
        ByteArrayOutputStream current = null;
        while (position < crlf.length) {
            int end = indexOfCrlf(crlf, position);
            int lineEnd = end < 0 ? crlf.length : end;
            int next = end < 0 ? crlf.length : end + 2;
            if (lineEnd == position) { // the empty line: the body follows
                position = next;
                break;
            }
            byte first = crlf[position];
            if ((first == ' ' || first == '\t') && current != null) {
                current.write(crlf, position, next - position);
            } else {
                if (current != null) {
                    fields.add(new Field(name, current.toByteArray()));
                }
                int colon = -1;
                for (int i = position; i < lineEnd; i++) {
                    if (crlf[i] == ':') {
                        colon = i;
                        break;
                    }
                }
                if (colon < 0) { // not a header line: the body starts here (no separating empty line)
                    current = null;
                    break;
                }
                name = new String(crlf, position, colon - position, StandardCharsets.ISO_8859_1).strip();
                current = new ByteArrayOutputStream();
                current.write(crlf, position, next - position);
                if (end < 0) {
                    current.writeBytes(CRLF);
                }
            }
            position = next;
        }
        if (current != null) {
            fields.add(new Field(name, current.toByteArray()));
        }
        return new RawPost(fields, java.util.Arrays.copyOfRange(crlf, Math.min(position, crlf.length), crlf.length));
    }

    List<Field> fields() {
        return fields;
    }

    byte[] body() {
        return body;
    }

    Optional<String> first(String name) {
        return fields.stream().filter(f -> f.is(name)).findFirst().map(Field::value);
    }

    /** The content type's media type, lower case ("text/plain" when absent). */
    String mediaType() {
        return first("Content-Type").map(v -> v.split(";", 2)[0].strip().toLowerCase(Locale.ROOT)).orElse("text/plain");
    }

    /** A parameter of the content type, lower case, e.g. charset. */
    Optional<String> contentTypeParameter(String parameter) {
        return first("Content-Type").flatMap(value -> {
            for (String part : value.split(";")) {
                String[] pair = part.split("=", 2);
                if (pair.length == 2 && pair[0].strip().equalsIgnoreCase(parameter)) {
                    return Optional.of(pair[1].strip().replace("\"", "").toLowerCase(Locale.ROOT));
                }
            }
            return Optional.empty();
        });
    }

    static byte[] field(String name, String value) {
        return fieldString(name, value).getBytes(StandardCharsets.UTF_8);
    }

    /** A header field, folded at its commas when long (a line should stay under 78 characters). */
    static String fieldString(String name, String value) {
        String line = name + ": " + value;
        if (line.length() <= 76) {
            return line + "\r\n";
        }
        return line.replace(">, <", ">,\r\n <") + "\r\n";
    }

    static byte[] toCrlf(byte[] in) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length + in.length / 40 + 2);
        for (int i = 0; i < in.length; i++) {
            byte b = in[i];
            if (b == '\n' && (i == 0 || in[i - 1] != '\r')) {
                out.write('\r');
            }
            out.write(b);
        }
        return out.toByteArray();
    }

    private static int indexOfCrlf(byte[] bytes, int from) {
        for (int i = from; i + 1 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
