package org.essaim.webmail.reading;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.spam.SenderReputation;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.FrameLocator;
import com.microsoft.playwright.Page;
import com.sun.net.httpserver.HttpServer;

/**
 * Reading mail in the webmail, end to end: real mail arrives over SMTP (GnuPG-made PGP/MIME and inline PGP,
 * plaintext encrypted by Essaim on arrival, hostile HTML), and a real Chromium decrypts, verifies and shows it
 * with the user's key held in the page. Everything the page sends is recorded to prove nothing decrypted leaves.
 */
class ReaderTest {
    private static final String READER = EssaimInstance.uniqueAddress("rita");
    private static final String GINA = EssaimInstance.uniqueAddress("gina");
    private static final String PASSWORD = "reading is fun 2026!";
    private static final String PASSPHRASE = "rita's key passphrase";

    @TempDir
    static Path gpgHomes;

    private static EssaimInstance essaim;
    private static Page page;
    private static BrowserTraffic traffic;
    private static GpgHome gina;
    private static String ginaFingerprint;
    private static String ritaSecretKey;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        bridge.createAccount(READER, PASSWORD);
        bridge.createAccount(GINA, PASSWORD);
        TestKeys.KeyPair rita = TestKeys.generate(READER);
        ritaSecretKey = rita.secretKey();
        essaim.publishKey(READER, rita.publicKey());
        gina = GpgHome.create(gpgHomes, "gina");
        ginaFingerprint = gina.generateKey("Gina <" + GINA + ">");
        gina.gpg("--quick-add-key", ginaFingerprint, "ed25519", "sign", "0"); // the primary key only certifies
        essaim.publishKey(GINA, gina.exportArmored(ginaFingerprint));
        gina.importKeys(rita.publicKey());

        page = Browser.shared().newPage(); // one page for the class: the key is imported once
        traffic = BrowserTraffic.record(page);
        LoginPage.logIn(page, essaim, READER, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, ritaSecretKey, PASSPHRASE);
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.context().close();
        }
        if (gina != null) {
            gina.close();
        }
    }

    @Test
    void aGnuPgMadePgpMimeMessageShowsItsProtectedSubjectBodyAttachmentAndValidSignature() throws Exception {
        String marker = "body-" + UUID.randomUUID();
        String subject = "Protected subject " + UUID.randomUUID();
        byte[] attachment = new byte[3000];
        new SecureRandom().nextBytes(attachment);
        String inner = "Content-Type: multipart/mixed; boundary=\"inner-b\"; protected-headers=\"v1\"\r\n"
                + "Subject: " + subject + "\r\n"
                + "From: Gina <" + GINA + ">\r\n"
                + "To: <" + READER + ">\r\n"
                + "\r\n"
                + "--inner-b\r\n"
                + "Content-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 8bit\r\n"
                + "\r\n"
                + "Hello Rita,\r\n" + marker + " — café ✓\r\nSecond line.\r\n"
                + "--inner-b\r\n"
                + "Content-Type: application/octet-stream; name=\"data.bin\"\r\n"
                + "Content-Disposition: attachment; filename=\"data.bin\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n"
                + "\r\n"
                + Base64.getMimeEncoder().encodeToString(attachment) + "\r\n"
                + "--inner-b--\r\n";
        String armored = gina.gpgBytes(inner.getBytes(StandardCharsets.UTF_8), "--armor", "--trust-model", "always",
                "--local-user", ginaFingerprint, "--sign", "--encrypt", "--recipient", READER).out();
        String messageId = UUID.randomUUID() + "@essaim.test";
        String outer = pgpMime("From: Gina <" + GINA + ">\r\n"
                + "To: <" + READER + ">\r\n"
                + "Subject: ...\r\n"
                + "Message-ID: <" + messageId + ">\r\n"
                + "Date: Wed, 25 Nov 2026 10:00:00 +0000\r\n", armored);
        submitAsGina(READER, outer);
        long uid = uidOf(messageId);

        openUnlocked(uid);

        assertThat(page.locator("#subject")).hasText(subject);
        assertThat(page.locator("#from")).containsText(GINA);
        assertThat(page.locator("#body-text")).containsText(marker + " — café ✓");
        assertThat(page.locator("#body-text")).containsText("Second line.");
        assertThat(page.locator("#signature")).hasAttribute("data-status", "valid");
        assertThat(page.locator("#signature")).containsText(groupsOfFour(ginaFingerprint));
        assertThat(page.locator("#not-encrypted")).hasCount(0); // end-to-end encrypted by Gina: no note
        assertThat(page.locator("#encrypted-by-sending-server")).hasCount(0);
        assertThat(page.locator("#origin")).hasCount(0); // a member's mail over submission is not checked
        assertThat(page.locator("#attachments")).containsText("data.bin");
        Download download = page.waitForDownload(() -> page.locator("#attachment-0").click());
        assertThat(Files.readAllBytes(download.path())).isEqualTo(attachment);
        assertThat(seen(uid)).as("reading marks the message seen").isTrue();
        saveScreenshot("reader.png");

        assertNothingSecretLeft(marker, subject, attachment);
    }

    @Test
    void mailTheSendingServerEncryptedSaysSoRatherThanPassingForEndToEnd() throws Exception {
        // What another Essaim sends when a member's clear mail (a standard client over submission) had a key to go to:
        // PGP/MIME, unsigned, and the sending server's name in Essaim-Encrypted-By-Sending-Server.
        String marker = "server-encrypted-" + UUID.randomUUID();
        String inner = "Content-Type: text/plain; charset=utf-8\r\n"
                + "From: Gina <" + GINA + ">\r\n"
                + "\r\n"
                + marker + "\r\n";
        String armored = gina.gpgBytes(inner.getBytes(StandardCharsets.UTF_8), "--armor", "--trust-model", "always",
                "--encrypt", "--recipient", READER).out();
        String messageId = UUID.randomUUID() + "@essaim.test";
        String outer = pgpMime("From: Gina <" + GINA + ">\r\n"
                + "To: <" + READER + ">\r\n"
                + "Subject: Written in a standard client\r\n"
                + "Message-ID: <" + messageId + ">\r\n"
                + "Essaim-Encrypted-By-Sending-Server: mx.elsewhere.test\r\n", armored);
        submitAsGina(READER, outer);

        openUnlocked(uidOf(messageId));

        assertThat(page.locator("#body-text")).containsText(marker);
        assertThat(page.locator("#encrypted-by-sending-server"))
                .hasText("Encrypted by the sending server, not by the sender.");
        assertThat(page.locator("#not-encrypted")).hasCount(0);
    }

    @Test
    void anInlinePgpMessageReadsToo() throws Exception {
        String marker = "inline-" + UUID.randomUUID();
        String armored = gina.gpgBytes(("Inline text " + marker + "\n").getBytes(StandardCharsets.UTF_8), "--armor",
                "--trust-model", "always", "--local-user", ginaFingerprint, "--sign", "--encrypt", "--recipient", READER).out();
        String messageId = UUID.randomUUID() + "@essaim.test";
        submitAsGina(READER, "From: <" + GINA + ">\r\nTo: <" + READER + ">\r\nSubject: Inline PGP\r\n"
                + "Message-ID: <" + messageId + ">\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + armored.replace("\r\n", "\n").replace("\n", "\r\n"));
        long uid = uidOf(messageId);

        openUnlocked(uid);

        assertThat(page.locator("#body-text")).containsText("Inline text " + marker);
        assertThat(page.locator("#subject")).hasText("Inline PGP");
        assertThat(page.locator("#signature")).hasAttribute("data-status", "valid");
        assertNothingSecretLeft(marker);
    }

    @Test
    void plaintextMailFromOutsideEncryptedOnArrivalReadsAsNotSigned() throws Exception {
        String marker = "outside-" + UUID.randomUUID();
        String subject = "Hello from outside " + UUID.randomUUID();
        String from = "friend-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "Friend <" + from + ">", READER, subject, "Plain words " + marker);
        long uid = uidFrom(from);

        openUnlocked(uid);

        assertThat(page.locator("#subject")).hasText(subject);
        assertThat(page.locator("#body-text")).containsText("Plain words " + marker);
        assertThat(page.locator("#signature")).hasAttribute("data-status", "unsigned");
        assertThat(page.locator("#signature")).hasText("Not signed");
        // the origin line: this server's arrival checks (inside the ciphertext) could not verify example.org here
        // (the test's server asks no DNS server that knows it), and the server, not the sender, encrypted it
        assertThat(page.locator("#origin")).hasAttribute("data-status", "unverified");
        assertThat(page.locator("#origin")).hasText("The sender's domain could not be verified.");
        assertThat(page.locator("#not-encrypted")).hasText("This message was not end-to-end encrypted by its sender.");

        page.locator("#reply").click(); // the decrypted original stays in page memory for the composer
        page.waitForURL(url -> url.contains("/compose?") && url.contains("mode=reply") && url.contains("folder=INBOX")
                && java.util.regex.Pattern.compile("[?&]uid=" + uid + "(&|$)").matcher(url).find());
        assertNothingSecretLeft(marker, subject);
    }

    @Test
    void signedOnlyMailShowsAValidABadOrAnUnknownKeySignaturePlainly() throws Exception {
        String marker = "signed-" + UUID.randomUUID();
        String signedPart = "Content-Type: text/plain; charset=utf-8\r\n\r\nSigned words " + marker;
        String signature = gina.gpgBytes(signedPart.getBytes(StandardCharsets.UTF_8), "--armor", "--detach-sign",
                "--local-user", ginaFingerprint).out().replace("\r\n", "\n").replace("\n", "\r\n");
        String genuine = UUID.randomUUID() + "@essaim.test";
        submitAsGina(READER, multipartSigned(genuine, signedPart, signature));
        String tampered = UUID.randomUUID() + "@essaim.test";
        submitAsGina(READER, multipartSigned(tampered, signedPart.replace("Signed words", "Changed words"), signature));

        openUnlocked(uidOf(genuine));
        assertThat(page.locator("#body-text")).containsText("Signed words " + marker);
        assertThat(page.locator("#signature")).hasAttribute("data-status", "valid");
        assertThat(page.locator("#signature")).containsText(groupsOfFour(ginaFingerprint));

        openUnlocked(uidOf(tampered));
        assertThat(page.locator("#body-text")).containsText("Changed words " + marker);
        assertThat(page.locator("#signature")).hasAttribute("data-status", "bad");

        try (GpgHome stranger = GpgHome.create(gpgHomes, "stranger")) {
            String strangerFingerprint = stranger.generateKey("Stranger <stranger@example.org>");
            stranger.gpg("--quick-add-key", strangerFingerprint, "ed25519", "sign", "0");
            String clearsigned = stranger.gpgBytes(("From a stranger " + marker + "\n").getBytes(StandardCharsets.UTF_8),
                    "--clearsign", "--local-user", strangerFingerprint).out();
            String from = "stranger-" + UUID.randomUUID() + "@example.org";
            deliverFromOutside(from, "Content-Type: text/plain; charset=utf-8\r\nSubject: Clearsigned\r\n",
                    clearsigned.replace("\r\n", "\n").replace("\n", "\r\n"));
            openUnlocked(uidFrom(from));
            assertThat(page.locator("#body-text")).containsText("From a stranger " + marker);
            assertThat(page.locator("#body-text")).not().containsText("BEGIN PGP");
            assertThat(page.locator("#signature")).hasAttribute("data-status", "unknown-key");
            String signingKeyId = strangerSigningKeyId(stranger, strangerFingerprint);
            assertThat(page.locator("#signature")).containsText(signingKeyId);
        }
    }

    private static String strangerSigningKeyId(GpgHome gpg, String fingerprint) {
        String keyId = null;
        for (String line : gpg.gpg("--with-colons", "--list-keys", fingerprint).split("\n")) {
            String[] fields = line.split(":");
            if ((line.startsWith("sub:") || line.startsWith("pub:")) && fields.length > 11 && fields[11].contains("s")) {
                keyId = fields[4];
            }
        }
        return keyId;
    }

    private static String multipartSigned(String messageId, String signedPart, String armoredSignature) {
        return "From: Gina <" + GINA + ">\r\nTo: <" + READER + ">\r\nSubject: Signed only\r\n"
                + "Message-ID: <" + messageId + ">\r\nMIME-Version: 1.0\r\n"
                + "Content-Type: multipart/signed; micalg=pgp-sha512; protocol=\"application/pgp-signature\"; boundary=\"sig-b\"\r\n"
                + "\r\n--sig-b\r\n" + signedPart + "\r\n--sig-b\r\n"
                + "Content-Type: application/pgp-signature; name=\"signature.asc\"\r\n\r\n"
                + armoredSignature + "\r\n--sig-b--\r\n";
    }

    @Test
    void aLockedKeyShowsTheUnlockStateAndTheMessageAppearsOnUnlock() throws Exception {
        String marker = "locked-" + UUID.randomUUID();
        String from = "friend-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "Friend <" + from + ">", READER, "Wait for the key", marker);
        long uid = uidFrom(from);

        page.navigate(essaim.baseUrl() + "/read/INBOX/" + uid);
        assertThat(page.locator("#reader-locked")).containsText("Unlock your key");
        assertThat(page.locator("#body-text")).hasCount(0);
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(page.locator("#body-text")).containsText(marker);

        page.locator("#key-lock-button").click();
        assertThat(page.locator("#reader-locked")).isVisible();
        assertThat(page.locator("#body-text")).hasCount(0); // locking the key takes the decrypted text away
    }

    @Test
    void aMessageEncryptedToAnotherKeyShowsAClearErrorAndTheOriginalStaysDownloadable() throws Exception {
        // Really OpenPGP (so the server stores it as it came: fake "encrypted" mail is encrypted on arrival), but
        // encrypted to Gina's key only: Rita's key cannot open it, as with mail sent to a key she no longer has.
        String notForRita = gina.gpgBytes("A message Rita cannot read\n".getBytes(StandardCharsets.UTF_8), "--armor",
                "--trust-model", "always", "--encrypt", "--recipient", ginaFingerprint).out();
        String messageId = UUID.randomUUID() + "@essaim.test";
        String broken = pgpMime("From: <" + GINA + ">\r\nTo: <" + READER + ">\r\nSubject: ...\r\nMessage-ID: <" + messageId
                + ">\r\n", notForRita);
        submitAsGina(READER, broken);
        long uid = uidOf(messageId);

        openUnlocked(uid);

        assertThat(page.locator("#reader-error")).containsText("cannot be decrypted");
        Download original = page.waitForDownload(() -> page.locator("#download-raw").click());
        assertThat(new String(Files.readAllBytes(original.path()), StandardCharsets.UTF_8)).contains("Message-ID: <" + messageId + ">");
    }

    @Test
    void hostileHtmlRunsNoScriptLoadsNothingRemoteAndOnlyTheUserCanAllowImages() throws Exception {
        List<String> hits = Collections.synchronizedList(new ArrayList<>());
        HttpServer remote = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        remote.createContext("/", exchange -> {
            hits.add(exchange.getRequestURI().getPath());
            byte[] gif = Base64.getDecoder().decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7");
            exchange.getResponseHeaders().set("Content-Type", "image/gif");
            exchange.sendResponseHeaders(200, gif.length);
            exchange.getResponseBody().write(gif);
            exchange.close();
        });
        remote.start();
        List<String> console = Collections.synchronizedList(new ArrayList<>());
        page.onConsoleMessage(message -> console.add(message.text()));
        // Requests Chromium really made (a response came back); CSP-blocked ones are reported as failed requests.
        List<String> completed = Collections.synchronizedList(new ArrayList<>());
        page.context().onRequestFinished(request -> completed.add(request.url()));
        page.context().onRequestFailed(request -> System.out.println("Request not made: " + request.url() + " (" + request.failure() + ")"));
        try {
            String r = "http://127.0.0.1:" + remote.getAddress().getPort();
            String readable = "readable-" + UUID.randomUUID();
            String pwn = "window.top.document.title='PWNED-";
            String html = "<html><head><meta http-equiv=\"refresh\" content=\"0;url=" + r + "/refresh\">"
                    + "<base href=\"" + r + "/base/\"><link rel=\"stylesheet\" href=\"" + r + "/style.css\">"
                    + "<style>@import url(" + r + "/import.css); body { background: url(" + r + "/css-bg.png); }"
                    + " @font-face { font-family: x; src: url(" + r + "/font.woff); } p { font-family: x; }</style>"
                    + "<script>" + pwn + "script'; console.log('PWNED-console'); fetch('" + r + "/script-fetch');</script>"
                    + "<script src=\"" + r + "/script.js\"></script></head>"
                    + "<body onload=\"" + pwn + "onload'\">"
                    + "<p>The " + readable + " text stays readable.</p>"
                    + "<img src=\"" + r + "/tracker.png\" width=\"1\" height=\"1\" alt=\"\">"
                    + "<img src=\"x\" onerror=\"" + pwn + "onerror'\">"
                    + "<a id=\"js-link\" href=\"javascript:" + pwn + "js-url'\">click me</a>"
                    + "<a id=\"relative-link\" href=\"/admin/accounts\">relative</a>"
                    + "<a id=\"web-link\" href=\"https://example.org/page\">web</a>"
                    + "<form action=\"" + r + "/form\" method=\"post\"><input name=\"q\" value=\"x\"><button>Go</button></form>"
                    + "<iframe src=\"" + r + "/frame\"></iframe><object data=\"" + r + "/object\"></object>"
                    + "<embed src=\"" + r + "/embed\">"
                    + "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>" + pwn + "svg'</script>"
                    + "<image href=\"" + r + "/svg-image.png\" width=\"1\" height=\"1\"/></svg>"
                    + "<div style=\"background-image:url('" + r + "/inline-bg.png')\">styled</div>"
                    + "</body></html>";
            String from = "hostile-" + UUID.randomUUID() + "@example.org";
            // A message built to attack the reader (scripts, a tracker, "click me") is rightly filed in Spam (it
            // scores 3.1). Rita once said "Not spam" for this sender, so it is in the Inbox where the reader opens it.
            essaim.bean(SenderReputation.class).vote(READER, from, false);
            deliverFromOutside(from, "Content-Type: text/html; charset=utf-8\r\nSubject: Hostile\r\n", html);
            long uid = uidFrom(from);

            openUnlocked(uid);

            FrameLocator body = page.frameLocator("#body-html");
            assertThat(body.locator("body")).containsText("The " + readable + " text stays readable.");
            assertThat(body.locator("#js-link")).not().hasAttribute("href", java.util.regex.Pattern.compile("javascript:.*"));
            assertThat(body.locator("#relative-link")).not().hasAttribute("href", java.util.regex.Pattern.compile(".*"));
            assertThat(body.locator("#web-link")).hasAttribute("rel", "noopener noreferrer");
            assertThat(page.locator("#remote-content")).isVisible();
            page.waitForTimeout(1500);
            assertThat(page.title()).doesNotContain("PWNED");
            assertThat(console).noneMatch(text -> text.contains("PWNED"));
            assertThat(hits).as("nothing is fetched from the remote host before the user asks").isEmpty();
            assertThat(List.copyOf(completed)).allSatisfy(url -> assertThat(url)
                    .as("every request that left goes to Essaim itself").matches("^((https?|wss?)://(127\\.0\\.0\\.1|localhost):" + essaim.webPort() + "/.*|data:.*|blob:.*|about:.*)$"));

            page.locator("#show-remote-images").click();
            page.waitForCondition(() -> hits.contains("/tracker.png"));
            page.waitForTimeout(1000);
            assertThat(hits).as("only images load once allowed: no CSS background, font or SVG image")
                    .containsOnly("/tracker.png");
            assertThat(page.locator("#remote-content")).isHidden();
            assertThat(page.title()).doesNotContain("PWNED");
        } finally {
            remote.stop(0);
        }
    }

    @Test
    void htmlMailWithoutRemoteContentShowsNoRemoteImagesBanner() throws Exception {
        String from = "plain-html-" + UUID.randomUUID() + "@example.org";
        String readable = "inline-only-" + UUID.randomUUID();
        deliverFromOutside(from, "Content-Type: text/html; charset=utf-8\r\nSubject: Plain HTML\r\n",
                "<p>" + readable + "</p><img src=\"data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7\">");
        openUnlocked(uidFrom(from));
        assertThat(page.frameLocator("#body-html").locator("body")).containsText(readable);
        assertThat(page.locator("#remote-content")).isHidden();
    }

    @Test
    void deleteMovesTheMessageToTrashAndArchiveToArchive() throws Exception {
        String first = "bin-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + first + ">", READER, "For the bin", "bin");
        long uid = uidFrom(first);
        openUnlocked(uid);
        assertThat(page.locator("#body-text")).containsText("bin");
        page.locator("#reader-delete").click();
        assertThat(page.locator("#messages")).isVisible();
        assertThat(inFolder("Trash", first)).isTrue();
        assertThat(inFolder("INBOX", first)).isFalse();

        String second = "keep-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + second + ">", READER, "To keep", "keep");
        openUnlocked(uidFrom(second));
        page.locator("#reader-archive").click();
        assertThat(page.locator("#messages")).isVisible();
        assertThat(inFolder("Archive", second)).isTrue();
    }

    /** Full page load of the reader (the key locks), then unlock from the top bar as a person would. */
    private static void openUnlocked(long uid) {
        page.navigate(essaim.baseUrl() + "/read/INBOX/" + uid);
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", java.util.regex.Pattern.compile("locked|shown|error|no-key"));
        assertThat(page.locator("#reader-locked")).isVisible();
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", java.util.regex.Pattern.compile("shown|error"));
    }

    /** With {@code -Dessaim.screenshots=docs/screenshots} the reader is saved there for the documentation. */
    private static void saveScreenshot(String name) throws Exception {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
    }

    private static void assertNothingSecretLeft(String... plaintexts) {
        assertThat(traffic.all()).as("the positive control: the recording sees what the page sends").isNotEmpty();
        for (String plaintext : plaintexts) {
            assertThat(traffic.containing(plaintext)).as("plaintext %s left the page", plaintext).isEmpty();
        }
        assertThat(traffic.containing(PASSPHRASE)).as("the passphrase left the page").isEmpty();
        String keyLine = ritaSecretKey.lines().filter(l -> l.length() > 60).skip(3).findFirst().orElseThrow();
        assertThat(traffic.containing(keyLine)).as("the private key left the page").isEmpty();
    }

    private static void assertNothingSecretLeft(String marker, String subject, byte[] attachment) {
        assertNothingSecretLeft(marker, subject);
        assertThat(traffic.containingBytesOrBase64(attachment)).as("the attachment left the page").isEmpty();
    }

    private static String groupsOfFour(String fingerprint) {
        return fingerprint.toUpperCase().replaceAll("(.{4})(?!$)", "$1 ");
    }

    private static void submitAsGina(String recipient, String message) {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            assertThat(submission.readSmtpReply()).startsWith("220");
            submission.smtp("EHLO sender.example");
            assertThat(submission.smtp("STARTTLS")).startsWith("220");
            submission.upgradeToTls();
            submission.smtp("EHLO sender.example");
            String plain = Base64.getEncoder().encodeToString(("\0" + GINA + "\0" + PASSWORD).getBytes(StandardCharsets.UTF_8));
            assertThat(submission.smtp("AUTH PLAIN " + plain)).startsWith("235");
            assertThat(submission.smtp("MAIL FROM:<" + GINA + ">")).startsWith("250");
            assertThat(submission.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            sendData(submission, message);
        }
    }

    private static void deliverFromOutside(String from, String headers, String body) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + READER + ">")).startsWith("250");
            sendData(smtp, "From: <" + from + ">\r\nTo: <" + READER + ">\r\nDate: "
                    + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()) + "\r\nMessage-ID: <" + UUID.randomUUID()
                    + "@example.org>\r\nMIME-Version: 1.0\r\n" + headers + "\r\n" + body + "\r\n");
        }
    }

    private static void sendData(LineClient smtp, String message) {
        assertThat(smtp.smtp("DATA")).startsWith("354");
        for (String line : message.split("\r\n", -1)) {
            smtp.send(line.startsWith(".") ? "." + line : line);
        }
        assertThat(smtp.smtp(".")).startsWith("250");
        smtp.smtp("QUIT");
    }

    private interface MessageTest {
        boolean matches(Message message) throws Exception;
    }

    /** The UID of the newest INBOX message matching the test, waiting for delivery (it goes through the queue). */
    private static long newestUid(String folderName, MessageTest test) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        try (Store store = MailClients.imaps(essaim, READER, PASSWORD)) {
            while (true) {
                Folder folder = store.getFolder(folderName);
                folder.open(Folder.READ_ONLY);
                try {
                    Message[] messages = folder.getMessages();
                    jakarta.mail.FetchProfile profile = new jakarta.mail.FetchProfile();
                    profile.add(jakarta.mail.FetchProfile.Item.ENVELOPE);
                    profile.add("Message-ID");
                    profile.add(UIDFolder.FetchProfileItem.UID);
                    folder.fetch(messages, profile);
                    for (int i = messages.length - 1; i >= 0; i--) {
                        if (test.matches(messages[i])) {
                            return ((UIDFolder) folder).getUID(messages[i]);
                        }
                    }
                } catch (jakarta.mail.MessagingException changedMeanwhile) {
                    // a message moved while we looked (the server refuses its number): look again
                } finally {
                    folder.close(false);
                }
                if (System.currentTimeMillis() > deadline) {
                    return -1;
                }
                Thread.sleep(200);
            }
        }
    }

    private static long uidOf(String messageId) throws Exception {
        long uid = newestUid("INBOX", m -> m.getHeader("Message-ID") != null && m.getHeader("Message-ID")[0].contains(messageId));
        assertThat(uid).as("message %s delivered", messageId).isPositive();
        return uid;
    }

    private static long uidFrom(String address) throws Exception {
        long uid = newestUid("INBOX", m -> m.getFrom() != null && m.getFrom()[0].toString().contains(address));
        assertThat(uid).as("message from %s delivered", address).isPositive();
        return uid;
    }

    private static boolean inFolder(String folder, String fromAddress) throws Exception {
        try (Store store = MailClients.imaps(essaim, READER, PASSWORD)) {
            Folder open = store.getFolder(folder);
            open.open(Folder.READ_ONLY);
            try {
                for (Message message : open.getMessages()) {
                    if (message.getFrom() != null && message.getFrom()[0].toString().contains(fromAddress)) {
                        return true;
                    }
                }
                return false;
            } finally {
                open.close(false);
            }
        }
    }

    private static boolean seen(long uid) throws Exception {
        try (Store store = MailClients.imaps(essaim, READER, PASSWORD)) {
            Folder inbox = store.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            try {
                return ((UIDFolder) inbox).getMessageByUID(uid).getFlags().contains(Flags.Flag.SEEN);
            } finally {
                inbox.close(false);
            }
        }
    }

    /** An RFC 3156 PGP/MIME message: the given outer headers (each ending in CRLF) around an armored OpenPGP message. */
    private static String pgpMime(String headers, String armored) {
        return headers
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"outer-b\"\r\n"
                + "\r\n"
                + "--outer-b\r\n"
                + "Content-Type: application/pgp-encrypted\r\n\r\nVersion: 1\r\n\r\n"
                + "--outer-b\r\n"
                + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n\r\n"
                + armored.replace("\r\n", "\n").replace("\n", "\r\n")
                + "\r\n--outer-b--\r\n";
    }

}
