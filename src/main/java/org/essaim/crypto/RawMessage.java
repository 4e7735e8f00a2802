package org.essaim.crypto;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * An RFC 5322 message split into its header fields and body, byte for byte: nothing is decoded or re-encoded,
 * so 8-bit bodies and odd header folding survive exactly. Line ends are normalised to CRLF.
 * <p>
 * Only the header is held in memory; the body is a stream, read once (a 45 MB message is encrypted as it is
 * read, with the documented small heap: issue 11 item 6).
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

    /**
     * A header section larger than this is not held in memory: what follows is treated as body. No real mail
     * comes near it (SMTP lines are at most 1 000 bytes; a big header is a few hundred lines).
     */
    static final int MAX_HEADER_BYTES = 8 << 20;
    /** How much of the body {@link #bodyStart} looks at. */
    static final int PEEK_BYTES = 64 * 1024;

    private final List<Field> fields;
    private final BufferedInputStream body;

    private RawMessage(List<Field> fields, BufferedInputStream body) {
        this.fields = fields;
        this.body = body;
    }

    static RawMessage parse(byte[] message) {
        try {
            return read(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an array
        }
    }

    /** Reads the header fields; the body stays in {@code message}, read later through {@link #bodyStream()}. */
    static RawMessage read(InputStream message) throws IOException {
        BufferedInputStream in = new BufferedInputStream(message, 64 * 1024);
        List<Field> fields = new ArrayList<>();
        ByteArrayOutputStream current = null;
        String currentName = null;
        long headerBytes = 0;
        while (true) {
            in.mark(MAX_HEADER_BYTES);
            byte[] line = readLine(in, MAX_HEADER_BYTES);
            if (line == null) {
                break; // the message ends within its header: no body
            }
            if (line.length == 2) {
                break; // the blank line: the body follows
            }
            headerBytes += line.length;
            boolean continuation = line[0] == ' ' || line[0] == '\t';
            if (continuation && current != null && headerBytes <= MAX_HEADER_BYTES) {
                current.write(line, 0, line.length);
                continue;
            }
            int colon = indexOf(line, (byte) ':');
            if (colon <= 0 || headerBytes > MAX_HEADER_BYTES) {
                // Not a header line: the message has no blank line before its body; this line starts the body.
                in.reset();
                break;
            }
            if (current != null) {
                fields.add(new Field(currentName, current.toByteArray()));
            }
            currentName = new String(line, 0, colon, StandardCharsets.ISO_8859_1).trim();
            current = new ByteArrayOutputStream(line.length + 64);
            current.write(line, 0, line.length);
        }
        if (current != null) {
            fields.add(new Field(currentName, current.toByteArray()));
        }
        in.mark(0); // drop the line mark: the buffer must not grow with the body
        return new RawMessage(List.copyOf(fields), new BufferedInputStream(new CrlfInputStream(in), 64 * 1024));
    }

    /**
     * One line up to and including its line feed, with CRLF as its end (a bare LF gets its CR, a last line without
     * an end gets CRLF); null at the end of the stream. A line longer than {@code limit} is cut there.
     */
    private static byte[] readLine(InputStream in, int limit) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                if (previous != '\r') {
                    line.write('\r');
                }
                line.write('\n');
                return line.toByteArray();
            }
            line.write(b);
            previous = b;
            if (line.size() >= limit) {
                break;
            }
        }
        if (line.size() == 0) {
            return null;
        }
        line.write('\r');
        line.write('\n');
        return line.toByteArray();
    }

    List<Field> fields() {
        return fields;
    }

    /** The body, CRLF line ends, from where it starts; read it once. */
    InputStream bodyStream() {
        return body;
    }

    /** The rest of the body in an array (for small entities only: the parts of a message, tests). */
    byte[] body() {
        try {
            return body.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bare LF becomes CRLF; an array already in CRLF is returned as it is. */
    static byte[] toCrlf(byte[] in) {
        try {
            byte[] out = new CrlfInputStream(new ByteArrayInputStream(in)).readAllBytes();
            return java.util.Arrays.equals(in, out) ? in : out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The body's first bytes (at most {@link #PEEK_BYTES}), without consuming them. */
    byte[] bodyStart() throws IOException {
        body.mark(PEEK_BYTES);
        byte[] start = body.readNBytes(PEEK_BYTES);
        body.reset();
        return start;
    }

    /** Writes the rest of the body. */
    void writeBody(OutputStream out) throws IOException {
        body.transferTo(out);
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

    /** The Content-Transfer-Encoding, lower case ("7bit" when absent). */
    String transferEncoding() {
        return first("Content-Transfer-Encoding").map(Field::value).orElse("7bit").toLowerCase(Locale.ROOT);
    }

    private static int indexOf(byte[] bytes, byte wanted) {
        for (int i = 0; i < bytes.length - 2; i++) {
            if (bytes[i] == wanted) {
                return i;
            }
        }
        return -1;
    }

    /** Bare LF becomes CRLF; CRLF stays as it is. */
    private static final class CrlfInputStream extends FilterInputStream {
        private final byte[] raw = new byte[32 * 1024];
        private int previous = -1;
        private boolean pendingLineFeed;

        CrlfInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (pendingLineFeed) {
                pendingLineFeed = false;
                previous = '\n';
                return '\n';
            }
            int b = in.read();
            if (b == '\n' && previous != '\r') {
                pendingLineFeed = true;
                previous = '\r';
                return '\r';
            }
            previous = b;
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n = 0;
            // Leave room for a CR inserted before each LF: read at most half, then expand in place.
            if (pendingLineFeed) {
                bytes[offset + n++] = (byte) read();
            }
            if (n == length) {
                return n;
            }
            int room = length - n;
            if (room < 2) {
                int b = read();
                if (b < 0) {
                    return n == 0 ? -1 : n;
                }
                bytes[offset + n++] = (byte) b;
                return n;
            }
            int got = in.read(raw, 0, Math.min(raw.length, room / 2));
            if (got < 0) {
                return n == 0 ? -1 : n;
            }
            for (int i = 0; i < got; i++) {
                byte b = raw[i];
                if (b == '\n' && previous != '\r') {
                    bytes[offset + n++] = '\r';
                }
                bytes[offset + n++] = b;
                previous = b;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = 0;
            while (skipped < n && read() >= 0) {
                skipped++;
            }
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public int available() {
            return 0;
        }
    }
}
