package org.essaim.mailserver;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.OptionalLong;
import java.util.UUID;

import org.essaim.config.EssaimProperties;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Quotas are enforced by the mail server itself, and told to the sender in the SMTP session:
 * nothing is half stored, and the usage James accounts is what IMAP reports.
 */
class QuotaEnforcementTest {
    private static final String PASSWORD = "quota test password";

    static EssaimInstance essaim;
    static MailServerBridge mailServer;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        mailServer = essaim.bean(MailServerBridge.class);
    }

    /** Every test gets its own mailbox, so usage figures are its own. */
    private static String newAccount() {
        String address = essaim.newAccount("quota", PASSWORD);
        essaim.publishGeneratedKey(address); // without a published key, mail for the account is refused (450)
        return address;
    }

    @Test
    void anAccountWithoutAQuotaOfItsOwnHasTheServersDefault() {
        String user = newAccount();

        assertThat(mailServer.storageUsage(user).limitBytes()).as("essaim.quota.default, 1GB unless configured")
                .hasValue(essaim.bean(EssaimProperties.class).quota().defaultQuota().toBytes());
    }

    @Test
    void aTinyQuotaRefusesAMessageThatDoesNotFitWith552AndStoresNothing() {
        String user = newAccount();
        mailServer.setStorageLimit(user, OptionalLong.of(1024));

        String reply = sendFromOutside(user, 3000);

        assertThat(reply).startsWith("552 5.2.2 Mailbox full")
                .as("every language, English first, in ASCII").contains(" / Boite aux lettres pleine").isASCII();
        assertThat(mailServer.storageUsage(user).messageCount()).isZero();
        assertThat(mailServer.storageUsage(user).usedBytes()).isZero();
        assertThat(mailServer.storageUsage(user).limitBytes()).hasValue(1024);
    }

    @Test
    void usageReportedByTheBridgeIsWhatImapGetQuotaRootSays() throws Exception {
        String user = newAccount();
        mailServer.setStorageLimit(user, OptionalLong.of(200_000));
        assertThat(sendFromOutside(user, 2000)).startsWith("250");
        awaitMessageCountAtLeast(user, 1);

        StorageUsage usage = mailServer.storageUsage(user);
        String quotaRoot = imap(user, "a1 GETQUOTAROOT INBOX");

        assertThat(usage.usedBytes()).isPositive();
        // RFC 2087 reports STORAGE in units of 1024 octets
        assertThat(quotaRoot).contains("STORAGE " + (usage.usedBytes() / 1024) + " " + (200_000 / 1024));
    }

    @Test
    void aFullMailboxIsRefusedAtRcptWith452AndImapAppendSaysOverQuota() throws Exception {
        String user = newAccount();
        mailServer.setStorageLimit(user, OptionalLong.of(200_000));
        assertThat(sendFromOutside(user, 1500)).startsWith("250");
        awaitMessageCountAtLeast(user, 1);
        long used = mailServer.storageUsage(user).usedBytes();
        mailServer.setStorageLimit(user, OptionalLong.of(used));

        String alias = "alias-of-" + user;
        mailServer.addAlias(alias, user);
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            smtp.smtp("MAIL FROM:<friend@example.org>");
            assertThat(smtp.smtp("RCPT TO:<" + user + ">")).startsWith("452 4.2.2 Mailbox full")
                    .contains(" / Boite aux lettres pleine : son titulaire doit d'abord faire de la place").isASCII();
            assertThat(smtp.smtp("RCPT TO:<" + alias + ">")).as("an alias of a full mailbox").startsWith("452");
        }

        String literal = "Subject: appended\r\n\r\nhello\r\n";
        try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
            imap.readLine();
            imap.send("a1 LOGIN \"" + user + "\" \"" + PASSWORD + "\"");
            imap.readImapUntilTagged("a1");
            imap.send("a2 APPEND INBOX {" + literal.length() + "}");
            assertThat(imap.readLine()).startsWith("+");
            imap.send(literal); // the literal's octets, then the CRLF that ends the APPEND command
            assertThat(imap.readImapUntilTagged("a2")).contains("a2 NO").contains("OVERQUOTA");
        }
    }

    private static void awaitMessageCountAtLeast(String user, long count) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (mailServer.storageUsage(user).messageCount() < count) {
            assertThat(System.currentTimeMillis()).as("delivery within 20 s").isLessThan(deadline);
            Thread.sleep(200);
        }
    }

    private static String imap(String user, String command) {
        try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
            imap.readLine();
            imap.send("a0 LOGIN \"" + user + "\" \"" + PASSWORD + "\"");
            imap.readImapUntilTagged("a0");
            imap.send(command);
            return imap.readImapUntilTagged(command.substring(0, command.indexOf(' ')));
        }
    }

    /** Sends a message of about {@code size} bytes; returns the reply to the end of DATA. */
    private static String sendFromOutside(String recipient, int size) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            smtp.smtp("MAIL FROM:<friend@example.org>");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: <friend@example.org>");
            smtp.send("To: <" + recipient + ">");
            smtp.send("Subject: sized " + UUID.randomUUID());
            smtp.send("");
            for (int written = 0; written < size; written += 76) {
                smtp.send("x".repeat(74));
            }
            return smtp.smtp(".");
        }
    }
}
