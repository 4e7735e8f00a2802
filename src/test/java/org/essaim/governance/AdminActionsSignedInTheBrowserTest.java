package org.essaim.governance;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.DisabledAccountStore;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.AdminSigning;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.GnuPG;
import org.essaim.support.LoginPage;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Admin actions taken in the web pages are statements signed in the admin's own browser (issue 7): the real
 * application, a real headless Chromium holding the admin's key, and real GnuPG checking what ends up in the public
 * log. The log is public here ({@code essaim.audit.public=true}), so it is read as an outsider would.
 * <p>
 * Its own instance: a public audit log (essaim.audit.public) and one admin from the log's genesis on.
 */
@OwnInstance
class AdminActionsSignedInTheBrowserTest {
    private static final String ADMIN = EssaimInstance.ADMIN;
    private static final String PASSPHRASE = "admin-key-" + Long.toHexString(System.nanoTime()) + "-passphrase";
    private static final String PASSWORD = "a member's own long passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    static EssaimInstance essaim;
    static MailServerBridge mailServer;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    static String adminSecretKey;
    Page page;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.start(work.resolve("data"), Map.of("essaim.audit.public", true));
        mailServer = essaim.bean(MailServerBridge.class);
        adminSecretKey = essaim.publishGeneratedKey(ADMIN); // unprotected: the Keys page protects it on import
    }

    @AfterAll
    static void stop() {
        essaim.close();
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
    }

    @Test
    void anActionInTheAccountsViewIsSignedInTheBrowserAndGnupgVerifiesItsSignatureInThePublicLog() throws Exception {
        String member = newMember();
        BrowserTraffic traffic = BrowserTraffic.record(page);
        logIn(page, ADMIN, EssaimInstance.ADMIN_PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, adminSecretKey, PASSPHRASE);
        int entriesBefore = audit().size();

        selectAccount(member);
        assertThat(page.locator("#sign-action #sign-ready")).isVisible();
        page.locator("#account-disable").click();
        // A full page load locked the key: the element asks for the passphrase, in its own shadow DOM.
        AdminSigning.signWithPassphrase(page, "not the passphrase");
        assertThat(page.locator("#sign-error")).containsText("Wrong passphrase");
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(member)).isFalse();
        AdminSigning.signWithPassphrase(page, PASSPHRASE);
        assertThat(page.locator("#admin-message")).hasText("Disabled " + member + ".");
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(member)).isTrue();

        // The public log, read without logging in, holds the statement and the browser's signature.
        List<JsonNode> entries = audit();
        assertThat(entries).hasSize(entriesBefore + 1);
        JsonNode entry = entries.get(entries.size() - 1);
        String statementText = entry.get("statement").asText();
        String signature = entry.get("signature").asText();
        JsonNode statement = JSON.readTree(statementText);
        assertThat(entry.get("kind").asText()).isEqualTo("ADMIN");
        assertThat(statement.get("action").asText()).isEqualTo("account.disable");
        assertThat(statement.get("admin").asText()).isEqualTo(ADMIN);
        assertThat(statement.get("parameters").get("address").asText()).isEqualTo(member);
        assertThat(statement.get("previous").asText()).isEqualTo(entries.get(entries.size() - 2).get("hash").asText());
        assertThat(signature).startsWith("-----BEGIN PGP SIGNATURE-----");
        assertThat(entry.get("hash").asText()).isEqualTo(sha256(statementText + signature));

        // GnuPG, knowing only the signer's certificate from the log, verifies the signature over the exact bytes.
        GnuPG gpg = new GnuPG(work.resolve("gnupg-verify"));
        try {
            gpg.importKey(get("/api/audit/keys/" + entry.get("signer").asText()).getBytes(StandardCharsets.US_ASCII));
            Path statementFile = Files.writeString(work.resolve("statement.json"), statementText);
            Path signatureFile = Files.writeString(work.resolve("statement.json.asc"), signature);
            String status = new String(gpg.run(null, "--status-fd", "1", "--verify", signatureFile.toString(),
                    statementFile.toString()), StandardCharsets.UTF_8);
            assertThat(status).contains("[GNUPG:] GOODSIG")
                    // VALIDSIG names the signing (sub)key, and last the primary key: the signer the log names
                    .containsPattern("\\[GNUPG:] VALIDSIG [0-9A-F]{40} .* " + entry.get("signer").asText() + "\\R");

            Files.writeString(statementFile, statementText.replace(member, "someone-else@" + EssaimInstance.DOMAIN));
            assertThatThrownBy(() -> gpg.run(null, "--status-fd", "2", "--verify", signatureFile.toString(),
                    statementFile.toString())).as("a changed statement").hasMessageContaining("[GNUPG:] BADSIG");
        } finally {
            gpg.close();
        }

        // The passphrase and the private key stayed in the browser; only the signature went to the server.
        assertThat(traffic.containing(signature.lines().filter(l -> l.length() > 40).findFirst().orElseThrow()))
                .as("positive control: the signature travels to the server").isNotEmpty();
        assertThat(traffic.containing(PASSPHRASE)).as("requests or frames holding the passphrase").isEmpty();
        assertThat(traffic.containing("PRIVATE KEY")).as("requests or frames holding a private key armor").isEmpty();
    }

    @Test
    void aStatementMadeStaleWhileTheAdminTypesThePassphraseIsSignedAgainOnceAndNoSecondActionSlipsIn() throws Exception {
        String member = newMember();
        logIn(page, ADMIN, EssaimInstance.ADMIN_PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, adminSecretKey, PASSPHRASE);
        selectAccount(member);
        page.locator("#account-disable").click();
        assertThat(page.locator("#sign-passphrase")).isVisible();
        // One action at a time: another click meanwhile is not queued behind the passphrase.
        page.locator("#quota-input input").fill("2MB");
        page.locator("#quota-set").click();
        assertThat(page.locator("#admin-message")).containsText("Another action is waiting to be signed");

        // The statement waiting for the passphrase names the head of now; another entry is appended meanwhile.
        String headWhenBuilt = essaim.bean(AuditLog.class).headHash();
        essaim.bean(ServerEntries.class).append("test.meanwhile", Map.of("note", "appended while the admin typed"));
        AdminSigning.signWithPassphrase(page, PASSPHRASE);

        assertThat(page.locator("#admin-message")).hasText("Disabled " + member + ".");
        List<JsonNode> entries = audit();
        JsonNode last = JSON.readTree(entries.get(entries.size() - 1).get("statement").asText());
        JsonNode meanwhile = JSON.readTree(entries.get(entries.size() - 2).get("statement").asText());
        assertThat(meanwhile.get("action").asText()).isEqualTo("test.meanwhile");
        assertThat(last.get("action").asText()).isEqualTo("account.disable");
        assertThat(last.get("previous").asText()).isEqualTo(entries.get(entries.size() - 2).get("hash").asText())
                .isNotEqualTo(headWhenBuilt);
        assertThat(get("/api/audit/refusals")).as("the stale first attempt is recorded as a refusal").contains("\"STALE\"");
        assertThat(mailServer.storageUsage(member).limitBytes()).as("the refused second click").isNotEqualTo(
                java.util.OptionalLong.of(2L * 1024 * 1024));
    }

    @Test
    void anAdminWhoseBrowserHoldsNoKeyIsToldWhyAndCannotAct() throws Exception {
        String member = newMember();
        logIn(page, ADMIN, EssaimInstance.ADMIN_PASSWORD);
        String headBefore = essaim.bean(AuditLog.class).headHash();

        selectAccount(member);
        assertThat(page.locator("#sign-cannot-act")).containsText("this browser holds no key for " + ADMIN);
        assertThat(page.locator("#sign-keys-link")).hasAttribute("href", "keys");
        page.locator("#account-disable").click();

        assertThat(page.locator("#admin-message")).containsText("this browser holds no key");
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(member)).isFalse();
        assertThat(essaim.bean(AuditLog.class).headHash()).as("nothing appended").isEqualTo(headBefore);

        page.locator("#sign-keys-link").click();
        page.waitForURL("**/keys");
        assertThat(page.locator("#import-file")).isAttached();
    }

    @Test
    void aProposedAdminIsASpectatorWhoSeesEveryAdminPageReadOnly() throws Exception {
        String spectator = newMember();
        String other = newMember();
        logIn(page, ADMIN, EssaimInstance.ADMIN_PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, adminSecretKey, PASSPHRASE);
        page.navigate(essaim.baseUrl() + "/admin/cooptation");
        page.locator("#propose-address input").fill(spectator);
        page.locator("#propose").click();
        AdminSigning.signWithPassphrase(page, PASSPHRASE);
        assertThat(page.locator("#cooptation-message")).hasText(spectator + " is proposed as admin.");
        assertThat(essaim.bean(AccountRoles.class).isSpectator(spectator)).as("14 days as spectator first").isTrue();
        assertThat(audit().stream().map(e -> e.get("statement").asText()))
                .anySatisfy(s -> assertThat(s).contains("\"action\":\"cooptation.propose\"").contains(spectator));

        Page watcher = browser.newPage();
        try {
            logIn(watcher, spectator, PASSWORD);
            assertThat(watcher.locator("#admin-nav")).isVisible();
            for (String view : List.of("admin/storage", "admin/accounts", "admin/cooptation")) {
                Response response = watcher.navigate(essaim.baseUrl() + "/" + view);
                assertThat(response.status()).as("/%s for a spectator", view).isEqualTo(200);
                assertThat(watcher.locator("#read-only-notice")).containsText("You cannot act yet");
                assertThat(watcher.locator("essaim-sign-action")).hasCount(0);
            }
            assertThat(watcher.locator(".proposal[data-address='" + spectator + "']")).containsText("Consented: " + ADMIN);
            assertThat(watcher.locator(".proposal vaadin-button")).hasCount(0);
            assertThat(watcher.locator("#propose-address")).hasCount(0);

            watcher.navigate(essaim.baseUrl() + "/admin/accounts");
            assertThat(watcher.locator("#invite-address")).hasCount(0);
            watcher.locator("#accounts-filter input").fill(other);
            watcher.locator("#accounts vaadin-grid-cell-content").getByText(other, new Locator.GetByTextOptions().setExact(true))
                    .filter(new Locator.FilterOptions().setVisible(true)).click();
            assertThat(watcher.locator("#details-address")).hasText(other);
            assertThat(watcher.locator("#quota-current")).isVisible();
            for (String action : List.of("#account-disable", "#account-enable", "#account-delete", "#quota-set", "#alias-add")) {
                assertThat(watcher.locator(action).filter(new Locator.FilterOptions().setVisible(true))).hasCount(0);
            }
        } finally {
            watcher.context().close();
        }
    }

    @Test
    void anAdminProposesObjectsWithdrawsTheObjectionAndConsentsOnTheCooptationPage() throws Exception {
        // Another admin, as if co-opted earlier (the rules of co-optation themselves are SignedAdminActionsTest's).
        String second = newMember();
        essaim.bean(AccountRoles.class).grant(second, AccountRoles.ADMIN);
        String secondKey = essaim.publishGeneratedKey(second);
        String candidate = newMember();
        logIn(page, second, PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, secondKey, PASSPHRASE);
        page.navigate(essaim.baseUrl() + "/admin/cooptation");

        page.locator("#propose-address input").fill(candidate);
        page.locator("#propose").click();
        AdminSigning.signWithPassphrase(page, PASSPHRASE);
        Locator proposal = page.locator(".proposal[data-address='" + candidate + "']");
        assertThat(proposal).containsText("Consented: " + second);
        assertThat(proposal).containsText("Consent missing: " + ADMIN);

        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Object to " + candidate)).click();
        assertThat(proposal).containsText("Objected: " + second);
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Withdraw objection to " + candidate)).click();
        assertThat(proposal).containsText("Objected: nobody");
        page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Consent for " + candidate)).click();
        assertThat(proposal).containsText("Consented: " + second);
        assertThat(essaim.bean(AccountRoles.class).isSpectator(candidate)).as(ADMIN + " has not consented").isTrue();

        List<String> steps = new ArrayList<>();
        for (JsonNode entry : audit()) {
            JsonNode statement = JSON.readTree(entry.get("statement").asText());
            if (statement.get("admin").asText().equals(second)) {
                steps.add(statement.get("action").asText() + " " + statement.get("parameters").path("address").asText());
            }
        }
        assertThat(steps).containsExactly("cooptation.propose " + candidate, "cooptation.object " + candidate,
                "cooptation.withdraw-objection " + candidate, "cooptation.consent " + candidate);
    }

    @Test
    void theAuditPageIsReadableWithoutLoggingInWhenTheLogIsPublic() {
        page.navigate(essaim.baseUrl() + "/login");
        page.locator("#public-audit-link").click();
        page.waitForURL("**/public/audit");
        assertThat(page.locator("#audit-entries")).containsText("server.genesis");
        assertThat(page.getByText("Head: " + essaim.bean(AuditLog.class).headHash())).isVisible();
        assertThat(page.locator("#current-user")).hasCount(0);
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Log out"))).hasCount(0);
    }

    private void selectAccount(String address) {
        page.navigate(essaim.baseUrl() + "/admin/accounts");
        page.locator("#accounts-filter input").fill(address);
        page.locator("#accounts vaadin-grid-cell-content").getByText(address, new Locator.GetByTextOptions().setExact(true))
                .filter(new Locator.FilterOptions().setVisible(true)).click();
        assertThat(page.locator("#details-address")).hasText(address);
    }

    private static void logIn(Page page, String address, String password) {
        LoginPage.logIn(page, essaim, address, password);
        assertThat(page.locator("#current-user")).hasText(address);
    }

    private static String newMember() {
        String address = "member-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        mailServer.createAccount(address, PASSWORD);
        return address;
    }

    /** The public log as an outsider reads it: no credentials. */
    private static List<JsonNode> audit() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : get("/api/audit?limit=1000").split("\n")) {
            if (!line.isBlank()) {
                entries.add(JSON.readTree(line));
            }
        }
        return entries;
    }

    private static String get(String path) throws Exception {
        var response = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response.body();
    }

    private static String sha256(String text) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }
}
