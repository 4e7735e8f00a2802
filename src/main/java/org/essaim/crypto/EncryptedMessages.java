package org.essaim.crypto;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Base64;
import java.util.Locale;

/**
 * Recognises mail that is already end-to-end encrypted, so it is stored as it came and never encrypted twice:
 * PGP/MIME ({@code multipart/encrypted}), inline PGP (a single-part body that is one armored PGP message)
 * and S/MIME enveloped data. Reads the message as a stream: only the header and a few bytes at each end of
 * the decoded body are kept in memory, whatever its size.
 */
public final class EncryptedMessages {
    private static final String BEGIN = "-----BEGIN PGP MESSAGE-----";
    private static final String END = "-----END PGP MESSAGE-----";
    private static final String BEGIN_SIGNED = "-----BEGIN PGP SIGNED MESSAGE-----";

    private EncryptedMessages() {
    }

    public static boolean isEncrypted(byte[] message) {
        try {
            return isEncrypted(new ByteArrayInputStream(message));
        } catch (IOException e) {
            throw new UncheckedIOException(e); // cannot happen with an array
        }
    }

    /** Reads {@code message} (not closed) as far as needed: the header, and for a text body the body. */
    public static boolean isEncrypted(InputStream message) throws IOException {
        return isEncrypted(RawMessage.read(message));
    }

    static boolean isEncrypted(RawMessage parsed) throws IOException {
        String type = parsed.mediaType();
        if (type.equals("multipart/encrypted")) {
            return true;
        }
        if (type.equals("application/pkcs7-mime") || type.equals("application/x-pkcs7-mime")) {
            String contentType = parsed.first("Content-Type").map(RawMessage.Field::value).orElse("").toLowerCase(Locale.ROOT);
            return contentType.contains("enveloped-data") || contentType.contains("authenveloped-data");
        }
        if (type.startsWith("text/")) {
            return isArmoredPgpMessage(decoded(parsed.body(), parsed.transferEncoding()));
        }
        return false;
    }

    /** The body decoded as its Content-Transfer-Encoding says (armor is ASCII: quoted-printable only loses its soft breaks). */
    private static InputStream decoded(InputStream body, String encoding) {
        if (encoding.equals("base64")) {
            return Base64.getMimeDecoder().wrap(body);
        }
        return encoding.equals("quoted-printable") ? new SoftLineBreaksRemoved(body) : body;
    }

    /** A text/plain body that is one OpenPGP cleartext-signed message (inline signature, RFC 4880 section 7). */
    static boolean isClearSigned(RawMessage parsed) throws IOException {
        if (!parsed.mediaType().equals("text/plain")) {
            return false;
        }
        try (InputStream start = decoded(new ByteArrayInputStream(parsed.bodyStart()), parsed.transferEncoding())) {
            return startsWithAfterWhitespace(start, BEGIN_SIGNED);
        }
    }

    private static boolean startsWithAfterWhitespace(InputStream in, String prefix) {
        try {
            int b = firstNonWhitespace(in);
            for (int i = 0; i < prefix.length(); i++) {
                if (b != prefix.charAt(i)) {
                    return false;
                }
                b = in.read();
            }
            return true;
        } catch (IOException e) {
            return false; // not decodable (or cut in the middle of a base64 group): not a signed text
        }
    }

    /**
     * The decoded body, leading and trailing whitespace aside, starts with the armor's BEGIN line and ends with its
     * END line. A body that does not decode (broken base64) is not an armored message.
     */
    private static boolean isArmoredPgpMessage(InputStream body) {
        try {
            int b = firstNonWhitespace(body);
            for (int i = 0; i < BEGIN.length(); i++) {
                if (b != BEGIN.charAt(i)) {
                    return false;
                }
                b = body.read();
            }
            // The last bytes before any trailing whitespace, to compare with the END line. END holds no whitespace,
            // so a run of whitespace inside the text can stand as one space in this window.
            byte[] tail = new byte[END.length()];
            long kept = 0;
            boolean whitespacePending = false;
            byte[] chunk = new byte[8192];
            int length = 0;
            int index = 0;
            if (b >= 0) {
                chunk[0] = (byte) b;
                length = 1;
            }
            while (true) {
                if (index == length) {
                    length = body.read(chunk);
                    index = 0;
                    if (length < 0) {
                        break;
                    }
                    continue;
                }
                byte c = chunk[index++];
                if (isWhitespace(c)) {
                    whitespacePending = true;
                    continue;
                }
                if (whitespacePending) {
                    tail[(int) (kept++ % tail.length)] = ' ';
                    whitespacePending = false;
                }
                tail[(int) (kept++ % tail.length)] = c;
            }
            if (kept < tail.length) {
                return false;
            }
            int oldest = (int) (kept % tail.length); // the window is a ring: its oldest byte is where the next goes
            for (int i = 0; i < tail.length; i++) {
                if (tail[(oldest + i) % tail.length] != END.charAt(i)) {
                    return false;
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int firstNonWhitespace(InputStream in) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b >= 0 && isWhitespace(b));
        return b;
    }

    /** What {@link String#strip()} removes, for a byte read as ISO-8859-1. */
    private static boolean isWhitespace(int b) {
        return Character.isWhitespace((char) (b & 0xff));
    }

    /** Quoted-printable soft line breaks ({@code =CRLF}) removed; nothing else decoded. */
    private static final class SoftLineBreaksRemoved extends FilterInputStream {
        private final int[] pending = new int[3];
        private int pendingCount;
        private int pendingIndex;

        SoftLineBreaksRemoved(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            if (pendingIndex < pendingCount) {
                return pending[pendingIndex++];
            }
            int b = in.read();
            if (b != '=') {
                return b;
            }
            int cr = in.read();
            if (cr != '\r') {
                return queue(b, cr, -2);
            }
            int lf = in.read();
            if (lf != '\n') {
                return queue(b, cr, lf);
            }
            return read(); // "=\r\n" removed
        }

        private int queue(int first, int second, int third) {
            pendingCount = 0;
            pendingIndex = 0;
            if (second >= 0) {
                pending[pendingCount++] = second;
            }
            if (third >= 0) {
                pending[pendingCount++] = third;
            }
            return first;
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
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
}
