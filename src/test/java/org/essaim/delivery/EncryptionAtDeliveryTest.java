package org.essaim.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;

import org.essaim.crypto.PgpMimeEncryptor;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.essaim.support.GnuPG;
import org.essaim.support.LineClient;
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
 * Nothing in clear at rest: mail for local accounts is encrypted to the recipient's published key in the SMTP
 * session, before the queue, and only ciphertext ever reaches the data directory. Checked end to end with real
 * sockets, real GnuPG and a byte-level search of every file the server wrote.
 * <p>
 * Its own instance: the byte-level search covers every file of one data directory and its log file.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EncryptionAtDeliveryTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String BOB = "bob@" + EssaimInstance.DOMAIN;
    private static final String DAVE = "dave@" + EssaimInstance.DOMAIN;
    private static final String CAROL = "carol@" + EssaimInstance.DOMAIN;
    private static final int MAX_MESSAGE_SIZE = 1024 * 1024;

    @TempDir
    static Path dataDir;
    @TempDir
    static Path gnupgHome;
    static EssaimInstance essaim;
    static GnuPG gpg;
    static String daveSecretKey;
    /** Every marker sent in clear; none may be found on disk afterwards. */
    static final List<String> markers = new ArrayList<>();
    /** Markers stored in clear on purpose (before their owner had a key), encrypted later by the sweep. */
    static final List<String> legacyMarkers = new ArrayList<>();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.start(dataDir, Map.of(
                "logging.file.name", dataDir.resolve("logs/essaim.log").toString(),
                "essaim.max-message-size", MAX_MESSAGE_SIZE));
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        bridge.createAccount(BOB, PASSWORD);
        bridge.createAccount(DAVE, PASSWORD);
        bridge.createAccount(CAROL, PASSWORD);
        gpg = new GnuPG(gnupgHome.resolve("bob"));
        essaim.publishKey(BOB, gpg.generateKey(BOB));
        daveSecretKey = essaim.publishGeneratedKey(DAVE);
    }

    @AfterAll
    static void stop() {
        essaim.close();
        gpg.close();
    }

    @Test
    @Order(1)
    void plaintextFromOutsideIsStoredAsPgpMimeThatGnuPGDecryptsToTheOriginal() throws Exception {
        Canary canary = Canary.fresh();
        sendFromOutside(List.of(BOB), canary.message(BOB));

        MimeMessage stored = onlyMessage(BOB);
        assertThat(stored.getContentType()).startsWith("multipart/encrypted")
                .contains("protocol=\"application/pgp-encrypted\"");
        assertThat(stored.getSubject()).isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
        assertThat(stored.getHeader("From")[0]).contains("friend@example.org");
        assertThat(stored.getHeader("To")[0]).contains(BOB);
        assertThat(stored.getMessageID()).isEqualTo(canary.messageId);
        assertThat(raw(stored)).doesNotContain(canary.subject).doesNotContain(canary.body).doesNotContain(canary.attachment);

        byte[] armored = encryptedPart(stored);
        String packets = gpg.listPackets(armored);
        assertThat(packets).as("SEIPD v1 with MDC, readable by GnuPG 2.2")
                .contains(":encrypted data packet:").contains("mdc_method: 2").doesNotContain("aead");
        String decrypted = new String(gpg.decrypt(armored), StandardCharsets.UTF_8);
        assertThat(decrypted)
                .contains("Subject: " + canary.subject)
                .contains("protected-headers=\"v1\"")
                .contains(canary.body)
                .contains(canary.attachment)
                .contains("filename=\"notes.txt\"");
    }

    @Test
    @Order(2)
    void eachLocalRecipientGetsAnOwnCiphertextForTheirOwnKey() throws Exception {
        Canary canary = Canary.fresh();
        sendFromOutside(List.of(BOB, DAVE), canary.message(BOB + ", " + DAVE));

        MimeMessage forBob = messageWithId(BOB, canary.messageId);
        MimeMessage forDave = messageWithId(DAVE, canary.messageId);
        assertThat(new String(gpg.decrypt(encryptedPart(forBob)), StandardCharsets.UTF_8)).contains(canary.body);
        assertThat(new String(TestKeys.decrypt(encryptedPart(forDave), daveSecretKey), StandardCharsets.UTF_8))
                .contains(canary.body);
        assertThatThrownBy(() -> gpg.decrypt(encryptedPart(forDave)))
                .as("Dave's copy is encrypted to Dave's key only").hasMessageContaining("gpg failed");
    }

    @Test
    @Order(3)
    void mailAlreadyEncryptedByGnuPGIsStoredWithAByteIdenticalBody() throws Exception {
        String messageId = "<" + UUID.randomUUID() + "@example.org>";
        String boundary = "gpg-" + UUID.randomUUID();
        byte[] armored = gpg.encryptArmored(("Content-Type: text/plain\r\n\r\nsecret " + UUID.randomUUID() + "\r\n")
                .getBytes(StandardCharsets.US_ASCII), BOB);
        String body = "This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--" + boundary + "\r\n"
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
                + new String(armored, StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n")
                + "\r\n--" + boundary + "--\r\n";
        String message = "From: Friend <friend@example.org>\r\n"
                + "To: <" + BOB + ">\r\n"
                + "Subject: Already private\r\n"
                + "Message-ID: " + messageId + "\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"" + boundary + "\"\r\n"
                + "\r\n" + body;
        sendFromOutside(List.of(BOB), message);

        MimeMessage stored = messageWithId(BOB, messageId);
        assertThat(stored.getSubject()).as("not encrypted a second time").isEqualTo("Already private");
        assertThat(rawBody(stored)).isEqualTo(body);

        String inlineId = "<" + UUID.randomUUID() + "@example.org>";
        String inlineBody = new String(gpg.encryptArmored("inline secret".getBytes(StandardCharsets.US_ASCII), BOB),
                StandardCharsets.US_ASCII).replace("\r\n", "\n").replace("\n", "\r\n");
        sendFromOutside(List.of(BOB), "From: <friend@example.org>\r\nTo: <" + BOB + ">\r\nSubject: Inline\r\n"
                + "Message-ID: " + inlineId + "\r\n\r\n" + inlineBody);
        MimeMessage inline = messageWithId(BOB, inlineId);
        assertThat(inline.getSubject()).isEqualTo("Inline");
        assertThat(rawBody(inline)).isEqualTo(inlineBody);
    }

    @Test
    @Order(4)
    void mailForAUserWithoutKeyIsRefusedWith450UntilTheKeyIsPublished() throws Exception {
        Canary canary = Canary.fresh();
        try (LineClient smtp = greet(essaim.smtpPort())) {
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + CAROL + ">"))
                    .startsWith("450 4.2.1 This recipient has not published an encryption key yet")
                    .as("the sender's language is unknown: every language, in ASCII")
                    .contains(" / Ce destinataire n'a pas encore publie de cle de chiffrement").isASCII();
            assertThat(smtp.smtp("RCPT TO:<" + BOB + ">")).as("other recipients are still accepted").startsWith("250");
            smtp.smtp("RSET");
        }
        try (Store imap = MailClients.imaps(essaim, CAROL, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            assertThat(inbox.getMessageCount()).as("nothing of the message stored for Carol, only the notice").isEqualTo(1);
            Message notice = inbox.getMessage(1);
            assertThat(notice.getSubject()).as("Carol chose no language: every language, English first")
                    .isEqualTo("Someone tried to write to you / Quelqu'un a essayé de vous écrire");
            String text = (String) notice.getContent();
            assertThat(text.indexOf("Publish one")).as("English first").isNotNegative()
                    .isLessThan(text.indexOf("Publiez-en une"));
            inbox.close(false);
        }

        GnuPG carolsGpg = new GnuPG(gnupgHome.resolve("carol"));
        try {
            essaim.publishKey(CAROL, carolsGpg.generateKey(CAROL));
            sendFromOutside(List.of(CAROL), canary.message(CAROL)); // the sending server's retry

            List<MimeMessage> stored = allMessages(CAROL, 2); // the notice and the message itself
            assertThat(stored).hasSize(2);
            List<String> decrypted = new ArrayList<>();
            for (MimeMessage each : stored) {
                if (each.getContentType().startsWith("multipart/encrypted")) { // the notice too, once swept
                    decrypted.add(new String(carolsGpg.decrypt(encryptedPart(each)), StandardCharsets.UTF_8));
                }
            }
            assertThat(decrypted).anySatisfy(text -> assertThat(text)
                    .contains(canary.subject).contains(canary.body).contains(canary.attachment));
        } finally {
            carolsGpg.close();
        }
    }

    @Test
    @Order(5)
    void receivedHeadersHoldNoClientAddressAfterSubmissionAndDelivery() throws Exception {
        Canary canary = Canary.fresh();
        try (LineClient submission = greet(essaim.submissionPort())) {
            assertThat(submission.smtp("STARTTLS")).startsWith("220");
            submission.upgradeToTls();
            submission.smtp("EHLO [127.0.0.1]");
            assertThat(submission.smtp("AUTH PLAIN " + plain(DAVE, "wrong password"))).startsWith("535");
            assertThat(submission.smtp("AUTH PLAIN " + plain(DAVE, PASSWORD))).startsWith("235");
            assertThat(submission.smtp("MAIL FROM:<" + DAVE + ">")).startsWith("250");
            assertThat(submission.smtp("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(submission.smtp("DATA")).startsWith("354");
            // From: must be the logged-in account on submission (issue 13)
            String fromDave = canary.message(BOB).replace("From: Friend <friend@example.org>", "From: <" + DAVE + ">");
            for (String line : fromDave.split("\r\n", -1)) {
                submission.send(line.startsWith(".") ? "." + line : line);
            }
            assertThat(submission.smtp(".")).startsWith("250");
        }
        MimeMessage stored = messageWithId(BOB, canary.messageId);
        String[] received = stored.getHeader("Received");
        assertThat(received).isNotEmpty();
        assertThat(received[0]).as("the hop says it was encrypted and authenticated (RFC 3848)").contains("with ESMTPSA");
        for (String header : received) {
            assertThat(header).doesNotContain("127.0.0.1").doesNotContain("localhost").doesNotContain("[");
        }
        for (MimeMessage message : allMessages(BOB)) {
            assertThat(String.join("\n", message.getHeader("Received"))).doesNotContain("127.0.0.1").doesNotContain("localhost");
        }
    }

    @Test
    @Order(6)
    void plaintextAppendedOverImapIsStoredEncryptedAndCiphertextPassesUntouched() throws Exception {
        Canary canary = Canary.fresh();
        byte[] alreadyEncrypted;
        try (Store imap = MailClients.imaps(essaim, BOB, PASSWORD)) {
            Folder imported = imap.getFolder("Imported");
            assertThat(imported.create(Folder.HOLDS_MESSAGES)).isTrue();
            imported.appendMessages(new Message[] {parse(canary.message(BOB))});

            MimeMessage forwardedCiphertext = messageWithId(BOB, allMessages(BOB).get(0).getMessageID());
            alreadyEncrypted = raw(forwardedCiphertext).getBytes(StandardCharsets.ISO_8859_1);
            imported.appendMessages(new Message[] {forwardedCiphertext});
        }
        try (Store imap = MailClients.imaps(essaim, BOB, PASSWORD)) {
            Folder imported = imap.getFolder("Imported");
            imported.open(Folder.READ_ONLY);
            assertThat(imported.getMessageCount()).isEqualTo(2);
            MimeMessage appended = new MimeMessage((MimeMessage) imported.getMessage(1));
            MimeMessage passedThrough = new MimeMessage((MimeMessage) imported.getMessage(2));
            imported.close(false);

            assertThat(appended.getContentType()).startsWith("multipart/encrypted");
            assertThat(appended.getSubject()).isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
            assertThat(new String(gpg.decrypt(encryptedPart(appended)), StandardCharsets.UTF_8))
                    .contains(canary.subject).contains(canary.body).contains(canary.attachment);
            assertThat(rawBody(passedThrough)).isEqualTo(rawBody(new MimeMessage(null,
                    new java.io.ByteArrayInputStream(alreadyEncrypted))));
        }
    }

    @Test
    @Order(7)
    void plaintextStoredBeforeTheKeyExistedIsEncryptedInEveryFolderOnceTheKeyIsPublished() throws Exception {
        String erin = "erin@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(erin, PASSWORD);
        String inInbox = "INBOXLEGACY" + UUID.randomUUID().toString().replace("-", "");
        String inProjects = "PROJECTSLEGACY" + UUID.randomUUID().toString().replace("-", "");
        legacyMarkers.addAll(List.of(inInbox, inProjects));
        try (Store imap = MailClients.imaps(essaim, erin, PASSWORD)) {
            Folder projects = imap.getFolder("Projects");
            assertThat(projects.create(Folder.HOLDS_MESSAGES)).isTrue();
            MimeMessage flagged = parse("From: <friend@example.org>\r\nTo: <" + erin + ">\r\nSubject: " + inInbox
                    + "\r\nMessage-ID: <" + UUID.randomUUID() + "@example.org>\r\n\r\nOld mail " + inInbox + "\r\n");
            flagged.setFlag(jakarta.mail.Flags.Flag.FLAGGED, true);
            imap.getFolder("INBOX").appendMessages(new Message[] {flagged});
            projects.appendMessages(new Message[] {parse("From: <friend@example.org>\r\nTo: <" + erin + ">\r\nSubject: "
                    + inProjects + "\r\n\r\nOld mail " + inProjects + "\r\n")});
        }
        assertThat(onlyMessageIn(erin, "INBOX").getSubject()).as("no key yet: stored as it came").isEqualTo(inInbox);

        GnuPG erinsGpg = new GnuPG(gnupgHome.resolve("erin"));
        try {
            essaim.publishKey(erin, erinsGpg.generateKey(erin));
            // Publishing the key starts the sweep for that account at once (and a job repeats it every 5 minutes).
            long deadline = System.currentTimeMillis() + 30_000;
            while (!encryptedOnly(erin, "INBOX") || !encryptedOnly(erin, "Projects")) {
                assertThat(System.currentTimeMillis()).as("swept within 30 s").isLessThan(deadline);
                Thread.sleep(200);
            }

            MimeMessage inbox = onlyMessageIn(erin, "INBOX");
            MimeMessage project = onlyMessageIn(erin, "Projects");
            for (MimeMessage message : List.of(inbox, project)) {
                assertThat(message.getContentType()).startsWith("multipart/encrypted");
                assertThat(message.getSubject()).isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
            }
            assertThat(inbox.getFlags().contains(jakarta.mail.Flags.Flag.FLAGGED)).as("flags kept").isTrue();
            assertThat(new String(erinsGpg.decrypt(encryptedPart(inbox)), StandardCharsets.UTF_8)).contains("Old mail " + inInbox);
            assertThat(new String(erinsGpg.decrypt(encryptedPart(project)), StandardCharsets.UTF_8)).contains("Old mail " + inProjects);
            assertThat(essaim.bean(org.essaim.mailserver.StoredPlaintextSweep.class).sweepAll()).as("nothing left to do").isZero();
        } finally {
            erinsGpg.close();
        }
    }

    @Test
    @Order(8)
    void aLargeMessageIsEncryptedWithoutAnyPlaintextTempFileAndAnOversizedOneIsRefusedWithNothingStored() throws Exception {
        int before = allMessages(BOB).size();
        Canary canary = Canary.fresh();
        String filler = ("filler line to make the message large, well above James' 100 KiB default buffer\r\n").repeat(9000);
        String large = canary.message(BOB).replace("--b1--\r\n", "--b1\r\nContent-Type: text/plain\r\n\r\n" + filler + "--b1--\r\n");
        assertThat(large.length()).isBetween(700_000, MAX_MESSAGE_SIZE - 10_000);

        TempFileWatch watch = TempFileWatch.start();
        sendFromOutside(List.of(BOB), large);
        MimeMessage stored = messageWithId(BOB, canary.messageId);
        assertThat(watch.stop()).as("no message spooled to a temp file").isEmpty();
        assertThat(new String(gpg.decrypt(encryptedPart(stored)), StandardCharsets.UTF_8)).contains(canary.body).contains(filler);

        Canary oversized = Canary.fresh();
        String tooBig = oversized.message(BOB).replace("--b1--\r\n", "--b1\r\nContent-Type: text/plain\r\n\r\n"
                + filler.repeat(2) + "--b1--\r\n");
        try (LineClient smtp = greet(essaim.smtpPort())) {
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            for (String line : tooBig.substring(0, tooBig.length() - 2).split("\r\n", -1)) {
                smtp.send(line);
            }
            assertThat(smtp.smtp(".")).startsWith("552");
        }
        Thread.sleep(1000);
        assertThat(allMessages(BOB)).hasSize(before + 1);
    }

    @Test
    @Order(9)
    void malformedMailGetsAnSmtpErrorOrIsStoredEncryptedAsItCame() throws Exception {
        int before = messagesIn(BOB, "INBOX", "Spam").size();
        try (LineClient smtp = greet(essaim.smtpPort())) {
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + BOB + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.sendRaw("Subject: bare line feeds\n\nnot SMTP\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(smtp.smtp(".")).as("bare LF is refused (SMTP smuggling)").matches("(?s)^5.*");
        }

        Canary canary = Canary.fresh();
        String noHeaders = "this is not an RFC 5322 message at all: " + canary.body + "\r\n\u00e9\u00e8 8-bit text\r\n";
        sendFromOutside(List.of(BOB), noHeaders);
        long deadline = System.currentTimeMillis() + 20_000;
        // No From, no Date: the spam check may file it in Spam (docs/spam.md); it is stored encrypted either way.
        List<MimeMessage> all = messagesIn(BOB, "INBOX", "Spam");
        while (all.size() < before + 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(200);
            all = messagesIn(BOB, "INBOX", "Spam");
        }
        assertThat(all).hasSize(before + 1);
        MimeMessage stored = all.get(all.size() - 1);
        assertThat(stored.getContentType()).startsWith("multipart/encrypted");
        assertThat(new String(gpg.decrypt(encryptedPart(stored)), StandardCharsets.UTF_8)).contains(canary.body);
    }

    @Test
    @Order(10)
    void mailToAnAliasIsEncryptedForTheAccountItLeadsTo() throws Exception {
        String alias = "team@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).addAlias(alias, BOB);
        Canary canary = Canary.fresh();
        sendFromOutside(List.of(alias), canary.message(alias));

        MimeMessage stored = messageWithId(BOB, canary.messageId);
        assertThat(stored.getContentType()).startsWith("multipart/encrypted");
        assertThat(new String(gpg.decrypt(encryptedPart(stored)), StandardCharsets.UTF_8)).contains(canary.body);
    }

    /** Watches java.io.tmpdir for the files James spools messages to (SMTP DATA, IMAP literals and appends). */
    static final class TempFileWatch {
        private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final java.util.Set<String> before;
        private volatile boolean running = true;
        private final Thread thread;

        private TempFileWatch() {
            before = new java.util.HashSet<>(spoolFiles());
            thread = new Thread(() -> {
                while (running) {
                    spoolFiles().stream().filter(name -> !before.contains(name)).forEach(seen::add);
                    Thread.onSpinWait();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }

        static TempFileWatch start() {
            return new TempFileWatch();
        }

        java.util.Set<String> stop() throws InterruptedException {
            running = false;
            thread.join();
            return seen;
        }

        private static List<String> spoolFiles() {
            String[] names = new java.io.File(System.getProperty("java.io.tmpdir")).list();
            return names == null ? List.of() : Stream.of(names)
                    .filter(n -> n.startsWith("mimemessage-") || n.startsWith("imap-literal") || (n.startsWith("imap") && n.endsWith(".msg")))
                    .toList();
        }
    }

    /** True when the folder holds exactly one message and it is PGP/MIME (false while the sweep is at work). */
    private static boolean encryptedOnly(String user, String folderName) {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            Folder folder = imap.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            try {
                return folder.getMessageCount() == 1
                        && folder.getMessage(1).getContentType().toLowerCase(java.util.Locale.ROOT)
                                .startsWith("multipart/encrypted");
            } finally {
                folder.close(false);
            }
        } catch (jakarta.mail.MessagingException e) {
            return false; // the message was replaced while being read
        }
    }

    /** The single message of a folder, with its flags, read over IMAPS. */
    private static MimeMessage onlyMessageIn(String user, String folderName) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            Folder folder = imap.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            assertThat(folder.getMessageCount()).isEqualTo(1);
            Message message = folder.getMessage(1);
            MimeMessage copy = new MimeMessage((MimeMessage) message);
            copy.setFlags(message.getFlags(), true);
            folder.close(false);
            return copy;
        }
    }

    private static MimeMessage parse(String message) throws Exception {
        return new MimeMessage(null, new java.io.ByteArrayInputStream(message.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(12)
    void mailDressedAsEncryptedIsEncryptedLikePlaintextBySmtpAndByImapAppend() throws Exception {
        List<FakeEncrypted> fakes = FakeEncrypted.corpus(BOB, markers);
        try (Store imap = MailClients.imaps(essaim, BOB, PASSWORD)) {
            Folder dressed = imap.getFolder("Dressed");
            assertThat(dressed.create(Folder.HOLDS_MESSAGES)).isTrue();
            for (FakeEncrypted fake : fakes) {
                sendFromOutside(List.of(BOB), fake.message());
                dressed.appendMessages(new Message[] {parse(fake.message())});
            }
        }
        for (FakeEncrypted fake : fakes) {
            MimeMessage delivered = messageWithId(BOB, fake.messageId());
            assertThat(delivered.getSubject()).as(fake.shape()).isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
            assertThat(new String(gpg.decrypt(encryptedPart(delivered)), StandardCharsets.ISO_8859_1))
                    .as(fake.shape()).contains(fake.canary());
        }
        try (Store imap = MailClients.imaps(essaim, BOB, PASSWORD)) {
            Folder dressed = imap.getFolder("Dressed");
            dressed.open(Folder.READ_ONLY);
            assertThat(dressed.getMessageCount()).isEqualTo(fakes.size());
            for (Message appended : dressed.getMessages()) {
                assertThat(appended.getSubject()).as("appended " + appended.getHeader("Message-ID")[0])
                        .isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
            }
            dressed.close(false);
        }
        List<String> everyMessage = rawMessagesInEveryFolder(BOB);
        for (FakeEncrypted fake : fakes) {
            assertThat(everyMessage).as("copies of " + fake.shape()).filteredOn(raw -> raw.contains(fake.messageId()))
                    .hasSize(2).noneMatch(raw -> raw.contains(fake.canary()));
        }
    }

    @Test
    @Order(13)
    void mailDressedAsEncryptedThatWasStoredBeforeTheKeyIsEncryptedByTheSweep() throws Exception {
        String fiona = "fiona@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(fiona, PASSWORD);
        List<FakeEncrypted> fakes = FakeEncrypted.corpus(fiona, legacyMarkers);
        try (Store imap = MailClients.imaps(essaim, fiona, PASSWORD)) {
            for (FakeEncrypted fake : fakes) {
                imap.getFolder("INBOX").appendMessages(new Message[] {parse(fake.message())});
            }
        }
        assertThat(allMessages(fiona)).as("no key yet: stored as they came").hasSize(fakes.size())
                .allSatisfy(message -> assertThat(message.getSubject()).startsWith("Dressed"));

        GnuPG fionasGpg = new GnuPG(gnupgHome.resolve("fiona"));
        try {
            essaim.publishKey(fiona, fionasGpg.generateKey(fiona));
            long deadline = System.currentTimeMillis() + 30_000;
            while (!sweptOnly(fiona, fakes.size())) {
                assertThat(System.currentTimeMillis()).as("swept within 30 s").isLessThan(deadline);
                Thread.sleep(200);
            }
            for (FakeEncrypted fake : fakes) {
                MimeMessage swept = messageWithId(fiona, fake.messageId());
                assertThat(new String(fionasGpg.decrypt(encryptedPart(swept)), StandardCharsets.ISO_8859_1))
                        .as(fake.shape()).contains(fake.canary());
            }
        } finally {
            fionasGpg.close();
        }
    }

    /** True when the INBOX holds exactly {@code count} messages, all encrypted by Essaim (false while the sweep works). */
    private static boolean sweptOnly(String user, int count) {
        try {
            List<MimeMessage> inbox = allMessages(user);
            return inbox.size() == count && inbox.stream().allMatch(message -> {
                try {
                    return PgpMimeEncryptor.HIDDEN_SUBJECT.equals(message.getSubject());
                } catch (jakarta.mail.MessagingException e) {
                    return false;
                }
            });
        } catch (Exception replacedWhileRead) {
            return false; // the sweep expunged a message while it was being read
        }
    }

    /**
     * Plaintext dressed as encrypted (issue 11, item 4), each shape with its own canary; the canary's base64 form
     * is a marker too where the shape base64-encodes it (aligned on three bytes, so it appears as is).
     */
    record FakeEncrypted(String shape, String canary, String messageId, String message) {
        static List<FakeEncrypted> corpus(String to, List<String> markers) {
            List<FakeEncrypted> corpus = new ArrayList<>();
            String canary = canary(markers);
            corpus.add(fake("multipart/encrypted wrapper", canary, to,
                    "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"fake\"", "",
                    "--fake\r\nContent-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                            + "--fake\r\nContent-Type: application/octet-stream\r\n\r\n" + armorAround(canary)
                            + "--fake--\r\n"));
            canary = canary(markers);
            corpus.add(fake("inline armor lines", canary, to, "text/plain; charset=us-ascii", "", armorAround(canary)));
            canary = canary(markers);
            markers.add(base64(canary));
            corpus.add(fake("inline armor around base64 of text", canary, to, "text/plain", "",
                    "-----BEGIN PGP MESSAGE-----\r\n\r\n" + base64(canary) + "\r\n-----END PGP MESSAGE-----\r\n"));
            canary = canary(markers);
            markers.add(base64(canary));
            corpus.add(fake("S/MIME enveloped-data label", canary, to,
                    "application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
                    "Content-Transfer-Encoding: base64\r\n", base64(canary) + "\r\n"));
            canary = canary(markers);
            markers.add(base64(canary));
            corpus.add(fake("well-formed OpenPGP packets holding text", canary, to, "text/plain", "",
                    "-----BEGIN PGP MESSAGE-----\r\n\r\n" + base64(packetsAround(canary))
                            + "\r\n-----END PGP MESSAGE-----\r\n"));
            return corpus;
        }

        /** 48 characters (a multiple of three: its base64 form has no padding and appears as is). */
        private static String canary(List<String> markers) {
            String canary = "DRESSED" + UUID.randomUUID().toString().replace("-", "") + "ABCDEFGH0";
            markers.add(canary);
            return canary;
        }

        private static FakeEncrypted fake(String shape, String canary, String to, String contentType,
                                          String moreHeaders, String body) {
            String messageId = "<" + UUID.randomUUID() + "@example.org>";
            String message = "From: Friend <friend@example.org>\r\nTo: <" + to + ">\r\nSubject: Dressed " + canary
                    + "\r\nMessage-ID: " + messageId + "\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000"
                    + "\r\nMIME-Version: 1.0\r\nContent-Type: " + contentType
                    + "\r\n" + moreHeaders + "\r\n" + body;
            return new FakeEncrypted(shape, canary, messageId, message);
        }

        private static String armorAround(String text) {
            return "-----BEGIN PGP MESSAGE-----\r\n\r\n" + text + "\r\n-----END PGP MESSAGE-----\r\n";
        }

        private static String base64(String text) {
            return java.util.Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
        }

        /** On one line, so that the canary's base64 form stays in one piece. */
        private static String base64(byte[] bytes) {
            return java.util.Base64.getEncoder().encodeToString(bytes);
        }

        /**
         * A session key packet, then an integrity-protected data packet whose "ciphertext" is the canary: 63 bytes
         * come before it, so its base64 form appears as is inside the packets' base64.
         */
        private static byte[] packetsAround(String canary) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] esk = new byte[50];
            esk[0] = 3; // PKESK version 3, then a key ID and algorithm, then the "encrypted session key"
            esk[9] = 18;
            writePacket(out, 1, esk);
            byte[] text = canary.getBytes(StandardCharsets.US_ASCII);
            byte[] seipd = new byte[1 + text.length];
            seipd[0] = 1;
            System.arraycopy(text, 0, seipd, 1, text.length);
            writePacket(out, 18, seipd);
            return out.toByteArray();
        }

        private static void writePacket(ByteArrayOutputStream out, int tag, byte[] body) {
            out.write(0xc0 | tag);
            out.write(255);
            out.write(body.length >>> 24);
            out.write(body.length >>> 16);
            out.write(body.length >>> 8);
            out.write(body.length);
            out.writeBytes(body);
        }
    }

    @Test
    @Order(100)
    void withTheApplicationStoppedNoFileUnderTheDataDirectoryHoldsAMarkerOrTheClientAddressInLogs() throws Exception {
        essaim.stop();

        assertThat(markers).hasSizeGreaterThanOrEqualTo(12);
        List<String> hits = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dataDir)) {
            files = walk.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("the search covers the queue, the database and the logs")
                .anyMatch(f -> f.toString().contains("activemq"))
                .anyMatch(f -> f.toString().endsWith(".mv.db"))
                .anyMatch(f -> f.toString().endsWith("essaim.log"));
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            for (String marker : markers) {
                // Case-insensitive, and the random tail alone too: a search index lower-cases terms and
                // stores them prefix-compressed.
                String lower = marker.toLowerCase(java.util.Locale.ROOT);
                String tail = lower.substring(lower.length() - 20);
                if (content.contains(lower) || content.contains(tail)) {
                    hits.add(marker + " in " + dataDir.relativize(file));
                }
            }
        }
        assertThat(hits).isEmpty();
        // Mail stored in clear before its owner had a key was encrypted by the sweep, and the database compacted
        // at stop: its plaintext is gone from the files too.
        List<String> legacyHits = new ArrayList<>();
        for (Path file : files) {
            String content = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1).toLowerCase(java.util.Locale.ROOT);
            for (String marker : legacyMarkers) {
                if (content.contains(marker.toLowerCase(java.util.Locale.ROOT))) {
                    legacyHits.add(marker + " in " + dataDir.relativize(file));
                }
            }
        }
        assertThat(legacyHits).isEmpty();

        String log = Files.readString(dataDir.resolve("logs/essaim.log"), StandardCharsets.UTF_8);
        assertThat(log).contains("Delivered mail");
        assertThat(log.lines().filter(line -> line.contains("127.0.0.1")).toList()).as("log lines with the client IP").isEmpty();
    }

    @Test
    @Order(11)
    void theRealSubjectTravelsEncryptedInAnOuterHeaderThatGnuPGDecryptsToTheDecodedOriginal() throws Exception {
        String token = "SUBJECT" + UUID.randomUUID().toString().replace("-", "");
        markers.add(token);
        String subject = "Réunion à 15 h — ✓ 会议 " + token;
        String messageId = "<" + UUID.randomUUID() + "@example.org>";
        // Folded over two encoded-words (RFC 2047), as mail clients write non-ASCII subjects.
        String encodedSubject = jakarta.mail.internet.MimeUtility.fold(9,
                jakarta.mail.internet.MimeUtility.encodeText(subject, "UTF-8", "B"));
        sendFromOutside(List.of(BOB), "From: Friend <friend@example.org>\r\nTo: <" + BOB + ">\r\n"
                + "Subject: " + encodedSubject + "\r\nMessage-ID: " + messageId + "\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n\r\nHello\r\n");

        MimeMessage stored = messageWithId(BOB, messageId);
        assertThat(stored.getSubject()).isEqualTo(PgpMimeEncryptor.HIDDEN_SUBJECT);
        String[] header = stored.getHeader(PgpMimeEncryptor.ENCRYPTED_SUBJECT_HEADER);
        assertThat(header).hasSize(1);
        String rawHeader = raw(stored).lines()
                .dropWhile(line -> !line.startsWith(PgpMimeEncryptor.ENCRYPTED_SUBJECT_HEADER + ":"))
                .takeWhile(line -> line.startsWith(PgpMimeEncryptor.ENCRYPTED_SUBJECT_HEADER) || line.startsWith(" "))
                .collect(java.util.stream.Collectors.joining("\n"));
        assertThat(rawHeader.lines()).as("folded in lines of at most 76 characters").hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(76));
        assertThat(rawHeader.lines().skip(1)).allSatisfy(line -> assertThat(line).startsWith(" ").doesNotStartWith("  "));

        byte[] binary = java.util.Base64.getDecoder().decode(header[0].replaceAll("\\s+", ""));
        assertThat(gpg.listPackets(binary)).as("binary SEIPD v1 with MDC, no signature")
                .contains(":encrypted data packet:").contains("mdc_method: 2").doesNotContain("signature");
        assertThat(new String(gpg.decrypt(binary), StandardCharsets.UTF_8)).isEqualTo(subject);
    }

    /** A plaintext message with a unique marker in its subject, body and (unencoded) attachment. */
    record Canary(String subject, String body, String attachment, String messageId) {
        static Canary fresh() {
            Canary canary = new Canary("SUBJECT" + token(), "BODY" + token(), "ATTACHMENT" + token(),
                    "<" + UUID.randomUUID() + "@example.org>");
            markers.addAll(List.of(canary.subject, canary.body, canary.attachment));
            return canary;
        }

        private static String token() {
            return UUID.randomUUID().toString().replace("-", "");
        }

        String message(String to) {
            return "From: Friend <friend@example.org>\r\n"
                    + "To: " + to + "\r\n"
                    + "Subject: " + subject + "\r\n"
                    + "Message-ID: " + messageId + "\r\n"
                    + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                    + "MIME-Version: 1.0\r\n"
                    + "Content-Type: multipart/mixed; boundary=\"b1\"\r\n"
                    + "\r\n"
                    + "--b1\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n"
                    + "\r\n"
                    + "Hello, the secret is " + body + ".\r\n"
                    + "--b1\r\n"
                    + "Content-Type: text/plain; name=\"notes.txt\"\r\n"
                    + "Content-Disposition: attachment; filename=\"notes.txt\"\r\n"
                    + "Content-Transfer-Encoding: 7bit\r\n"
                    + "\r\n"
                    + "Attached: " + attachment + "\r\n"
                    + "--b1--\r\n";
        }
    }

    private static LineClient greet(int port) {
        LineClient client = LineClient.connect(port);
        assertThat(client.readSmtpReply()).startsWith("220");
        client.smtp("EHLO sender.example");
        return client;
    }

    static void sendFromOutside(List<String> recipients, String message) {
        try (LineClient smtp = greet(essaim.smtpPort())) {
            assertThat(smtp.smtp("MAIL FROM:<friend@example.org>")).startsWith("250");
            for (String recipient : recipients) {
                assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            }
            assertThat(smtp.smtp("DATA")).startsWith("354");
            String body = message.endsWith("\r\n") ? message.substring(0, message.length() - 2) : message;
            for (String line : body.split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    private static MimeMessage onlyMessage(String user) throws Exception {
        List<MimeMessage> all = allMessages(user, 1);
        assertThat(all).hasSize(1);
        return all.get(0);
    }

    private static MimeMessage messageWithId(String user, String messageId) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            for (MimeMessage message : allMessages(user)) {
                if (messageId.equals(message.getMessageID())) {
                    return message;
                }
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("No message " + messageId + " for " + user);
            }
            Thread.sleep(200);
        }
    }

    private static List<MimeMessage> allMessages(String user) throws Exception {
        return allMessages(user, 0);
    }

    /**
     * Copies of every message in the user's INBOX and Spam folder (the spam check files odd test messages, e.g.
     * one without any header, as spam: where it is filed is not what these tests check), read over IMAPS, once at
     * least {@code atLeast} arrived in the INBOX.
     */
    private static List<MimeMessage> allMessages(String user, int atLeast) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            if (atLeast > 0) {
                MailClients.awaitMessages(imap, "INBOX", atLeast);
            }
            List<MimeMessage> copies = new ArrayList<>();
            for (String name : List.of("INBOX", "Spam")) {
                Folder folder = imap.getFolder(name);
                if (!folder.exists()) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                for (Message message : folder.getMessages()) {
                    copies.add(new MimeMessage((MimeMessage) message));
                }
                folder.close(false);
            }
            return copies;
        }
    }

    /** Copies of every message in the given folders (those that exist), read over IMAPS, folder by folder. */
    private static List<MimeMessage> messagesIn(String user, String... folderNames) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            List<MimeMessage> copies = new ArrayList<>();
            for (String name : folderNames) {
                Folder folder = imap.getFolder(name);
                if (!folder.exists()) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                for (Message message : folder.getMessages()) {
                    copies.add(new MimeMessage((MimeMessage) message));
                }
                folder.close(false);
            }
            return copies;
        }
    }

    /** The raw bytes of every message in every folder of the account, as IMAP serves them. */
    private static List<String> rawMessagesInEveryFolder(String user) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            List<String> raw = new ArrayList<>();
            for (Folder folder : imap.getDefaultFolder().list("*")) {
                if ((folder.getType() & Folder.HOLDS_MESSAGES) == 0) {
                    continue;
                }
                folder.open(Folder.READ_ONLY);
                for (Message message : folder.getMessages()) {
                    raw.add(raw(new MimeMessage((MimeMessage) message)));
                }
                folder.close(false);
            }
            return raw;
        }
    }

    private static byte[] encryptedPart(MimeMessage message) throws Exception {
        MimeMultipart parts = (MimeMultipart) message.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContentType()).startsWith("application/pgp-encrypted");
        try (InputStream in = parts.getBodyPart(1).getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String raw(MimeMessage message) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        message.writeTo(out);
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    private static String rawBody(MimeMessage message) throws Exception {
        try (InputStream in = message.getRawInputStream()) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    private static String plain(String user, String password) {
        return java.util.Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
    }
}
