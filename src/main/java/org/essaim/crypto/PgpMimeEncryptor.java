package org.essaim.crypto;

import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.UUID;

import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPPublicKeyRing;
import org.pgpainless.PGPainless;
import org.pgpainless.algorithm.CompressionAlgorithm;
import org.pgpainless.algorithm.StreamEncoding;
import org.pgpainless.encryption_signing.EncryptionStream;
import org.pgpainless.encryption_signing.ProducerOptions;

/**
 * Turns a whole plaintext message (headers, body, attachments) into an RFC 3156 PGP/MIME message encrypted to
 * one recipient's certificate, in memory only.
 * <p>
 * The encrypted payload is the original message with "protected headers" (draft-autocrypt-lamps-protected-headers):
 * its top-level entity keeps every original header field, the real Subject included, and its Content-Type carries
 * {@code protected-headers="v1"}. Outside, only what routing, threading and sorting need stays readable
 * (trace fields, From, Sender, To, Cc, Date, Message-ID, In-Reply-To, References); the Subject becomes "...".
 * The OpenPGP message is SEIPD version 1 with MDC, uncompressed, which GnuPG 2.2, Thunderbird and OpenPGP.js read.
 * Plain Java (no container), so the SMTP hook can use it inside a stock James.
 */
public final class PgpMimeEncryptor {
    public static final String HIDDEN_SUBJECT = "...";
    /** Outer header of messages the server encrypted (not their sender); removed from anything arriving. */
    public static final String ENCRYPTED_ON_ARRIVAL = "Essaim-Encrypted-On-Arrival";
    /**
     * Outer header of mail that left in clear from its sender and that this server encrypted to the remote recipient's
     * key (found in the directory or by WKD) before sending it; its value is the sending server's host name.
     */
    public static final String ENCRYPTED_BY_SENDING_SERVER = "Essaim-Encrypted-By-Sending-Server";
    /** Outer header carrying the real subject, encrypted, so the message list can show it (see {@link EncryptedSubject}). */
    public static final String ENCRYPTED_SUBJECT_HEADER = EncryptedSubject.HEADER;

    private static final Set<String> OUTER_FIELDS = Set.of(
            "return-path", "received", "from", "sender", "to", "cc", "date", "message-id", "in-reply-to", "references");
    private static final byte[] CRLF = {'\r', '\n'};

    /**
     * @param message             the original message, as received
     * @param recipientCertificate the recipient's OpenPGP certificate, binary or armored
     * @return the PGP/MIME message to store instead
     * @throws EncryptionFailedException when the certificate cannot be used (unreadable, expired, no encryption key)
     */
    public byte[] encrypt(byte[] message, byte[] recipientCertificate) {
        return encrypt(message, recipientCertificate, ENCRYPTED_ON_ARRIVAL + ": yes");
    }

    /**
     * As {@link #encrypt(byte[], byte[])} for mail leaving for another server: the outer marker says that the
     * sending server, not the sender, encrypted it ({@link #ENCRYPTED_BY_SENDING_SERVER}: that server's host name).
     */
    public byte[] encryptForSending(byte[] message, byte[] recipientCertificate, String sendingHost) {
        return encrypt(message, recipientCertificate, ENCRYPTED_BY_SENDING_SERVER + ": " + sendingHost.replaceAll("[\\r\\n]", ""));
    }

    private byte[] encrypt(byte[] message, byte[] recipientCertificate, String markerField) {
        // Sized for armor's 4/3 plus line ends, so the buffer does not grow while the ciphertext is written.
        long estimate = (long) message.length * 140 / 100 + 16_384;
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) Math.min(estimate, Integer.MAX_VALUE - 16));
        try {
            encrypt(new ByteArrayInputStream(message), recipientCertificate, out, markerField);
        } catch (IOException e) {
            throw failure(e); // cannot happen with arrays
        }
        return out.toByteArray();
    }

    /**
     * The same, as streams: the message is read once, as it is encrypted, and the PGP/MIME message written as it is
     * made; only the original header is held in memory (a message of any size needs a small heap: issue 11 item 6).
     *
     * @param message              the original message, as received (read to its end, not closed)
     * @param recipientCertificate the recipient's OpenPGP certificate, binary or armored
     * @param target               receives the PGP/MIME message (flushed, not closed)
     * @throws EncryptionFailedException when the certificate cannot be used (nothing was written then)
     * @throws IOException           when reading the message or writing the result fails
     */
    public void encrypt(InputStream message, byte[] recipientCertificate, OutputStream target) throws IOException {
        encrypt(message, recipientCertificate, target, ENCRYPTED_ON_ARRIVAL + ": yes");
    }

    private void encrypt(InputStream message, byte[] recipientCertificate, OutputStream target, String markerField)
            throws IOException {
        EncryptionRecipients.Recipient recipient = recipient(recipientCertificate);
        RawMessage original = RawMessage.read(message);
        byte[] subjectHeader = EncryptedSubject.headerField(original.first("Subject"), recipient);
        boolean clearSigned = EncryptedMessages.isClearSigned(original);
        OutputStream out = new BufferedOutputStream(new NotClosing(target), 64 * 1024);
        String boundary = "essaim-pgp-" + UUID.randomUUID();
        writeOuterHeader(out, original, subjectHeader, boundary, markerField);
        try (OutputStream crlf = new CrlfOutputStream(new NotClosing(out));
             EncryptionStream encryption = PGPainless.encryptAndOrSign().onOutputStream(crlf)
                     .withOptions(producerOptions(recipient, true))) {
            writeInnerEntity(encryption, original, clearSigned);
        } catch (PGPException | RuntimeException e) {
            throw failure(e);
        }
        writeOuterEnd(out, boundary);
        out.flush();
    }

    private static EncryptionRecipients.Recipient recipient(byte[] certificate) {
        try {
            return EncryptionRecipients.of(certificate, () -> readCertificate(certificate));
        } catch (EncryptionFailedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new EncryptionFailedException("Cannot encrypt to this certificate: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
        }
    }

    /**
     * The original message as the encrypted MIME entity: every header kept, protected-headers marked. A clear
     * message with an inline (cleartext) signature is also marked {@code x-action=pgp-signed}: mutt looks for inline
     * signatures only in parts it saw before decryption, so without the mark the signature inside the PGP/MIME
     * wrapping showed as raw armor instead of "Good signature" (Essaim issue 14 item 6); it is the parameter mutt
     * itself writes on inline-signed mail, and other clients ignore it. Written straight into the encryption
     * stream (no copy of a large message).
     */
    private static void writeInnerEntity(OutputStream out, RawMessage original, boolean clearSigned) throws IOException {
        boolean hasContentType = false;
        for (RawMessage.Field field : original.fields()) {
            if (field.is("Content-Type")) {
                hasContentType = true;
                out.write(withProtectedHeadersParameter(field, clearSigned));
            } else {
                out.write(field.raw());
            }
        }
        if (!hasContentType) {
            ascii(out, "Content-Type: text/plain; charset=us-ascii;" + (clearSigned ? " x-action=pgp-signed;" : "")
                    + " protected-headers=\"v1\"\r\n");
        }
        out.write(CRLF);
        original.writeBody(out);
    }

    private static byte[] withProtectedHeadersParameter(RawMessage.Field contentType, boolean clearSigned) {
        String value = contentType.value().toLowerCase();
        java.util.List<String> added = new java.util.ArrayList<>();
        if (clearSigned && !value.contains("x-action=")) {
            added.add(" x-action=pgp-signed");
        }
        if (!value.contains("protected-headers=")) {
            added.add("\r\n protected-headers=\"v1\"");
        }
        byte[] raw = contentType.raw();
        if (added.isEmpty()) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length + 48);
        out.write(raw, 0, raw.length - 2); // without its final CRLF
        ascii(out, ";" + String.join(";", added) + "\r\n");
        return out.toByteArray();
    }

    private static void writeOuterHeader(OutputStream out, RawMessage original, byte[] subjectHeader,
                                         String boundary, String markerField) throws IOException {
        for (RawMessage.Field field : original.fields()) {
            if (OUTER_FIELDS.contains(field.name().toLowerCase())) {
                out.write(field.raw());
            }
        }
        ascii(out, "Subject: " + HIDDEN_SUBJECT + "\r\n");
        // Tells readers that the sender did not encrypt this end to end: a server did (issue 13).
        ascii(out, markerField + "\r\n");
        out.write(subjectHeader);
        ascii(out, "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\";\r\n"
                + " boundary=\"" + boundary + "\"\r\n"
                + "\r\n"
                + "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/pgp-encrypted\r\n"
                + "Content-Description: PGP/MIME version identification\r\n"
                + "\r\n"
                + "Version: 1\r\n"
                + "\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
                + "Content-Description: OpenPGP encrypted message\r\n"
                + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n"
                + "\r\n");
    }

    private static void writeOuterEnd(OutputStream out, String boundary) {
        // the armor ends with a line end; the CRLF filter made it CRLF
        ascii(out, "\r\n--" + boundary + "--\r\n");
    }

    private static EncryptionFailedException failure(Exception e) {
        // The cause may quote key material but never the plaintext; keep only its type and message.
        return new EncryptionFailedException("Cannot encrypt to this certificate: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : " (" + e.getMessage() + ")"));
    }

    private static ProducerOptions producerOptions(EncryptionRecipients.Recipient recipient, boolean armor) {
        return ProducerOptions.encrypt(recipient.options())
                // No compression: most mail volume is already-compressed attachments, compressing costs 2-3x
                // the encryption time, and RFC 9580 advises against compression by default.
                .overrideCompressionAlgorithm(CompressionAlgorithm.UNCOMPRESSED)
                .setAsciiArmor(armor)
                .setHideArmorHeaders(true)
                .setEncoding(StreamEncoding.BINARY);
    }

    /** Lets an inner stream be closed (ending the OpenPGP message) while the outer one goes on. */
    private static final class NotClosing extends java.io.FilterOutputStream {
        NotClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            out.write(bytes, offset, length);
        }

        @Override
        public void close() throws IOException {
            out.flush();
        }
    }

    /** Bare LF to CRLF on the way out (BC's armor writes the platform's line separator); CRLF stays as it is. */
    private static final class CrlfOutputStream extends java.io.FilterOutputStream {
        private int previous = -1;

        CrlfOutputStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (b == '\n' && previous != '\r') {
                out.write('\r');
            }
            out.write(b);
            previous = b;
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            int start = offset;
            for (int i = offset; i < offset + length; i++) {
                if (bytes[i] == '\n' && (i == offset ? previous != '\r' : bytes[i - 1] != '\r')) {
                    out.write(bytes, start, i - start);
                    out.write('\r');
                    start = i;
                }
            }
            out.write(bytes, start, offset + length - start);
            if (length > 0) {
                previous = bytes[offset + length - 1];
            }
        }
    }

    /** SEIPDv1, uncompressed, to an evaluated recipient; armored or binary. */
    static byte[] encrypt(byte[] plaintext, EncryptionRecipients.Recipient recipient, boolean armor) {
        ByteArrayOutputStream ciphertext = new ByteArrayOutputStream(plaintext.length * 4 / 3 + 1024);
        try (EncryptionStream encryption = PGPainless.encryptAndOrSign().onOutputStream(ciphertext)
                .withOptions(producerOptions(recipient, armor))) {
            encryption.write(plaintext);
        } catch (PGPException | IOException | RuntimeException e) {
            throw failure(e);
        }
        return ciphertext.toByteArray();
    }

    private static PGPPublicKeyRing readCertificate(byte[] certificate) {
        try (InputStream in = new ByteArrayInputStream(certificate)) {
            PGPPublicKeyRing ring = PGPainless.readKeyRing().publicKeyRing(in);
            if (ring == null) {
                throw new EncryptionFailedException("The recipient's certificate holds no public key");
            }
            return ring;
        } catch (IOException e) {
            throw new EncryptionFailedException("The recipient's certificate cannot be read: " + e.getMessage());
        }
    }

    private static void ascii(OutputStream out, String text) {
        try {
            out.write(text.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Encryption could not happen; the message carries no plaintext. */
    public static final class EncryptionFailedException extends RuntimeException {
        public EncryptionFailedException(String message) {
            super(message);
        }
    }
}
