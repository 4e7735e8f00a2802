package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.essaim.i18n.LanguagePreferences;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.GnuPG;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

/**
 * What standard mail clients and servers see when they deliver to Essaim (issue 14): SMTPUTF8/8BITMIME, raw UTF-8
 * header bytes kept byte for byte (in mail Essaim encrypts and in mail that came encrypted), inline-signed clear
 * mail that still verifies in mutt once wrapped, and a refusal for a colleague without a key that says why and
 * tells the colleague.
 */
class StandardClientsDeliveryTest {
    private static final String PASSWORD = "correct horse battery staple";
    private static final String OLGA = "From: Olga Zoë Åström <olga@outside.example>";
    private static final String SUBJECT = "raw UTF-8 Ümlaut";

    @TempDir
    static Path work;
    private static GnuPG sender;
    private static GnuPG recipient;
    private final EssaimInstance essaim = EssaimInstance.shared();

    @BeforeAll
    static void keyrings() {
        sender = new GnuPG(work.resolve("sender"));
        recipient = new GnuPG(work.resolve("recipient"));
    }

    @AfterAll
    static void stopAgents() {
        sender.close();
        recipient.close();
    }

    private String newAccount() {
        String address = "deliv-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        return address;
    }

    @Test
    void ehloAnnouncesSmtpUtf8And8BitMimeAndMailFromTakesTheParameter() {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            String ehlo = smtp.smtp("EHLO client.example");
            assertThat(ehlo).containsPattern("250[- ]SMTPUTF8").containsPattern("250[- ]8BITMIME");
            assertThat(smtp.smtp("MAIL FROM:<olga@outside.example> BODY=8BITMIME SMTPUTF8")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    @Test
    void rawUtf8HeaderBytesAreKeptInTheCiphertextAndTheOuterHeaders() throws Exception {
        String account = newAccount();
        String secretKey = essaim.publishGeneratedKey(account);
        String messageId = UUID.randomUUID() + "@outside.example";
        send(account, OLGA + "\r\nTo: <" + account + ">\r\nSubject: " + SUBJECT + "\r\nMessage-ID: <" + messageId + ">\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n"
                + "Körper café\r\n");

        byte[] stored = storedBytes(account);
        assertThat(headerSection(stored)).contains(OLGA).contains("Subject: ...");
        String inner = new String(TestKeys.decrypt(armored(stored), secretKey), StandardCharsets.UTF_8);
        assertThat(inner).contains(OLGA).contains("Subject: " + SUBJECT).contains("Körper café");
        String encryptedSubject = headerSection(stored).replaceAll("\r\n[ \t]", "")
                .lines().filter(line -> line.startsWith("Essaim-Encrypted-Subject:")).findFirst().orElseThrow()
                .substring("Essaim-Encrypted-Subject:".length()).trim();
        assertThat(new String(TestKeys.decrypt(Base64.getDecoder().decode(encryptedSubject), secretKey), StandardCharsets.UTF_8))
                .isEqualTo(SUBJECT);
    }

    @Test
    void mailThatArrivesEncryptedIsStoredByteForByteEvenWithRawUtf8Headers() throws Exception {
        String account = newAccount();
        essaim.publishKey(account, recipient.generateKey(account));
        String boundary = "gpg-" + UUID.randomUUID();
        String armored = new String(recipient.encryptArmored("Content-Type: text/plain\r\n\r\nprivate\r\n"
                .getBytes(StandardCharsets.US_ASCII), account), StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n");
        String message = OLGA + "\r\nTo: <" + account + ">\r\nSubject: " + SUBJECT + "\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@outside.example>\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"" + boundary + "\"\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: application/octet-stream\r\n\r\n" + armored
                + "\r\n--" + boundary + "--\r\n";
        send(account, message);

        String stored = new String(storedBytes(account), StandardCharsets.UTF_8);
        // The server adds its own fields (trace, spam verdict); every field that came, and the body, stay as sent.
        assertThat(stored.substring(stored.indexOf("\r\n\r\n"))).isEqualTo(message.substring(message.indexOf("\r\n\r\n")));
        assertThat(headerSection(stored.getBytes(StandardCharsets.UTF_8)).split("\r\n"))
                .contains(headerSection(message.getBytes(StandardCharsets.UTF_8)).split("\r\n"));
    }

    @Test
    void inlineSignedClearMailStillVerifiesInMuttAfterTheServerEncryptedIt() throws Exception {
        String account = newAccount();
        essaim.publishKey(account, recipient.generateKey(account));
        byte[] samKey = sender.generateKey("sam@outside.example");
        recipient.importKey(samKey);
        byte[] signed = sender.run("Hello Essaim, this is signed.\n".getBytes(StandardCharsets.US_ASCII),
                "--clearsign", "--local-user", "sam@outside.example");
        send(account, "From: Sam <sam@outside.example>\r\nTo: <" + account + ">\r\nSubject: inline signed\r\n"
                + "Message-ID: <" + UUID.randomUUID() + "@outside.example>\r\n\r\n"
                + new String(signed, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n"));
        String folder = stored(account).folder();

        String shown = Mutt.displayFirstMessage(essaim, account, PASSWORD, folder, work.resolve("recipient"), work.resolve("mutt"));
        assertThat(shown).contains("PGP/MIME encrypted").contains("Good signature from: <sam@outside.example>")
                .doesNotContain("-----BEGIN PGP SIGNATURE-----")
                .contains("Hello Essaim, this is signed.");
    }

    @Test
    void aMemberWritingToAColleagueWithoutKeyLearnsWhyAndTheColleagueIsTold() throws Exception {
        String member = newAccount();
        String colleague = newAccount();
        essaim.bean(LanguagePreferences.class).choose(colleague, Locale.FRENCH); // the notice speaks their language
        for (int attempt = 0; attempt < 2; attempt++) {
            try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
                submission.readSmtpReply();
                submission.smtp("EHLO laptop.example");
                assertThat(submission.smtp("STARTTLS")).startsWith("220");
                submission.upgradeToTls();
                submission.smtp("EHLO laptop.example");
                String credentials = Base64.getEncoder().encodeToString(("\0" + member + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
                assertThat(submission.smtp("AUTH PLAIN " + credentials)).startsWith("235");
                assertThat(submission.smtp("MAIL FROM:<" + member + ">")).startsWith("250");
                assertThat(submission.smtp("RCPT TO:<" + colleague + ">"))
                        .startsWith("450 4.2.1")
                        .contains("has not published an encryption key yet")
                        .contains("They have been told");
                submission.smtp("QUIT");
            }
        }
        // mutt (which used to say only "Could not send the message") shows the server's reason
        assertThat(Mutt.send(essaim, member, PASSWORD, colleague, work.resolve("mutt-send")))
                .contains("has not published an encryption key yet");
        try (Store imap = MailClients.imaps(essaim, colleague, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).as("one notice, however many attempts").isEqualTo(1);
            Message notice = inbox.getMessage(1);
            assertThat(notice.getSubject()).as("French only: the colleague chose French")
                    .isEqualTo("Quelqu'un a essayé de vous écrire");
            String text = ((String) notice.getContent());
            assertThat(text).contains("Publiez-en une").contains("clé").doesNotContain(member)
                    .doesNotContain("Someone tried");
            inbox.close(false);
        }
    }

    private void send(String to, String message) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<olga@outside.example> BODY=8BITMIME SMTPUTF8")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + to + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            String body = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
            for (String line : body.split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    /**
     * The stored bytes of the account's first message, as IMAP BODY[] returns them, from INBOX or Spam (the spam
     * check may file test mail there: where it lands is not what these tests check).
     */
    private byte[] storedBytes(String account) throws Exception {
        return stored(account).bytes();
    }

    private record Stored(String folder, byte[] bytes) { }

    private Stored stored(String account) throws Exception {
        try (Store imap = MailClients.imaps(essaim, account, PASSWORD)) {
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                for (String name : List.of("INBOX", "Spam")) {
                    Folder folder = imap.getFolder(name);
                    folder.open(Folder.READ_ONLY);
                    try {
                        if (folder.getMessageCount() > 0) {
                            ByteArrayOutputStream out = new ByteArrayOutputStream();
                            folder.getMessage(1).writeTo(out);
                            return new Stored(name, out.toByteArray());
                        }
                    } finally {
                        folder.close(false);
                    }
                }
                assertThat(System.currentTimeMillis()).as("the message arrived").isLessThan(deadline);
                Thread.sleep(200);
            }
        }
    }

    private static String headerSection(byte[] message) {
        String text = new String(message, StandardCharsets.UTF_8);
        return text.substring(0, text.indexOf("\r\n\r\n") + 2);
    }

    private static byte[] armored(byte[] pgpMime) {
        String text = new String(pgpMime, StandardCharsets.US_ASCII);
        int begin = text.indexOf("-----BEGIN PGP MESSAGE-----");
        int end = text.indexOf("-----END PGP MESSAGE-----") + "-----END PGP MESSAGE-----".length();
        return text.substring(begin, end).getBytes(StandardCharsets.US_ASCII);
    }

    /** Debian's mutt against the instance's IMAPS port, driven without a user: shows the first message, quits. */
    static final class Mutt {
        private Mutt() {
        }

        /** Sends a short message with mutt in batch mode over submission (STARTTLS, AUTH); returns what mutt printed. */
        static String send(EssaimInstance essaim, String from, String password, String to, Path dir) throws Exception {
            Files.createDirectories(dir);
            Path muttrc = dir.resolve("muttrc");
            Files.writeString(muttrc, String.join("\n",
                    "set from=\"" + from + "\"", "set smtp_url=\"smtp://" + from.replace("@", "%40") + "@127.0.0.1:"
                            + essaim.submissionPort() + "/\"", "set smtp_pass=\"" + password + "\"",
                    "set ssl_starttls=yes", "set ssl_force_tls=yes",
                    "set certificate_file=\"" + essaim.dataDir().resolve("tls/cert.pem") + "\"", "set ssl_verify_host=no",
                    "set record=\"\"", "set folder=\"" + dir + "\"", "set spoolfile=\"" + dir + "/none\"",
                    "set crypt_autosign=no", "set crypt_autoencrypt=no", ""));
            ProcessBuilder builder = new ProcessBuilder("mutt", "-n", "-F", muttrc.toString(), "-s", "hello", to)
                    .redirectErrorStream(true);
            builder.environment().put("HOME", dir.toString());
            Process process = builder.start();
            try (var stdin = process.getOutputStream()) {
                stdin.write("Hello colleague\n".getBytes(StandardCharsets.US_ASCII));
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as("mutt reports the failure: " + output).isNotZero();
            return output;
        }

        static String displayFirstMessage(EssaimInstance essaim, String user, String password, String folder,
                                          Path gnupgHome, Path dir)
                throws Exception {
            Files.createDirectories(dir);
            Path shown = dir.resolve("shown.txt");
            Files.deleteIfExists(shown);
            Path muttrc = dir.resolve("muttrc");
            Files.writeString(muttrc, String.join("\n",
                    "set crypt_use_gpgme=yes", "set crypt_verify_sig=yes", "set pgp_auto_decode=yes",
                    // written whole, then renamed: the file appears only once mutt has shown all of it
                    "set pager=\"cat %s > " + shown + ".part && mv " + shown + ".part " + shown + "\"", "set pager_stop=no", "set wait_key=no", "set quit=yes",
                    "set move=no", "set folder=\"" + dir + "\"", "set spoolfile=\"" + dir + "/none\"", "set record=\"\"",
                    "set postponed=\"" + dir + "/postponed\"", "set header_cache=\"\"", "set message_cachedir=\"\"",
                    "set imap_user=\"" + user + "\"", "set imap_pass=\"" + password + "\"",
                    "set certificate_file=\"" + essaim.dataDir().resolve("tls/cert.pem") + "\"", "set ssl_verify_host=no",
                    "set sort=date", ""));
            String mutt = "mutt -n -F " + muttrc + " -f imaps://127.0.0.1:" + essaim.imapsPort() + "/" + folder
                    + " -e 'push \"<first-entry><display-message><quit>\"'";
            ProcessBuilder builder = new ProcessBuilder("script", "-qfc", mutt, "/dev/null")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
            builder.environment().put("GNUPGHOME", gnupgHome.toString());
            builder.environment().put("TERM", "xterm");
            builder.environment().put("HOME", dir.toString());
            Process process = builder.start();
            // mutt stays in its index after the message (it waited there a whole minute): done once the page is shown
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(shown) && process.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            if (!process.waitFor(1, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(shown).as("mutt showed the message").exists();
            return Files.readString(shown, StandardCharsets.UTF_8);
        }
    }
}
