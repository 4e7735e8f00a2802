package org.essaim.delivery.spam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.spam.SenderReputation;
import org.essaim.spam.ServerModel;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoopbackDns;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spam check in the SMTP session, end to end over real sockets: GTUBE is refused at the end of DATA and leaves
 * no trace on disk; a client listed by DNS blocklists (a real DNS server on loopback) is junked with one listing and
 * refused with two; clean mail reaches the Inbox. The verdict's X-Spam-* headers exist only inside the ciphertext.
 * <p>
 * Its own instance: a loopback DNS server for the blocklists, and its own log file.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpamAtDeliveryTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String ERIN = "erin@" + EssaimInstance.DOMAIN;
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    private static final String FIRST_ZONE = "bl.essaim.test";
    private static final String SECOND_ZONE = "rbl.essaim.test";

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    static LoopbackDns dns;
    static String erinSecretKey;
    static final List<String> refusedMarkers = new ArrayList<>();

    @BeforeAll
    static void start() {
        dns = new LoopbackDns();
        essaim = EssaimInstance.start(dataDir, Map.of(
                "logging.file.name", dataDir.resolve("logs/essaim.log").toString(),
                "essaim.dns.servers", dns.server(),
                "essaim.spam.dnsbl", FIRST_ZONE + "," + SECOND_ZONE,
                "essaim.spam.dnsbl-points", 8));
        essaim.bean(MailServerBridge.class).createAccount(ERIN, PASSWORD);
        erinSecretKey = essaim.publishGeneratedKey(ERIN);
    }

    @AfterAll
    static void stop() {
        essaim.close();
        dns.close();
    }

    @Test
    @Order(1)
    void cleanMailReachesTheInboxWithItsVerdictOnlyInsideTheCiphertext() throws Exception {
        String subject = "Minutes " + UUID.randomUUID();
        assertThat(send(message(subject, "Here are the minutes of Tuesday's meeting, as promised."))).startsWith("250");

        MimeMessage stored = storedWithSubject("INBOX", subject);
        assertThat(stored.getHeader("X-Spam-Status")).as("no verdict in the clear headers").isNull();
        assertThat(stored.getHeader("X-Spam-Score")).isNull();
        String inner = decrypted(stored);
        assertThat(inner).contains("X-Spam-Status: No").contains("X-Spam-Engine: embedded").contains("BAYES_");
    }

    @Test
    @Order(2)
    void gtubeIsRefusedAtTheEndOfDataWith554() {
        String marker = "REFUSED" + UUID.randomUUID().toString().replace("-", "");
        refusedMarkers.add(marker);
        String reply = send(message("Test " + marker, "This is the GTUBE, " + marker + ":\r\n\r\n" + GTUBE));
        assertThat(reply).startsWith("554 5.7.1 Message refused as spam")
                .as("every language, English first").contains(" / Message refuse comme indesirable");
    }

    @Test
    @Order(10)
    void aSenderOnOneBlocklistIsFiledInSpamWithTheReasonInsideTheCiphertext() throws Exception {
        dns.answer("1.0.0.127." + FIRST_ZONE, "127.0.0.2");
        String subject = "Listed " + UUID.randomUUID();
        assertThat(send(message(subject, "Here are the minutes of Tuesday's meeting, as promised."))).startsWith("250");

        MimeMessage stored = storedWithSubject("Spam", subject);
        assertThat(stored.getHeader("X-Spam-Status")).isNull();
        assertThat(decrypted(stored)).contains("X-Spam-Status: Yes").contains("DNSBL_BL.ESSAIM.TEST(8.0)");
    }

    @Test
    @Order(11)
    void aSenderOnTwoBlocklistsIsRefused() {
        dns.answer("1.0.0.127." + SECOND_ZONE, "127.0.0.4");
        String marker = "REFUSED" + UUID.randomUUID().toString().replace("-", "");
        refusedMarkers.add(marker);
        assertThat(send(message("Listed twice " + marker, "Body " + marker))).startsWith("554 5.7.1");
    }

    @Test
    @Order(20)
    void nothingOfARefusedMessageIsOnDiskAndNoLogLineHoldsTheClientAddress() throws Exception {
        essaim.stop();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).anyMatch(f -> f.toString().endsWith("essaim.log")).anyMatch(f -> f.toString().contains("activemq"));
        List<String> hits = new ArrayList<>();
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            for (String marker : refusedMarkers) {
                String lower = marker.toLowerCase(Locale.ROOT);
                if (content.contains(lower) || content.contains(lower.substring(lower.length() - 20))) {
                    hits.add(marker + " in " + dataDir.relativize(file));
                }
            }
        }
        assertThat(hits).isEmpty();
        String log = Files.readString(dataDir.resolve("logs/essaim.log"), StandardCharsets.ISO_8859_1);
        assertThat(log).contains("refused as spam");
        assertThat(log.lines().filter(line -> line.contains("spam")).filter(line -> line.contains("127.0.0.1")).toList())
                .isEmpty();
    }

    @Test
    @Order(3)
    void notSpamOverImapBringsTheSendersNextMessageToTheInboxAndTeachesNoContentTable() throws Exception {
        ServerModel model = essaim.bean(ServerModel.class);
        long learnedBefore = model.learnedTokens();
        String first = "Offer " + UUID.randomUUID();
        assertThat(send(spammy(first))).startsWith("250");
        storedWithSubject("Spam", first);

        moveMatching("Spam", "INBOX", first);
        assertThat(essaim.bean(SenderReputation.class).entries(ERIN))
                .anySatisfy(entry -> {
                    assertThat(entry.label()).isEqualTo("offers@bargains.example");
                    assertThat(entry.hamVotes()).isEqualTo(1);
                });
        String second = "Offer " + UUID.randomUUID();
        assertThat(send(spammy(second))).startsWith("250");
        assertThat(decrypted(storedWithSubject("INBOX", second)))
                .as("the content still looks like spam; the member's own vote files it in the Inbox")
                .contains("X-Spam-Reasons: BAYES_9");
        assertThat(model.learnedTokens()).as("no content token was learned from a member's move").isEqualTo(learnedBefore);
    }

    @Test
    @Order(4)
    void movingAMessageIntoSpamIsAVoteOnItsSenderOnly() throws Exception {
        ServerModel model = essaim.bean(ServerModel.class);
        long learnedBefore = model.learnedTokens();
        String subject = "Minutes " + UUID.randomUUID();
        assertThat(send(message(subject, "Here are the minutes of Tuesday's meeting, as promised."))).startsWith("250");
        storedWithSubject("INBOX", subject);

        moveMatching("INBOX", "Spam", subject);
        assertThat(essaim.bean(SenderReputation.class).entries(ERIN))
                .anySatisfy(entry -> {
                    assertThat(entry.label()).isEqualTo("friend@example.org");
                    assertThat(entry.spamVotes()).isEqualTo(1);
                });
        assertThat(model.learnedTokens()).isEqualTo(learnedBefore);
        essaim.bean(SenderReputation.class).deleteAll(ERIN);
        assertThat(essaim.bean(SenderReputation.class).entries(ERIN)).isEmpty();
    }

    /** Spam-like by its words and careless headers (no Date, no Message-ID): junked by the embedded filter. */
    private static String spammy(String subject) {
        return "From: Best Offers <offers@bargains.example>\r\n"
                + "To: " + ERIN + "\r\n"
                + "Subject: " + subject + " FREE money, limited time!!!\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/html; charset=us-ascii\r\n"
                + "\r\n"
                + "<html><body><font size=4><b>Dear Friend,</b> you have been selected! Make money fast from home. "
                + "Click here http://www.bargains.example/offer to claim your FREE gift. Order now, 100% guaranteed, "
                + "no risk, credit card accepted. To be removed from our mailing list click here. "
                + "Act now, this offer expires soon! Lowest mortgage rates, save big.</font></body></html>\r\n";
    }

    /** Moves the message whose decrypted subject matches, with IMAP MOVE, as any mail client would. */
    private static void moveMatching(String from, String to, String subject) throws Exception {
        try (Store imap = MailClients.imaps(essaim, ERIN, PASSWORD)) {
            Folder source = imap.getFolder(from);
            Folder target = imap.getFolder(to);
            if (!target.exists()) {
                target.create(Folder.HOLDS_MESSAGES);
            }
            source.open(Folder.READ_WRITE);
            for (Message message : source.getMessages()) {
                if (decrypted(new MimeMessage((MimeMessage) message)).contains("Subject: " + subject)) {
                    ((org.eclipse.angus.mail.imap.IMAPFolder) source).moveMessages(new Message[] {message}, target);
                }
            }
            source.close(true);
        }
    }

    private static String message(String subject, String body) {
        return "From: Friend <friend@example.org>\r\n"
                + "To: " + ERIN + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@example.org>\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "\r\n"
                + body + "\r\n";
    }

    /** Sends from outside (no AUTH) and returns the reply to the end of DATA. */
    static String send(String message) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("EHLO mail.example.org")).startsWith("250");
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + ERIN + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            String body = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
            for (String line : body.split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            String reply = smtp.smtp(".");
            smtp.smtp("QUIT");
            return reply;
        }
    }

    static MimeMessage storedWithSubject(String folderName, String subject) throws Exception {
        try (Store imap = MailClients.imaps(essaim, ERIN, PASSWORD)) {
            Folder folder = imap.getFolder(folderName);
            long deadline = System.currentTimeMillis() + 20_000;
            while (System.currentTimeMillis() < deadline) {
                if (folder.exists()) {
                    folder.open(Folder.READ_ONLY);
                    for (Message message : folder.getMessages()) {
                        MimeMessage copy = new MimeMessage((MimeMessage) message);
                        if (decrypted(copy).contains("Subject: " + subject)) {
                            folder.close(false);
                            return copy;
                        }
                    }
                    folder.close(false);
                }
                Thread.sleep(200);
            }
            throw new AssertionError("No message \"" + subject + "\" in " + folderName);
        }
    }

    static String decrypted(MimeMessage stored) throws Exception {
        MimeMultipart parts = (MimeMultipart) stored.getContent();
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            return new String(TestKeys.decrypt(in.readAllBytes(), erinSecretKey), StandardCharsets.UTF_8);
        }
    }
}
