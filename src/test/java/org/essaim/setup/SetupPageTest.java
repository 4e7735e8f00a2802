package org.essaim.setup;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import org.essaim.support.OwnInstance;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * First run without bootstrap properties: the one-time setup page creates the first admin, refuses bad
 * input with clear messages, and dies after use.
 * <p>
 * Its own instance: no bootstrap admin, so that the first start offers the setup link.
 */
@OwnInstance
class SetupPageTest {
    private static final String FOUNDER = "founder@" + EssaimInstance.DOMAIN;
    private static final String PASSWORD = "a long enough passphrase";

    @TempDir
    static Path dataDir;
    static EssaimInstance essaim;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    @BeforeAll
    static void start() {
        // Its own instance: without a bootstrap admin, the first start offers the setup link.
        essaim = EssaimInstance.start(dataDir, Map.of("essaim.bootstrap.admin-email", "", "essaim.bootstrap.admin-password", ""));
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @Test
    void theSetupLinkCreatesTheFirstAdminOnceAfterRefusingBadInput() {
        FirstRunSetup setup = essaim.bean(FirstRunSetup.class);
        String link = essaim.baseUrl() + "/setup/" + setup.currentToken().orElseThrow();
        Page page = browser.page();

        page.navigate(link);
        page.locator("#setup-address input").fill("not an address");
        page.locator("#setup-password input").fill("short");
        page.locator("#setup-repeat input").fill("shorter");
        create(page);
        // Each field's own error (Vaadin also repeats the last one in an aria-live region for screen readers).
        assertThat(page.locator("#setup-address [slot=error-message]")).containsText("This is not a valid e-mail address");
        assertThat(page.locator("#setup-password [slot=error-message]")).containsText("The password needs at least 10 characters.");
        assertThat(page.locator("#setup-repeat [slot=error-message]")).containsText("The two passwords differ.");
        assertThat(setup.isPending()).as("nothing was created").isTrue();

        page.locator("#setup-address input").fill(FOUNDER);
        page.locator("#setup-password input").fill(PASSWORD);
        page.locator("#setup-repeat input").fill(PASSWORD);
        create(page);
        assertThat(page.locator("#setup-done")).containsText(FOUNDER);
        assertThat(setup.isPending()).isFalse();

        page.navigate(link);
        assertThat(page.locator("#setup-invalid")).isVisible();
        assertThat(page.locator("#setup-address")).hasCount(0);

        LoginPage.logIn(page, essaim, FOUNDER, PASSWORD);
        assertThat(page.locator("#current-user")).hasText(FOUNDER);
        assertThat(page.locator("#messages")).isVisible();
    }

    private static void create(Page page) {
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Create the admin account")).click();
    }
}
