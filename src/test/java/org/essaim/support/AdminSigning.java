package org.essaim.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.FilePayload;

/**
 * What an admin does in the browser so that their actions can be signed there: put their private key into this
 * browser through the Keys page (as a person imports a file), and type the key's passphrase when an action waits
 * for it (the {@code <essaim-sign-action>} prompt).
 */
public final class AdminSigning {
    private AdminSigning() {
    }

    /**
     * Imports an armored private key on the Keys page of a logged-in page. A key without passphrase (as
     * {@link TestKeys#generate} makes them) is protected with {@code passphrase} by the page; its backup is downloaded,
     * which finishes the import and publishes the public key.
     */
    public static void importKey(Page page, EssaimInstance essaim, String armoredPrivateKey, String passphrase) {
        page.navigate(essaim.baseUrl() + "/keys");
        page.locator("#import-file").setInputFiles(new FilePayload("my-key.asc", "application/pgp-keys",
                armoredPrivateKey.getBytes(StandardCharsets.US_ASCII)));
        page.locator("#import-passphrase input").fill(passphrase);
        page.locator("#import-button").click();
        page.waitForDownload(() -> page.locator("#download-backup").click());
        assertThat(page.locator("#publication")).containsText("Published");
    }

    /** Answers the passphrase prompt of a pending admin action. */
    public static void signWithPassphrase(Page page, String passphrase) {
        assertThat(page.locator("#sign-passphrase")).isVisible();
        page.locator("#sign-passphrase").fill(passphrase);
        page.locator("#sign-unlock").click();
    }
}
