package org.essaim.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Store;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.mailserver.StorageUsage;
import org.essaim.support.AdminSigning;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The admin pages and the member's own account page in a real headless Chromium, against the whole
 * application: members are refused the admin pages; the storage figures are James' own; invitations,
 * disabling, quotas, aliases and deletion work through the pages, each signed in the browser with the admin's key
 * (imported on the Keys page, unlocked with its passphrase when the first action asks for it). With {@code -Dessaim.screenshots=docs/screenshots}
 * the storage view is saved as admin-storage.png there.
 */
class AdminViewsTest {
    private static final String PASSWORD = "a member's own long passphrase";
    private static final String ADMIN_PASSWORD = "the views admin's long passphrase";
    /** In every address this class makes, so that the storage grid can be narrowed to this class's accounts. */
    private static final String TAG = "views" + Long.toHexString(System.nanoTime() & 0xffff);
    private static final List<String> ADMIN_VIEWS = List.of("admin/storage", "admin/queue", "admin/accounts",
            "admin/cooptation", "admin/spam");
    private static final String KEY_PASSPHRASE = "the admin's key passphrase " + Long.toHexString(System.nanoTime());

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    static EssaimInstance essaim;
    static MailServerBridge mailServer;
    static String admin;
    static String member;
    static String adminSecretKey;
    Page page;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        mailServer = essaim.bean(MailServerBridge.class);
        admin = essaim.newAdmin(TAG + "-admin", ADMIN_PASSWORD);
        member = newMember();
        append(member, PASSWORD, "Agenda", 3000);
        append(member, PASSWORD, "Minutes", 12000);
        append(admin, ADMIN_PASSWORD, "Server notes", 500);
        mailServer.setStorageLimit(member, OptionalLong.of(5 * 1024 * 1024));
        sampleTwoWeeksOfGrowth();
        adminSecretKey = essaim.publishGeneratedKey(admin);
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
    }

    @Test
    void aMemberIsRefusedEveryAdminViewAndSeesNoAdminMenu() {
        logIn(page, member, PASSWORD);
        assertThat(page.locator("#current-user")).hasText(member);
        assertThat(page.locator("#account-pages")).isVisible();
        assertThat(page.locator("#admin-nav")).hasCount(0);

        for (String view : ADMIN_VIEWS) {
            Response response = page.navigate(essaim.baseUrl() + "/" + view);

            assertThat(response.status()).as("status of /%s for a member", view).isEqualTo(403);
            assertNoAdminContent();
        }

        // Within the running application (a router link, no page load), Vaadin's navigation access control refuses too.
        page.navigate(essaim.baseUrl() + "/");
        assertThat(page.locator("#messages")).isVisible();
        for (String view : ADMIN_VIEWS) {
            page.evaluate("view => { window.samePage = true; const a = document.createElement('a'); a.href = view;"
                    + " a.id = 'sneak'; a.setAttribute('router-link', ''); a.textContent = 'sneak';"
                    + " a.style.cssText = 'position:fixed;top:0;left:0;z-index:100000;background:white'; document.body.appendChild(a); }", view);
            page.locator("#sneak").click();
            page.waitForURL("**/" + view);
            assertThat(page.evaluate("() => window.samePage === true")).as("navigated without a page load").isEqualTo(true);
            assertNoAdminContent();
            page.navigate(essaim.baseUrl() + "/");
            assertThat(page.locator("#messages")).isVisible();
        }
    }

    @Test
    void anAdminSeesStorageFiguresThatAreTheMailServersAndImapsOwn() throws Exception {
        logIn(page, admin, ADMIN_PASSWORD);
        assertThat(page.locator("#admin-nav")).isVisible();
        page.locator("#admin-nav").getByText("Storage").click();
        page.waitForURL("**/admin/storage");

        assertThat(page.locator("#queue-size")).hasText(Long.toString(mailServer.queueSize()));
        assertThat(page.locator("#account-count")).hasText(Integer.toString(mailServer.accounts().size()));
        assertThat(page.locator("#disk-free")).hasText(Pattern.compile("\\d+(\\.\\d)? (B|KB|MB|GB)"));
        assertThat(page.locator("#growth-chart")).hasAttribute("points", "14");
        assertThat(page.locator("#growth-chart canvas")).isVisible();
        saveScreenshot("admin-storage.png");

        for (String address : List.of(admin, member)) {
            page.locator("#account-filter input").fill(address);
            Locator used = visible(page.locator("#storage-accounts span.used[data-address='" + address + "']"));
            assertThat(used).isVisible();
            StorageUsage usage = mailServer.storageUsage(address);
            assertThat(usage.usedBytes()).isPositive();
            assertThat(Long.parseLong(used.getAttribute("data-bytes"))).isEqualTo(usage.usedBytes());
            assertThat(visible(page.locator("#storage-accounts span.messages[data-address='" + address + "']")))
                    .hasText(Long.toString(usage.messageCount()));
            assertThat(visible(page.locator("#storage-accounts span.quota[data-address='" + address + "']")))
                    .hasAttribute("data-bytes", Long.toString(usage.limitBytes().orElseThrow()));
            // RFC 2087: STORAGE in units of 1024 octets, used then limit
            String password = address.equals(admin) ? ADMIN_PASSWORD : PASSWORD;
            assertThat(imap(address, password, "a1 GETQUOTAROOT INBOX")).contains("STORAGE "
                    + Long.parseLong(used.getAttribute("data-bytes")) / 1024 + " " + usage.limitBytes().getAsLong() / 1024);
        }
        assertThat(visible(page.locator("#storage-accounts span.used[data-address='" + admin + "']"))).hasCount(0);
        assertThat(page.locator("#storage-accounts vaadin-grid-cell-content").getByText("member", new Locator.GetByTextOptions().setExact(true))
                .filter(new Locator.FilterOptions().setVisible(true))).hasCount(1);

        // the queue's own page (what waits, retry, delete: TwoServersTest) opens from the queue figure
        page.locator("#queue-link").click();
        page.waitForURL("**/admin/queue");
        assertThat(page.locator("#queue-count")).hasText(Integer.toString(mailServer.waitingMail().size()));
        assertThat(page.locator("#queue-summary")).containsText("waiting for other servers");
        // the spool too, so mail stuck before the outgoing queue shows (counts; metadata only, like the rest)
        assertThat(page.locator("#queue-spool")).containsText("Incoming spool");
        assertThat(page.locator("#queue-spool")).containsText("Being delivered right now:");
    }

    @Test
    void theStorageGridSortsByUsageAndFiltersByAddress() {
        logIn(page, admin, ADMIN_PASSWORD);
        page.navigate(essaim.baseUrl() + "/admin/storage");
        Locator usedSorter = page.locator("#storage-accounts vaadin-grid-sorter").filter(new Locator.FilterOptions().setHasText("Used"));
        // The shared server holds other classes' accounts too: narrow the grid to this class's (all fit on screen).
        page.locator("#account-filter input").fill(TAG);
        List<String> all = mailServer.accounts().stream().filter(address -> address.contains(TAG)).toList();
        String largest = all.stream().max(java.util.Comparator.comparingLong(a -> mailServer.storageUsage(a).usedBytes())).orElseThrow();

        usedSorter.click(); // ascending
        usedSorter.click(); // descending
        awaitFirstRow(largest);
        assertThat(page.locator("#storage-accounts span.used").filter(new Locator.FilterOptions().setVisible(true))).hasCount(all.size());

        page.locator("#account-filter input").fill("nobody-has-this-address");
        assertThat(page.locator("#storage-accounts span.used").filter(new Locator.FilterOptions().setVisible(true))).hasCount(0);
    }

    /** The grid keeps its old cell elements (hidden) when it shrinks or scrolls: look at what is visible. */
    private static Locator visible(Locator cells) {
        return cells.filter(new Locator.FilterOptions().setVisible(true));
    }

    /** The address in the grid's first row as shown (rows are ordered by their index, not by DOM position). */
    private void awaitFirstRow(String address) {
        String script = "grid => { const rows = Array.from(grid.shadowRoot.querySelectorAll('#items tr'))"
                + ".filter(r => !r.hidden && r.index !== undefined).sort((a, b) => a.index - b.index);"
                + " const slot = rows.length ? rows[0].querySelector('td slot') : null;"
                + " const cell = slot ? slot.assignedElements()[0] : null; return cell ? cell.textContent.trim() : null; }";
        long deadline = System.currentTimeMillis() + 10_000;
        Object first = null;
        while (System.currentTimeMillis() < deadline) {
            first = page.locator("#storage-accounts").evaluate(script);
            if (address.equals(first)) {
                return;
            }
            page.waitForTimeout(200);
        }
        assertThat(first).as("first row after sorting by usage, descending").isEqualTo(address);
    }

    @Test
    void anInvitationFromTheAccountsViewOpensOnceInAnotherBrowserAndTheNewMemberLogsIn() throws Exception {
        String invited = EssaimInstance.uniqueAddress(TAG + "-invited");
        logInWithKey();
        page.navigate(essaim.baseUrl() + "/admin/accounts");
        page.locator("#invite-address input").fill(invited);
        page.locator("#invite-create").click();
        // The action waits for the locked key; unlocking it in the top bar (the same crypto module) lets it go on.
        assertThat(page.locator("#sign-passphrase")).isVisible();
        BrowserKeys.unlockInTopBar(page, KEY_PASSPHRASE);
        assertThat(page.locator("#invite-link input")).hasValue(Pattern.compile("/invite/[A-Za-z0-9_-]{43}$"));
        assertThat(page.locator("#admin-message")).containsText(invited);
        String link = page.locator("#invite-link input").inputValue();
        assertThat(link).startsWith(essaim.baseUrl() + "/invite/");

        Page newcomer = browser.newPage();
        try {
            newcomer.navigate(link);
            assertThat(newcomer.locator("#invite-intro")).containsText(invited);
            newcomer.locator("#invite-password input").fill("password123");
            newcomer.locator("#invite-repeat input").fill("password123");
            newcomer.locator("#invite-accept").click();
            assertThat(newcomer.locator("#invite-error")).containsText("common");
            assertThat(mailServer.accountExists(invited)).isFalse();

            newcomer.locator("#invite-password input").fill(PASSWORD);
            newcomer.locator("#invite-repeat input").fill(PASSWORD);
            newcomer.locator("#invite-accept").click();
            // login?invited&address=... in either order (the view builds the query from an unordered map)
            newcomer.waitForURL(Pattern.compile(".*/login\\?(.*&)?invited(=|&|$).*"));
            assertThat(newcomer.locator("#login-note")).containsText("Keys");
            logIn(newcomer, invited, PASSWORD);
            assertThat(newcomer.locator("#current-user")).hasText(invited);
        } finally {
            newcomer.context().close();
        }
        try (Store imap = MailClients.imaps(essaim, invited, PASSWORD)) {
            assertThat(imap.getFolder("INBOX").exists()).isTrue();
        }

        Page again = browser.newPage();
        try {
            again.navigate(link);
            assertThat(again.locator("#invite-invalid")).isVisible();
            assertThat(again.locator("#invite-password")).hasCount(0);
        } finally {
            again.context().close();
        }
    }

    @Test
    void disablingAMemberInTheAccountsViewRefusesTheirWebLoginUntilEnabledAgain() {
        String disabled = newMember();
        Page before = browser.newPage();
        try {
            logIn(before, disabled, PASSWORD);
            assertThat(before.locator("#current-user")).hasText(disabled);
        } finally {
            before.context().close();
        }

        logInWithKey();
        selectAccount(disabled);
        page.locator("#account-disable").click();
        AdminSigning.signWithPassphrase(page, KEY_PASSPHRASE);
        assertThat(page.locator("#admin-message")).hasText("Disabled " + disabled + ".");
        assertThat(page.locator("#account-enable")).isVisible();

        Page refused = browser.newPage();
        try {
            logIn(refused, disabled, PASSWORD);
            assertThat(refused.getByText("Wrong address or password")).isVisible();
            assertThat(refused.locator("#current-user")).hasCount(0);
        } finally {
            refused.context().close();
        }

        page.locator("#account-enable").click();
        assertThat(page.locator("#admin-message")).hasText("Enabled " + disabled + ".");
        Page after = browser.newPage();
        try {
            logIn(after, disabled, PASSWORD);
            assertThat(after.locator("#current-user")).hasText(disabled);
        } finally {
            after.context().close();
        }
    }

    @Test
    void quotasAliasesAndDeletionGoThroughTheAccountsView() {
        String account = newMember();
        String alias = "alias-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        logInWithKey();
        selectAccount(account);

        page.locator("#quota-input input").fill("lots");
        page.locator("#quota-set").click();
        assertThat(page.locator("#admin-message")).containsText("is not a quota");
        page.locator("#quota-input input").fill("2MB");
        page.locator("#quota-set").click();
        AdminSigning.signWithPassphrase(page, KEY_PASSPHRASE);
        assertThat(page.locator("#admin-message")).hasText("Quota of " + account + " set.");
        assertThat(mailServer.storageUsage(account).limitBytes()).hasValue(2L * 1024 * 1024);
        assertThat(page.locator("#quota-current")).containsText("of 2.0 MB");
        page.locator("#quota-input input").fill("default");
        page.locator("#quota-set").click();
        assertThat(page.locator("#quota-current")).containsText("of 1.0 GB");

        page.locator("#alias-input input").fill(alias);
        page.locator("#alias-add").click();
        assertThat(page.locator("#aliases")).containsText(alias);
        assertThat(mailServer.aliasesOf(account)).containsExactly(alias);
        page.locator("#alias-input input").fill(admin);
        page.locator("#alias-add").click();
        assertThat(page.locator("#admin-message")).containsText("is an account, not a free address");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Remove alias " + alias)).click();
        assertThat(page.locator("#aliases")).not().containsText(alias);
        assertThat(mailServer.aliasesOf(account)).isEmpty();

        page.locator("#account-delete").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Keep it")).click();
        assertThat(mailServer.accountExists(account)).isTrue();
        page.locator("#account-delete").click();
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Delete").setExact(true)).click();
        assertThat(page.locator("#admin-message")).hasText("Deleted " + account + ".");
        assertThat(mailServer.accountExists(account)).isFalse();
        assertThat(page.locator("#account-details")).isHidden();
    }

    @Test
    void aMemberSeesTheirUsageWithAWarningNearTheLimitAndChangesTheirPassword() throws Exception {
        String own = newMember();
        append(own, PASSWORD, "Big attachment", 20_000);
        long used = mailServer.storageUsage(own).usedBytes();
        mailServer.setStorageLimit(own, OptionalLong.of(used + used / 20)); // 95 % full
        logIn(page, own, PASSWORD);

        assertThat(page.locator("#drawer-storage .storage-bar-warning")).isVisible();
        assertThat(page.locator("#drawer-storage")).hasAttribute("data-used-bytes", Long.toString(used));
        page.locator("#account-pages").getByText("My account").click();
        page.waitForURL("**/account");
        assertThat(page.locator("#account-storage .storage-bar-figures")).containsText("(95 %)");
        assertThat(page.locator("#account-storage .storage-bar-warning")).containsText("nearly full");

        String newPassword = "another long passphrase of mine";
        changePassword("not my password", newPassword, newPassword);
        assertThat(page.locator("#current-password")).hasAttribute("invalid", "");
        changePassword(PASSWORD, "password123", "password123");
        assertThat(page.locator("#new-password")).hasAttribute("invalid", "");
        changePassword(PASSWORD, newPassword, newPassword + "!");
        assertThat(page.locator("#repeat-password")).hasAttribute("invalid", "");
        assertThat(mailServer.verifyPassword(own, PASSWORD)).isTrue();

        changePassword(PASSWORD, newPassword, newPassword);
        assertThat(page.locator("#password-result")).containsText("Your password is changed");
        assertThat(mailServer.verifyPassword(own, newPassword)).isTrue();
        assertThatThrownBy(() -> MailClients.imaps(essaim, own, PASSWORD).close()).isInstanceOf(AuthenticationFailedException.class);
        try (Store imap = MailClients.imaps(essaim, own, newPassword)) {
            assertThat(imap.isConnected()).isTrue();
        }
        // The session goes on with the new password.
        page.locator("#folders").getByText("Inbox").click();
        assertThat(page.locator("#messages").getByText("Big attachment")).isVisible();

        mailServer.setStorageLimit(own, OptionalLong.empty());
        page.locator("#account-pages").getByText("My account").click();
        assertThat(page.locator("#account-storage .storage-bar-warning")).isHidden();
    }

    /**
     * Today's sample is real (the application's own); the thirteen days before it are written as if the server
     * had been running, so that the chart has a line to draw.
     */
    private static void sampleTwoWeeksOfGrowth() {
        essaim.bean(StorageSamples.class).sampleToday();
        JdbcClient jdbc = essaim.bean(JdbcClient.class);
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        for (int daysAgo = 13; daysAgo > 0; daysAgo--) {
            jdbc.sql("INSERT INTO storage_sample (sample_day, used_bytes, account_count) VALUES (?, ?, ?)")
                    .params(today.minusDays(daysAgo), (14 - daysAgo) * 1_000L, daysAgo > 6 ? 1 : 2).update();
        }
    }

    private void changePassword(String current, String chosen, String repeated) {
        page.locator("#current-password input").fill(current);
        page.locator("#new-password input").fill(chosen);
        page.locator("#repeat-password input").fill(repeated);
        page.locator("#change-password").click();
    }

    private void selectAccount(String address) {
        page.navigate(essaim.baseUrl() + "/admin/accounts");
        page.locator("#accounts-filter input").fill(address);
        page.locator("#accounts vaadin-grid-cell-content").getByText(address, new Locator.GetByTextOptions().setExact(true))
                .filter(new Locator.FilterOptions().setVisible(true)).click();
        assertThat(page.locator("#details-address")).hasText(address);
    }

    private void assertNoAdminContent() {
        assertThat(page.locator("#storage-accounts")).hasCount(0);
        assertThat(page.locator("#disk-used")).hasCount(0);
        assertThat(page.locator("#accounts")).hasCount(0);
        assertThat(page.locator("#invite-address")).hasCount(0);
        assertThat(page.locator("#propose-address")).hasCount(0);
        assertThat(page.locator("#spam-view")).hasCount(0);
    }

    /** The admin logs in and puts their key into this (fresh) browser: admin actions are signed with it. */
    private void logInWithKey() {
        logIn(page, admin, ADMIN_PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, adminSecretKey, KEY_PASSPHRASE);
    }

    private static void logIn(Page page, String address, String password) {
        LoginPage.logIn(page, essaim, address, password);
        page.waitForLoadState();
    }

    private static String newMember() {
        return essaim.newAccount(TAG + "-member", PASSWORD);
    }

    /** Stores a message of about {@code size} bytes with IMAP APPEND (SMTP delivery may wait for a key). */
    private static void append(String address, String password, String subject, int size) {
        String message = "From: <friend@example.org>\r\nTo: <" + address + ">\r\nSubject: " + subject + "\r\n\r\n"
                + ("x".repeat(74) + "\r\n").repeat(Math.max(1, size / 76));
        try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
            imap.readLine();
            imap.send("a1 LOGIN \"" + address + "\" \"" + password + "\"");
            assertThat(imap.readImapUntilTagged("a1")).contains("a1 OK");
            imap.send("a2 APPEND INBOX {" + message.length() + "}");
            assertThat(imap.readLine()).startsWith("+");
            imap.send(message);
            assertThat(imap.readImapUntilTagged("a2")).contains("a2 OK");
        }
    }

    private static String imap(String address, String password, String command) {
        try (LineClient imap = LineClient.connectTls(essaim.imapsPort())) {
            imap.readLine();
            imap.send("a0 LOGIN \"" + address + "\" \"" + password + "\"");
            imap.readImapUntilTagged("a0");
            imap.send(command);
            return imap.readImapUntilTagged(command.substring(0, command.indexOf(' ')));
        }
    }

    private void saveScreenshot(String name) throws Exception {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.setViewportSize(1280, 1000);
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
        page.setViewportSize(1280, 800);
    }
}
