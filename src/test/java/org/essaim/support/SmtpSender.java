package org.essaim.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

/**
 * Another mail server delivering to an {@link EssaimInstance}: the plain SMTP dialogue on the inbound port,
 * no AUTH, a sender from a foreign domain. Each step's reply is checked, so a refusal fails the test there.
 */
public final class SmtpSender {
    private SmtpSender() {
    }

    public static void deliver(EssaimInstance essaim, String recipient, String subject, String body) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: Friend <friend@example.org>");
            smtp.send("To: <" + recipient + ">");
            smtp.send("Subject: " + subject);
            smtp.send("Message-ID: <" + UUID.randomUUID() + "@example.org>");
            smtp.send("Date: Wed, 25 Nov 2026 10:00:00 +0000");
            smtp.send("");
            smtp.send(body);
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }
}
