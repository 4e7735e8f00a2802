package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.UUID;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;

import com.microsoft.playwright.Page;

import jakarta.mail.Store;

/** A new member of the shared instance in a page: an account with a published key, logged in, the key unlocked. */
final class MemberInBrowser {
    static final String PASSWORD = "rough edges 2026!";
    static final String PASSPHRASE = "rough edges passphrase";

    private MemberInBrowser() {
    }

    /** An address no other test uses. */
    static String newAddress(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
    }

    /** Creates the account, publishes a fresh key, logs in on the page and imports the private key there. */
    static Page logInWithKey(EssaimInstance essaim, String address, Page page) {
        essaim.bean(MailServerBridge.class).createAccount(address, PASSWORD);
        TestKeys.KeyPair keys = TestKeys.generate(address);
        essaim.publishKey(address, keys.publicKey());
        LoginPage.logIn(page, essaim, address, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);
        return page;
    }

    /**
     * Waits until the member's Inbox holds this many messages, as an IMAP client sees it: SMTP's 250 comes before the
     * message is stored, and a page change shows only what is stored by then.
     */
    static void awaitInbox(EssaimInstance essaim, String address, int count) {
        try (Store imap = MailClients.imaps(essaim, address, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", count);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
