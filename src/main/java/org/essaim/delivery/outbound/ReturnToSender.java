package org.essaim.delivery.outbound;

import java.util.List;
import java.util.Optional;

import javax.inject.Inject;
import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.apache.james.server.core.MailImpl;
import org.apache.james.transport.mailets.remote.delivery.Bouncer;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeUtils;
import org.apache.mailet.Mail;
import org.apache.mailet.base.GenericMailet;
import org.essaim.delivery.NoticeTexts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bounce processor of outbound delivery: RemoteDelivery hands it the mail it gave up on (a permanent refusal, or
 * {@code essaim.delivery.max-days} of retries) and this mailet sends the sender an RFC 3464 report
 * ({@link DeliveryStatusNotification}), as a new mail through the normal pipeline, so a local sender receives it
 * encrypted like any other mail. The failed mail itself ends here. Mail without a sender (a bounce) is not answered.
 * Parameter {@code reportingMta}: the host name to report (essaim.hostname).
 */
public class ReturnToSender extends GenericMailet {
    private static final Logger LOGGER = LoggerFactory.getLogger(ReturnToSender.class);
    static final AttributeName DELIVERY_ERROR = Bouncer.DELIVERY_ERROR;
    static final AttributeName PERMANENT = Bouncer.IS_DELIVERY_PERMANENT_ERROR;

    private final NoticeTexts texts;
    private String reportingMta;

    @Inject
    public ReturnToSender(NoticeTexts texts) {
        this.texts = texts;
    }

    @Override
    public void init() {
        reportingMta = getInitParameter("reportingMta", "localhost");
    }

    @Override
    public void service(Mail mail) throws MessagingException {
        try {
            if (!mail.hasSender() || mail.getRecipients().isEmpty()) {
                return;
            }
            String error = AttributeUtils.getValueAndCastFromMail(mail, DELIVERY_ERROR, String.class)
                    .orElse(Optional.ofNullable(mail.getErrorMessage()).orElse("delivery failed"));
            boolean permanent = AttributeUtils.getValueAndCastFromMail(mail, PERMANENT, Boolean.class).orElse(true);
            String status = DeliveryStatusNotification.statusOf(error, permanent ? "5.0.0" : "4.4.7");
            String explanation = permanent ? "mail.notice.dsn.refused.body" : "mail.notice.dsn.expired.body";
            send(reportingMta, mail, mail.getRecipients(), new DeliveryStatusNotification.Report(
                    DeliveryStatusNotification.Action.FAILED, status, error, Optional.empty(), explanation));
        } finally {
            mail.setState(Mail.GHOST);
        }
    }

    /** Sends a report about {@code original} to its sender through the mailet pipeline. */
    static void send(String reportingMta, Mail original, List<MailAddress> recipients,
                     DeliveryStatusNotification.Report report, org.apache.mailet.MailetContext context, NoticeTexts texts)
            throws MessagingException {
        MailAddress sender = original.getMaybeSender().get();
        try {
            byte[] bytes = DeliveryStatusNotification.write(reportingMta, sender, recipients, report, original.getMessage(),
                    texts);
            MimeMessage message = InMemoryMessage.of("dsn", bytes);
            MailImpl notification = MailImpl.builder()
                    .name(MailImpl.getId())
                    .sender(org.apache.james.core.MaybeSender.nullSender())
                    .addRecipient(sender)
                    .mimeMessage(message)
                    .build();
            context.sendMail(notification);
            LOGGER.info("Mail {}: {} report sent to its sender ({})", original.getName(),
                    report.action().name().toLowerCase(), report.status());
        } catch (java.io.IOException e) {
            throw new MessagingException("Cannot write a delivery report", e);
        }
    }

    private void send(String reportingMta, Mail mail, java.util.Collection<MailAddress> recipients,
                      DeliveryStatusNotification.Report report) throws MessagingException {
        send(reportingMta, mail, List.copyOf(recipients), report, getMailetContext(), texts);
    }

    @Override
    public String getMailetInfo() {
        return "Essaim RFC 3464 report to the sender";
    }
}
