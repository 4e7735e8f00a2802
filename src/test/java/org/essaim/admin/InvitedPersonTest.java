package org.essaim.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.time.Duration;
import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.Page;

/**
 * A rough edge a new user met (issue 19): after choosing a password on the invitation page, the invited person
 * finds their address already filled in on the login page, and their first login opens the key set-up.
 */
class InvitedPersonTest {
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void theInvitedPersonsAddressIsFilledInAndTheFirstLoginOpensTheKeySetUp() {
        String address = "newcomer-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        String token = essaim.bean(Invitations.class).create(address, EssaimInstance.ADMIN, Duration.ofDays(1));
        String password = "a brand new member password";
        Page page = browser.page();

        page.navigate(essaim.baseUrl() + "/invite/" + token);
        page.locator("#invite-password input").fill(password);
        page.locator("#invite-repeat input").fill(password);
        page.locator("#invite-accept").click();
        page.waitForURL(url -> url.contains("/login"));
        assertThat(page.locator("#login-note")).isVisible();
        assertThat(page.locator("#vaadinLoginUsername input")).hasValue(address);

        page.locator("#vaadinLoginPassword input").fill(password);
        page.locator("#vaadinLoginPassword input").press("Enter");
        assertThat(page).hasURL(Pattern.compile(".*/keys$"));
    }
}
