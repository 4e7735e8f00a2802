package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mailbox in a real headless Chromium against the whole application: folders and message actions done in the
 * page are checked with an independent IMAP client, new mail shows up without reload, and encrypted subjects are
 * decrypted in the browser while everything the page sends is recorded to prove the subject never left it.
 * Each test uses its own account, so the tests do not depend on one another.
 * <p>
 * Its own instance: new-mail checks every 2 s.
 */
@OwnInstance
class MailboxInBrowserTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String PASSPHRASE = "mailbox-test-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    Page page;

    @BeforeAll
    static void start() {
        // Its own instance: new-mail checks every 2 s instead of 15 s, so the test waits less.
        essaim = EssaimInstance.start(dataDir, Map.of("essaim.webmail.new-mail-check-seconds", 2));
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
    }

    @Test
    void ownFoldersAreCreatedRenamedAndDeletedFromThePageAndOverImapWhileStandardFoldersStay() throws Exception {
        String user = newAccount("folders");
        logIn(user);

        // Standard folders (as every account gets them) can be neither renamed nor deleted.
        for (String standard : List.of("INBOX", "Drafts", "Sent", "Archive", "Spam", "Trash")) {
            assertThat(drawerFolder(standard)).isVisible();
        }
        assertThat(page.locator("#rename-folder-button")).isHidden();
        assertThat(page.locator("#delete-folder-button")).isHidden();

        page.locator("#new-folder-button").click();
        page.locator("#folder-name input").fill("Bad.Name");
        page.locator("#folder-name-save").click();
        assertThat(page.locator("#folder-name")).containsText("cannot contain");
        page.locator("#folder-name input").fill("Projects");
        page.locator("#folder-name-save").click();
        assertThat(drawerFolder("Projects")).isVisible();
        assertThat(page.locator("#messages")).isVisible();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/mail/Projects$"));
        assertThat(folderNamesOverImap(user)).contains("Projects");

        page.locator("#rename-folder-button").click();
        page.locator("#folder-name input").fill("Projects 2026");
        page.locator("#folder-name-save").click();
        assertThat(drawerFolder("Projects 2026")).isVisible();
        assertThat(drawerFolder("Projects")).hasCount(0);
        assertThat(folderNamesOverImap(user)).contains("Projects 2026").doesNotContain("Projects");

        // A folder holding mail is deleted only after a confirmation that says so.
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            imap.getFolder("Projects 2026").appendMessages(new Message[] {plaintext(user, "Kept in a folder")});
        }
        page.locator("#delete-folder-button").click();
        assertThat(page.getByText("It holds 1 message")).isVisible();
        assertThat(folderNamesOverImap(user)).as("nothing deleted before the confirmation").contains("Projects 2026");
        page.locator("#confirm-delete-folder-button").click();
        assertThat(drawerFolder("Projects 2026")).hasCount(0);
        assertThat(folderNamesOverImap(user)).doesNotContain("Projects 2026")
                .contains("INBOX", "Drafts", "Sent", "Archive", "Spam", "Trash");
    }

    @Test
    void selectedMessagesAreMarkedFlaggedMovedArchivedAndDeletedToTrashOverImap() throws Exception {
        String user = newAccount("actions");
        for (int i = 1; i <= 5; i++) {
            SmtpSender.deliver(essaim, "Sender" + i + " <sender" + i + "@example.org>", user, "Message " + i, "Body " + i);
        }
        awaitMessages(user, "INBOX", 5);
        logIn(user);
        awaitShown("sender5@example.org");
        assertThat(rowPart("sender1@example.org")).as("unread rows are marked (shown bold)").contains("unread");

        select("sender1@example.org", "sender2@example.org");
        page.locator("#mark-read-button").click();
        awaitOverImap(user, "INBOX", "sender1@example.org", m -> m.isSet(Flags.Flag.SEEN));
        awaitOverImap(user, "INBOX", "sender2@example.org", m -> m.isSet(Flags.Flag.SEEN));
        assertThat(flagsCell("sender1@example.org")).not().containsText("unread");
        assertThat(rowPart("sender1@example.org")).doesNotContain("unread");
        assertThat(rowPart("sender3@example.org")).contains("unread");

        select("sender2@example.org");
        page.locator("#mark-unread-button").click();
        awaitOverImap(user, "INBOX", "sender2@example.org", m -> !m.isSet(Flags.Flag.SEEN));

        select("sender3@example.org");
        page.locator("#flag-button").click();
        awaitOverImap(user, "INBOX", "sender3@example.org", m -> m.isSet(Flags.Flag.FLAGGED));
        assertThat(flagsCell("sender3@example.org")).containsText("flagged");

        select("sender4@example.org");
        page.locator("#move-menu vaadin-menu-bar-button").first().click();
        page.locator("vaadin-menu-bar-item").filter(new Locator.FilterOptions().setHasText("Spam")).click();
        awaitOverImap(user, "Spam", "sender4@example.org", m -> true);
        awaitNotShown("sender4@example.org");

        select("sender5@example.org");
        page.locator("#archive-button").click();
        awaitOverImap(user, "Archive", "sender5@example.org", m -> true);
        awaitNotShown("sender5@example.org");

        select("sender1@example.org", "sender2@example.org");
        page.locator("#delete-button").click();
        awaitOverImap(user, "Trash", "sender1@example.org", m -> true);
        awaitOverImap(user, "Trash", "sender2@example.org", m -> true);
        awaitNotShown("sender1@example.org");
        assertThat(sendersOverImap(user, "INBOX")).containsExactly("sender3@example.org");

        // In Trash, Delete removes for good, after a confirmation.
        drawerFolder("Trash").click();
        awaitShown("sender1@example.org");
        select("sender1@example.org");
        page.locator("#delete-button").click();
        page.locator("#confirm-delete-messages-button").click();
        awaitNotShown("sender1@example.org");
        assertThat(sendersOverImap(user, "Trash")).containsExactly("sender2@example.org");
    }

    @Test
    void mailDeliveredBySmtpAppearsInTheOpenListAndTheDrawerCountWithoutReload() throws Exception {
        String user = newAccount("newmail");
        SmtpSender.deliver(essaim, "Early <early@example.org>", user, "First", "First body");
        awaitMessages(user, "INBOX", 1);
        logIn(user);
        awaitShown("early@example.org");
        assertThat(drawerFolder("INBOX").locator(".folder-unread")).hasText("1");
        page.evaluate("() => { window.__samePage = true; }");

        SmtpSender.deliver(essaim, "Late Comer <late@example.org>", user, "Second", "Second body");

        awaitShown("late@example.org");
        assertThat(drawerFolder("INBOX").locator(".folder-unread")).hasText("2");
        assertThat(page.evaluate("() => window.__samePage === true")).as("the page was not reloaded").isEqualTo(true);
    }

    @Test
    void theListShowsSubjectsDecryptedInTheBrowserThatNeverReachTheServerAndALockHintWhenLocked() throws Exception {
        String user = EssaimInstance.uniqueAddress("subjects");
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        String secretKey = essaim.publishGeneratedKey(user);
        String marker = "Budget " + UUID.randomUUID().toString().substring(0, 8);
        String subject = marker + " · réunion à 15 h ✓";
        SmtpSender.deliver(essaim, "Treasurer <treasurer@example.org>", user,
                jakarta.mail.internet.MimeUtility.encodeText(subject, "UTF-8", "Q"), "The numbers");
        awaitMessages(user, "INBOX", 1);

        BrowserTraffic traffic = BrowserTraffic.record(page);
        logIn(user);
        Locator subjectCell = subjectCell("treasurer@example.org");
        assertThat(subjectCell).hasAttribute("state", "locked");
        assertThat(subjectCell).containsText("unlock your key");

        BrowserKeys.importPrivateKey(page, essaim, secretKey, PASSPHRASE); // leaves the key unlocked in this page
        drawerFolder("INBOX").click(); // in-app navigation: the page (and the unlocked key) stays
        subjectCell = subjectCell("treasurer@example.org");
        assertThat(subjectCell).hasAttribute("state", "decrypted");
        assertThat(subjectCell).hasText(subject);
        saveScreenshot("inbox-decrypted-subjects.png");

        page.locator("#key-lock-button").click();
        assertThat(subjectCell).hasAttribute("state", "locked");
        assertThat(subjectCell).not().containsText(marker);

        // A full page load forgets the unlocked key; unlocking in the top bar shows the subject again.
        page.reload();
        subjectCell = subjectCell("treasurer@example.org");
        assertThat(subjectCell).hasAttribute("state", "locked");
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(subjectCell).hasAttribute("state", "decrypted");
        assertThat(subjectCell).hasText(subject);

        // Clicking a row opens it in the reader.
        subjectCell.click();
        assertThat(page).hasURL(java.util.regex.Pattern.compile(".*/read/INBOX/\\d+$"));

        assertThat(traffic.containing(user)).as("positive control: what the page sends is recorded (login form)")
                .isNotEmpty();
        assertThat(traffic.containing(marker)).as("requests or websocket frames holding the decrypted subject").isEmpty();
        assertThat(traffic.containing(subject)).isEmpty();
    }

    // --- helpers ---

    private static String newAccount(String name) {
        String address = name + "-" + UUID.randomUUID().toString().substring(0, 6) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        essaim.publishGeneratedKey(address); // mail for an account without a key is refused
        return address;
    }

    private void logIn(String user) {
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
    }

    private Locator drawerFolder(String name) {
        return page.locator("#folders vaadin-side-nav-item[data-folder='" + name + "']");
    }

    /**
     * The Grid's cells live in its light DOM, grouped per row (a tr in its shadow DOM) by slot names; rows are
     * recycled and hidden ones keep stale content. This finds the shown row whose cells contain a text.
     */
    private static final String CELLS_OF_ROW = """
            (text) => {
              const grid = document.querySelector('#messages');
              if (!grid || !grid.shadowRoot) return null;
              for (const content of grid.querySelectorAll('vaadin-grid-cell-content')) {
                if (!content.textContent.includes(text)) continue;
                const slot = grid.shadowRoot.querySelector(`tbody slot[name="${content.getAttribute('slot')}"]`);
                const row = slot && slot.closest('tr');
                if (!row || row.hidden) continue;
                // Part names from the Grid's part name generator go on the row's cells.
                return { part: [...row.querySelectorAll('td')].map(cell => cell.getAttribute('part') || '').join(' '),
                         slots: [...row.querySelectorAll('slot')].map(slot => slot.getAttribute('name')) };
              }
              return null;
            }""";

    /** Waits until a shown row holds the text (the sender's address). */
    private void awaitShown(String sender) {
        page.waitForFunction("(text) => (" + CELLS_OF_ROW + ")(text) !== null", sender,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
    }

    /** Waits until no shown row holds the text. */
    private void awaitNotShown(String sender) {
        page.waitForFunction("(text) => (" + CELLS_OF_ROW + ")(text) === null", sender,
                new Page.WaitForFunctionOptions().setTimeout(20_000));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> cellsOfRow(String sender) {
        awaitShown(sender);
        return (Map<String, Object>) page.evaluate(CELLS_OF_ROW, sender);
    }

    private String rowPart(String sender) {
        return (String) cellsOfRow(sender).get("part");
    }

    @SuppressWarnings("unchecked")
    private Locator cell(String sender, int column) {
        List<String> slots = (List<String>) cellsOfRow(sender).get("slots");
        return page.locator("#messages vaadin-grid-cell-content[slot='" + slots.get(column) + "']");
    }

    private Locator flagsCell(String sender) {
        return cell(sender, 5);
    }

    /** Ticks exactly these rows' checkboxes (the selection column), clearing any other selection. */
    private void select(String... senders) {
        Locator checked = page.locator("#messages vaadin-grid-cell-content vaadin-checkbox[checked]:visible");
        // The list refreshes after each action and may drop a ticked row between counting and clicking it.
        long deadline = System.currentTimeMillis() + 15_000;
        while (checked.count() > 0 && System.currentTimeMillis() < deadline) {
            try {
                checked.first().click(new Locator.ClickOptions().setTimeout(2_000));
            } catch (PlaywrightException refreshedMeanwhile) {
                // look again
            }
        }
        assertThat(checked).hasCount(0);
        for (String sender : senders) {
            // Rows are recycled when the list refreshes: find the row's checkbox again if a refresh moved it.
            for (int attempt = 1; ; attempt++) {
                Locator checkbox = cell(sender, 0).locator("vaadin-checkbox");
                if (checkbox.getAttribute("checked") == null) {
                    checkbox.click();
                }
                try {
                    assertThat(cell(sender, 0).locator("vaadin-checkbox")).hasAttribute("checked", "",
                            new com.microsoft.playwright.assertions.LocatorAssertions.HasAttributeOptions().setTimeout(3_000));
                    break;
                } catch (AssertionError notYet) {
                    if (attempt == 3) {
                        throw notYet;
                    }
                }
            }
        }
        assertThat(page.locator("#message-actions")).not().hasAttribute("disabled", "");
    }

    /** The subject element of a row (column 2; the row itself is found by its sender address in column 1). */
    private Locator subjectCell(String sender) {
        return cell(sender, 2).locator("essaim-subject");
    }

    private static MimeMessage plaintext(String to, String subject) throws Exception {
        MimeMessage message = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
        message.setFrom(new InternetAddress("friend@example.org"));
        message.setRecipients(Message.RecipientType.TO, to);
        message.setSubject(subject);
        message.setText("hello");
        return message;
    }

    private static List<String> folderNamesOverImap(String user) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            List<String> names = new ArrayList<>();
            for (Folder folder : imap.getDefaultFolder().list("*")) {
                names.add(folder.getFullName());
            }
            return names;
        }
    }

    private static List<String> sendersOverImap(String user, String folderName) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            Folder folder = imap.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            List<String> senders = new ArrayList<>();
            for (Message message : folder.getMessages()) {
                senders.add(((InternetAddress) message.getFrom()[0]).getAddress());
            }
            folder.close(false);
            return senders;
        }
    }

    /** Waits until the folder holds a message from the sender that satisfies the condition (IMAP, fresh each time). */
    private static void awaitOverImap(String user, String folderName, String sender, MessageCondition condition)
            throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        while (true) {
            try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
                Folder folder = imap.getFolder(folderName);
                folder.open(Folder.READ_ONLY);
                try {
                    for (Message message : folder.getMessages()) {
                        if (((InternetAddress) message.getFrom()[0]).getAddress().equals(sender) && condition.test(message)) {
                            return;
                        }
                    }
                } finally {
                    folder.close(false);
                }
            } catch (MessagingException movedMeanwhile) {
                // The page's session moved or expunged a message while this one listed the folder: look again.
            }
            if (System.currentTimeMillis() > deadline) {
                throw new AssertionError("No message from " + sender + " in " + folderName + " as expected");
            }
            Thread.sleep(250);
        }
    }

    @FunctionalInterface
    private interface MessageCondition {
        boolean test(Message message) throws Exception;
    }

    private static void awaitMessages(String user, String folder, int count) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            MailClients.awaitMessages(imap, folder, count);
        }
    }

    /** Screenshots for docs/ when -Dessaim.screenshots=DIR is given, as the other browser tests do. */
    private void saveScreenshot(String name) throws Exception {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
    }
}
