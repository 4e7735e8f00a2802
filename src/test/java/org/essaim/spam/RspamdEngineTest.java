package org.essaim.spam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.RspamdDaemon;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code essaim.spam.engine=rspamd} against a real rspamd started on loopback: its verdict refuses GTUBE and its name
 * is inside the ciphertext of delivered mail; with rspamd stopped, the embedded filter takes over (GTUBE still
 * refused, clean mail still delivered, marked as judged by the fallback).
 * <p>
 * Its own instance: the rspamd engine, pointed at a daemon on loopback.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RspamdEngineTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String FRANK = "frank@" + EssaimInstance.DOMAIN;
    private static final String GTUBE = ContentRules.GTUBE;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path rspamdDir;
    static RspamdDaemon rspamd;
    static EssaimInstance essaim;
    static String secretKey;

    @BeforeAll
    static void start() {
        assumeTrue(RspamdDaemon.installed(), "rspamd is not installed (.ci/run installs it)");
        rspamd = new RspamdDaemon(rspamdDir);
        essaim = EssaimInstance.start(dataDir, Map.of(
                "essaim.spam.engine", "rspamd",
                "essaim.spam.rspamd-url", rspamd.url(),
                "essaim.spam.rspamd-timeout", "20s"));
        essaim.bean(MailServerBridge.class).createAccount(FRANK, PASSWORD);
        secretKey = essaim.publishGeneratedKey(FRANK);
    }

    @AfterAll
    static void stop() {
        if (essaim != null) {
            essaim.close();
        }
        if (rspamd != null) {
            rspamd.close();
        }
    }

    @Test
    @Order(1)
    void rspamdRefusesGtubeAndJudgesCleanMail() throws Exception {
        assertThat(send(message("Test", "GTUBE follows:\r\n" + GTUBE))).startsWith("554 5.7.1");
        String subject = "Lunch " + UUID.randomUUID();
        assertThat(send(message(subject, "Shall we have lunch on Friday? The usual place at noon."))).startsWith("250");
        assertThat(inboxMessage(subject)).contains("X-Spam-Engine: rspamd").contains("X-Spam-Status: No");
    }

    @Test
    @Order(2)
    void withRspamdStoppedTheEmbeddedFilterTakesOver() throws Exception {
        rspamd.close();
        assertThat(send(message("Test", "GTUBE follows:\r\n" + GTUBE))).startsWith("554 5.7.1");
        String subject = "Dinner " + UUID.randomUUID();
        assertThat(send(message(subject, "Shall we have dinner on Friday? The usual place at eight."))).startsWith("250");
        assertThat(inboxMessage(subject)).contains("X-Spam-Engine: embedded (rspamd unavailable)");
    }

    private static String message(String subject, String body) {
        return "From: Friend <friend@example.org>\r\nTo: " + FRANK + "\r\nSubject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.org>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n";
    }

    private static String send(String message) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("EHLO mail.example.org")).startsWith("250");
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + FRANK + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            for (String line : message.substring(0, message.length() - 2).split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            String reply = smtp.smtp(".");
            smtp.smtp("QUIT");
            return reply;
        }
    }

    private static String inboxMessage(String subject) throws Exception {
        try (Store imap = MailClients.imaps(essaim, FRANK, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                inbox.open(Folder.READ_ONLY);
                for (Message message : inbox.getMessages()) {
                    MimeMultipart parts = (MimeMultipart) new MimeMessage((MimeMessage) message).getContent();
                    try (InputStream in = parts.getBodyPart(1).getInputStream()) {
                        String inner = new String(TestKeys.decrypt(in.readAllBytes(), secretKey), StandardCharsets.UTF_8);
                        if (inner.contains("Subject: " + subject)) {
                            inbox.close(false);
                            return inner;
                        }
                    }
                }
                inbox.close(false);
                Thread.sleep(200);
            }
            throw new AssertionError("No message \"" + subject + "\" in the Inbox");
        }
    }
}
