package org.essaim.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;

import org.essaim.support.TestKeys;
import org.pgpainless.PGPainless;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The encryptor and the "already encrypted?" check read a message as a stream (issue 11 item 6: a 45 MB message
 * with a small heap): the stored PGP/MIME message decrypts to the original entity, byte for byte, whatever the
 * size, line ends or shape of the message, and each armored-text rule holds when the body is only streamed.
 */
class StreamingEncryptionTest {
    private static TestKeys.KeyPair key;
    private final PgpMimeEncryptor encryptor = new PgpMimeEncryptor();

    @BeforeAll
    static void key() {
        key = TestKeys.generate("reader@example.org");
    }

    @Test
    void aLargeMessageIsEncryptedAsItIsReadAndDecryptsToTheOriginal() throws Exception {
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        original.writeBytes(("From: a@example.org\r\nTo: reader@example.org\r\nSubject: big one\r\nMessage-ID: <big@example.org>\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\n"
                + "See attached.\r\n--b1\r\nContent-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        byte[] line = (Base64.getEncoder().encodeToString(new byte[57]).replace('A', 'Q') + "\r\n").getBytes(StandardCharsets.US_ASCII);
        while (original.size() < 6_000_000) {
            original.write(line, 0, line.length);
        }
        original.writeBytes("--b1--\r\n".getBytes(StandardCharsets.US_ASCII));
        byte[] message = original.toByteArray();

        ReadCounting in = new ReadCounting(new ByteArrayInputStream(message));
        ByteArrayOutputStream stored = new ByteArrayOutputStream();
        encryptor.encrypt(in, key.publicKey(), stored);

        assertThat(in.largestRead).as("the message is read in pieces").isLessThanOrEqualTo(64 * 1024);
        byte[] inner = decryptedInner(stored.toByteArray());
        assertThat(new String(inner, 0, 400, StandardCharsets.ISO_8859_1)).contains("Subject: big one")
                .contains("protected-headers=\"v1\"");
        assertThat(bodyOf(inner)).isEqualTo(bodyOf(message));
        assertThat(EncryptedMessages.isEncrypted(new ByteArrayInputStream(stored.toByteArray()))).isTrue();
        assertThat(EncryptedMessages.isEncrypted(new ByteArrayInputStream(message))).isFalse();
    }

    @Test
    void streamAndArrayGiveTheSameEntityForOddMessages() throws Exception {
        for (String message : new String[] {
                "Subject: bare line feeds\nFrom: a@example.org\n\nline one\nline two\n",
                "Subject: no body\r\nFrom: a@example.org\r\n",
                "Subject: no blank line\r\nFrom: a@example.org\r\nthis is body text\r\nmore\r\n",
                "just text without any header\r\n",
                "Subject: folded\r\n  over two lines\r\nX-Long: " + "x".repeat(100_000) + "\r\n\r\nbody\r\n",
                "Subject: signed\r\n\r\n-----BEGIN PGP SIGNED MESSAGE-----\r\nHash: SHA256\r\n\r\nhi\r\n",
        }) {
            byte[] bytes = message.getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            encryptor.encrypt(new OneByteAtATime(bytes), key.publicKey(), streamed);
            byte[] fromStream = decryptedInner(streamed.toByteArray());
            byte[] fromArray = decryptedInner(encryptor.encrypt(bytes, key.publicKey()));
            assertThat(new String(fromStream, StandardCharsets.ISO_8859_1)).as(message.substring(0, Math.min(30, message.length())))
                    .isEqualTo(new String(fromArray, StandardCharsets.ISO_8859_1))
                    .doesNotContain("\r\r").doesNotContainPattern("[^\r]\n");
        }
        ByteArrayOutputStream signed = new ByteArrayOutputStream();
        encryptor.encrypt(new ByteArrayInputStream("Subject: s\r\n\r\n \r\n-----BEGIN PGP SIGNED MESSAGE-----\r\n".getBytes(StandardCharsets.US_ASCII)),
                key.publicKey(), signed);
        assertThat(new String(decryptedInner(signed.toByteArray()), StandardCharsets.US_ASCII)).contains("x-action=pgp-signed");
    }

    @Test
    void armoredTextCountsAsEncryptedOnlyWhenTheWholeBodyIsOneArmoredMessage() throws Exception {
        // Real ciphertext, longer than what the check keeps of a packet (its end is only streamed past).
        String armor = new String(PgpMimeEncryptor.encrypt(("Subject: s\r\n\r\n" + "a letter of some length ".repeat(400))
                        .getBytes(StandardCharsets.US_ASCII), EncryptionRecipients.evaluate(
                        PGPainless.readKeyRing().publicKeyRing(key.publicKey())), true), StandardCharsets.US_ASCII)
                .replace("\r\n", "\n").replace("\n", "\r\n").strip();
        assertThat(armor.length()).isGreaterThan(4000);
        assertThat(encrypted("Content-Type: text/plain\r\n\r\n" + armor + "\r\n\r\n  \r\n")).isTrue();
        assertThat(encrypted("Content-Type: text/plain\r\n\r\n \r\n\t" + armor)).isTrue();
        assertThat(encrypted("Content-Type: text/plain\r\n\r\n" + armor + "\r\nP.S. and some text after it\r\n")).isFalse();
        assertThat(encrypted("Content-Type: text/plain\r\n\r\nHello,\r\n" + armor + "\r\n")).isFalse();
        assertThat(encrypted("Content-Type: text/plain\r\n\r\n-----BEGIN PGP MESSAGE-----\r\n")).isFalse();
        assertThat(encrypted("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n"
                + Base64.getMimeEncoder().encodeToString(armor.getBytes(StandardCharsets.US_ASCII)) + "\r\n")).isTrue();
        assertThat(encrypted("Content-Type: text/plain\r\nContent-Transfer-Encoding: base64\r\n\r\n@@not base64@@\r\n")).isFalse();
        assertThat(encrypted("Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
                + armor.replace("=", "=3D").replace("-----END PGP MES", "-----END PGP MES=\r\n") + "\r\n")).isTrue();
        assertThat(encrypted("Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=x\r\n\r\n"))
                .as("the label alone").isFalse();
        assertThat(encrypted("Content-Type: application/pkcs7-mime; smime-type=enveloped-data\r\n\r\nMIIB\r\n")).isFalse();
        assertThat(encrypted("Content-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\n\r\n" + armor + "\r\n--x--\r\n")).isFalse();
        String pgpMime = "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=x\r\n\r\n"
                + "--x\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n"
                + "--x\r\nContent-Type: application/octet-stream\r\n\r\n" + armor + "\r\n--x--\r\n";
        assertThat(encrypted(pgpMime)).isTrue();
        assertThat(encrypted(pgpMime.replace("--x--", "--x\r\nContent-Type: text/plain\r\n\r\nA letter.\r\n--x--")))
                .as("a third part").isFalse();
        assertThat(encrypted(pgpMime.replace("--x--\r\n", "")))
                .as("no close delimiter").isFalse();
    }

    private static boolean encrypted(String message) throws IOException {
        byte[] bytes = message.getBytes(StandardCharsets.US_ASCII);
        boolean streamed = EncryptedMessages.isEncrypted(new OneByteAtATime(bytes));
        assertThat(EncryptedMessages.isEncrypted(bytes)).as("array and stream agree").isEqualTo(streamed);
        return streamed;
    }

    /** The decrypted MIME entity inside a PGP/MIME message. */
    private static byte[] decryptedInner(byte[] pgpMime) throws Exception {
        MimeMessage outer = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(pgpMime));
        Multipart parts = (Multipart) outer.getContent();
        byte[] armored;
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            armored = in.readAllBytes();
        }
        return TestKeys.decrypt(armored, key.secretKey());
    }

    private static byte[] bodyOf(byte[] entity) {
        String text = new String(entity, StandardCharsets.ISO_8859_1);
        return text.substring(text.indexOf("\r\n\r\n") + 4).getBytes(StandardCharsets.ISO_8859_1);
    }

    /** Hands out at most one byte per read, as a slow network would. */
    private static final class OneByteAtATime extends InputStream {
        private final byte[] bytes;
        private int position;

        OneByteAtATime(byte[] bytes) {
            this.bytes = bytes;
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xff : -1;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            int b = read();
            if (b < 0) {
                return -1;
            }
            buffer[offset] = (byte) b;
            return 1;
        }
    }

    private static final class ReadCounting extends InputStream {
        private final InputStream in;
        int largestRead;

        ReadCounting(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            largestRead = Math.max(largestRead, length);
            return in.read(buffer, offset, length);
        }
    }
}
