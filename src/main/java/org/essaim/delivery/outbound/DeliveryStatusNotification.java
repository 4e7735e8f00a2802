package org.essaim.delivery.outbound;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.mail.MessagingException;
import javax.mail.internet.MimeMessage;

import org.apache.james.core.MailAddress;
import org.essaim.delivery.NoticeTexts;

/**
 * An RFC 3464 delivery status notification, written by hand because James 3.8.1's DSNBounce puts the error text in
 * {@code Status:} and the machine's own name in {@code Reporting-MTA}. What it writes:
 * {@code multipart/report; report-type=delivery-status} with a human-readable part (in the sender's language,
 * else in every language, English first: {@link NoticeTexts}), the
 * {@code message/delivery-status} part (Reporting-MTA = {@code essaim.hostname}, per recipient Final-Recipient,
 * Action, a numeric Status, Diagnostic-Code with the remote server's words, Remote-MTA when known) and the
 * original's header fields ({@code text/rfc822-headers}; never the body). It goes to the sender only. The
 * machine-readable part stays as RFC 3464 writes it, whatever the language: programs read it.
 */
public final class DeliveryStatusNotification {
    private static final Pattern SMTP_REPLY = Pattern.compile("(?s)^\\s*([245]\\d\\d)[ -]+(?:([245]\\.\\d{1,3}\\.\\d{1,3})\\s*)?.*");
    private static final Pattern ENHANCED_ANYWHERE = Pattern.compile("\\b([245]\\.\\d{1,3}\\.\\d{1,3})\\b");

    /** RFC 3464 section 2.3.3 actions used here. */
    public enum Action {
        FAILED, DELAYED;

        String keyword() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * What to report for the recipients of one message.
     *
     * @param status     numeric RFC 3463 status (e.g. 5.1.1, 4.4.7)
     * @param diagnostic the remote server's reply or Essaim's explanation, one line
     * @param remoteMta  the server that answered, if any
     * @param explanationKey bundle key ({@code mail.notice.dsn.*}) of what the sender reads, given the reporting
     *                       host as parameter {0}
     */
    public record Report(Action action, String status, String diagnostic, Optional<String> remoteMta,
                         String explanationKey) { }

    private DeliveryStatusNotification() {
    }

    /**
     * The status to report for a failure: the enhanced code from the remote reply when it has one, else one derived
     * from the reply's class; {@code fallback} when there is no SMTP reply at all (connection problems).
     */
    public static String statusOf(String diagnostic, String fallback) {
        if (diagnostic == null) {
            return fallback;
        }
        Matcher reply = SMTP_REPLY.matcher(diagnostic);
        if (reply.matches()) {
            if (reply.group(2) != null) {
                return reply.group(2);
            }
            return reply.group(1).charAt(0) + ".0.0";
        }
        Matcher enhanced = ENHANCED_ANYWHERE.matcher(diagnostic);
        return enhanced.find() ? enhanced.group(1) : fallback;
    }

    /** The whole notification message, CRLF line ends, ready to be parsed into a MimeMessage. */
    public static byte[] write(String reportingMta, MailAddress to, List<MailAddress> recipients, Report report,
                               MimeMessage original, NoticeTexts texts) throws MessagingException, IOException {
        String boundary = "essaim-dsn-" + UUID.randomUUID();
        String now = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now());
        StringBuilder out = new StringBuilder();
        out.append("From: Mail Delivery System <MAILER-DAEMON@").append(reportingMta).append(">\r\n");
        out.append("To: <").append(to.asString()).append(">\r\n");
        out.append("Subject: ").append(report.action() == Action.FAILED
                ? texts.subject(to.asString(), "mail.notice.dsn.failed.subject")
                : texts.subject(to.asString(), "mail.notice.dsn.delayed.subject")).append("\r\n");
        out.append("Date: ").append(now).append("\r\n");
        out.append("Message-ID: <").append(UUID.randomUUID()).append("@").append(reportingMta).append(">\r\n");
        out.append("Auto-Submitted: auto-replied\r\n");
        out.append("MIME-Version: 1.0\r\n");
        out.append("Content-Type: multipart/report; report-type=delivery-status;\r\n boundary=\"")
                .append(boundary).append("\"\r\n\r\n");
        out.append("This is a delivery status notification (RFC 3464).\r\n\r\n");

        out.append("--").append(boundary).append("\r\n");
        out.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        out.append(texts.body(to.asString(), report.explanationKey(), reportingMta)).append("\r\n\r\n");
        for (MailAddress recipient : recipients) {
            out.append("    <").append(recipient.asString()).append(">: ").append(oneLine(report.diagnostic())).append("\r\n");
        }
        out.append("\r\n");

        out.append("--").append(boundary).append("\r\n");
        out.append("Content-Type: message/delivery-status\r\n\r\n");
        out.append("Reporting-MTA: dns; ").append(reportingMta).append("\r\n");
        out.append("Arrival-Date: ").append(arrivalDate(original).orElse(now)).append("\r\n");
        for (MailAddress recipient : recipients) {
            out.append("\r\n");
            out.append("Final-Recipient: rfc822; ").append(recipient.asString()).append("\r\n");
            out.append("Action: ").append(report.action().keyword()).append("\r\n");
            out.append("Status: ").append(report.status()).append("\r\n");
            report.remoteMta().ifPresent(mta -> out.append("Remote-MTA: dns; ").append(mta).append("\r\n"));
            out.append("Diagnostic-Code: ").append(diagnosticType(report.diagnostic())).append("; ")
                    .append(oneLine(report.diagnostic())).append("\r\n");
            out.append("Last-Attempt-Date: ").append(now).append("\r\n");
        }
        out.append("\r\n");

        if (original != null) {
            out.append("--").append(boundary).append("\r\n");
            out.append("Content-Type: text/rfc822-headers\r\n\r\n");
            out.append(headersOf(original));
            out.append("\r\n");
        }
        out.append("--").append(boundary).append("--\r\n");
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Optional<String> arrivalDate(MimeMessage original) throws MessagingException {
        if (original == null) {
            return Optional.empty();
        }
        String[] date = original.getHeader("Date");
        return date == null ? Optional.empty() : Optional.of(oneLine(date[0]));
    }

    private static String headersOf(MimeMessage original) throws MessagingException {
        StringBuilder headers = new StringBuilder();
        Enumeration<String> lines = original.getAllHeaderLines();
        while (lines.hasMoreElements()) {
            headers.append(lines.nextElement()).append("\r\n");
        }
        return headers.toString();
    }

    private static String diagnosticType(String diagnostic) {
        return diagnostic != null && SMTP_REPLY.matcher(diagnostic).matches() ? "smtp" : "X-Essaim";
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n]+", " ").trim();
    }

    static byte[] bytesOf(MimeMessage message) throws IOException, MessagingException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toByteArray();
    }

}
