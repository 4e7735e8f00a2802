package org.essaim.crypto;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
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
 * <p>
 * The message is read as a stream, once: plain mail is decided on its header alone, and PGP data is checked as it
 * goes by, so a 45 MB message needs a few KB (issue 11 item 6). S/MIME is checked in memory up to
 * {@link #MAX_SMIME_BYTES}; a larger S/MIME body counts as not encrypted (encrypted once more: the safe side).
 */
public final class EncryptedMessages {
    /** A sender's note before or after the parts ("This is an OpenPGP/MIME encrypted message"), not a letter. */
    private static final int MAX_NOTE = 512;
    /** A part's own header fields (type, description, disposition) are short; a letter does not fit. */
    private static final int MAX_PART_HEADERS = 1024;
    /** The control part of PGP/MIME is "Version: 1" with short headers; nothing bigger is one. */
    private static final int MAX_CONTROL_PART = MAX_PART_HEADERS + MAX_NOTE;
    /** The largest S/MIME body checked (in memory, by Bouncy Castle's parser). */
    static final int MAX_SMIME_BYTES = 8 << 20;
    private static final Pattern BOUNDARY = Pattern.compile("(?i)(?:^|;)\\s*boundary\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");
    private static final Pattern PROTOCOL = Pattern.compile("(?i)(?:^|;)\\s*protocol\\s*=\\s*(?:\"([^\"]+)\"|([^;\\s]+))");

    private EncryptedMessages() {
    }

    public static boolean isEncrypted(byte[] message) {
        try {
            return isEncrypted(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an array
        }
    }

    /**
     * The same for a message read as a stream (not closed; read as far as needed).
     *
     * @throws IOException when reading the message fails (not when its content is malformed: that is "not encrypted")
     */
    public static boolean isEncrypted(InputStream message) throws IOException {
        RawMessage parsed = RawMessage.read(message);
        String type = parsed.mediaType();
        if (type.equals("multipart/encrypted")) {
            return isPgpMime(parsed);
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            byte[] body;
            try (InputStream decoded = decoded(parsed.bodyStream(), parsed.transferEncoding())) {
                body = decoded.readNBytes(MAX_SMIME_BYTES + 1);
            } catch (DecodingFailed e) {
                return false;
            }
            return body.length <= MAX_SMIME_BYTES && SmimeEnvelopedData.isEnvelopedData(body);
        }
        if (type.startsWith("text/")) {
            return OpenPgpEncryptedMessage.isArmored(decoded(parsed.bodyStream(), parsed.transferEncoding()));
        }
        return false;
    }

    /** A text/plain body that is one OpenPGP cleartext-signed message (inline signature, RFC 4880 section 7). */
    static boolean isClearSigned(RawMessage parsed) throws IOException {
        if (!parsed.mediaType().equals("text/plain")) {
            return false;
        }
        try (InputStream start = decoded(new ByteArrayInputStream(parsed.bodyStart()), parsed.transferEncoding())) {
            return startsAfterWhitespace(start, "-----BEGIN PGP SIGNED MESSAGE-----");
        } catch (DecodingFailed e) {
            return false;
        }
    }

    private static boolean isPgpMime(RawMessage message) throws IOException {
        String contentType = contentType(message);
        Optional<String> protocol = parameter(PROTOCOL, contentType);
        Optional<String> boundary = parameter(BOUNDARY, contentType);
        if (protocol.isEmpty() || !protocol.get().equalsIgnoreCase("application/pgp-encrypted") || boundary.isEmpty()) {
            return false;
        }
        MultipartBody parts = new MultipartBody(message.bodyStream(), boundary.get());
        if (!parts.skipPreamble(MAX_NOTE)) {
            return false;
        }
        byte[] controlPart = parts.nextPart().readNBytes(MAX_CONTROL_PART + 1);
        if (controlPart.length > MAX_CONTROL_PART || parts.partEnd() != MultipartBody.End.DELIMITER) {
            return false; // too big for a control part, or no second part
        }
        RawMessage control = RawMessage.parse(controlPart);
        if (headerLength(control) > MAX_PART_HEADERS || !control.mediaType().equals("application/pgp-encrypted")) {
            return false;
        }
        try (InputStream version = decoded(control.bodyStream(), control.transferEncoding())) {
            if (!new String(version.readAllBytes(), StandardCharsets.ISO_8859_1).contains("Version: 1")) {
                return false;
            }
        } catch (DecodingFailed e) {
            return false;
        }
        InputStream payloadPart = parts.nextPart();
        RawMessage payload = RawMessage.read(payloadPart);
        if (headerLength(payload) > MAX_PART_HEADERS || !payload.mediaType().equals("application/octet-stream")) {
            return false;
        }
        boolean encrypted;
        try (BufferedInputStream data = new BufferedInputStream(decoded(payload.bodyStream(), payload.transferEncoding()), 65536)) {
            encrypted = startsWithArmor(data) ? OpenPgpEncryptedMessage.isArmored(data) : OpenPgpEncryptedMessage.isBinary(data);
        } catch (DecodingFailed e) {
            return false;
        }
        if (!encrypted) {
            return false;
        }
        payloadPart.transferTo(OutputStreamNowhere.INSTANCE);
        return parts.partEnd() == MultipartBody.End.CLOSE_DELIMITER && parts.epilogueLength(MAX_NOTE + 1) <= MAX_NOTE;
    }

    /** Whether the data, white space aside, starts with an armor BEGIN line (the stream is left where it was). */
    private static boolean startsWithArmor(BufferedInputStream data) throws IOException {
        data.mark(65536);
        try {
            return startsAfterWhitespace(data, OpenPgpEncryptedMessage.BEGIN);
        } finally {
            data.reset();
        }
    }

    private static boolean startsAfterWhitespace(InputStream in, String prefix) throws IOException {
        int b;
        int skipped = 0;
        do {
            b = in.read();
        } while (b >= 0 && Character.isWhitespace((char) b) && ++skipped < 60_000);
        for (int i = 0; i < prefix.length(); i++) {
            if (b != prefix.charAt(i)) {
                return false;
            }
            b = in.read();
        }
        return true;
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

    /**
     * The body with its Content-Transfer-Encoding undone (7bit, 8bit, binary: as is). Bad base64 makes the reader
     * throw {@link DecodingFailed}.
     */
    private static InputStream decoded(InputStream body, String encoding) {
        String name = encoding.trim();
        if (name.equals("base64")) {
            return new DecodingFailed.Translated(Base64.getDecoder().wrap(new WhitespaceRemoved(body)));
        }
        if (name.equals("quoted-printable")) {
            return new BufferedInputStream(new QuotedPrintable(body), 8192);
        }
        return body;
    }

    /** The content is not what its transfer encoding says (broken base64): not encrypted. */
    private static final class DecodingFailed extends IOException {
        DecodingFailed(Throwable cause) {
            super(cause);
        }

        /** Base64's decoder reports bad input as IOException; this tells it from a failure to read the message. */
        static final class Translated extends FilterInputStream {
            Translated(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                try {
                    return in.read();
                } catch (IOException | IllegalArgumentException e) {
                    throw new DecodingFailed(e);
                }
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws IOException {
                try {
                    return in.read(bytes, offset, length);
                } catch (IOException | IllegalArgumentException e) {
                    throw new DecodingFailed(e);
                }
            }
        }
    }

    /** Base64 lines joined: CR, LF, tab and space left out (as the decoder expects). */
    private static final class WhitespaceRemoved extends FilterInputStream {
        WhitespaceRemoved(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b;
            do {
                b = in.read();
            } while (b == '\r' || b == '\n' || b == '\t' || b == ' ');
            return b;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            while (true) {
                int n = in.read(bytes, offset, length);
                if (n <= 0) {
                    return n;
                }
                int kept = 0;
                for (int i = 0; i < n; i++) {
                    byte b = bytes[offset + i];
                    if (b != '\r' && b != '\n' && b != '\t' && b != ' ') {
                        bytes[offset + kept++] = b;
                    }
                }
                if (kept > 0) {
                    return kept;
                }
            }
        }
    }

    /** Quoted-printable decoded: {@code =XX} becomes its octet, soft line breaks go, anything else stays. */
    private static final class QuotedPrintable extends FilterInputStream {
        QuotedPrintable(InputStream in) {
            super(new PushbackInputStream(in, 2));
        }

        @Override
        public int read() throws IOException {
            PushbackInputStream source = (PushbackInputStream) in;
            while (true) {
                int b = source.read();
                if (b != '=') {
                    return b;
                }
                int first = source.read();
                int second = first < 0 ? -1 : source.read();
                if (first == '\r' && second == '\n') {
                    continue; // soft line break
                }
                if (first >= 0 && second >= 0 && Character.digit(first, 16) >= 0 && Character.digit(second, 16) >= 0) {
                    return Character.digit(first, 16) * 16 + Character.digit(second, 16);
                }
                if (second >= 0) {
                    source.unread(second);
                }
                if (first >= 0) {
                    source.unread(first);
                }
                return b;
            }
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            int n = 0;
            while (n < length) {
                int b = read();
                if (b < 0) {
                    return n == 0 ? -1 : n;
                }
                bytes[offset + n++] = (byte) b;
            }
            return n;
        }
    }

    /** Where drained bytes go. */
    private static final class OutputStreamNowhere {
        static final java.io.OutputStream INSTANCE = java.io.OutputStream.nullOutputStream();
    }

    /**
     * A multipart body (RFC 2046 section 5.1.1, CRLF line ends) read part by part as streams: the CRLF before a
     * delimiter line belongs to the delimiter; a line is looked at in pieces of at most 8 KB (a delimiter line is
     * short), so a part of any size is read with a small buffer.
     */
    static final class MultipartBody {
        enum End { NONE, DELIMITER, CLOSE_DELIMITER }

        private static final int PIECE = 8192;
        private final BufferedInputStream in;
        private final String delimiter;
        private final byte[] piece = new byte[PIECE + 3]; // a CR at the cut keeps its LF; a held CRLF goes in front
        private int pieceLength;
        private boolean pieceStartsLine = true;
        private boolean previousEndedLine = true;
        private End end = End.NONE;

        MultipartBody(InputStream body, String boundary) {
            this.in = new BufferedInputStream(body, 65536);
            this.delimiter = "--" + boundary;
        }

        /** Reads up to the first delimiter line; false when there is none, it closes, or more than {@code maxNote} precede it. */
        boolean skipPreamble(int maxNote) throws IOException {
            long before = 0;
            while (readPiece()) {
                End found = delimiterOf();
                if (found != End.NONE) {
                    return found == End.DELIMITER && before <= maxNote;
                }
                before += pieceLength;
                if (before > maxNote) {
                    return false;
                }
            }
            return false;
        }

        /** The next part, up to the next delimiter line (then {@link #partEnd()} says which) or the end of the body. */
        InputStream nextPart() {
            end = End.NONE;
            return new InputStream() {
                private int position;
                private int available; // bytes of the current piece handed out (its final CRLF is held back)
                private boolean heldCrlf;
                private boolean finished;

                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] bytes, int offset, int length) throws IOException {
                    if (length == 0) {
                        return 0;
                    }
                    while (position >= available) {
                        if (finished) {
                            return -1;
                        }
                        if (!readPiece()) {
                            finished = true; // the body ended without a delimiter
                            return -1;
                        }
                        End found = delimiterOf();
                        if (found != End.NONE) {
                            end = found;
                            finished = true; // the CRLF held back belongs to the delimiter
                            return -1;
                        }
                        boolean endsCrlf = pieceLength >= 2 && piece[pieceLength - 2] == '\r' && piece[pieceLength - 1] == '\n';
                        if (heldCrlf) {
                            // give back the previous line's CRLF in front of this piece
                            System.arraycopy(piece, 0, piece, 2, pieceLength);
                            piece[0] = '\r';
                            piece[1] = '\n';
                            pieceLength += 2;
                        }
                        heldCrlf = endsCrlf;
                        available = endsCrlf ? pieceLength - 2 : pieceLength;
                        position = 0;
                    }
                    int n = Math.min(length, available - position);
                    System.arraycopy(piece, position, bytes, offset, n);
                    position += n;
                    return n;
                }
            };
        }

        End partEnd() {
            return end;
        }

        /** How many bytes follow the close delimiter line (counted up to {@code limit}). */
        long epilogueLength(long limit) throws IOException {
            long count = 0;
            while (count < limit && readPiece()) {
                count += pieceLength;
            }
            return count;
        }

        /**
         * The next piece of a line into {@link #piece}: up to and including LF, or {@link #PIECE} bytes (a CR at the
         * cut keeps its LF). False at the end of the body.
         */
        private boolean readPiece() throws IOException {
            pieceStartsLine = previousEndedLine;
            int n = 0;
            int b = -1;
            while (n < PIECE && (b = in.read()) >= 0) {
                piece[n++] = (byte) b;
                if (b == '\n') {
                    break;
                }
            }
            if (n == PIECE && b == '\r') {
                in.mark(1);
                if (in.read() == '\n') {
                    piece[n++] = '\n';
                    b = '\n';
                } else {
                    in.reset();
                }
            }
            pieceLength = n;
            previousEndedLine = n > 0 && piece[n - 1] == '\n';
            return n > 0;
        }

        /** Whether the current piece is a whole delimiter line, and which. */
        private End delimiterOf() {
            if (!pieceStartsLine || pieceLength > delimiter.length() + 2 + 80) {
                return End.NONE;
            }
            String line = new String(piece, 0, pieceLength, StandardCharsets.ISO_8859_1).stripTrailing();
            if (line.equals(delimiter)) {
                return End.DELIMITER;
            }
            if (line.equals(delimiter + "--")) {
                return End.CLOSE_DELIMITER;
            }
            return End.NONE;
        }
    }
}
