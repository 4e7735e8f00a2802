package org.essaim.delivery.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

import jakarta.mail.BodyPart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.essaim.delivery.NoticeTexts;
import org.essaim.i18n.LanguagePreferences;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.Test;

/**
 * The reports delivery writes to a local sender about outgoing mail (RFC 3464: "delayed", and "failed" when waiting
 * mail was lost at a restart) speak the sender's language: only French for an account that chose French in My
 * account, every language (English first) for one that chose nothing. The machine-readable part is the same in every
 * language. The real report writer (QueueSealing, DeliveryStatusNotification) with the running server's bundles and
 * language choices (its NoticeTexts); TwoServersTest sees a "failed" report travel from the queue to the sender.
 */
class DeliveryReportLanguagesTest {
    private static final String REMOTE = "far-away@remote.example";
    private final EssaimInstance essaim = EssaimInstance.shared();

    @Test
    void aSenderWhoChoseFrenchIsToldOfTheDelayInFrenchOnly() throws Exception {
        String sender = EssaimInstance.uniqueAddress("french");
        essaim.bean(LanguagePreferences.class).choose(sender, Locale.FRENCH);

        Read report = Read.of(sealing().delayNotice(waitingMail(sender)));

        assertThat(report.subject).isEqualTo("Message retardé (nouvelles tentatives en cours)");
        assertThat(report.text).startsWith("Ici le serveur de courrier mx.report.example.")
                .contains("Il est conservé et le serveur réessaie")
                .contains("<" + REMOTE + ">: 451 4.7.1 Try again later")
                .doesNotContain("This is the mail server").doesNotContain("---");
        assertThat(report.status).contains("Action: delayed", "Status: 4.7.1",
                "Diagnostic-Code: smtp; 451 4.7.1 Try again later", "Final-Recipient: rfc822; " + REMOTE);
    }

    @Test
    void aSenderWhoChoseNoLanguageIsToldInEveryLanguageEnglishFirst() throws Exception {
        String sender = EssaimInstance.uniqueAddress("nochoice");

        Read report = Read.of(sealing().lostAtRestart(waitingMail(sender)));

        assertThat(report.subject).isEqualTo("Undelivered Mail Returned to Sender / Message non remis, retourné à l'expéditeur");
        assertThat(report.text).startsWith("This is the mail server at mx.report.example.")
                .contains("the mail server restarted while it waited", "le serveur de courrier a redémarré",
                        "\r\n---\r\n", "server's disk");
        assertThat(report.text.indexOf("Please send it again")).as("English first")
                .isLessThan(report.text.indexOf("Merci de le renvoyer"));
        assertThat(report.status).contains("Action: failed", "Status: 4.3.0", "Final-Recipient: rfc822; " + REMOTE);
    }

    @Test
    void aSenderWhoChoseEnglishIsToldInEnglishOnly() throws Exception {
        String sender = EssaimInstance.uniqueAddress("english");
        essaim.bean(LanguagePreferences.class).choose(sender, Locale.ENGLISH);

        Read report = Read.of(sealing().delayNotice(waitingMail(sender)));

        assertThat(report.subject).isEqualTo("Delayed Mail (still being retried)");
        assertThat(report.text).contains("It is kept and retried").doesNotContain("Ici le serveur");
    }

    private QueueSealing sealing() {
        return new QueueSealing(new MemoryOnlyKey(), "mx.report.example", Duration.ZERO, essaim.bean(NoticeTexts.class));
    }

    /** Mail from a local sender waiting in the outgoing queue after the remote server's temporary refusal. */
    private static Mail waitingMail(String sender) throws Exception {
        byte[] message = ("From: <" + sender + ">\r\nTo: <" + REMOTE + ">\r\nSubject: Plans\r\n"
                + "Date: Mon, 30 Nov 2026 23:00:00 +0000\r\nMessage-ID: <" + UUID.randomUUID() + "@essaim.test>\r\n\r\n"
                + "See you soon.\r\n").getBytes(StandardCharsets.US_ASCII);
        Mail mail = MailImpl.builder().name("waiting-" + UUID.randomUUID()).sender(sender).addRecipient(REMOTE)
                .mimeMessage(InMemoryMessage.of("waiting", message)).build();
        mail.setAttribute(new Attribute(ReturnToSender.DELIVERY_ERROR, AttributeValue.of("451 4.7.1 Try again later")));
        return mail;
    }

    /** A report as the sender's mail program reads it: the subject, the text for people, the part for programs. */
    private record Read(String subject, String text, String status) {
        static Read of(Mail report) throws Exception {
            MimeMessage message = new MimeMessage(Session.getInstance(new Properties()),
                    new ByteArrayInputStream(InMemoryMessage.bytesOf(report.getMessage())));
            assertThat(message.getContentType()).startsWith("multipart/report").contains("report-type=delivery-status");
            MimeMultipart parts = (MimeMultipart) message.getContent();
            String text = null;
            String status = null;
            for (int i = 0; i < parts.getCount(); i++) {
                BodyPart part = parts.getBodyPart(i);
                if (part.isMimeType("text/plain")) {
                    text = (String) part.getContent();
                } else if (part.isMimeType("message/delivery-status")) {
                    try (InputStream in = part.getInputStream()) {
                        status = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                    }
                }
            }
            assertThat(text).as("the text for people").isNotNull();
            assertThat(status).as("the message/delivery-status part").isNotNull();
            return new Read(message.getSubject(), text, status);
        }
    }
}
