package org.essaim.governance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.DisabledAccountStore;
import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Pinned admin signing keys (docs/audit.md, "Admin signing keys"): a stolen admin password can publish a new
 * key in the directory, but that key signs nothing until the admin's old key (admin.rekey), every other admin
 * (admin.key.confirm) or, for a single admin, the operator in the data directory confirms it, each in the log.
 * Real application, real GnuPG, statements built with jq, over HTTP.
 * <p>
 * Its own instance: no spectator period, the log from genesis with one admin, and a restart.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AdminKeyPinningTest {
    private static final String ADMIN = EssaimInstance.ADMIN;
    private static final String ADMIN_PASSWORD = EssaimInstance.ADMIN_PASSWORD;
    private static final String CAROL = "carol@essaim.test";
    private static final String DAVE = "dave@essaim.test";
    private static final String TARGET = "target@essaim.test";
    private static final String PASSWORD = "a long and very private passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    static EssaimInstance essaim;
    static final List<GpgHome> homes = new ArrayList<>();

    /** One OpenPGP key in its own GnuPG home, with a signing subkey as gpg --detach-sign needs. */
    record Key(GpgHome home, String fingerprint) {
        byte[] sign(byte[] statement) {
            return home.gpgBytes(statement, "--local-user", fingerprint, "--detach-sign", "--armor").stdout();
        }
    }

    static Key adminKey;
    static Key carolKey;
    static Key daveKey;

    @BeforeAll
    static void start() throws Exception {
        essaim = EssaimInstance.start(work.resolve("data"), Map.of("essaim.cooptation.spectator-days", 0));
        MailServerBridge mailServer = essaim.bean(MailServerBridge.class);
        mailServer.createAccount(CAROL, PASSWORD);
        mailServer.createAccount(TARGET, PASSWORD);
        mailServer.createAccount(DAVE, PASSWORD);
        adminKey = newKey("admin", ADMIN);
        carolKey = newKey("carol", CAROL);
        daveKey = newKey("dave", DAVE);
        assertThat(publish(ADMIN, adminKey).statusCode()).isEqualTo(201);
        assertThat(publish(CAROL, carolKey).statusCode()).isEqualTo(201);
        assertThat(publish(DAVE, daveKey).statusCode()).isEqualTo(201);
    }

    @AfterAll
    static void stop() {
        homes.forEach(GpgHome::close);
        if (essaim != null) {
            essaim.close();
        }
    }

    @Test
    @Order(1)
    void theFirstKeyAnAdminPublishesIsPinnedAndTheLogSaysSo() throws Exception {
        List<String> steps = steps();
        assertThat(steps).as("a member's key is no business of the log").containsExactly("server server.genesis",
                "server dkim.key.added", // the server's first DKIM key is public record too (issue 13)
                "server admin.key.pinned " + ADMIN + " " + adminKey.fingerprint());
        assertThat(act(ADMIN, adminKey, "account.disable", Map.of("address", TARGET)).statusCode()).isEqualTo(201);
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(TARGET)).isTrue();
    }

    @Test
    @Order(2)
    void withOnlyTheAdminsPasswordANewKeyIsPublishedButSignsNothing() throws Exception {
        Key thief = newKey("thief", ADMIN);
        HttpResponse<String> swapped = publish(ADMIN, thief); // the password is all the directory asks for
        assertThat(swapped.statusCode()).as(swapped.body()).isEqualTo(200);
        int entries = audit().size();
        assertThat(last(steps())).as("the swap is in the public log")
                .isEqualTo("server admin.key.published " + ADMIN + " " + thief.fingerprint());
        JsonNode published = statementOf(last(audit()));
        assertThat(published.get("parameters").get("signingKey").asText()).isEqualTo(adminKey.fingerprint());

        assertRefused(act(ADMIN, thief, "account.enable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "must be confirmed");
        assertRefused(act(ADMIN, thief, "admin.rekey", Map.of("fingerprint", thief.fingerprint())), 403,
                "BAD_SIGNATURE", "Signature refused");
        assertRefused(act(ADMIN, adminKey, "account.enable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "publishes " + thief.fingerprint());

        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(TARGET)).as("nothing executed").isTrue();
        assertThat(audit()).hasSize(entries);
        HttpResponse<String> refusals = get("/api/audit/refusals", CAROL, PASSWORD);
        assertThat(refusals.body()).contains("\"KEY_CHANGED\"").doesNotContain("127.0.0.1");

        // The admin puts their own key back: logged too, and it signs again.
        assertThat(publish(ADMIN, adminKey).statusCode()).isEqualTo(200);
        assertThat(last(steps())).isEqualTo("server admin.key.published " + ADMIN + " " + adminKey.fingerprint());
        assertThat(act(ADMIN, adminKey, "account.enable", Map.of("address", TARGET)).statusCode()).isEqualTo(201);
    }

    @Test
    @Order(3)
    void adminRekeySignedWithTheOldKeyMakesTheNewKeyTheSigningKey() throws Exception {
        Key newKey = newKey("admin-new", ADMIN);
        assertThat(publish(ADMIN, newKey).statusCode()).isEqualTo(200);
        assertRefused(act(ADMIN, newKey, "account.disable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "admin.rekey");

        HttpResponse<String> rekey = act(ADMIN, adminKey, "admin.rekey", Map.of("fingerprint", newKey.fingerprint()));
        assertThat(rekey.statusCode()).as(rekey.body()).isEqualTo(201);
        JsonNode entry = last(audit());
        assertThat(entry.get("signer").asText()).as("signed with the old key").isEqualTo(adminKey.fingerprint());
        assertThat(statementOf(entry).get("parameters").get("fingerprint").asText()).isEqualTo(newKey.fingerprint());

        assertThat(act(ADMIN, newKey, "account.disable", Map.of("address", TARGET)).statusCode()).isEqualTo(201);
        assertThat(last(audit()).get("signer").asText()).isEqualTo(newKey.fingerprint());
        assertRefused(act(ADMIN, adminKey, "account.enable", Map.of("address", TARGET)), 403, "BAD_SIGNATURE",
                "Signature refused");
        adminKey = newKey;
        assertThat(verify()).startsWith("0:");
    }

    @Test
    @Order(4)
    void whenAnAdminsKeyIsLostEveryOtherAdminConfirmsTheNewOne() throws Exception {
        assertThat(act(ADMIN, adminKey, "cooptation.propose", Map.of("address", CAROL)).statusCode()).isEqualTo(201);
        assertThat(essaim.bean(AccountRoles.class).isAdmin(CAROL)).isTrue();
        JsonNode promoted = statementOf(last(audit()));
        assertThat(promoted.get("action").asText()).isEqualTo("cooptation.promoted");
        assertThat(promoted.get("parameters").get("signingKey").asText()).as("the key carol held when promoted")
                .isEqualTo(carolKey.fingerprint());
        assertThat(act(ADMIN, adminKey, "cooptation.propose", Map.of("address", DAVE)).statusCode()).isEqualTo(201);
        assertThat(act(CAROL, carolKey, "cooptation.consent", Map.of("address", DAVE)).statusCode()).isEqualTo(201);
        assertThat(essaim.bean(AccountRoles.class).admins()).containsExactlyInAnyOrder(ADMIN, CAROL, DAVE);

        Key carolNew = newKey("carol-new", CAROL); // the old one is lost
        assertThat(publish(CAROL, carolNew).statusCode()).isEqualTo(200);
        assertRefused(act(CAROL, carolNew, "account.enable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "admin.key.confirm");
        assertRefused(act(CAROL, carolNew, "admin.key.confirm", Map.of("address", CAROL,
                "fingerprint", carolNew.fingerprint())), 403, "KEY_CHANGED", "must be confirmed");
        assertRefused(act(ADMIN, adminKey, "admin.key.confirm", Map.of("address", CAROL,
                "fingerprint", carolKey.fingerprint())), 422, "NOT_ALLOWED", "publish the new key first");

        HttpResponse<String> first = act(ADMIN, adminKey, "admin.key.confirm", Map.of("address", CAROL,
                "fingerprint", carolNew.fingerprint()));
        assertThat(first.statusCode()).as(first.body()).isEqualTo(201);
        assertThat(statementOf(last(audit())).get("action").asText()).isEqualTo("admin.key.confirm");
        assertRefused(act(CAROL, carolNew, "account.enable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "must be confirmed");

        HttpResponse<String> second = act(DAVE, daveKey, "admin.key.confirm", Map.of("address", CAROL,
                "fingerprint", carolNew.fingerprint()));
        assertThat(second.statusCode()).as(second.body()).isEqualTo(201);
        JsonNode repinned = statementOf(last(audit()));
        assertThat(repinned.get("action").asText()).isEqualTo("admin.key.repinned");
        assertThat(repinned.get("admin").asText()).isEqualTo("server");
        assertThat(repinned.get("parameters").get("confirmedBy").asText()).isEqualTo(ADMIN + "," + DAVE);
        assertThat(repinned.get("parameters").get("previousFingerprint").asText()).isEqualTo(carolKey.fingerprint());

        assertThat(act(CAROL, carolNew, "account.enable", Map.of("address", TARGET)).statusCode()).isEqualTo(201);
        carolKey = carolNew;
        assertThat(verify()).startsWith("0:");
    }

    @Test
    @Order(5)
    void aSingleAdminsLostKeyIsAnOperatorStepInTheDataDirectoryThatTheLogShows() throws Exception {
        assertThat(act(CAROL, carolKey, "admin.resign", Map.of()).statusCode()).isEqualTo(201);
        assertThat(act(DAVE, daveKey, "admin.resign", Map.of()).statusCode()).isEqualTo(201);
        Key replacement = newKey("admin-replacement", ADMIN);
        assertThat(publish(ADMIN, replacement).statusCode()).isEqualTo(200);
        assertRefused(act(ADMIN, replacement, "account.disable", Map.of("address", TARGET)), 403, "KEY_CHANGED",
                "must be confirmed");

        essaim.stop();
        Path file = essaim.dataDir().resolve("confirm-admin-key");
        Files.writeString(file, ADMIN + " " + replacement.fingerprint() + "\n");
        essaim.restart();

        assertThat(file).doesNotExist();
        JsonNode repinned = statementOf(last(audit()));
        assertThat(repinned.get("action").asText()).isEqualTo("admin.key.repinned");
        assertThat(repinned.get("admin").asText()).isEqualTo("server");
        assertThat(repinned.get("parameters").get("fingerprint").asText()).isEqualTo(replacement.fingerprint());
        assertThat(repinned.get("parameters").get("confirmedBy").asText()).contains("operator");
        assertThat(act(ADMIN, replacement, "account.disable", Map.of("address", TARGET)).statusCode()).isEqualTo(201);
        assertThat(verify()).startsWith("0:");
    }

    // --- helpers: GnuPG, jq, HTTP ---

    static Key newKey(String name, String address) {
        GpgHome home = GpgHome.create(work, name);
        homes.add(home);
        String fingerprint = home.generateKey("Someone <" + address + ">");
        home.gpg("--quick-add-key", fingerprint, "ed25519", "sign", "0");
        return new Key(home, fingerprint);
    }

    static HttpResponse<String> publish(String account, Key key) throws Exception {
        return http.send(request("/api/keys/me", account, passwordOf(account))
                .PUT(BodyPublishers.ofByteArray(key.home().exportArmored(key.fingerprint()))).build(),
                BodyHandlers.ofString());
    }

    static HttpResponse<String> act(String admin, Key key, String action, Map<String, String> parameters)
            throws Exception {
        byte[] statement = SignedAdminActionsTest.statement(action, parameters, admin, head());
        String body = JSON.writeValueAsString(Map.of("statement", new String(statement, StandardCharsets.UTF_8),
                "signature", new String(key.sign(statement), StandardCharsets.UTF_8)));
        return http.send(request("/api/admin/actions", admin, passwordOf(admin))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
    }

    static String head() throws Exception {
        return JSON.readTree(get("/api/audit/head", CAROL, PASSWORD).body()).get("hash").asText();
    }

    static List<JsonNode> audit() throws Exception {
        List<JsonNode> entries = new ArrayList<>();
        for (String line : get("/api/audit?limit=1000", CAROL, PASSWORD).body().split("\n")) {
            if (!line.isBlank()) {
                entries.add(JSON.readTree(line));
            }
        }
        return entries;
    }

    /** "who action address fingerprint" of every entry, oldest first. */
    static List<String> steps() throws Exception {
        List<String> steps = new ArrayList<>();
        for (JsonNode entry : audit()) {
            JsonNode statement = statementOf(entry);
            JsonNode parameters = statement.get("parameters");
            steps.add((statement.get("admin").asText() + " " + statement.get("action").asText() + " "
                    + parameters.path("address").asText() + " " + parameters.path("fingerprint").asText()).strip());
        }
        return steps;
    }

    static JsonNode statementOf(JsonNode entry) throws Exception {
        return JSON.readTree(entry.get("statement").asText());
    }

    static <T> T last(List<T> list) {
        return list.get(list.size() - 1);
    }

    static String verify() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AuditCommand.verifyOverHttp(essaim.baseUrl(), CAROL, PASSWORD, new PrintStream(out, true),
                new PrintStream(out, true));
        return exit + ": " + out.toString(StandardCharsets.UTF_8);
    }

    static void assertRefused(HttpResponse<String> response, int status, String reason, String messagePart)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(body.get("error").asText()).contains(messagePart);
    }

    static HttpResponse<String> get(String path, String user, String password) throws Exception {
        HttpResponse<String> response = http.send(request(path, user, password).build(), BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(200);
        return response;
    }

    static HttpRequest.Builder request(String path, String user, String password) {
        return HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static String passwordOf(String account) {
        return ADMIN.equals(account) ? ADMIN_PASSWORD : PASSWORD;
    }
}
