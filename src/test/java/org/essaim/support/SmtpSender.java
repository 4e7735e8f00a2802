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
        deliver(essaim, "Friend <friend@example.org>", recipient, subject, body);
    }

    /**
     * Delivers a plaintext message as another server would. Mail for a local account is stored encrypted to its
     * published key (publish one first, e.g. {@link EssaimInstance#publishGeneratedKey}), with the Subject inside:
     * tests that must tell stored messages apart can use the sender, which stays readable.
     */
    public static void deliver(EssaimInstance essaim, String from, String recipient, String subject, String body) {
        deliver(essaim.smtpPort(), from, recipient, subject, body);
    }

    /** The same, to the inbound SMTP port of any Essaim (e.g. one in its own process, {@link ChildEssaim}). */
    public static void deliver(int smtpPort, String from, String recipient, String subject, String body) {
        try (LineClient smtp = LineClient.connect(smtpPort)) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: " + from);
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
