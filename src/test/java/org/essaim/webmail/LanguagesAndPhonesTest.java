package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

/**
 * The webmail in French and English (issue 19): a French browser gets French pages and browser elements from the
 * same bundles, My account switches the language; and on a phone (390 px wide) every action stays reachable: Log
 * out, the folder menu, the list (as cards) and its Delete; the admin pages and the Keys page fit the width.
 */
class LanguagesAndPhonesTest {
    private static final String PASSWORD = "langues et téléphones 2026";
    private static final String PASSPHRASE = "phrase de passe de test";

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    private static String newAccount(String prefix) {
        String user = prefix + "-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        return user;
    }

    /** A page in a browser with this language and screen size; closed after the test. */
    private static Page page(String locale, int width, int height) {
        return browser.newPage(new com.microsoft.playwright.Browser.NewContextOptions()
                .setLocale(locale).setViewportSize(width, height));
    }

    private static void logIn(Page page, String user) {
        page.navigate(essaim.baseUrl() + "/login");
        page.locator("#vaadinLoginUsername input").fill(user);
        page.locator("#vaadinLoginPassword input").fill(PASSWORD);
        page.locator("#vaadinLoginPassword input").press("Enter");
        assertThat(page.locator("#messages")).isVisible();
    }

    @Test
    void aFrenchBrowserGetsFrenchPagesAndElementsAndMyAccountSwitchesToEnglish() {
        String user = newAccount("francoise");
        Page page = page("fr-FR", 1280, 800);
        page.navigate(essaim.baseUrl() + "/login");
        assertThat(page.locator("vaadin-login-form")).containsText("Se connecter");
        assertThat(page).hasTitle("Connexion · Essaim");
        logIn(page, user);
        assertThat(page).hasTitle("Courrier · Essaim");

        assertThat(page.locator("#folders [data-folder='INBOX']")).containsText("Boîte de réception");
        assertThat(page.locator("#compose-nav")).containsText("Nouveau message");
        assertThat(page.locator("#logout-button")).containsText("Se déconnecter");
        assertThat(page.locator("#messages")).containsText("Objet"); // a column header
        assertThat(page.locator("essaim-key-lock")).containsText("Clé verrouillée"); // a Lit element, same bundles
        assertThat(page.locator("#search-input")).hasAttribute("placeholder", "Déverrouillez votre clé pour rechercher");
        assertThat(page.locator("html")).hasAttribute("lang", "fr");

        page.locator("#account-pages vaadin-side-nav-item[path='keys']").click(); // the key page: a view and a Lit element
        assertThat(page).hasTitle("Clés · Essaim");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Votre clé de chiffrement"))).isVisible();
        assertThat(page.locator("essaim-keys #generate")).containsText("Créer une nouvelle clé");
        assertThat(page.locator("essaim-keys #generate-button")).containsText("Créer la clé");
        // An error of the crypto worker, in the page's language: a public key where the private key is asked for.
        page.locator("essaim-keys #import-text textarea").fill("-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nAAAA\n-----END PGP PUBLIC KEY BLOCK-----");
        page.locator("essaim-keys #import-button").click();
        assertThat(page.locator("essaim-keys #error")).containsText("C'est seulement une clé PUBLIQUE");
        assertThat(page.locator("essaim-keys #error")).containsText("gpg --export-secret-keys --armor " + user);

        page.locator("#account-pages vaadin-side-nav-item[path='account']").click();
        page.locator("#language-choice vaadin-radio-button", new Page.LocatorOptions().setHasText("English")).click();
        assertThat(page.locator("#folders [data-folder='INBOX']")).containsText("Inbox");
        assertThat(page.locator("essaim-key-lock")).containsText("Key locked");
        assertThat(page.locator("html")).hasAttribute("lang", "en");
        page.locator("#account-pages vaadin-side-nav-item[path='keys']").click();
        assertThat(page).hasTitle("Keys · Essaim");
        assertThat(page.locator("essaim-keys #generate")).containsText("Create a new key");
        page.locator("#account-pages vaadin-side-nav-item[path='account']").click();

        page.locator("#language-choice vaadin-radio-button", new Page.LocatorOptions().setHasText("As my browser says")).click();
        assertThat(page.locator("#folders [data-folder='INBOX']")).containsText("Boîte de réception");
    }

    @Test
    void onAPhoneLogOutTheFoldersTheListAsCardsAndDeleteAreReachable() {
        String user = newAccount("phone");
        TestKeys.KeyPair keys = TestKeys.generate(user);
        essaim.publishKey(user, keys.publicKey());
        String sender = "card-" + UUID.randomUUID() + "@example.org";
        SmtpSender.deliver(essaim, "<" + sender + ">", user, "On a phone", "small screen");
        Page page = page("en-GB", 390, 844);
        logIn(page, user);
        BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);
        assertThat(page.locator("#logout-button")).isVisible();
        assertThat(page.locator("#logout-button")).isInViewport();

        page.locator("vaadin-drawer-toggle").click(); // the folder menu
        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page.locator("#messages")).hasAttribute("data-layout", "cards");
        assertThat(page.locator("#messages")).containsText(sender);
        assertThat(page.locator("#messages essaim-subject")).containsText("On a phone"); // decrypted in the card

        assertThat(page.locator("#delete-button")).isInViewport(); // the list's actions wrap instead of overflowing
        page.locator("#messages").getByText(sender).click(); // the reader, full width
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
        assertThat(page.locator("#reader-delete")).isInViewport();
        page.locator("#reader-delete").click();
        assertThat(page.locator("#messages")).isVisible();
        assertThat(page.locator("#messages")).not().containsText(sender);
        assertThat(page.locator("#logout-button")).isInViewport();
        page.locator("#logout-button").click();
        page.waitForURL(url -> url.contains("/login"));
    }

    /**
     * Visible elements reaching past the right edge of the window, other than inside a grid or another element that
     * scrolls sideways within the window (those are reachable by scrolling them), and Vaadin's connection indicator
     * (Vaadin's own; its "Online" status text is laid out but not shown).
     */
    private static final String OVERFLOWING = """
            () => {
              const width = document.documentElement.clientWidth;
              const scrollsWithin = (el) => {
                for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                  if (a.localName === 'vaadin-grid' || a.localName === 'vaadin-connection-indicator') return true;
                  const x = getComputedStyle(a).overflowX;
                  if ((x === 'auto' || x === 'scroll' || x === 'hidden') && a.getBoundingClientRect().right <= width + 1) return true;
                }
                return false;
              };
              const wide = [];
              for (const el of document.querySelectorAll('body *')) {
                const r = el.getBoundingClientRect();
                if (r.width === 0 || r.height === 0 || r.right <= width + 1 || r.left >= width) continue;
                if (getComputedStyle(el).visibility === 'hidden' || scrollsWithin(el)) continue;
                const path = [];
                for (let a = el; a && a !== document.body && path.length < 6; a = a.parentElement) {
                  path.push(a.localName + (a.id ? '#' + a.id : '') + (a.className && typeof a.className === 'string' ? '.' + a.className.trim().split(/\\s+/).join('.') : ''));
                }
                wide.push(path.join(' < ') + ' ends at ' + Math.round(r.right) + ' px: ' + (el.textContent || '').trim().slice(0, 40));
              }
              return wide;
            }""";

    @Test
    void onAPhoneTheAdminPagesAndTheKeysPageFitTheWidth() {
        Map<String, String> pages = new LinkedHashMap<>();
        pages.put("admin/accounts", "#invite-address");
        pages.put("admin/storage", "#disk-bar");
        pages.put("admin/queue", "#queue-refresh");
        pages.put("admin/dns", "#dns-records");
        pages.put("admin/spam", "#spam-view");
        pages.put("admin/cooptation", "#propose-address");
        pages.put("audit", "#audit-entries");
        pages.put("keys", "essaim-keys");
        Page page = page("en-GB", 390, 844);
        page.navigate(essaim.baseUrl() + "/login");
        page.locator("#vaadinLoginUsername input").fill(EssaimInstance.ADMIN);
        page.locator("#vaadinLoginPassword input").fill(EssaimInstance.ADMIN_PASSWORD);
        page.locator("#vaadinLoginPassword input").press("Enter");
        assertThat(page.locator("#logout-button")).isVisible();
        Map<String, List<String>> overflowing = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : pages.entrySet()) {
            page.navigate(essaim.baseUrl() + "/" + entry.getKey());
            assertThat(page.locator(entry.getValue()).first()).isVisible();
            assertThat(page.locator("#logout-button")).isInViewport();
            @SuppressWarnings("unchecked")
            List<String> wide = (List<String>) page.evaluate(OVERFLOWING);
            if (!wide.isEmpty()) {
                overflowing.put(entry.getKey(), wide);
            }
        }
        org.assertj.core.api.Assertions.assertThat(overflowing).as("elements wider than a 390 px phone").isEmpty();
    }
}
