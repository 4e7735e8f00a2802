package org.essaim.lists;

import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

import jakarta.mail.internet.MimeUtility;

/** A short plain-text message the lists write themselves (confirmations, notices to owners and members). */
final class Notice {
    private Notice() {
    }

    static byte[] text(String from, String to, String subject, String body, String domain) {
        return text(from, to, subject, body, domain, "");
    }

    /** @param extraFields further header lines, each ending in CRLF (may be empty) */
    static byte[] text(String from, String to, String subject, String body, String domain, String extraFields) {
        String encodedSubject;
        try {
            encodedSubject = MimeUtility.encodeText(subject, "UTF-8", "Q");
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException(e);
        }
        String message = "From: " + from + "\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + encodedSubject + "\r\n"
                + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT).format(ZonedDateTime.now()) + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@" + domain + ">\r\n"
                + "Auto-Submitted: auto-generated\r\n"
                + extraFields
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + body.replace("\r\n", "\n").replace("\n", "\r\n") + "\r\n";
        return message.getBytes(StandardCharsets.UTF_8);
    }
}
