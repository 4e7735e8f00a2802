package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import jakarta.mail.Folder;
import jakarta.mail.Store;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every SMTP command gets exactly one reply, and a refusal says why. (A connection reset mid-session costs no stack
 * trace in the log: security/NoClientAddressInLogsTest checks that with its hostile sessions.)
 */
class SmtpRepliesTest {

    private static final String PASSWORD = "replies are one per command 42";
    private static EssaimInstance essaim;
    private static String recipient;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        recipient = "replies-" + System.nanoTime() + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(recipient, PASSWORD);
        essaim.publishGeneratedKey(recipient);
    }

    @Test
    void aHeaderLineLongerThanTheServerAcceptsGetsOneRefusalAtTheEndOfDataAndNothingIsDelivered() throws Exception {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<someone@sender.example>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.sendRaw(("Subject: a very long header\r\nX-Long: " + "A".repeat(100_000) + "\r\n\r\nbody\r\n.\r\n")
                    .getBytes(StandardCharsets.US_ASCII));

            assertThat(smtp.readSmtpReply()).as("the one reply to this DATA")
                    .startsWith("554 5.6.0").contains("line is longer than this server accepts");
            assertThat(smtp.smtp("NOOP")).as("the next reply belongs to the next command").startsWith("250");

            assertThat(smtp.smtp("MAIL FROM:<someone@sender.example>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.sendRaw("Subject: a normal one\r\n\r\nbody\r\n.\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(smtp.readSmtpReply()).startsWith("250");
        }
        assertThat(messagesOnceDelivered()).as("only the normal message, in INBOX or (the spam check's choice) Spam")
                .isEqualTo(1);
    }

    /** INBOX and Spam together, once something arrived (delivery may go through the queue). */
    private static int messagesOnceDelivered() throws Exception {
        try (Store store = MailClients.imaps(essaim, recipient, PASSWORD)) {
            long deadline = System.currentTimeMillis() + 30_000;
            while (true) {
                int total = count(store, "INBOX") + count(store, "Spam");
                if (total > 0 || System.currentTimeMillis() > deadline) {
                    return total;
                }
                Thread.sleep(200);
            }
        }
    }

    private static int count(Store store, String name) throws Exception {
        Folder folder = store.getFolder(name);
        folder.open(Folder.READ_ONLY);
        try {
            return folder.getMessageCount();
        } finally {
            folder.close(false);
        }
    }

    @Test
    void aCommandLineTooLongIsAnsweredAtOnceAndOnce() {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("NOOP " + "x".repeat(20_000))).startsWith("500");
            assertThat(smtp.smtp("NOOP")).startsWith("250");
        }
    }

    @Test
    void aQuotedLocalPartThatNoAccountCanHaveIsRefusedAtRcptWithAReasonOnBothPorts() {
        String quoted = "<\"victim@example.net\"@" + EssaimInstance.DOMAIN + ">";
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            smtp.smtp("MAIL FROM:<someone@sender.example>");
            assertThat(smtp.smtp("RCPT TO:" + quoted)).startsWith("553 5.1.3").contains("local part");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).as("the session goes on").startsWith("250");
        }
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            submission.smtp("STARTTLS");
            submission.upgradeToTls();
            submission.smtp("EHLO client.example");
            String plain = Base64.getEncoder().encodeToString(("\0" + recipient + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(submission.smtp("AUTH PLAIN " + plain)).startsWith("235");
            submission.smtp("MAIL FROM:<" + recipient + ">");
            assertThat(submission.smtp("RCPT TO:" + quoted)).startsWith("553 5.1.3");
        }
    }
}
