package org.essaim.webmail.composing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

/** The outer PGP/MIME message around the browser's ciphertext, read back by Jakarta Mail as a client would. */
class PgpMimeWriterTest {
    static final String ARMORED = "-----BEGIN PGP MESSAGE-----\n\nwV4DAAAAAAAAAAASAQdAabc+/=\n=AbCd\n-----END PGP MESSAGE-----\n";
    static final String SUBJECT = "A".repeat(200);

    PgpMimeWriter.Headers headers() throws Exception {
        return new PgpMimeWriter.Headers(new InternetAddress("alice@essaim.test"),
                List.of(new InternetAddress("bob@essaim.test")), List.of(new InternetAddress("carol@remote.example")),
                List.of(new InternetAddress("dave@essaim.test")), Instant.parse("2026-11-25T10:00:00Z"),
                "<id-1@essaim.test>", "<parent@x>", "<root@x> <parent@x>");
    }

    MimeMessage read(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    @Test
    void theOuterMessageIsRfc3156WithAHiddenSubjectTheEncryptedSubjectFoldedAndNoBcc() throws Exception {
        byte[] bytes = PgpMimeWriter.write(headers(), ARMORED, SUBJECT, false);
        MimeMessage message = read(bytes);

        assertThat(message.getContentType()).startsWith("multipart/encrypted").contains("application/pgp-encrypted");
        assertThat(message.getHeader("Subject", null)).isEqualTo("...");
        assertThat(message.getHeader("Bcc")).isNull();
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).doesNotContain("dave@");
        assertThat(message.getMessageID()).isEqualTo("<id-1@essaim.test>");
        assertThat(message.getHeader("In-Reply-To", null)).isEqualTo("<parent@x>");
        assertThat(message.getSentDate().toInstant()).isEqualTo(Instant.parse("2026-11-25T10:00:00Z"));
        String raw = new String(bytes, StandardCharsets.US_ASCII);
        String folded = raw.substring(raw.indexOf("Essaim-Encrypted-Subject: ") + 26, raw.indexOf("\r\nMIME-Version"));
        assertThat(folded.split("\r\n ")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(folded.replace("\r\n ", "")).isEqualTo(SUBJECT);
        Multipart parts = (Multipart) message.getContent();
        assertThat(parts.getBodyPart(0).getContentType()).isEqualTo("application/pgp-encrypted");
        assertThat(new String(parts.getBodyPart(1).getInputStream().readAllBytes(), StandardCharsets.US_ASCII)
                .replace("\r\n", "\n")).isEqualTo(ARMORED);
    }

    @Test
    void aDraftKeepsItsBccRecipients() throws Exception {
        assertThat(read(PgpMimeWriter.write(headers(), ARMORED, SUBJECT, true)).getHeader("Bcc", null))
                .isEqualTo("dave@essaim.test");
    }

    @Test
    void onlyArmoredCiphertextIsAcceptedFromTheBrowser() {
        assertThat(ArmoredCiphertext.message(ARMORED.replace("\n", "\r\n"))).isEqualTo(ARMORED);
        assertThatThrownBy(() -> ArmoredCiphertext.message("Subject: hello\r\n\r\nplain text"))
                .hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> ArmoredCiphertext.message(ARMORED + "and a clear postscript"))
                .hasMessageContaining("nothing was sent");
        assertThatThrownBy(() -> ArmoredCiphertext.subject("not base64: a subject"))
                .hasMessageContaining("nothing was sent");
    }
}
