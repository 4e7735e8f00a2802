package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

/**
 * Rough edges a new user met in the webmail (issue 19), each checked in Chromium on the shared instance: the
 * unread count in the tab title and the drawer follow reading at once, the composer says "Sending…", and the key can
 * stay unlocked across reloads of one tab. (New-mail notifications: {@link NewMailNotificationTest}.)
 */
class WebmailRoughEdgesTest {
    /** Longer than the default new-mail check (15 s), for mail to show up by itself. */
    private static final PageAssertions.HasTitleOptions NEW_MAIL = new PageAssertions.HasTitleOptions().setTimeout(45_000);
    /** Well under the new-mail check: what follows the user's own action must not wait for it. */
    private static final PageAssertions.HasTitleOptions AT_ONCE = new PageAssertions.HasTitleOptions().setTimeout(5_000);

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    private static Page loggedInWithKey(String user) {
        return MemberInBrowser.logInWithKey(essaim, user, browser.page());
    }

    private static String newUser(String prefix) {
        return MemberInBrowser.newAddress(prefix);
    }

    @Test
    void readingAMessageUpdatesTheUnreadCountInTheTitleAndTheDrawerAtOnce() {
        String user = newUser("reader");
        Page page = loggedInWithKey(user);
        String first = "first-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + first + ">", user, "One", "one");
        SmtpSender.deliver(essaim, "<second-" + UUID.randomUUID() + "@example.org>", user, "Two", "two");
        // Once both are stored, the user opens the Inbox (in-app: the key stays unlocked), which is a look for new mail
        // as well: no need to wait for the periodic check here (the third message below waits for it).
        MemberInBrowser.awaitInbox(essaim, user, 2);
        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page).hasTitle(Pattern.compile("^\\(2\\) .*"), NEW_MAIL);
        assertThat(page.locator("#folders [data-folder='INBOX'] .folder-unread")).hasText("2");

        page.locator("#messages").getByText(first).click();
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
        assertThat(page).hasTitle(Pattern.compile("^\\(1\\) .*"), AT_ONCE);
        assertThat(page.locator("#folders [data-folder='INBOX'] .folder-unread")).hasText("1",
                new LocatorAssertions.HasTextOptions().setTimeout(5_000));

        // New mail while the reader stays open: the count and the storage bar follow without a page change.
        long usedBefore = Long.parseLong(page.locator("#drawer-storage").getAttribute("data-used-bytes"));
        SmtpSender.deliver(essaim, "<third-" + UUID.randomUUID() + "@example.org>", user, "Three", ("x".repeat(70) + "\r\n").repeat(300));
        assertThat(page).hasTitle(Pattern.compile("^\\(2\\) .*"), NEW_MAIL);
        page.waitForCondition(() -> Long.parseLong(page.locator("#drawer-storage").getAttribute("data-used-bytes")) > usedBefore);

        // Another page: its own title, still with the count (Vaadin writes a view's title after the layout's observers).
        page.locator("#account-pages vaadin-side-nav-item[path='keys']").click();
        assertThat(page).hasTitle("(2) Keys · Essaim", AT_ONCE);
    }

    @Test
    void theComposerSaysSendingWhileItEncryptsAndSends() {
        String user = newUser("sender");
        Page page = loggedInWithKey(user);
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New message")).click();
        assertThat(page.locator("essaim-composer #send-button")).isVisible();
        page.locator("#to input").fill(user);
        page.locator("#to input").press("Enter");
        page.locator("#to input").blur();
        // The address reaches the composer through the server (a round trip): a Send before it says "Add at least one
        // recipient" (seen on a loaded machine, load 14). Its line in the key list shows that it arrived.
        assertThat(page.locator("essaim-composer #recipient-keys li[data-address='" + user + "']")).isVisible();
        page.locator("essaim-composer #subject").fill("To myself");
        page.locator("essaim-composer #body").fill("Hello me");
        page.evaluate("() => { const root = document.querySelector('essaim-composer').shadowRoot; window.sawSending = false;"
                + " new MutationObserver(() => { if (root.querySelector('#send-button').textContent.includes('Sending…')"
                + "   && root.querySelector('#composer-notice').textContent.includes('Sending…')) window.sawSending = true; })"
                + " .observe(root, {subtree: true, childList: true, characterData: true}); }");
        page.locator("essaim-composer #send-button").click();
        assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        assertThat((Boolean) page.evaluate("() => window.sawSending")).as("the button and the notice said Sending…").isTrue();
    }

    @Test
    void keepUnlockedInThisTabSurvivesAReloadUntilTheKeyIsLocked() {
        String user = newUser("keeper");
        Page page = loggedInWithKey(user);
        page.reload();
        assertThat(page.locator("#key-unlock-button")).isVisible(); // by default a reload locks the key

        page.locator("#key-unlock-button").click();
        page.locator("#key-unlock-passphrase").fill(MemberInBrowser.PASSPHRASE);
        page.locator("#key-keep-unlocked").check();
        page.locator("#key-unlock-submit").click();
        assertThat(page.locator("essaim-key-lock")).hasAttribute("data-kept", "");
        page.reload();
        assertThat(page.locator("#key-lock-button")).isVisible();
        assertThat((String) page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                .as("no key material in web storage").doesNotContain("PRIVATE KEY").doesNotContain(MemberInBrowser.PASSPHRASE);

        page.locator("#key-lock-button").click();
        page.reload();
        assertThat(page.locator("#key-unlock-button")).isVisible();
    }
}
