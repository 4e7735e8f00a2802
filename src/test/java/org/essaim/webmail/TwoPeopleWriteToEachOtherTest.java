package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.Screenshots;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday job, end to end, in two browsers: Alice writes to Bob (signed, with an attachment), Bob reads it
 * and answers deniably, Alice reads the answer. Every request body and websocket frame of both pages is recorded:
 * no subject, body or attachment, no passphrase and no private key may leave either browser — the server only
 * moves ciphertext.
 */
class TwoPeopleWriteToEachOtherTest {
    static final String ALICE = EssaimInstance.uniqueAddress("alice");
    static final String BOB = EssaimInstance.uniqueAddress("bob");
    static final String PASSWORD = "a long password for two people";
    static final String MARKER = Long.toHexString(System.nanoTime());
    static final String ALICES_PASSPHRASE = "alice-passphrase-" + MARKER;
    static final String BOBS_PASSPHRASE = "bob-passphrase-" + MARKER;

    static final LocatorAssertions.IsVisibleOptions SLOW = new LocatorAssertions.IsVisibleOptions().setTimeout(60_000);

    @TempDir
    static Path work;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages(java.time.Duration.ofSeconds(30));
    static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        bridge.createAccount(ALICE, PASSWORD);
        bridge.createAccount(BOB, PASSWORD);
    }

    @Test
    void aliceWritesSignedWithAnAttachmentBobReadsItVerifiedAndAnswersDeniablyAndNothingReadableLeavesEitherBrowser()
            throws Exception {
        String subject = "Hive inspection " + MARKER;
        String body = "The queen is well, " + MARKER + ".\nSee the attached notes.";
        String answer = "Glad to hear it, " + MARKER + "-answer";
        byte[] notes = new byte[4096];
        new Random(42).nextBytes(notes);
        Path notesFile = Files.write(work.resolve("notes-" + MARKER + ".bin"), notes);

        Page alice = browser.page();
        Page bob = browser.newPage();
        BrowserTraffic alicesTraffic = BrowserTraffic.record(alice);
        BrowserTraffic bobsTraffic = BrowserTraffic.record(bob);
        String alicesFingerprint = logInWithKey(alice, ALICE, ALICES_PASSPHRASE);
        logInWithKey(bob, BOB, BOBS_PASSPHRASE);

        // Alice writes, signed (the default), with an attachment.
        openInApp(alice, "New message");
        addRecipient(alice, "to", BOB);
        composer(alice, "#subject").fill(subject);
        composer(alice, "#body").fill(body);
        composer(alice, "#attach").setInputFiles(notesFile);
        assertThat(composer(alice, "#choice-signed")).isChecked();
        Screenshots.save(alice, "webmail-composer.png");
        send(alice);

        // Bob's open inbox shows it with its decrypted subject, and he reads it.
        openFolder(bob, "INBOX");
        Locator row = subjectCell(bob, subject);
        assertThat(row).isVisible(SLOW);
        Screenshots.save(bob, "webmail-inbox.png");
        row.click();
        assertThat(reader(bob, "#subject")).hasText(subject);
        assertThat(reader(bob, "#body-text")).containsText("The queen is well, " + MARKER);
        Locator signature = reader(bob, "#signature");
        assertThat(signature).hasAttribute("data-status", "valid");
        assertThat(signature).containsText(groupsOfFour(alicesFingerprint));
        Screenshots.save(bob, "webmail-reader.png");
        Download download = bob.waitForDownload(() -> reader(bob, "#attachments li")
                .filter(new Locator.FilterOptions().setHasText(notesFile.getFileName().toString())).getByText("Download").click());
        assertThat(Files.readAllBytes(download.path())).isEqualTo(notes);

        // Bob answers, deniable: encrypted, unsigned.
        reader(bob, "#reply").click();
        assertThat(bob).hasURL(Pattern.compile(".*/compose\\?.*mode=reply.*"));
        assertThat(bob.locator("#to")).containsText(ALICE);
        assertThat(composer(bob, "#subject")).hasValue("Re: " + subject);
        composer(bob, "#choice-deniable").check();
        composer(bob, "#body").press("Control+Home");
        composer(bob, "#body").pressSequentially(answer + "\n");
        send(bob);

        // Alice reads the answer: Bob's text, her quoted text, and plainly "not signed".
        openFolder(alice, "INBOX");
        Locator answerRow = subjectCell(alice, "Re: " + subject);
        assertThat(answerRow).isVisible(SLOW);
        answerRow.click();
        assertThat(reader(alice, "#body-text")).containsText(answer);
        assertThat(reader(alice, "#body-text")).containsText("> The queen is well, " + MARKER);
        assertThat(reader(alice, "#signature")).hasAttribute("data-status", "unsigned");
        assertThat(reader(alice, "#signature")).containsText("Not signed");

        for (BrowserTraffic traffic : List.of(alicesTraffic, bobsTraffic)) {
            assertThat(traffic.containing(PASSWORD)).as("positive control: the login form post is recorded").isNotEmpty();
            assertThat(traffic.containing(MARKER)).as("requests or frames holding the subject, body or a passphrase").isEmpty();
            assertThat(traffic.containing("PRIVATE KEY")).as("requests or frames holding a private key").isEmpty();
            assertThat(traffic.containingBytesOrBase64(notes)).as("requests or frames holding the attachment").isEmpty();
        }
        alice.context().close();
        bob.context().close();
    }

    /** Logs in, imports a fresh key (published by the Keys page) and leaves it unlocked; returns its fingerprint. */
    private static String logInWithKey(Page page, String address, String passphrase) {
        LoginPage.logIn(page, essaim, address, PASSWORD);
        page.waitForURL(url -> !url.contains("/login"));
        BrowserKeys.importPrivateKey(page, essaim, TestKeys.generate(address).secretKey(), passphrase);
        assertThat(page.locator("essaim-keys #publication")).containsText("Published");
        return page.locator("essaim-keys #fingerprint").textContent().replace(" ", "");
    }

    /** In-app navigation through the drawer: a page load would lock the key held in page memory. */
    private static void openInApp(Page page, String link) {
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName(link).setExact(true)).first().click();
    }

    /** A folder of the drawer, in-app; found by its folder, as its link's name gains the unread count ("Inbox 1"). */
    private static void openFolder(Page page, String folder) {
        page.locator("#folders [data-folder='" + folder + "']").first().click();
    }

    private static void addRecipient(Page page, String field, String address) {
        Locator input = page.locator("#" + field + " input");
        input.fill(address);
        input.press("Enter");
        assertThat(page.locator("#" + field)).containsText(address);
        input.blur();
    }

    private static void send(Page page) {
        composer(page, "#send-button").click();
        try {
            assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        } catch (AssertionError e) {
            throw new AssertionError("Not sent; the composer says: " + composer(page, "#composer-error").textContent(), e);
        }
    }

    /** A decrypted subject in the open message list (the cell's text lives in its own shadow DOM). */
    private static Locator subjectCell(Page page, String subject) {
        return page.locator("#messages essaim-subject[state=decrypted]").filter(new Locator.FilterOptions().setHasText(subject));
    }

    private static Locator composer(Page page, String selector) {
        return page.locator("essaim-composer " + selector);
    }

    private static Locator reader(Page page, String selector) {
        return page.locator("essaim-reader " + selector);
    }

    private static String groupsOfFour(String fingerprint) {
        return fingerprint.replaceAll("(.{4})(?!$)", "$1 ");
    }
}
