package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.essaim.webmail.MessageListRows.senders;

import java.util.List;

import com.microsoft.playwright.Page;

import org.essaim.spam.SenderReputation;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webmail's "Spam" and "Not spam" buttons in a real headless Chromium: they move the selected messages between
 * the Inbox and the Spam folder (checked with an independent IMAP client), and the move is the member's vote on the
 * sender: after "Not spam", the same sender's next message, junked by its content, is filed in the Inbox. My account
 * lists the senders judged and forgets one on request.
 */
class SpamButtonsInBrowserTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String OFFERS = "offers@bargains.example";
    private static final String FRIEND = "friend@example.org";

    static EssaimInstance essaim;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void notSpamBringsTheSendersNextMessageToTheInboxAndSpamFilesAMessageAwayAsAVoteOnItsSender() throws Exception {
        String user = essaim.newAccount("spam-buttons", PASSWORD);
        essaim.publishGeneratedKey(user);
        deliverSpammy(user, "Offer one");
        awaitSenders(user, "Spam", List.of(OFFERS));

        Page page = browser.page();
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        page.navigate(essaim.baseUrl() + "/mail/Spam");
        MessageListRows grid = new MessageListRows(page);
        grid.select(OFFERS);
        assertThat(page.locator("#message-actions")).not().hasAttribute("disabled", "");
        assertThat(page.locator("#spam-button")).isHidden();
        page.locator("#not-spam-button").click();
        awaitSenders(user, "INBOX", List.of(OFFERS));
        awaitSenders(user, "Spam", List.of());
        awaitVoteOn(user, OFFERS);
        assertThat(essaim.bean(SenderReputation.class).entries(user)).anySatisfy(entry -> {
            assertThat(entry.label()).isEqualTo(OFFERS);
            assertThat(entry.hamVotes()).isEqualTo(1);
            assertThat(entry.spamVotes()).isZero();
        });

        deliverSpammy(user, "Offer two");
        awaitSenders(user, "INBOX", List.of(OFFERS, OFFERS));
        assertThat(senders(essaim, user, PASSWORD, "Spam")).as("the member's vote outweighs the content").isEmpty();

        SmtpSender.deliver(essaim, "Friend <" + FRIEND + ">", user, "Minutes", "Here are the minutes of Tuesday's meeting.");
        awaitSenders(user, "INBOX", List.of(OFFERS, OFFERS, FRIEND));
        page.navigate(essaim.baseUrl() + "/mail/INBOX");
        grid.select(FRIEND);
        assertThat(page.locator("#message-actions")).not().hasAttribute("disabled", "");
        assertThat(page.locator("#not-spam-button")).isHidden();
        page.locator("#spam-button").click();
        awaitSenders(user, "Spam", List.of(FRIEND));
        awaitVoteOn(user, FRIEND);
        assertThat(essaim.bean(SenderReputation.class).entries(user))
                .anySatisfy(entry -> {
                    assertThat(entry.label()).isEqualTo(FRIEND);
                    assertThat(entry.spamVotes()).isEqualTo(1);
                });

        // My account shows what the server keeps of these votes, and forgets one on request.
        page.navigate(essaim.baseUrl() + "/account");
        assertThat(page.locator("#judged-senders-grid")).containsText(OFFERS);
        assertThat(page.locator("#judged-senders-grid")).containsText(FRIEND);
        page.locator("#judged-senders-grid vaadin-button[data-sender='" + FRIEND + "']").click();
        long deadline = System.currentTimeMillis() + 20_000;
        while (essaim.bean(SenderReputation.class).entries(user).size() > 1 && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
        assertThat(essaim.bean(SenderReputation.class).entries(user)).extracting(SenderReputation.Entry::label)
                .containsExactly(OFFERS);
        page.reload(); // the Grid keeps a removed row's stale text in a hidden cell: read a fresh page
        assertThat(page.locator("#judged-senders-grid")).containsText(OFFERS);
        assertThat(page.locator("#judged-senders-grid")).not().containsText(FRIEND);
    }

    /** Spam by its words (and no Date nor Message-ID), from outside: the embedded filter files it in Spam. */
    private static void deliverSpammy(String user, String subject) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("EHLO mail.bargains.example")).startsWith("250");
            assertThat(smtp.smtp("MAIL FROM:<" + FRIEND + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + user + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            for (String line : List.of("From: Best Offers <" + OFFERS + ">", "To: " + user,
                    "Subject: " + subject + " FREE money, limited time!!!", "MIME-Version: 1.0",
                    "Content-Type: text/html; charset=us-ascii", "",
                    "<html><body><font size=4><b>Dear Friend,</b> you have been selected! Make money fast from home. "
                            + "Click here http://www.bargains.example/offer to claim your FREE gift. Order now, 100% "
                            + "guaranteed, no risk, credit card accepted. To be removed from our mailing list click here. "
                            + "Act now, this offer expires soon! Lowest mortgage rates, save big.</font></body></html>")) {
                smtp.send(line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    /**
     * Waits until the member's vote on the sender is recorded: the moved message shows in the target folder as soon as
     * it is copied there, and James tells the move (which the vote comes from) only after that.
     */
    private static void awaitVoteOn(String user, String sender) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (essaim.bean(SenderReputation.class).entries(user).stream().noneMatch(entry -> entry.label().equals(sender))
                && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Waits until the folder holds messages from exactly these senders (in any order). */
    private static void awaitSenders(String user, String folder, List<String> expected) throws Exception {
        long deadline = System.currentTimeMillis() + 20_000;
        List<String> sorted = expected.stream().sorted().toList();
        List<String> found = List.of();
        while (System.currentTimeMillis() < deadline) {
            found = senders(essaim, user, PASSWORD, folder).stream().sorted().toList();
            if (found.equals(sorted)) {
                return;
            }
            Thread.sleep(250);
        }
        assertThat(found).as("senders in " + folder).isEqualTo(sorted);
    }
}
