package org.essaim.mailserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded mail server, over real sockets: what a mail client, another MTA and an attacker see.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class MailProtocolsTest {
    private static final String USER = EssaimInstance.ADMIN;
    private static final String PASSWORD = EssaimInstance.ADMIN_PASSWORD;

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    static String subject = "Hello from outside " + UUID.randomUUID();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.start(dataDir);
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @Test
    @Order(1)
    void mailSentBySmtpToALocalUserIsReadOverImapsAndPop3s() throws Exception {
        sendFromOutside(USER, subject, "Body of the first message.");

        try (Store imap = MailClients.imaps(essaim, USER, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", 1);
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo(subject);
            inbox.close(false);
        }
        try (Store pop = MailClients.pop3s(essaim, USER, PASSWORD)) {
            Folder inbox = pop.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).isEqualTo(1);
            assertThat(inbox.getMessage(1).getSubject()).isEqualTo(subject);
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
            assertThat(submission.smtp("MAIL FROM:<" + USER + ">")).startsWith("530");
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
            assertThat(submission.smtp("AUTH PLAIN " + plain(USER, PASSWORD))).startsWith("235");
            assertThat(submission.smtp("MAIL FROM:<" + USER + ">")).startsWith("250");
            assertThat(submission.smtp("MAIL FROM:<someone.else@" + EssaimInstance.DOMAIN + ">"))
                    .as("a user may only send as themselves").doesNotStartWith("250");
        }
    }

    @Test
    void authenticationBeforeTlsIsRefusedOnEveryPort() {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            assertThat(submission.smtp("AUTH PLAIN " + plain(USER, PASSWORD))).doesNotStartWith("235").matches("(?s)^5.*");
        }
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO client.example");
            assertThat(smtp.smtp("AUTH PLAIN " + plain(USER, PASSWORD))).doesNotStartWith("235").matches("(?s)^5.*");
        }
        try (LineClient imap = LineClient.connect(essaim.imapPort())) {
            imap.readLine();
            imap.send("a1 CAPABILITY");
            assertThat(imap.readImapUntilTagged("a1")).contains("LOGINDISABLED").contains("STARTTLS");
            imap.send("a2 LOGIN \"" + USER + "\" \"" + PASSWORD + "\"");
            assertThat(imap.readImapUntilTagged("a2")).doesNotContain("a2 OK");
        }
        try (LineClient pop3 = LineClient.connect(essaim.pop3Port())) {
            pop3.readLine();
            pop3.send("USER " + USER);
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
            pop3.send("USER " + USER);
            assertThat(pop3.readLine()).startsWith("+OK");
            pop3.send("PASS " + PASSWORD);
            assertThat(pop3.readLine()).startsWith("+OK");
        }
        try (LineClient imap = LineClient.connect(essaim.imapPort())) {
            imap.readLine();
            imap.send("a1 STARTTLS");
            assertThat(imap.readImapUntilTagged("a1")).contains("a1 OK");
            imap.upgradeToTls();
            imap.send("a2 LOGIN \"" + USER + "\" \"" + PASSWORD + "\"");
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

    @Test
    @Order(100)
    void messageFlagsAndFoldersSurviveARestart() throws Exception {
        String restartSubject = "Survives restart " + UUID.randomUUID();
        sendFromOutside(USER, restartSubject, "Keep me.");
        try (Store imap = MailClients.imaps(essaim, USER, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", 2);
            Folder projects = imap.getFolder("Projects");
            assertThat(projects.create(Folder.HOLDS_MESSAGES)).isTrue();
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            Message message = findBySubject(inbox, restartSubject);
            message.setFlag(Flags.Flag.FLAGGED, true);
            inbox.close(false);
        }

        essaim.restart();

        try (Store imap = MailClients.imaps(essaim, USER, PASSWORD)) {
            assertThat(imap.getFolder("Projects").exists()).isTrue();
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            Message message = findBySubject(inbox, restartSubject);
            assertThat(message.isSet(Flags.Flag.FLAGGED)).isTrue();
            inbox.close(false);
        }
    }

    private static Message findBySubject(Folder folder, String wanted) throws Exception {
        for (Message m : folder.getMessages()) {
            if (wanted.equals(m.getSubject())) {
                return m;
            }
        }
        throw new AssertionError("No message with subject " + wanted + " in " + folder.getFullName());
    }

    static void sendFromOutside(String recipient, String subject, String body) {
        SmtpSender.deliver(essaim, recipient, subject, body);
    }

    private static String plain(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
