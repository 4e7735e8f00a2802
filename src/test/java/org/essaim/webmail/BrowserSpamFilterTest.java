package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.essaim.webmail.MessageListRows.senders;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

import org.essaim.spam.BrowserFilterBlobs;
import org.essaim.spam.SenderReputation;
import org.essaim.spam.ServerModel;
import org.essaim.spam.SpamStatistics;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The member's own spam filter in a real headless Chromium (issue 16): it learns from "Not spam" and "Spam" on
 * mail it decrypts in the browser, then, while the webmail is open, moves a new Inbox message that reads like what
 * the member called spam into Spam, says so, and undoes it in one click. What the server holds of the filter is one
 * OpenPGP-encrypted message: none of the words it learnt.
 */
class BrowserSpamFilterTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String PASSPHRASE = "the browser filter passphrase";
    /** Words the shipped server-side model has never seen: the server files these messages in the Inbox. */
    private static final String WANTED = "quincejam marmaladeclub apricotbox plumcrate jamjarhub jellyvault preservekit "
            + "fruitpress conserveco spreadmart compotepro chutneyco relishbay curdcrate figpasteco berrybulk tartjamco "
            + "sugarpotco pectinpal glazebox syrupstore candiedco citruspeel orangejar lemoncurdco limepickle ";
    private static final String GARDEN = "allotment trowelling seedtrays composting beanpoles courgettes parsnips "
            + "wheelbarrow greenhouse mulching rhubarbbed leafmould netting slugpellets seedlings watercans "
            + "pottingshed raspberries dahlias pruning ";

    static EssaimInstance essaim;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void afterAHandfulOfVotesANewMessageIsRefiledToSpamWithAnUndoAndTheServerHoldsOnlyCiphertext() throws Exception {
        String user = essaim.newAccount("browser-filter", PASSWORD);
        TestKeys.KeyPair key = TestKeys.generate(user);
        essaim.publishKey(user, key.publicKey());
        List<String> friends = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String friend = outside("gardener");
            friends.add(friend);
            deliver(user, friend, "Allotment news " + i, GARDEN + " week" + i);
        }
        awaitCount(user, "INBOX", 3);
        moveAllTo(user, "INBOX", "Spam"); // as if the server had junked them

        Page page = browser.page();
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, key.secretKey(), PASSPHRASE);
        Locator filter = page.locator("essaim-spam-filter");
        assertThat(filter).hasAttribute("data-ready", "false", new LocatorAssertions.HasAttributeOptions().setTimeout(30_000));

        page.navigate(essaim.baseUrl() + "/mail/Spam");
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        MessageListRows grid = new MessageListRows(page);
        friends.forEach(grid::select);
        page.locator("#not-spam-button").click();
        awaitCount(user, "INBOX", 3);
        assertThat(filter).hasAttribute("data-ham", "3");

        List<String> shops = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String shop = outside("shop");
            shops.add(shop);
            deliver(user, shop, "Jam offers " + i, WANTED + " offer" + i);
        }
        awaitCount(user, "INBOX", 6);
        page.navigate(essaim.baseUrl() + "/mail/INBOX"); // a page load: the key is locked again
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        shops.forEach(grid::select);
        page.locator("#spam-button").click();
        awaitCount(user, "Spam", 3);
        assertThat(filter).hasAttribute("data-spam", "3");
        assertThat(filter).hasAttribute("data-ready", "true");

        String stored = essaim.bean(BrowserFilterBlobs.class).of(user).orElseThrow();
        assertThat(stored).startsWith("-----BEGIN PGP MESSAGE-----");
        for (String word : (WANTED + GARDEN).split(" ")) {
            assertThat(stored).as("the server holds only ciphertext").doesNotContainIgnoringCase(word);
        }
        assertThat(stored).doesNotContain(shops.get(0)).doesNotContain("quince");

        String next = outside("newshop");
        deliver(user, next, "Fresh jam offers", WANTED + " today");
        // Once it is stored, the member opens the Inbox (in-app, the key stays unlocked): a page change looks for new
        // mail as the periodic check does, and the filter judges what it finds the same way.
        awaitStored(user, next);
        page.locator("#folders [data-folder='INBOX']").click();
        Locator refiled = page.locator("vaadin-notification-card").filter(new Locator.FilterOptions()
                .setHasText("Your spam filter in this browser moved a new message to Spam."));
        assertThat(refiled).isVisible(new LocatorAssertions.IsVisibleOptions().setTimeout(60_000));
        awaitSenderIn(user, "Spam", next);
        assertThat(essaim.bean(SenderReputation.class).entries(user)).as("the filter's move is not the member's vote")
                .noneMatch(entry -> entry.label().equals(next));

        page.locator("#spam-filter-undo").click();
        awaitSenderIn(user, "INBOX", next);
        assertThat(filter).hasAttribute("data-ham", "4");
        long deadline = System.currentTimeMillis() + 20_000;
        while (essaim.bean(SenderReputation.class).entries(user).stream().noneMatch(entry -> entry.label().equals(next))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(essaim.bean(SenderReputation.class).entries(user)).as("the undo is the member's 'not spam'")
                .anySatisfy(entry -> {
                    assertThat(entry.label()).isEqualTo(next);
                    assertThat(entry.hamVotes()).isEqualTo(1);
                    assertThat(entry.spamVotes()).isZero();
                });

        // "Report spam and share it": only after the consent dialog; the server learns its words, keeps a count.
        long learnedBefore = essaim.bean(ServerModel.class).learnedTokens();
        long sharedBefore = essaim.bean(SpamStatistics.class).shared(1);
        page.locator("vaadin-notification-card").first().waitFor(new Locator.WaitForOptions()
                .setState(com.microsoft.playwright.options.WaitForSelectorState.HIDDEN).setTimeout(30_000));
        grid.select(next);
        page.locator("#share-spam-button").click();
        // The consent dialog says what will happen before anything is sent.
        assertThat(page.getByText("Your browser will decrypt this one message and send it, readable, to this server.")).isVisible();
        page.locator("#confirm-share-spam-button").click();
        assertThat(page.locator("vaadin-notification-card").filter(new Locator.FilterOptions()
                .setHasText("Thank you: the server learnt from this spam."))).isVisible();
        assertThat(essaim.bean(ServerModel.class).learnedTokens()).isGreaterThan(learnedBefore);
        assertThat(essaim.bean(ServerModel.class).learnedSpamCount("quincejam")).isPositive();
        assertThat(essaim.bean(SpamStatistics.class).shared(1)).isEqualTo(sharedBefore + 1);
        awaitSenderIn(user, "Spam", next);
    }

    /** A sender from outside, new each time (sender reputation is per sender: none of it applies here). */
    private static String outside(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.net";
    }

    private static void deliver(String user, String from, String subject, String body) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("EHLO mail.example.net")).startsWith("250");
            assertThat(smtp.smtp("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + user + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            for (String line : List.of("From: <" + from + ">", "To: <" + user + ">", "Subject: " + subject,
                    "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now()),
                    "Message-ID: <" + UUID.randomUUID() + "@example.net>", "MIME-Version: 1.0",
                    "Content-Type: text/plain; charset=us-ascii", "", body)) {
                smtp.send(line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    private static void moveAllTo(String user, String from, String to) throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            IMAPFolder folder = (IMAPFolder) imap.getFolder(from);
            folder.open(Folder.READ_WRITE);
            folder.moveMessages(folder.getMessages(), imap.getFolder(to));
            folder.close(true);
        }
    }

    private static void awaitCount(String user, String folder, int count) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (senders(essaim, user, PASSWORD, folder).size() != count && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertThat(senders(essaim, user, PASSWORD, folder)).as(folder).hasSize(count);
    }

    /** Until the message is stored: in the Inbox, or already in Spam if a new-mail check came first. */
    private static void awaitStored(String user, String sender) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!senders(essaim, user, PASSWORD, "INBOX").contains(sender) && !senders(essaim, user, PASSWORD, "Spam").contains(sender)
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    private static void awaitSenderIn(String user, String folder, String sender) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!senders(essaim, user, PASSWORD, folder).contains(sender) && System.currentTimeMillis() < deadline) {
            Thread.sleep(250);
        }
        assertThat(senders(essaim, user, PASSWORD, folder)).as(folder).contains(sender);
    }
}
