package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.support.Browser;
import org.essaim.support.EssaimInstance;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PageAssertions;

/**
 * New mail makes a browser notification when the user switched them on, saying neither sender nor subject (issue 19),
 * checked in Chromium on the shared instance. A class of its own, apart from {@link WebmailRoughEdgesTest}: both wait
 * for the 15 s new-mail check, and separate classes do their waiting side by side in the suite's test JVMs.
 */
class NewMailNotificationTest {
    /** Longer than the default new-mail check (15 s), for mail to show up by itself. */
    private static final PageAssertions.HasTitleOptions NEW_MAIL = new PageAssertions.HasTitleOptions().setTimeout(45_000);

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
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

    @Test
    void newMailInABackgroundTabIsNotifiedOnceSwitchedOnWithoutSenderOrSubject() {
        String user = MemberInBrowser.newAddress("notified");
        BrowserContext context = Browser.shared().playwright().newContext();
        try {
            context.setDefaultTimeout(20_000);
            context.grantPermissions(List.of("notifications"), new BrowserContext.GrantPermissionsOptions().setOrigin(essaim.baseUrl()));
            context.addInitScript(NOTIFICATION_RECORDER);
            Page page = MemberInBrowser.logInWithKey(essaim, user, context.newPage());
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

            // Switched off: new mail changes the title, and no notification comes. The unread count grows through the
            // same "essaim-unread" announcement as above, this time when the user opens the Inbox once the mail is
            // stored (a page change looks for new mail too), so the periodic check is waited for only once.
            page.locator("#account-pages vaadin-side-nav-item[path='account']").click();
            page.locator("essaim-notify-setting #notify-new-mail").uncheck();
            SmtpSender.deliver(essaim, "<" + sender + ">", user, "More plans", "text");
            MemberInBrowser.awaitInbox(essaim, user, 2);
            page.locator("#folders [data-folder='INBOX']").click();
            assertThat(page).hasTitle(Pattern.compile("^\\(2\\) .*"), NEW_MAIL);
            assertThat(((Number) page.evaluate("() => window.__notifications.length")).intValue()).isEqualTo(1);
        } finally {
            context.close(); // a context with notification permission of its own: the shared browser stays open
        }
    }
}
