package org.essaim.webmail.composing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.support.WebKeyDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/**
 * The composer end to end: the real application, headless Chromium, real SMTP submission and IMAP, and real GnuPG
 * as the judge of what was sent. Alice writes; Bob and Dave (local) read with GnuPG; Carol's key lives in her
 * domain's WKD (a loopback server); nobody@remote.example has no key at all. Everything Alice's page sends is
 * recorded: subject, text, passphrase and private key must not be in it.
 */
class ComposerTest {
    static final String ALICE = EssaimInstance.uniqueAddress("alice");
    static final String BOB = EssaimInstance.uniqueAddress("bob");
    static final String DAVE = EssaimInstance.uniqueAddress("dave");
    static final String CAROL = "carol@remote.example";
    static final String KEYLESS = "nobody@remote.example";
    static final String PASSWORD = "a long password for tests";
    static final String PASSPHRASE = "composer-passphrase-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path work;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    static EssaimInstance essaim;
    static GpgHome alicesGpg;
    static GpgHome bobsGpg;
    static GpgHome davesGpg;
    static GpgHome carolsGpg;
    static String alicesFingerprint;
    static String alicesSecretKey;

    Page page;
    BrowserTraffic traffic;

    @BeforeAll
    static void start() throws IOException {
        alicesGpg = GpgHome.create(work, "alice");
        bobsGpg = GpgHome.create(work, "bob");
        davesGpg = GpgHome.create(work, "dave");
        carolsGpg = GpgHome.create(work, "carol");
        // As GnuPG's defaults make it: a primary key that certifies and signs, and an encryption subkey.
        alicesGpg.gpg("--quick-gen-key", "Alice <" + ALICE + ">", "ed25519", "cert,sign", "0");
        alicesFingerprint = alicesGpg.fingerprintOf(ALICE);
        alicesGpg.gpg("--quick-add-key", alicesFingerprint, "cv25519", "encr", "0");
        bobsGpg.generateKey("Bob <" + BOB + ">");
        davesGpg.generateKey("Dave <" + DAVE + ">");
        carolsGpg.generateKey("Carol <" + CAROL + ">");
        alicesSecretKey = alicesGpg.gpg("--armor", "--export-secret-keys", ALICE);
        byte[] alicesPublicKey = alicesGpg.gpgBytes(null, "--armor", "--export", ALICE).stdout();
        bobsGpg.gpgBytes(alicesPublicKey, "--import");
        davesGpg.gpgBytes(alicesPublicKey, "--import");
        carolsGpg.gpgBytes(alicesPublicKey, "--import");

        // Carol's domain publishes her key by WKD; the keyless address gets 404 there.
        WebKeyDirectories.shared().publish(CAROL, carolsGpg.gpgBytes(null, "--export", CAROL).stdout());

        essaim = EssaimInstance.shared();
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        for (String account : List.of(ALICE, BOB, DAVE)) {
            bridge.createAccount(account, PASSWORD);
        }
        essaim.publishKey(ALICE, alicesPublicKey);
        essaim.publishKey(BOB, bobsGpg.gpgBytes(null, "--armor", "--export", BOB).stdout());
        essaim.publishKey(DAVE, davesGpg.gpgBytes(null, "--armor", "--export", DAVE).stdout());
    }

    @AfterAll
    static void stop() {
        for (GpgHome home : new GpgHome[] {alicesGpg, bobsGpg, davesGpg, carolsGpg}) {
            if (home != null) {
                home.close();
            }
        }
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
        traffic = BrowserTraffic.record(page);
    }

    // ---- the tests ----------------------------------------------------------------------------------------------

    @Test
    void aSignedMessageWithAnAttachmentReachesToAndBccEncryptedAndGnuPGDecryptsAndVerifiesItInEveryCopy() throws Exception {
        String subject = "Plans for the hive " + marker();
        String body = "The secret body " + marker() + "\nsecond line, accents: éàü";
        byte[] attachment = new byte[3000];
        new java.util.Random(7).nextBytes(attachment);
        Path file = Files.write(work.resolve("swarm-" + marker() + ".bin"), attachment);
        int bobsBefore = count(BOB, "INBOX");
        int davesBefore = count(DAVE, "INBOX");
        int sentBefore = count(ALICE, "Sent");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", BOB);
        addRecipient("bcc", DAVE);
        assertKeyState(BOB, "directory", "key from directory");
        assertKeyState(DAVE, "directory", "key from directory");
        composer("#subject").fill(subject);
        composer("#body").fill(body);
        composer("#attach").setInputFiles(file);
        assertThat(composer("#attachments")).containsText(file.getFileName().toString());
        assertThat(composer("#sign-explanation")).containsText(
                "A signature proves to anyone that you wrote this message; deniable mail is encrypted but unsigned.");
        assertThat(composer("#choice-signed")).isChecked();
        sendAndExpectSent();

        MimeMessage atBob = newest(BOB, "INBOX", bobsBefore + 1);
        MimeMessage atDave = newest(DAVE, "INBOX", davesBefore + 1);
        MimeMessage inSent = newest(ALICE, "Sent", sentBefore + 1);
        for (MimeMessage copy : List.of(atBob, atDave, inSent)) {
            assertThat(copy.getHeader("Subject", null)).isEqualTo("...");
            assertThat(copy.getHeader("Bcc")).isNull();
            assertThat(copy.getHeader("To", ",") + copy.getHeader("Cc", ",")).doesNotContain(DAVE);
            // Only Dave's own copy names him, in the trace fields his server adds (Delivered-To, Received ... for).
            assertThat(headerText(copy)).doesNotContain(marker());
            if (copy != atDave) {
                assertThat(headerText(copy)).doesNotContain(DAVE);
            }
            assertThat(copy.getContentType()).contains("multipart/encrypted").contains("application/pgp-encrypted");
        }
        assertThat(inSent.getFlags().contains(Flags.Flag.SEEN)).isTrue();
        assertThat(atBob.getMessageID()).isEqualTo(inSent.getMessageID());
        // Dave, in Bcc, gets a copy of his own: the copy Bob and the Sent folder hold does not name Dave's key.
        String davesKeyId = encryptionKeyId(davesGpg, DAVE);
        assertThat(recipientKeyIds(atBob)).doesNotContain(davesKeyId).contains(encryptionKeyId(bobsGpg, BOB));
        assertThat(recipientKeyIds(inSent)).doesNotContain(davesKeyId);
        assertThat(recipientKeyIds(atDave)).contains(davesKeyId).doesNotContain(encryptionKeyId(bobsGpg, BOB));

        for (var reader : List.of(Map.entry(bobsGpg, atBob), Map.entry(davesGpg, atDave), Map.entry(alicesGpg, inSent))) {
            GpgHome.Result decrypted = reader.getKey().gpgBytes(armoredPart(reader.getValue()), "--status-fd", "2", "--decrypt");
            assertThat(decrypted.stderr()).contains("[GNUPG:] VALIDSIG " + alicesFingerprint);
            MimeMessage inner = parse(decrypted.stdout());
            assertThat(inner.getSubject()).isEqualTo(subject);
            assertThat(inner.getContentType()).contains("protected-headers=\"v1\"");
            assertThat(inner.getHeader("From", null)).isEqualTo(ALICE);
            assertThat(inner.getHeader("To", null)).isEqualTo(BOB);
            assertThat(inner.getHeader("Bcc")).isNull();
            assertThat(inner.getMessageID()).isEqualTo(atBob.getMessageID());
            Multipart parts = (Multipart) inner.getContent();
            assertThat(parts.getCount()).isEqualTo(2);
            assertThat(((String) parts.getBodyPart(0).getContent()).replace("\r\n", "\n")).isEqualTo(body);
            BodyPart attached = parts.getBodyPart(1);
            assertThat(attached.getDisposition()).isEqualTo(Part.ATTACHMENT);
            assertThat(attached.getFileName()).isEqualTo(file.getFileName().toString());
            assertThat(bytesOf(attached)).isEqualTo(attachment);

            byte[] encryptedSubject = Base64.getDecoder().decode(
                    reader.getValue().getHeader("Essaim-Encrypted-Subject", null).replaceAll("\\s+", ""));
            assertThat(new String(reader.getKey().gpgBytes(encryptedSubject, "--decrypt").stdout(), StandardCharsets.UTF_8))
                    .isEqualTo(subject);
        }
        assertNothingSecretLeftThePage(subject, body);
    }

    @Test
    void aDeniableMessageIsEncryptedButCarriesNoSignature() throws Exception {
        String subject = "Deniable " + marker();
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", BOB);
        composer("#subject").fill(subject);
        composer("#body").fill("Nobody can prove I wrote this " + marker());
        composer("#choice-deniable").check();
        sendAndExpectSent();

        GpgHome.Result decrypted = bobsGpg.gpgBytes(armoredPart(newest(BOB, "INBOX", bobsBefore + 1)),
                "--status-fd", "2", "--decrypt");
        assertThat(decrypted.stderr()).contains("[GNUPG:] DECRYPTION_OKAY")
                .doesNotContain("SIG_ID").doesNotContain("GOODSIG").doesNotContain("VALIDSIG").doesNotContain("NEWSIG");
        assertThat(parse(decrypted.stdout()).getSubject()).isEqualTo(subject);
        assertNothingSecretLeftThePage(subject, "Nobody can prove I wrote this " + marker());
    }

    @Test
    void theDefaultBetweenSignedAndDeniableIsAPerUserSettingKeptOnTheServer() throws Exception {
        openComposerAsAliceWithKeyUnlocked();
        assertThat(composer("#choice-signed")).isChecked();
        composer("#sign-default").uncheck();
        assertThat(composer("#composer-notice")).containsText("deniable by default");

        page.navigate(essaim.baseUrl() + "/compose");
        assertThat(composer("#choice-deniable")).isChecked();
        assertThat(composer("#sign-default")).not().isChecked();
        composer("#sign-default").check();
        assertThat(composer("#composer-notice")).containsText("signed by default");
        page.navigate(essaim.baseUrl() + "/compose");
        assertThat(composer("#choice-signed")).isChecked();
    }

    @Test
    void keysAreFoundByWkdOrAmongContactsAndAKeylessRecipientNeedsAnExplicitConfirmationToGetTheMessageInClear()
            throws Exception {
        String subject = "Mixed recipients " + marker();
        String body = "For everyone " + marker();
        int sentBefore = count(ALICE, "Sent");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", CAROL);
        addRecipient("cc", KEYLESS);
        assertKeyState(CAROL, "wkd", "key from WKD");
        assertKeyState(KEYLESS, "none", "no key");
        assertThat(composer("#keyless-warning")).containsText(KEYLESS);

        // A contact key imported in the browser counts for its address; public keys only.
        composer("#contact-keys summary").click();
        composer("#contact-key-input").fill(alicesSecretKey);
        composer("#contact-key-import").click();
        assertThat(composer("#composer-error")).containsText("PRIVATE key");
        GpgHome friends = GpgHome.create(work, "friend-" + marker());
        friends.generateKey("Friend <friend@remote.example>");
        composer("#contact-key-input").fill(friends.gpg("--armor", "--export", "friend@remote.example"));
        composer("#contact-key-import").click();
        assertThat(composer("#contact-key-list")).containsText("friend@remote.example");
        addRecipient("to", "friend@remote.example");
        assertKeyState("friend@remote.example", "contacts", "key from your contacts");
        friends.close();

        composer("#subject").fill(subject);
        composer("#body").fill(body);
        saveScreenshot("composer.png");
        composer("#send-button").click();
        assertThat(composer("#composer-error")).containsText("confirm sending to them in clear");
        assertThat(page).hasURL(Pattern.compile(".*/compose$"));
        assertThat(count(ALICE, "Sent")).isEqualTo(sentBefore);
        assertThat(traffic.containing(body)).isEmpty();

        composer("#confirm-clear").check();
        sendAndExpectSent();

        // The Sent copy is the encrypted one (to Carol, the friend and Alice), never the clear one.
        MimeMessage inSent = newest(ALICE, "Sent", sentBefore + 1);
        assertThat(inSent.getHeader("Subject", null)).isEqualTo("...");
        MimeMessage inner = parse(alicesGpg.gpgBytes(armoredPart(inSent), "--decrypt").stdout());
        assertThat(inner.getSubject()).isEqualTo(subject);
        assertThat(new String(carolsGpg.gpgBytes(armoredPart(inSent), "--decrypt").stdout(), StandardCharsets.US_ASCII))
                .contains("Subject: " + subject);
        // By design, the confirmed clear copy carried the text out of the browser; the passphrase never did.
        assertThat(traffic.containing(body)).isNotEmpty();
        assertThat(traffic.containing(PASSPHRASE)).isEmpty();
    }

    @Test
    void aDraftIsSavedEncryptedToTheSenderReplacedOnEachSaveReopenedAndDeletedWhenSent() throws Exception {
        String subject = "Draft " + marker();
        int draftsBefore = count(ALICE, "Drafts");
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", BOB);
        addRecipient("bcc", DAVE);
        composer("#subject").fill(subject);
        composer("#body").fill("first version " + marker());
        composer("#save-draft-button").click();
        assertThat(composer("#composer-notice")).containsText("Draft saved");
        composer("#body").fill("second version " + marker());
        composer("#save-draft-button").click();
        assertThat(composer("#composer-notice")).containsText("Draft saved");

        assertThat(count(ALICE, "Drafts")).isEqualTo(draftsBefore + 1);
        MimeMessage draft = newest(ALICE, "Drafts", draftsBefore + 1);
        assertThat(draft.getFlags().contains(Flags.Flag.DRAFT)).isTrue();
        assertThat(draft.getHeader("Subject", null)).isEqualTo("...");
        assertThat(draft.getHeader("Bcc", null)).isEqualTo(DAVE);
        GpgHome.Result decrypted = alicesGpg.gpgBytes(armoredPart(draft), "--status-fd", "2", "--decrypt");
        assertThat(decrypted.stderr()).doesNotContain("VALIDSIG");
        assertThat(((String) parse(decrypted.stdout()).getContent())).contains("second version " + marker());
        assertThat(bobsGpg.tryGpg(armoredPart(draft), "--decrypt").exitCode()).isNotZero();
        long uid = uidOfNewest(ALICE, "Drafts");

        // A full page load locks the key: the draft opens once it is unlocked again.
        page.navigate(essaim.baseUrl() + "/compose?draft=" + uid);
        assertThat(composer("#unlock-needed")).isVisible();
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(composer("#subject")).hasValue(subject);
        assertThat(composer("#body")).hasValue("second version " + marker());
        assertThat(page.locator("#to")).containsText(BOB);
        assertThat(page.locator("#bcc")).containsText(DAVE);

        sendAndExpectSent();
        newest(BOB, "INBOX", bobsBefore + 1);
        assertThat(count(ALICE, "Drafts")).isEqualTo(draftsBefore);
        assertNothingSecretLeftThePage(subject, "second version " + marker());
    }

    @Test
    void aChangedMessageIsSavedAsADraftAutomaticallyAndAnUnchangedOneIsNot() throws Exception {
        int draftsBefore = count(ALICE, "Drafts");
        openComposerAsAliceWithKeyUnlocked();
        // Every second instead of 30 s, so that the test does not wait long; the mechanism is the same.
        page.locator("essaim-composer").evaluate("composer => { composer.autosaveSeconds = 1; }");
        page.waitForTimeout(2500); // two autosave rounds
        assertThat(count(ALICE, "Drafts")).as("nothing written yet, nothing saved").isEqualTo(draftsBefore);

        addRecipient("to", BOB);
        composer("#subject").fill("Autosaved " + marker());
        composer("#body").fill("typed, never saved by hand " + marker());
        assertThat(composer("#composer-notice")).containsText("Draft saved automatically");
        assertThat(count(ALICE, "Drafts")).isEqualTo(draftsBefore + 1);
        // A save may have caught the page between the recipient and the subject: the next one (1 s) has the subject.
        String saved = "";
        for (long deadline = System.currentTimeMillis() + 20_000; System.currentTimeMillis() < deadline; ) {
            MimeMessage draft = newest(ALICE, "Drafts", draftsBefore + 1);
            saved = new String(alicesGpg.gpgBytes(armoredPart(draft), "--decrypt").stdout(), StandardCharsets.US_ASCII);
            if (saved.contains("Subject: Autosaved " + marker())) {
                break;
            }
            Thread.sleep(500);
        }
        assertThat(saved).contains("Subject: Autosaved " + marker());

        composer("#body").fill("typed again " + marker());
        page.waitForTimeout(2500); // two autosave rounds
        assertThat(count(ALICE, "Drafts")).as("the new version replaced the previous one").isEqualTo(draftsBefore + 1);
        assertNothingSecretLeftThePage("Autosaved " + marker(), "typed again " + marker());
    }

    @Test
    void aReplyQuotesTheDecryptedOriginalAndThreadsWithItsMessageId() throws Exception {
        String original = "Original question " + marker();
        int alicesBefore = count(ALICE, "INBOX");
        SmtpSender.deliver(essaim, "Bob " + marker() + " <" + BOB + ">", ALICE, "Question", original);
        newest(ALICE, "INBOX", alicesBefore + 1);
        long uid = uidFrom(ALICE, "INBOX", marker());
        MimeMessage asStored = byUid(ALICE, "INBOX", uid);
        assertThat(asStored.getMessageID()).isNotBlank();
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        // Not handed over by the reader (the page was loaded afresh): the composer decrypts the original itself.
        page.navigate(essaim.baseUrl() + "/compose?mode=reply&folder=INBOX&uid=" + uid);
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(composer("#subject")).hasValue("Re: Question");
        // (A JavaScript regular expression, searched: the marker holds only letters, digits and spaces.)
        assertThat(composer("#body")).hasValue(Pattern.compile(" wrote:\\n> " + original));
        assertThat(page.locator("#to")).containsText(BOB);
        assertKeyState(BOB, "directory", "key from directory");

        // Past correspondents (here Bob, from the INBOX envelopes) complete in the address fields.
        Locator cc = page.locator("#cc input");
        cc.fill("bo");
        assertThat(page.locator("vaadin-multi-select-combo-box-item").filter(new Locator.FilterOptions().setHasText(BOB)))
                .isVisible();
        cc.fill("");
        cc.blur();
        sendAndExpectSent();

        MimeMessage reply = newest(BOB, "INBOX", bobsBefore + 1);
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(asStored.getMessageID());
        assertThat(reply.getHeader("References", null)).contains(asStored.getMessageID());
        assertThat(new String(bobsGpg.gpgBytes(armoredPart(reply), "--decrypt").stdout(), StandardCharsets.US_ASCII))
                .contains("In-Reply-To: " + asStored.getMessageID());
        assertThat(traffic.containing(original)).isEmpty();
    }

    @Test
    void replyAllFromTheReaderTakesTheDecryptedOriginalOverInPageMemoryAndAddressesEveryoneButMe() throws Exception {
        String subject = "Team lunch " + marker();
        String text = "Who comes on Friday " + marker();
        int alicesBefore = count(ALICE, "INBOX");
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", ALICE);
        addRecipient("cc", BOB);
        composer("#subject").fill(subject);
        composer("#body").fill(text);
        sendAndExpectSent();
        MimeMessage original = newest(ALICE, "INBOX", alicesBefore + 1);
        long uid = uidOfMessageId(ALICE, "INBOX", original.getMessageID());
        newest(BOB, "INBOX", bobsBefore + 1);

        page.navigate(essaim.baseUrl() + "/read/INBOX/" + uid);
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        page.locator("#reply-all").click();
        assertThat(page).hasURL(Pattern.compile(".*/compose\\?.*mode=reply-all.*"));
        assertThat(composer("#subject")).hasValue("Re: " + subject);
        assertThat(composer("#body")).hasValue(Pattern.compile(" wrote:\\n> " + text));
        assertThat(page.locator("#cc")).containsText(BOB);
        assertThat(page.locator("#to")).not().containsText(ALICE);
        sendAndExpectSent();

        MimeMessage reply = newest(BOB, "INBOX", bobsBefore + 2);
        assertThat(reply.getHeader("In-Reply-To", null)).isEqualTo(original.getMessageID());
        assertNothingSecretLeftThePage(subject, text);
    }

    @Test
    void aForwardCarriesTheDecryptedTextAndReattachesTheOriginalsAttachments() throws Exception {
        String subject = "Minutes " + marker();
        byte[] attachment = ("minutes of the meeting " + marker()).getBytes(StandardCharsets.UTF_8);
        Path file = Files.write(work.resolve("minutes-" + marker() + ".txt"), attachment);
        int alicesBefore = count(ALICE, "INBOX");
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", ALICE);
        composer("#subject").fill(subject);
        composer("#body").fill("Notes to self " + marker());
        composer("#attach").setInputFiles(file);
        assertThat(composer("#attachments")).containsText(file.getFileName().toString());
        sendAndExpectSent();
        MimeMessage received = newest(ALICE, "INBOX", alicesBefore + 1);
        long uid = uidOfMessageId(ALICE, "INBOX", received.getMessageID());

        page.navigate(essaim.baseUrl() + "/compose?mode=forward&folder=INBOX&uid=" + uid);
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(composer("#subject")).hasValue("Fwd: " + subject);
        assertThat(composer("#body")).hasValue(Pattern.compile("Forwarded message[\\s\\S]*Notes to self " + marker()));
        assertThat(composer("#attachments")).containsText(file.getFileName().toString());
        assertThat(page.locator("#to input")).hasValue("");
        addRecipient("to", BOB);
        sendAndExpectSent();

        MimeMessage forwarded = parse(bobsGpg.gpgBytes(armoredPart(newest(BOB, "INBOX", bobsBefore + 1)), "--decrypt").stdout());
        assertThat(forwarded.getSubject()).isEqualTo("Fwd: " + subject);
        Multipart parts = (Multipart) forwarded.getContent();
        assertThat(parts.getBodyPart(1).getFileName()).isEqualTo(file.getFileName().toString());
        assertThat(bytesOf(parts.getBodyPart(1))).isEqualTo(attachment);
        assertNothingSecretLeftThePage(subject, "Notes to self " + marker());
    }

    @Test
    void aRefusalBySmtpIsShownAndTheMessageStaysInTheComposer() throws Exception {
        String full = EssaimInstance.uniqueAddress("full");
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        bridge.createAccount(full, PASSWORD);
        essaim.publishGeneratedKey(full);
        SmtpSender.deliver(essaim, full, "filler", "x".repeat(4000));
        newest(full, "INBOX", 1);
        bridge.setStorageLimit(full, java.util.OptionalLong.of(1024));
        int sentBefore = count(ALICE, "Sent");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", full);
        assertKeyState(full, "directory", "key from directory");
        composer("#subject").fill("To a full mailbox " + marker());
        composer("#body").fill("Kept text " + marker());
        composer("#send-button").click();

        assertThat(composer("#composer-error")).containsText("Not sent");
        assertThat(composer("#composer-error")).containsText("Your message is still here");
        assertThat(page).hasURL(Pattern.compile(".*/compose$"));
        assertThat(composer("#subject")).hasValue("To a full mailbox " + marker());
        assertThat(composer("#body")).hasValue("Kept text " + marker());
        assertThat(count(ALICE, "Sent")).isEqualTo(sentBefore);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    private final String marker = "m" + Long.toHexString(System.nanoTime());

    private String marker() {
        return marker;
    }

    private void openComposerAsAliceWithKeyUnlocked() {
        LoginPage.logIn(page, essaim, ALICE, PASSWORD);
        page.waitForURL(url -> !url.contains("/login"));
        BrowserKeys.importPrivateKey(page, essaim, alicesSecretKey, PASSPHRASE);
        // In-app navigation keeps the unlocked key in page memory (a page load would lock it).
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New message")).click();
        assertThat(page).hasURL(Pattern.compile(".*/compose$"));
        assertThat(page.locator("#key-lock-button")).isVisible();
        assertThat(composer("#send-button")).isVisible();
    }

    /** With {@code -Dessaim.screenshots=docs/screenshots}, keeps a picture of the composer for the docs. */
    private void saveScreenshot(String name) throws IOException {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.setViewportSize(1280, 1100);
        page.locator("#compose-view h2").scrollIntoViewIfNeeded();
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
        page.setViewportSize(1280, 800);
    }

    private void sendAndExpectSent() {
        composer("#send-button").click();
        try {
            assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        } catch (AssertionError e) {
            throw new AssertionError("Not sent; the composer says: " + composer("#composer-error").textContent(), e);
        }
    }

    /** The key IDs a message is encrypted to, as gpg lists its public-key encrypted session key packets. */
    private static List<String> recipientKeyIds(MimeMessage message) throws Exception {
        GpgHome.Result packets = carolsGpg.tryGpg(armoredPart(message), "--list-packets");
        java.util.regex.Matcher keyIds = Pattern.compile("pubkey enc packet: .*keyid ([0-9A-F]{16})").matcher(packets.out() + packets.stderr());
        List<String> ids = new ArrayList<>();
        while (keyIds.find()) {
            ids.add(keyIds.group(1));
        }
        return ids;
    }

    private static String encryptionKeyId(GpgHome home, String address) {
        for (String line : home.gpg("--with-colons", "--list-keys", address).split("\n")) {
            String[] fields = line.split(":");
            if (fields[0].equals("sub") && fields.length > 11 && fields[11].contains("e")) {
                return fields[4];
            }
        }
        throw new AssertionError("no encryption subkey for " + address);
    }

    private Locator composer(String selector) {
        return page.locator("essaim-composer " + selector);
    }

    private void addRecipient(String field, String address) {
        Locator input = page.locator("#" + field + " input");
        input.fill(address);
        input.press("Enter");
        assertThat(page.locator("#" + field)).containsText(address);
        input.blur(); // closes the completion overlay, which would catch the next click
    }

    private void assertKeyState(String address, String state, String label) {
        Locator item = composer("#recipient-keys li[data-address='" + address + "']");
        assertThat(item).hasAttribute("data-state", state);
        assertThat(item).containsText(label);
    }

    private void assertNothingSecretLeftThePage(String subject, String body) {
        assertThat(traffic.containing(subject)).as("subject in traffic").isEmpty();
        assertThat(traffic.containing(body)).as("body in traffic").isEmpty();
        assertThat(traffic.containing(marker())).as("marker in traffic").isEmpty();
        assertThat(traffic.containing(PASSPHRASE)).as("passphrase in traffic").isEmpty();
        for (String line : secretOnlyArmorLines()) {
            assertThat(traffic.containing(line)).as("private key in traffic").isEmpty();
        }
        // Positive control: the recording does see what the page sent, the ciphertext.
        assertThat(traffic.containing("-----BEGIN PGP MESSAGE-----")).isNotEmpty();
    }

    /** Lines of Alice's armored private key that her public key does not have: secret material in them. */
    private static List<String> secretOnlyArmorLines() {
        String publicKey = alicesGpg.gpg("--armor", "--export", ALICE);
        List<String> lines = alicesSecretKey.lines()
                .filter(line -> line.length() >= 40 && !line.startsWith("-----") && !publicKey.contains(line))
                .toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    private static int count(String account, String folder) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            if (!opened.exists()) {
                return 0;
            }
            opened.open(Folder.READ_ONLY);
            try {
                return opened.getMessageCount();
            } finally {
                opened.close(false);
            }
        }
    }

    /** Waits until the folder holds {@code count} messages and returns a detached copy of the newest. */
    private static MimeMessage newest(String account, String folder, int count) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            MailClients.awaitMessages(store, folder, count);
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                Message message = opened.getMessage(opened.getMessageCount());
                Flags flags = message.getFlags();
                MimeMessage copy = new MimeMessage((MimeMessage) message);
                copy.setFlags(flags, true);
                return copy;
            } finally {
                opened.close(false);
            }
        }
    }

    private static long uidOfMessageId(String account, String folder, String messageId) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                for (Message message : opened.getMessages()) {
                    if (messageId.equals(((MimeMessage) message).getMessageID())) {
                        return ((jakarta.mail.UIDFolder) opened).getUID(message);
                    }
                }
                throw new AssertionError("No message " + messageId + " in " + folder);
            } finally {
                opened.close(false);
            }
        }
    }

    private static long uidFrom(String account, String folder, String senderMarker) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                for (Message message : opened.getMessages()) {
                    if (((MimeMessage) message).getHeader("From", ",").contains(senderMarker)) {
                        return ((jakarta.mail.UIDFolder) opened).getUID(message);
                    }
                }
                throw new AssertionError("No message from " + senderMarker + " in " + folder);
            } finally {
                opened.close(false);
            }
        }
    }

    private static MimeMessage byUid(String account, String folder, long uid) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                return new MimeMessage((MimeMessage) ((jakarta.mail.UIDFolder) opened).getMessageByUID(uid));
            } finally {
                opened.close(false);
            }
        }
    }

    private static long uidOfNewest(String account, String folder) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                return ((jakarta.mail.UIDFolder) opened).getUID(opened.getMessage(opened.getMessageCount()));
            } finally {
                opened.close(false);
            }
        }
    }

    private static byte[] armoredPart(MimeMessage message) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        return bytesOf(parts.getBodyPart(1));
    }

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    private static byte[] bytesOf(Part part) throws Exception {
        try (InputStream in = part.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    private static String headerText(MimeMessage message) throws Exception {
        List<String> lines = new ArrayList<>();
        message.getAllHeaderLines().asIterator().forEachRemaining(lines::add);
        return String.join("\n", lines);
    }
}
