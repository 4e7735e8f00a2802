package org.essaim.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

/**
 * Puts a private key into a test browser the way a person does (the Keys page), and unlocks it from the top bar.
 * The key lives in the browser context's IndexedDB, passphrase-protected; unlocking holds it in page memory only,
 * so a full page load (page.navigate) locks it again.
 */
public final class BrowserKeys {
    private static final LocatorAssertions.IsVisibleOptions SLOW = new LocatorAssertions.IsVisibleOptions().setTimeout(60_000);

    private BrowserKeys() {
    }

    /**
     * Imports an armored private key on the Keys page of a logged-in page, finishing the backup step ("I keep my
     * import file", or declining a backup for a key that had no passphrase and was protected here). A key without
     * passphrase (as {@link TestKeys#generate} makes) is protected with {@code passphrase}. Leaves the key unlocked.
     */
    public static void importPrivateKey(Page page, EssaimInstance essaim, String armoredPrivate, String passphrase) {
        page.navigate(essaim.baseUrl() + "/keys");
        page.locator("#import-text textarea").fill(armoredPrivate);
        page.locator("#import-passphrase input").fill(passphrase);
        page.locator("#import-button").click();
        Locator kept = page.locator("#kept-import-file");
        Locator decline = page.locator("#decline-backup");
        Locator done = page.locator("#fingerprint");
        kept.or(decline).or(done).first().waitFor(new Locator.WaitForOptions().setTimeout(60_000));
        if (kept.isVisible()) {
            kept.click();
        } else if (decline.isVisible()) {
            decline.click();
            page.locator("#decline-understood").click();
            page.locator("#decline-confirm").click();
        }
        assertThat(done).isVisible(SLOW);
    }

    /** Unlocks the browser-held key with the top bar's passphrase form. */
    public static void unlockInTopBar(Page page, String passphrase) {
        Locator passphraseInput = page.locator("#key-unlock-passphrase");
        if (!passphraseInput.isVisible()) {
            page.locator("#key-unlock-button").click();
        }
        passphraseInput.fill(passphrase);
        page.locator("#key-unlock-submit").click();
        assertThat(page.locator("#key-lock-button")).isVisible(SLOW);
    }
}
