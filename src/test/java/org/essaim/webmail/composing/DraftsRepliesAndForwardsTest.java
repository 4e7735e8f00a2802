package org.essaim.webmail.composing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import jakarta.mail.Flags;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import org.essaim.keys.GpgHome;
import org.essaim.support.BrowserKeys;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;

/**
 * Drafts (saved by hand and automatically, encrypted to the sender only), replies, reply-all from the reader and
 * forwards with the original's attachments (people, recording and judges: {@link ComposerFixture}).
 */
class DraftsRepliesAndForwardsTest extends ComposerFixture {
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
}
