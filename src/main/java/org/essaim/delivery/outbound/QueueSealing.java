package org.essaim.delivery.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.core.MaybeSender;
import org.apache.james.server.core.MailImpl;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.essaim.crypto.EncryptedMessages;
import org.essaim.delivery.NoticeTexts;

/**
 * What the queue does to mail on its way in and out (see {@link SealedMailQueueFactory}): readable content is
 * sealed with the {@link MemoryOnlyKey} (OpenPGP ciphertext is left as it is), and opened again when taken out.
 * The envelope (sender, recipients) and Mail attributes stay readable: delivery needs them, and they hold no content.
 */
public final class QueueSealing {
    static final String SEALED_HEADER = "Essaim-Sealed";
    static final AttributeName FIRST_QUEUED = AttributeName.of("org.essaim.delivery.first-queued");
    static final AttributeName DELAY_NOTIFIED = AttributeName.of("org.essaim.delivery.delay-notified");

    private final MemoryOnlyKey key;
    private final String reportingMta;
    private final Duration delayNoticeAfter;
    private final NoticeTexts texts;

    public QueueSealing(MemoryOnlyKey key, String reportingMta, Duration delayNoticeAfter, NoticeTexts texts) {
        this.key = key;
        this.reportingMta = reportingMta;
        this.delayNoticeAfter = delayNoticeAfter;
        this.texts = texts;
    }

    /** A copy of the mail (same name, state, envelope, attributes) whose message is sealed, unless already ciphertext. */
    Mail sealedCopy(Mail mail) throws MessagingException {
        byte[] bytes = bytesOf(mail.getMessage());
        if (mail.getMessage().getHeader(SEALED_HEADER) != null || EncryptedMessages.isEncrypted(bytes)) {
            return null; // nothing readable to hide
        }
        String body = Base64.getMimeEncoder(76, "\r\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(key.seal(bytes));
        byte[] sealed = (SEALED_HEADER + ": " + key.id() + "\r\n"
                + "Content-Type: application/octet-stream\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
        MailImpl copy = MailImpl.duplicateWithoutMessage(mail)
                .mimeMessage(InMemoryMessage.of(mail.getName() + "-sealed", sealed))
                .build();
        copy.setName(mail.getName()); // the queue and its admin view know it by its name
        copy.setState(mail.getState()); // the spooler routes by it; RemoteDelivery counts retries with it
        return copy;
    }

    /** Whether the mail's message is sealed (by this run or an earlier one). */
    static boolean isSealed(Mail mail) throws MessagingException {
        return mail.getMessage().getHeader(SEALED_HEADER) != null;
    }

    /** Replaces a sealed message by its plaintext; false when it was sealed before a restart (key gone). */
    boolean open(Mail mail) throws MessagingException {
        String[] under = mail.getMessage().getHeader(SEALED_HEADER);
        if (under == null) {
            return true;
        }
        byte[] sealed;
        try (var in = mail.getMessage().getRawInputStream()) {
            sealed = Base64.getMimeDecoder().decode(in.readAllBytes());
        } catch (IOException e) {
            throw new MessagingException("Unreadable sealed message", e);
        }
        Optional<byte[]> plaintext = key.open(under[0].trim(), sealed);
        if (plaintext.isEmpty()) {
            return false;
        }
        mail.setMessage(InMemoryMessage.of(mail.getName(), plaintext.get()));
        return true;
    }

    /** Marks when mail first entered the outgoing queue (for the delay notice and the admin view). */
    static void markFirstQueued(Mail mail) {
        if (mail.getAttribute(FIRST_QUEUED).isEmpty()) {
            mail.setAttribute(new Attribute(FIRST_QUEUED, AttributeValue.of(Instant.now().toString())));
        }
    }

    static Optional<Instant> firstQueued(Mail mail) {
        return AttributeUtils.getValueAndCastFromMail(mail, FIRST_QUEUED, String.class).map(Instant::parse);
    }

    /** A delay notice is due: waiting longer than essaim.delivery.delay-notice-after and not told yet. */
    boolean delayNoticeDue(Mail mail) {
        return mail.hasSender() && mail.getAttribute(DELAY_NOTIFIED).isEmpty()
                && firstQueued(mail).map(first -> first.plus(delayNoticeAfter).isBefore(Instant.now())).orElse(false);
    }

    /** The report telling the sender that the mail still waits (RFC 3464 Action: delayed). */
    Mail delayNotice(Mail mail) throws MessagingException {
        mail.setAttribute(new Attribute(DELAY_NOTIFIED, AttributeValue.of(true)));
        String error = AttributeUtils.getValueAndCastFromMail(mail, ReturnToSender.DELIVERY_ERROR, String.class)
                .orElse(Optional.ofNullable(mail.getErrorMessage()).orElse("no answer yet"));
        return report(mail, new DeliveryStatusNotification.Report(DeliveryStatusNotification.Action.DELAYED,
                DeliveryStatusNotification.statusOf(error, "4.4.1"), error, Optional.empty(),
                "mail.notice.dsn.delayed.body"), mail.getMessage());
    }

    /** The report for mail sealed before a restart: its content is gone, the sender is asked to send again. */
    Mail lostAtRestart(Mail mail) throws MessagingException {
        return report(mail, new DeliveryStatusNotification.Report(DeliveryStatusNotification.Action.FAILED, "4.3.0",
                "The mail server restarted while the message waited; its content was held only in memory",
                Optional.empty(), "mail.notice.dsn.lostAtRestart.body"), null);
    }

    private Mail report(Mail about, DeliveryStatusNotification.Report report, MimeMessage original) throws MessagingException {
        MailAddress sender = about.getMaybeSender().get();
        try {
            byte[] bytes = DeliveryStatusNotification.write(reportingMta, sender, List.copyOf(about.getRecipients()),
                    report, original, texts);
            return MailImpl.builder()
                    .name(MailImpl.getId())
                    .sender(MaybeSender.nullSender())
                    .addRecipient(sender)
                    .mimeMessage(InMemoryMessage.of("report", bytes))
                    .state(Mail.DEFAULT)
                    .build();
        } catch (IOException e) {
            throw new MessagingException("Cannot write a delivery report", e);
        }
    }

    private static byte[] bytesOf(MimeMessage message) throws MessagingException {
        try {
            return InMemoryMessage.bytesOf(message);
        } catch (IOException e) {
            throw new MessagingException("Cannot read the message", e);
        }
    }
}
