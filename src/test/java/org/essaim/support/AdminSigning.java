package org.essaim.support;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import com.microsoft.playwright.Page;

/**
 * What an admin does when an action waits to be signed in the browser and the key is locked: type the key's
 * passphrase into the {@code <essaim-sign-action>} prompt. (The key gets into the browser with {@link BrowserKeys}.)
 */
public final class AdminSigning {
    private AdminSigning() {
    }

    /** Answers the passphrase prompt of a pending admin action. */
    public static void signWithPassphrase(Page page, String passphrase) {
        assertThat(page.locator("#sign-passphrase")).isVisible();
        page.locator("#sign-passphrase").fill(passphrase);
        page.locator("#sign-unlock").click();
    }
}
