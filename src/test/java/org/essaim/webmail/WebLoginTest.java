package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import jakarta.mail.Flags;
import jakarta.mail.Folder;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.Cookie;
import com.microsoft.playwright.options.SameSiteAttribute;

import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The webmail in a real headless Chromium: log in with the mail password, see the inbox read over IMAP.
 * With {@code -Dessaim.screenshots=docs/screenshots} the inbox is also saved as inbox.png there.
 */
class WebLoginTest {
    private static final String PASSWORD = "a long enough login test password";

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    static EssaimInstance essaim;
    /** The person who logs in: a member with a published key and two messages. */
    static String user;
    static String subject = "Welcome to the collective #" + new Random().nextInt(1000, 10000);
    /** Mail is stored encrypted, its subject inside: the list tells this message apart by its sender. */
    static String sender = "welcome-" + new Random().nextInt(1000, 10000) + "@example.org";
    Page page;

    @BeforeAll
    static void start() throws Exception {
        essaim = EssaimInstance.shared();
        user = essaim.newAccount("login", PASSWORD);
        essaim.publishGeneratedKey(user); // mail for an account without a key is refused (450)
        SmtpSender.deliver(essaim, user, "Minutes of Tuesday's meeting", "Minutes attached.");
        SmtpSender.deliver(essaim, "Welcome Desk <" + sender + ">", user, subject, "Glad to have you.");
        try (var imap = MailClients.imaps(essaim, user, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", 2);
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_WRITE);
            inbox.getMessage(1).setFlags(new Flags(Flags.Flag.FLAGGED), true);
            inbox.getMessage(1).setFlags(new Flags(Flags.Flag.SEEN), true);
            inbox.close(false);
        }
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
    }

    @Test
    void theRightPasswordOpensTheInboxWithTheDeliveredMessage() throws Exception {
        logIn(user, PASSWORD);

        assertThat(page.locator("#messages")).isVisible();
        assertThat(page.locator("#messages").getByText(sender)).isVisible();
        assertThat(page.locator("#current-user")).hasText(user);
        assertThat(page.locator("#folders").getByText("Inbox")).isVisible();
        assertThat(page.locator("#messages").getByText("★ flagged")).hasCount(1);
        assertThat(page.locator("#folders vaadin-side-nav-item[current]")).hasCount(1);
        assertThat(page.locator("#folders vaadin-side-nav-item[current]")).containsText("Inbox");
        saveScreenshot("inbox.png");

        page.locator("#folders").getByText("Sent").click();
        page.waitForURL("**/mail/Sent");
        assertThat(page.locator("h2")).hasText("Sent");
        // The grid keeps its old cell elements (hidden) when it shrinks: count what is visible.
        assertThat(page.locator("#messages").getByText(sender).filter(new Locator.FilterOptions().setVisible(true))).hasCount(0);
        assertThat(page.locator("#folders vaadin-side-nav-item[current]")).hasCount(1);
        assertThat(page.locator("#folders vaadin-side-nav-item[current]")).containsText("Sent");
    }

    @Test
    void anAccountWithoutAPublishedKeyIsToldItsMailIsWaitingForTheKey() {
        String newcomer = essaim.newAccount("newcomer", "a newcomer's long passphrase");

        logIn(newcomer, "a newcomer's long passphrase");

        assertThat(page.locator("#key-missing-notice")).isVisible();
        assertThat(page.locator("#key-missing-notice")).containsText("waiting");
        assertThat(page.locator("#key-missing-notice a")).hasAttribute("href", "keys");
    }

    @Test
    void anAccountWithAPublishedKeyIsNotNagged() {
        logIn(user, PASSWORD);

        assertThat(page.locator("#messages")).isVisible();
        assertThat(page.locator("#key-missing-notice")).isHidden();
    }

    @Test
    void anUnknownFolderIsNamedAsMissingWithoutAList() {
        logIn(user, PASSWORD);
        page.navigate(essaim.baseUrl() + "/mail/NoSuchFolder");

        assertThat(page.locator("#mailbox-problem")).hasText("There is no folder named \"NoSuchFolder\".");
        assertThat(page.locator("#messages")).isHidden();
    }

    @Test
    void aWrongPasswordShowsAnErrorAndNoInbox() {
        logIn(user, "not the password");

        assertThat(page.getByText("Wrong address or password")).isVisible();
        assertThat(page.locator("#messages")).hasCount(0);
        assertThat(page.url()).contains("/login");
    }

    @Test
    void theSessionIdChangesAtLoginAndLogoutEndsTheSession() {
        page.navigate(essaim.baseUrl() + "/login");
        String before = sessionCookie().value;
        logIn(user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        Cookie after = sessionCookie();
        assertThat(after.value).isNotEqualTo(before);
        assertThat(after.httpOnly).as("HttpOnly").isTrue();
        assertThat(after.sameSite).isEqualTo(SameSiteAttribute.STRICT);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out")).click();
        page.waitForURL("**/login");
        page.navigate(essaim.baseUrl() + "/");
        assertThat(page.url()).endsWith("/login");
    }

    @Test
    void theApiStillAnswersScriptsWithABasicChallengeNotTheLoginPage() throws Exception {
        HttpResponse<Void> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/admin/accounts")).build(),
                HttpResponse.BodyHandlers.discarding());

        assertThat(response.statusCode()).as("status of %s", response.headers().map()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic"));
    }

    @Test
    void theSessionCookieIsSecureWhenTheBrowserCameOverTls() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<Void> plain = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.discarding());
        HttpResponse<Void> viaTlsProxy = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/login"))
                .header("X-Forwarded-Proto", "https").build(), HttpResponse.BodyHandlers.discarding());

        assertThat(plain.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Strict").doesNotContain("Secure"));
        assertThat(viaTlsProxy.headers().firstValue("Set-Cookie")).hasValueSatisfying(cookie -> assertThat(cookie)
                .startsWith("JSESSIONID=").contains("HttpOnly").contains("SameSite=Strict").contains("Secure"));
    }

    @Test
    void aVisitorWhoIsNotLoggedInIsSentToTheLoginPage() {
        page.navigate(essaim.baseUrl() + "/");

        assertThat(page.url()).endsWith("/login");
        assertThat(page.getByLabel("E-mail address")).isVisible();
    }

    @Test
    void theSetupPageWithAWrongTokenShowsNoForm() {
        page.navigate(essaim.baseUrl() + "/setup/not-the-token");

        assertThat(page.locator("#setup-invalid")).isVisible();
        assertThat(page.locator("#setup-address")).hasCount(0);
        assertThat(page.locator("#setup-password")).hasCount(0);
    }

    private void logIn(String address, String password) {
        LoginPage.logIn(page, essaim, address, password);
        page.waitForLoadState();
    }

    private Cookie sessionCookie() {
        return page.context().cookies().stream().filter(c -> c.name.equals("JSESSIONID")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie"));
    }

    private void saveScreenshot(String name) throws Exception {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
    }
}
