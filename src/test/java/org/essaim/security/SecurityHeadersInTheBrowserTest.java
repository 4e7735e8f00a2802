package org.essaim.security;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.google.common.net.InetAddresses;
import com.microsoft.playwright.Page;

/**
 * The pages' Content-Security-Policy, Referrer-Policy and Permissions-Policy, and the login form's CSRF check, with
 * the webmail used for real in Chromium under them: log in, the inbox, an HTML message decrypted in the reader, the
 * composer, the keys page — and not one Content-Security-Policy violation reported by the browser on the way. The
 * login itself proves the form's CSRF token: under no-referrer Chromium posts it with {@code Origin: null}.
 */
class SecurityHeadersInTheBrowserTest {

    private static final String PASSWORD = "headers and policies 4 the browser";
    private static final String PASSPHRASE = "a passphrase for this browser";

    private static EssaimInstance essaim;
    private static String account;
    private static TestKeys.KeyPair keys;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        account = "headers-" + UUID.randomUUID() + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(account, PASSWORD);
        keys = TestKeys.generate(account);
        essaim.publishKey(account, keys.publicKey());
    }

    @Test
    void pagesAndTheApiCarryTheSecurityHeaders() throws Exception {
        HttpResponse<String> page = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/login")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(page.headers().firstValue("Content-Security-Policy")).hasValue(ResponseHeaders.PAGE_POLICY);
        assertThat(ResponseHeaders.PAGE_POLICY).contains("frame-ancestors 'none'").contains("object-src 'none'")
                .contains("script-src 'self' 'unsafe-inline' 'unsafe-eval'").doesNotContain("*");
        assertThat(page.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
        assertThat(page.headers().firstValue("Permissions-Policy")).hasValueSatisfying(policy ->
                assertThat(policy).contains("camera=()").contains("microphone=()").contains("geolocation=()"));
        assertThat(page.headers().firstValue("X-Frame-Options")).hasValue("DENY");

        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/keys/" + account))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.headers().firstValue("Content-Security-Policy")).hasValue("default-src 'none'; frame-ancestors 'none'");
        assertThat(api.headers().firstValue("Referrer-Policy")).hasValue("no-referrer");
    }

    @Test
    void theLoginFormAcceptsPostsFromThisSiteOnly() throws Exception {
        String form = "username=" + account.replace("@", "%40") + "&password=" + PASSWORD.replace(" ", "+");
        assertThat(postLogin(form, "https://evil.example").statusCode()).as("cross-site POST").isEqualTo(403);
        assertThat(postLogin(form, null).statusCode()).as("a POST without Origin or Referer").isEqualTo(403);
        assertThat(postLogin(form, "null").statusCode()).as("Origin: null (a page with no-referrer) without the token")
                .isEqualTo(403);
        HttpResponse<String> crossSite = postLogin(form, "https://evil.example");
        assertThat(crossSite.headers().allValues("Set-Cookie")).as("no session from a cross-site POST")
                .noneMatch(cookie -> cookie.startsWith("JSESSIONID"));

        HttpResponse<String> sameSite = postLogin(form, essaim.baseUrl());
        assertThat(sameSite.statusCode()).isEqualTo(302);
        assertThat(sameSite.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).doesNotContain("error"));
    }

    @Test
    void theWebmailWorksUnderItsPoliciesWithoutAViolation() throws Exception {
        String marker = "html-" + UUID.randomUUID();
        deliverHtml(marker);
        Page page = Browser.shared().newPage(); // closed in the finally below
        List<String> violations = recordViolations(page);
        try {
            LoginPage.logIn(page, essaim, account, PASSWORD);
            assertThat(page.locator("#messages")).isVisible();
            BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);

            Delivered message = delivered(marker);
            page.navigate(essaim.baseUrl() + "/read/" + message.folder() + "/" + message.uid());
            BrowserKeys.unlockInTopBar(page, PASSPHRASE);
            assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
            assertThat(page.frameLocator("essaim-reader iframe").locator("body")).containsText(marker);

            page.navigate(essaim.baseUrl() + "/compose");
            assertThat(page.locator("essaim-composer #subject")).isVisible();
            page.navigate(essaim.baseUrl() + "/keys");
            assertThat(page.locator("#fingerprint")).isVisible();
            page.navigate(essaim.baseUrl() + "/");
            assertThat(page.locator("#messages")).isVisible();

            assertThat(violations).as("Content-Security-Policy violations reported by Chromium").isEmpty();
        } finally {
            page.context().close();
        }
    }

    @Test
    void aThrottledLoginIsExplainedOnTheLoginPage() throws Exception {
        LoginThrottle throttle = essaim.bean(LoginThrottle.class);
        String victim = "headers-throttled-" + UUID.randomUUID() + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(victim, PASSWORD);
        // A guesser from ever new networks takes every attempt the account is allowed, while the owner tries.
        AtomicBoolean guessing = new AtomicBoolean(true);
        Thread guesser = new Thread(() -> {
            for (int n = 0; guessing.get(); n++) {
                InetAddress network = InetAddresses.fromInteger(0x0A000000 + n);
                if (throttle.admit(victim, network).isZero()) {
                    throttle.failed(victim, network); // a wrong password, as a door reports it
                }
                Thread.onSpinWait();
            }
        });
        guesser.start();
        Page page = Browser.shared().newPage(); // closed in the finally below
        try {
            LoginPage.logIn(page, essaim, victim, PASSWORD);
            page.waitForURL(url -> url.contains("throttled"));
            assertThat(page.getByText("Too many failed logins").first()).isVisible();
            assertThat(page.getByText(java.util.regex.Pattern.compile("try again in \\d+"))).isVisible();
        } finally {
            guessing.set(false);
            guesser.join();
            page.context().close();
        }
    }

    private HttpResponse<String> postLogin(String form, String origin) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (origin != null) {
            request.header("Origin", origin);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Every violation the page or its frames report, as the browser's console and the DOM event say it. */
    private static List<String> recordViolations(Page page) {
        List<String> violations = new ArrayList<>();
        page.onConsoleMessage(message -> {
            if (message.text().contains("Content Security Policy")) {
                violations.add(message.text());
            }
        });
        page.addInitScript("document.addEventListener('securitypolicyviolation', e => "
                + "console.error('Content Security Policy violation: ' + e.violatedDirective + ' ' + e.blockedURI))");
        return violations;
    }

    private static void deliverHtml(String marker) {
        String message = "From: Sender <sender@example.org>\r\nTo: <" + account + ">\r\nSubject: A styled note\r\n"
                + "MIME-Version: 1.0\r\nContent-Type: text/html; charset=utf-8\r\n\r\n"
                + "<html><body><p style=\"color: #333\">Hello, <b>" + marker + "</b>.</p></body></html>\r\n.\r\n";
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example.org");
            smtp.smtp("MAIL FROM:<sender@example.org>");
            assertThat(smtp.smtp("RCPT TO:<" + account + ">")).startsWith("250");
            smtp.smtp("DATA");
            smtp.sendRaw(message.getBytes(StandardCharsets.UTF_8));
            assertThat(smtp.readSmtpReply()).startsWith("250");
        }
    }

    record Delivered(String folder, long uid) {
    }

    /** Where the message landed (INBOX, or Spam if the spam check thought so) and its UID. */
    private static Delivered delivered(String marker) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            while (System.currentTimeMillis() < deadline) {
                for (String name : List.of("INBOX", "Spam")) {
                    Folder folder = store.getFolder(name);
                    folder.open(Folder.READ_ONLY);
                    try {
                        for (Message message : folder.getMessages()) {
                            if (message.getFrom() != null && message.getFrom()[0].toString().contains("sender@example.org")) {
                                return new Delivered(name, ((UIDFolder) folder).getUID(message));
                            }
                        }
                    } finally {
                        folder.close(false);
                    }
                }
                Thread.sleep(300);
            }
        }
        throw new AssertionError("the HTML message " + marker + " was not delivered");
    }
}
