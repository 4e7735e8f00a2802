package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PageAssertions;
import com.microsoft.playwright.assertions.LocatorAssertions;
import com.microsoft.playwright.options.AriaRole;

/**
 * Rough edges a new user met in the webmail (issue 19), each checked in Chromium on the shared instance: the
 * unread count in the tab title and the drawer follow reading at once, new mail makes a browser notification when the
 * user switched them on (and says neither sender nor subject), the composer says "Sending…", and the key can stay
 * unlocked across reloads of one tab.
 */
class WebmailRoughEdgesTest {
    private static final String PASSWORD = "rough edges 2026!";
    private static final String PASSPHRASE = "rough edges passphrase";
    /** Longer than the default new-mail check (15 s), for mail to show up by itself. */
    private static final PageAssertions.HasTitleOptions NEW_MAIL = new PageAssertions.HasTitleOptions().setTimeout(45_000);
    /** Well under the new-mail check: what follows the user's own action must not wait for it. */
    private static final PageAssertions.HasTitleOptions AT_ONCE = new PageAssertions.HasTitleOptions().setTimeout(5_000);

    private static EssaimInstance essaim;
    private static Browser browser;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        browser = Browser.launch();
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    /**
     * Before any page script: records every notification the page makes through the browser's own Notification
     * (which still shows it), and lets the test say whether the tab is in the background, as when the user is in
     * another tab (a headless page is always "visible").
     */
    private static final String NOTIFICATION_RECORDER = """
            window.__notifications = [];
            window.__tabHidden = false;
            const Real = window.Notification;
            window.Notification = class extends Real {
              constructor(title, options) {
                super(title, options);
                window.__notifications.push({ title, body: (options && options.body) || '' });
              }
            };
            Object.defineProperty(Document.prototype, 'visibilityState',
              { configurable: true, get() { return window.__tabHidden ? 'hidden' : 'visible'; } });
            """;

    /** A new account with a published key, logged in, the key imported and unlocked in the page. */
    private static Page loggedInWithKey(String user) {
        return loggedInWithKey(user, browser.newPage());
    }

    private static Page loggedInWithKey(String user, Page page) {
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        TestKeys.KeyPair keys = TestKeys.generate(user);
        essaim.publishKey(user, keys.publicKey());
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);
        return page;
    }

    private static String newUser(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
    }

    @Test
    void readingAMessageUpdatesTheUnreadCountInTheTitleAndTheDrawerAtOnce() {
        String user = newUser("reader");
        Page page = loggedInWithKey(user);
        String first = "first-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + first + ">", user, "One", "one");
        SmtpSender.deliver(essaim, "<second-" + UUID.randomUUID() + "@example.org>", user, "Two", "two");
        page.locator("#folders [data-folder='INBOX']").click(); // in-app: the key stays unlocked
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
    }

    @Test
    void newMailInABackgroundTabIsNotifiedOnceSwitchedOnWithoutSenderOrSubject() {
        String user = newUser("notified");
        BrowserContext context = browser.playwright().newContext();
        context.setDefaultTimeout(20_000);
        context.grantPermissions(List.of("notifications"), new BrowserContext.GrantPermissionsOptions().setOrigin(essaim.baseUrl()));
        context.addInitScript(NOTIFICATION_RECORDER);
        Page page = loggedInWithKey(user, context.newPage());
        page.locator("#account-pages vaadin-side-nav-item[path='account']").click();
        page.locator("essaim-notify-setting #notify-new-mail").check(); // permission granted: the switch stays on
        assertThat(page.locator("essaim-notify-setting #notify-new-mail")).isChecked();
        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page).hasTitle("Mail · Essaim");

        page.evaluate("() => { window.__tabHidden = true; }");
        String sender = "nosy-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + sender + ">", user, "Secret plans", "text");
        assertThat(page).hasTitle(Pattern.compile("^\\(1\\) .*"), NEW_MAIL);
        page.waitForFunction("() => window.__notifications.length === 1");
        @SuppressWarnings("unchecked")
        Map<String, Object> shown = (Map<String, Object>) page.evaluate("() => window.__notifications[0]");
        assertThat(shown).containsEntry("title", "New mail").containsEntry("body", "Unread in your inbox: 1");
        assertThat(shown.toString()).doesNotContain(sender).doesNotContain("Secret plans");

        // Switched off: new mail changes the title, and no notification comes.
        page.locator("#account-pages vaadin-side-nav-item[path='account']").click();
        page.locator("essaim-notify-setting #notify-new-mail").uncheck();
        page.locator("#folders [data-folder='INBOX']").click();
        SmtpSender.deliver(essaim, "<" + sender + ">", user, "More plans", "text");
        assertThat(page).hasTitle(Pattern.compile("^\\(2\\) .*"), NEW_MAIL);
        assertThat(((Number) page.evaluate("() => window.__notifications.length")).intValue()).isEqualTo(1);
        context.close();
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
        page.locator("#key-unlock-passphrase").fill(PASSPHRASE);
        page.locator("#key-keep-unlocked").check();
        page.locator("#key-unlock-submit").click();
        assertThat(page.locator("essaim-key-lock")).hasAttribute("data-kept", "");
        page.reload();
        assertThat(page.locator("#key-lock-button")).isVisible();
        assertThat((String) page.evaluate("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)"))
                .as("no key material in web storage").doesNotContain("PRIVATE KEY").doesNotContain(PASSPHRASE);

        page.locator("#key-lock-button").click();
        page.reload();
        assertThat(page.locator("#key-unlock-button")).isVisible();
    }
}
