package org.essaim.lists;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.support.EssaimInstance;
import org.essaim.support.GnuPG;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;

/** Sending to lists over SMTP and submission, and reading (and decrypting with GnuPG) what members received. */
final class ListMail {
    private static final Pattern ARMOR = Pattern.compile("(?s)-----BEGIN PGP MESSAGE-----.*?-----END PGP MESSAGE-----");

    private ListMail() {
    }

    /** Another server delivering on port 25 (no AUTH); returns the answer to the final dot. */
    static String viaSmtp(EssaimInstance essaim, String mailFrom, String recipient, String message) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<" + mailFrom + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            return finishData(smtp, message);
        }
    }

    /** A member's client sending through submission (STARTTLS, AUTH PLAIN); returns the answer to the final dot. */
    static String viaSubmission(EssaimInstance essaim, String user, String password, String recipient, String message) {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            submission.smtp("STARTTLS");
            submission.upgradeToTls();
            submission.smtp("EHLO client.example");
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            assertThat(submission.smtp("AUTH PLAIN " + plain)).startsWith("235");
            assertThat(submission.smtp("MAIL FROM:<" + user + ">")).startsWith("250");
            assertThat(submission.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(submission.smtp("DATA")).startsWith("354");
            return finishData(submission, message);
        }
    }

    private static String finishData(LineClient client, String message) {
        for (String line : message.replace("\r\n", "\n").split("\n", -1)) {
            client.send(line.startsWith(".") ? "." + line : line);
        }
        String answer = client.smtp(".");
        client.smtp("QUIT");
        return answer;
    }

    /** Every message of the account's INBOX, as stored, once it holds at least {@code count}. */
    static List<byte[]> inbox(EssaimInstance essaim, String user, String password, int count) throws Exception {
        Store store = MailClients.imaps(essaim, user, password);
        try {
            MailClients.awaitMessages(store, "INBOX", count);
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<byte[]> messages = new ArrayList<>();
            for (Message message : inbox.getMessages()) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                message.writeTo(out);
                messages.add(out.toByteArray());
            }
            inbox.close(false);
            return messages;
        } finally {
            store.close();
        }
    }

    /** The cleartext of a stored PGP/MIME message, decrypted by GnuPG. */
    static String decrypt(GnuPG gpg, byte[] stored) {
        String text = new String(stored, StandardCharsets.US_ASCII);
        Matcher armor = ARMOR.matcher(text);
        assertThat(armor.find()).as("the stored message is OpenPGP-encrypted").isTrue();
        assertThat(text).contains("multipart/encrypted");
        return new String(gpg.decrypt(armor.group().getBytes(StandardCharsets.US_ASCII)), StandardCharsets.UTF_8);
    }

    static String message(String from, String to, String subject, String body, String... extraFields) {
        StringBuilder message = new StringBuilder()
                .append("From: ").append(from).append("\r\n")
                .append("To: ").append(to).append("\r\n")
                .append("Subject: ").append(subject).append("\r\n")
                .append("Date: Mon, 30 Nov 2026 10:00:00 +0000\r\n")
                .append("Message-ID: <").append(java.util.UUID.randomUUID()).append("@example.org>\r\n");
        for (String field : extraFields) {
            message.append(field).append("\r\n");
        }
        return message.append("\r\n").append(body).append("\r\n").toString();
    }
}
