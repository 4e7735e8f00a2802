package org.essaim.mailserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The embedded mail server, over real sockets: what a mail client, another MTA and an attacker see.
 * (What survives a restart: {@link org.essaim.StartAndRestartTest}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailProtocolsTest {
    private static final String PASSWORD = "a long enough protocols test password";

    static EssaimInstance essaim;
    static String user;
    static String subject = "Hello from outside " + UUID.randomUUID();
    /** The user's secret key: mail for local accounts is stored encrypted to their published key. */
    static String secretKey;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        user = essaim.newAccount("protocols", PASSWORD);
        secretKey = essaim.publishGeneratedKey(user);
    }

    @Test
    @Order(1)
    void mailSentBySmtpToALocalUserIsReadOverImapsAndPop3s() throws Exception {
        String messageId = sendFromOutside(user, subject, "Body of the first message.");

        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", 1);
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message message = inbox.getMessage(1);
            assertThat(message.getHeader("Message-ID")).containsExactly(messageId);
            // Stored encrypted to the user's key: the real subject is inside (protected headers).
            assertThat(message.getSubject()).isEqualTo("...");
            assertThat(decryptedText(message)).contains("Subject: " + subject).contains("Body of the first message.");
            inbox.close(false);
        }
        try (Store pop = MailClients.pop3s(essaim, user, PASSWORD)) {
            Folder inbox = pop.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getHeader("Message-ID")).containsExactly(messageId);
            assertThat(decryptedText(inbox.getMessage(1))).contains("Subject: " + subject);
            inbox.close(false);
        }
    }

    @Test
    void everyPortGreetsWithItsProtocolBanner() {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220 ").contains("ESMTP");
        }
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            assertThat(submission.readSmtpReply()).startsWith("220 ");
        }
        try (LineClient imap = LineClient.connect(essaim.imapPort())) {
            assertThat(imap.readLine()).startsWith("* OK");
        }
        try (LineClient imaps = LineClient.connectTls(essaim.imapsPort())) {
            assertThat(imaps.readLine()).startsWith("* OK");
        }
        try (LineClient pop3 = LineClient.connect(essaim.pop3Port())) {
            assertThat(pop3.readLine()).startsWith("+OK");
        }
        try (LineClient pop3s = LineClient.connectTls(essaim.pop3sPort())) {
            assertThat(pop3s.readLine()).startsWith("+OK");
        }
    }

    @Test
    void submissionWithoutAuthIsRefusedEvenForLocalRecipients() {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            assertThat(submission.smtp("STARTTLS")).startsWith("220");
            submission.upgradeToTls();
            submission.smtp("EHLO client.example");
            assertThat(submission.smtp("MAIL FROM:<" + user + ">")).startsWith("530");
        }
    }

    @Test
    void submissionAcceptsAnAuthenticatedUserAfterStartTls() {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            submission.smtp("STARTTLS");
            submission.upgradeToTls();
            assertThat(submission.smtp("EHLO client.example")).contains("AUTH");
            assertThat(submission.smtp("AUTH PLAIN " + plain(user, PASSWORD))).startsWith("235");
            assertThat(submission.smtp("MAIL FROM:<" + user + ">")).startsWith("250");
            assertThat(submission.smtp("MAIL FROM:<someone.else@" + EssaimInstance.DOMAIN + ">"))
                    .as("a user may only send as themselves").doesNotStartWith("250");
        }
    }

    @Test
    void authenticationBeforeTlsIsRefusedOnEveryPort() {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            assertThat(submission.smtp("AUTH PLAIN " + plain(user, PASSWORD))).doesNotStartWith("235").matches("(?s)^5.*");
        }
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO client.example");
            assertThat(smtp.smtp("AUTH PLAIN " + plain(user, PASSWORD))).doesNotStartWith("235").matches("(?s)^5.*");
        }
        try (LineClient imap = LineClient.connect(essaim.imapPort())) {
            imap.readLine();
            imap.send("a1 CAPABILITY");
            assertThat(imap.readImapUntilTagged("a1")).contains("LOGINDISABLED").contains("STARTTLS");
            imap.send("a2 LOGIN \"" + user + "\" \"" + PASSWORD + "\"");
            assertThat(imap.readImapUntilTagged("a2")).doesNotContain("a2 OK");
        }
        try (LineClient pop3 = LineClient.connect(essaim.pop3Port())) {
            pop3.readLine();
            pop3.send("user " + user);
            assertThat(pop3.readLine()).startsWith("-ERR");
            pop3.send("PASS " + PASSWORD);
            assertThat(pop3.readLine()).startsWith("-ERR");
        }
    }

    @Test
    void pop3AndImapAuthenticateOnceTlsIsUp() {
        try (LineClient pop3 = LineClient.connect(essaim.pop3Port())) {
            pop3.readLine();
            pop3.send("STLS");
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.upgradeToTls();
            pop3.send("user " + user);
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.send("PASS " + PASSWORD);
            assertThat(pop3.readLine()).startsWith("+OK");
        }
        try (LineClient imap = LineClient.connect(essaim.imapPort())) {
            imap.readLine();
            imap.send("a1 STARTTLS");
            assertThat(imap.readImapUntilTagged("a1")).contains("a1 OK");
            imap.upgradeToTls();
            imap.send("a2 LOGIN \"" + user + "\" \"" + PASSWORD + "\"");
            assertThat(imap.readImapUntilTagged("a2")).contains("a2 OK");
        }
    }

    @Test
    void relayingToAnotherDomainWithoutAuthIsRefused() {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO relay-seeker.example");
            assertThat(smtp.smtp("MAIL FROM:<spammer@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<victim@example.net>")).matches("(?s)^5.*");
        }
    }

    private static String decryptedText(Message message) throws Exception {
        jakarta.mail.internet.MimeMultipart parts = (jakarta.mail.internet.MimeMultipart) message.getContent();
        try (java.io.InputStream in = parts.getBodyPart(1).getInputStream()) {
            return new String(TestKeys.decrypt(in.readAllBytes(), secretKey), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /** Sends a plaintext message over SMTP as another server would; returns its Message-ID. */
    static String sendFromOutside(String recipient, String subject, String body) {
        String messageId = "<" + UUID.randomUUID() + "@example.org>";
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: Friend <friend@example.org>");
            smtp.send("To: <" + recipient + ">");
            smtp.send("Subject: " + subject);
            smtp.send("Message-ID: " + messageId);
            smtp.send("Date: Wed, 25 Nov 2026 10:00:00 +0000");
            smtp.send("");
            smtp.send(body);
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
        return messageId;
    }

    private static String plain(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
