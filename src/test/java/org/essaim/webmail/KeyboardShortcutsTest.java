package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

/**
 * Keyboard shortcuts as in Gmail and Roundcube (issue 19): c compose, / search, ? help, j/k and Enter in the list,
 * r reply in the reader, # delete, u back; none of them while typing.
 */
class KeyboardShortcutsTest {
    private static final String PASSWORD = "shortcuts 2026 test";
    private static final String PASSPHRASE = "shortcuts passphrase";

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void theShortcutsActAndStayQuietWhileTyping() {
        String user = "keys-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        TestKeys.KeyPair keys = TestKeys.generate(user);
        essaim.publishKey(user, keys.publicKey());
        String older = "older-" + UUID.randomUUID() + "@example.org";
        String newer = "newer-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + older + ">", user, "Older", "first");
        SmtpSender.deliver(essaim, "<" + newer + ">", user, "Newer", "second");
        Page page = browser.page();
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);
        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page.locator("#messages")).containsText(older);

        page.keyboard().press("?");
        assertThat(page.locator("#shortcut-help")).isVisible();
        assertThat(page.locator("#shortcut-help")).containsText("Write a new message");
        page.keyboard().press("Escape");
        assertThat(page.locator("#shortcut-help")).hasCount(0);

        page.keyboard().press("/");
        assertThat(page.locator("#search-input")).isFocused();
        page.keyboard().type("c"); // typing in the search field: no shortcut
        assertThat(page).hasURL(Pattern.compile(".*/mail/INBOX$"));
        page.keyboard().press("Escape");

        page.keyboard().press("j"); // the first (newest) row
        page.keyboard().press("j"); // the next one
        page.keyboard().press("Enter");
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
        assertThat(page.locator("#from")).containsText(older);

        page.keyboard().press("r");
        assertThat(page).hasURL(Pattern.compile(".*/compose\\?.*mode=reply.*"));
        page.locator("essaim-composer #subject").click();
        page.keyboard().type("c#u"); // typing in the composer: no shortcut
        assertThat(page.locator("essaim-composer #subject")).hasValue(Pattern.compile(".*c#u$"));
        assertThat(page).hasURL(Pattern.compile(".*/compose\\?.*"));

        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page.locator("#messages")).containsText(newer);
        page.keyboard().press("j");
        page.keyboard().press("Enter");
        assertThat(page.locator("#from")).containsText(newer);
        page.keyboard().press("#");
        assertThat(page.locator("#messages")).isVisible();
        assertThat(page.locator("#messages")).not().containsText(newer);

        page.keyboard().press("c");
        assertThat(page).hasURL(Pattern.compile(".*/compose$"));
    }
}
