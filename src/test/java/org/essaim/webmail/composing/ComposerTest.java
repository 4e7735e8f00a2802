package org.essaim.webmail.composing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.Flags;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.MimeMessage;

import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;


/**
 * Sending from the composer: signed or deniable, the per-user default, finding recipients' keys (directory, WKD,
 * contacts) and the explicit consent a keyless recipient needs, and a refusal by SMTP that keeps the message
 * (people, recording and judges: {@link ComposerFixture}).
 */
class ComposerTest extends ComposerFixture {
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

    /**
     * The browser reads a chosen file in the background; a Send that comes before that read ends (a big file, a busy
     * machine, or a quick hand) must still carry it. Here the file is chosen and Send clicked in one page task, so the
     * read cannot have ended: the composer used to send the message without the attachment (TwoPeopleWriteToEachOther,
     * clean-clone CI run: Bob's message arrived without its attachment and the test waited for a Download link).
     * Alice writes to herself and reads it: the reader lists the attachment, and still lists it (Download gives the
     * bytes) after mailbox changes have reached the page while it was open: the one her reading causes (the message is
     * now seen: drawer, title, search index) and one surely after the list was drawn.
     */
    @Test
    void aFileChosenJustBeforeSendGoesWithTheMessageAndTheReaderKeepsItListedWhileTheMailboxChanges() throws Exception {
        String subject = "Attached at the last moment " + marker();
        String body = "See the notes " + marker();
        String fileName = "notes-" + marker() + ".bin";
        byte[] attachment = new byte[3000];
        new java.util.Random(11).nextBytes(attachment);
        int inboxBefore = count(ALICE, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        addRecipient("to", ALICE);
        composer("#subject").fill(subject);
        composer("#body").fill(body);
        page.evaluate("([name, base64]) => {"
                + " const composer = document.querySelector('essaim-composer').shadowRoot;"
                + " const chosen = new DataTransfer();"
                + " chosen.items.add(new File([Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))], name));"
                + " const input = composer.querySelector('#attach');"
                + " input.files = chosen.files;"
                + " input.dispatchEvent(new Event('change'));"
                + " composer.querySelector('#send-button').click(); }",
                List.of(fileName, Base64.getEncoder().encodeToString(attachment)));
        assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        newest(ALICE, "INBOX", inboxBefore + 1);

        page.locator("#folders [data-folder='INBOX']").first().click();
        assertThat(page).hasURL(Pattern.compile(".*/mail/INBOX$")); // not the Sent list's copy of the message
        // Every mailbox change bumps this counter of the search box (MailboxChanged); reading one causes a change.
        double changesBefore = changes();
        page.locator("#messages essaim-subject[state=decrypted]").filter(new Locator.FilterOptions().setHasText(subject)).click();
        assertThat(page).hasURL(Pattern.compile(".*/read/INBOX/\\d+$"));
        assertThat(page.locator("essaim-reader #subject")).hasText(subject);
        Locator listed = page.locator("essaim-reader #attachments li").filter(new Locator.FilterOptions().setHasText(fileName));
        assertThat(listed).isVisible();
        page.waitForCondition(() -> changes() > changesBefore);
        // One more change, surely after the list was drawn: the reader's own request for the message again (as a
        // second tab reading it would), which marks it seen and tells the page that the mailbox changed.
        double changesShown = changes();
        page.evaluate("() => fetch(new URL(document.querySelector('essaim-reader').src, document.baseURI),"
                + " {credentials: 'same-origin', cache: 'no-store'}).then((response) => response.arrayBuffer()).then((bytes) => bytes.byteLength)");
        page.waitForCondition(() -> changes() > changesShown);
        assertThat(listed).isVisible();
        Download download = page.waitForDownload(() -> listed.getByText("Download").click());
        assertThat(Files.readAllBytes(download.path())).isEqualTo(attachment);
        assertNothingSecretLeftThePage(subject, body);
    }

    /** The search box's counter of mailbox changes (MailboxChanged bumps it), as the page has it. */
    private double changes() {
        return ((Number) page.evaluate("() => document.querySelector('essaim-search-box').changes")).doubleValue();
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

    /**
     * An address typed into To goes to Java, which finds its key and gives the composer its recipients. A Send that
     * comes before that answer (a quick hand, a busy server) must still go to that address: here the address is typed,
     * entered and Send clicked in one page task, so the answer cannot have come. The composer used to say "Add at least
     * one recipient" (seen on a loaded machine in session 8).
     */
    @Test
    void anAddressEnteredJustBeforeSendIsARecipient() throws Exception {
        String subject = "Typed at the last moment " + marker();
        int bobsBefore = count(BOB, "INBOX");

        openComposerAsAliceWithKeyUnlocked();
        composer("#subject").fill(subject);
        composer("#body").fill("Quick hands " + marker());
        page.evaluate("address => {"
                + " const input = document.querySelector('#to input');"
                + " input.focus();"
                + " input.value = address;"
                + " input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));"
                + " input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', keyCode: 13, bubbles: true, composed: true }));"
                + " document.querySelector('essaim-composer').shadowRoot.querySelector('#send-button').click(); }", BOB);
        try {
            assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        } catch (AssertionError e) {
            throw new AssertionError("Not sent; the composer says: " + composer("#composer-error").textContent(), e);
        }
        GpgHome.Result decrypted = bobsGpg.gpgBytes(armoredPart(newest(BOB, "INBOX", bobsBefore + 1)), "--decrypt");
        assertThat(parse(decrypted.stdout()).getSubject()).isEqualTo(subject);
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
}
