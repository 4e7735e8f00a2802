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
import java.security.MessageDigest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.essaim.accounts.AccountRoles;
import org.essaim.admin.DisabledAccountStore;
import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.OwnInstance;
import org.essaim.support.Browser;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.simple.JdbcClient;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Signed admin actions and the public audit log, seen from outside: statements built with jq and signed with
 * real GnuPG, as docs/audit.md tells an admin working from a terminal, sent over HTTP to the real application.
 * <p>
 * Its own instance: the log from genesis, no spectator period, and restarts with changed properties.
 */
@OwnInstance
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SignedAdminActionsTest {
    private static final String ADMIN = EssaimInstance.ADMIN;
    private static final String ADMIN_PASSWORD = EssaimInstance.ADMIN_PASSWORD;
    private static final String BOB = "bob@essaim.test";
    private static final String TARGET = "target@essaim.test";
    private static final String PASSWORD = "a long and very private passphrase";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    static Path work;
    static EssaimInstance essaim;
    static final Map<String, GpgHome> gpg = new LinkedHashMap<>();
    static final Map<String, String> keyOf = new LinkedHashMap<>();
    static byte[] acceptedStatement;
    static byte[] acceptedSignature;

    @BeforeAll
    static void start() throws Exception {
        essaim = EssaimInstance.start(work.resolve("data"), Map.of("essaim.cooptation.spectator-days", 0));
        MailServerBridge mailServer = essaim.bean(MailServerBridge.class);
        for (String member : List.of(BOB, TARGET, "carol@essaim.test", "dave@essaim.test", "erin@essaim.test")) {
            mailServer.createAccount(member, PASSWORD);
        }
        for (String person : List.of(ADMIN, BOB, "carol@essaim.test", "dave@essaim.test", "erin@essaim.test")) {
            GpgHome home = GpgHome.create(work, person.substring(0, person.indexOf('@')));
            gpg.put(person, home);
            // The admin's user ID is the bare address, as `gpg --quick-gen-key admin@essaim.test` makes it (issue 14
            // item 8); the others use the "Name <address>" form: the log must verify with both.
            String fingerprint = home.generateKey(person.equals(ADMIN) ? person : "Someone <" + person + ">");
            home.gpg("--quick-add-key", fingerprint, "ed25519", "sign", "0"); // gpg --detach-sign needs a signing key
            keyOf.put(person, fingerprint);
            HttpResponse<String> published = http.send(request("/api/keys/me", person, passwordOf(person))
                    .PUT(BodyPublishers.ofByteArray(home.exportArmored(fingerprint))).build(), BodyHandlers.ofString());
            assertThat(published.statusCode()).as(published.body()).isEqualTo(201);
        }
    }

    @AfterAll
    static void stop() {
        gpg.values().forEach(GpgHome::close);
        if (essaim != null) {
            essaim.close();
        }
    }

    @Test
    @Order(1)
    void theLogStartsWithTheServersGenesisEntryAndMembersReadIt() throws Exception {
        assertThat(http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/audit")).build(),
                BodyHandlers.ofString()).statusCode()).as("anonymous, log not public").isEqualTo(401);

        List<JsonNode> entries = audit();
        assertThat(entries).as("genesis, the server's first DKIM key, then the admin's first published key, pinned")
                .hasSize(3);
        JsonNode genesis = entries.get(0);
        assertThat(genesis.get("seq").asLong()).isEqualTo(1);
        assertThat(genesis.get("kind").asText()).isEqualTo("SERVER");
        assertThat(genesis.get("signature").isNull()).isTrue();
        assertThat(genesis.get("statement").asText()).startsWith("{\"action\":\"server.genesis\",\"admin\":\"server\"")
                .contains("\"essaim.domain\":\"essaim.test\"").contains("\"previous\":\"" + "0".repeat(64) + "\"")
                .doesNotContain(ADMIN_PASSWORD).doesNotContain("admin-password");
        assertThat(genesis.get("hash").asText()).isEqualTo(sha256(genesis.get("statement").asText().getBytes(StandardCharsets.UTF_8)));
        JsonNode dkim = entries.get(1);
        assertThat(dkim.get("kind").asText()).isEqualTo("SERVER");
        assertThat(dkim.get("statement").asText()).startsWith("{\"action\":\"dkim.key.added\",\"admin\":\"server\"")
                .contains("\"previous\":\"" + genesis.get("hash").asText() + "\"");
        JsonNode pinned = entries.get(2);
        assertThat(pinned.get("kind").asText()).isEqualTo("SERVER");
        assertThat(pinned.get("statement").asText()).startsWith("{\"action\":\"admin.key.pinned\",\"admin\":\"server\"")
                .contains("\"address\":\"" + ADMIN + "\"").contains("\"fingerprint\":\"" + keyOf.get(ADMIN) + "\"")
                .contains("\"previous\":\"" + dkim.get("hash").asText() + "\"");
        assertThat(head()).isEqualTo(pinned.get("hash").asText());
    }

    @Test
    @Order(2)
    void aStatementSignedWithGnupgByTheAdminIsExecutedAndAppearsInTheLog() throws Exception {
        byte[] statement = statement("account.disable", Map.of("address", TARGET), ADMIN, head());
        byte[] signature = sign(ADMIN, statement);
        Path statementFile = Files.write(work.resolve("statement.json"), statement);
        Path signatureFile = Files.write(work.resolve("statement.json.asc"), signature);

        // The terminal way of docs/audit.md: curl with multipart parts
        Process curl = new ProcessBuilder("curl", "-sS", "-u", ADMIN + ":" + ADMIN_PASSWORD,
                "-F", "statement=@" + statementFile, "-F", "signature=@" + signatureFile,
                "-w", "\n%{http_code}", essaim.baseUrl() + "/api/admin/actions").redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).endsWith("\n201").contains("\"seq\":4");

        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(TARGET)).isTrue();
        JsonNode entry = last(audit());
        assertThat(entry.get("seq").asLong()).isEqualTo(4);
        assertThat(entry.get("kind").asText()).isEqualTo("ADMIN");
        assertThat(entry.get("statement").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(statement);
        assertThat(entry.get("signature").asText().getBytes(StandardCharsets.UTF_8)).isEqualTo(signature);
        assertThat(entry.get("signer").asText()).isEqualTo(keyOf.get(ADMIN));
        assertThat(entry.get("hash").asText()).isEqualTo(sha256(concat(statement, signature)));
        assertThat(head()).isEqualTo(entry.get("hash").asText());
        acceptedStatement = statement;
        acceptedSignature = signature;
    }

    @Test
    @Order(3)
    void theSameBytesSentAgainAreRefusedAsAReplay() throws Exception {
        assertRefused(submit(ADMIN, acceptedStatement, acceptedSignature), 409, "REPLAY", "already accepted");
    }

    @Test
    @Order(4)
    void forgedStaleAndUnknownStatementsAreRefusedRecordedAndChangeNothing() throws Exception {
        String headBefore = head();
        int entriesBefore = audit().size();
        String genesis = audit().get(0).get("hash").asText();
        byte[] enable = statement("account.enable", Map.of("address", TARGET), ADMIN, headBefore);
        byte[] enableSignature = sign(ADMIN, enable);

        byte[] flipped = enable.clone();
        int at = new String(flipped, StandardCharsets.UTF_8).indexOf("target") + 2;
        flipped[at] ^= 0x20; // "target" -> "taRget": still canonical, no longer what was signed
        assertRefused(submit(ADMIN, flipped, enableSignature), 403, "BAD_SIGNATURE", "Signature refused");

        assertRefused(submit(ADMIN, enable, sign(BOB, enable)), 403, "BAD_SIGNATURE",
                "not made with the signer's published key");

        byte[] byMember = statement("account.enable", Map.of("address", TARGET), BOB, headBefore);
        assertRefused(submit(BOB, byMember, sign(BOB, byMember)), 403, "NOT_ADMIN", "not an admin");
        assertRefused(submit(BOB, enable, enableSignature), 403, "NOT_SIGNER", "logged in as " + BOB);

        byte[] stale = statement("account.enable", Map.of("address", TARGET), ADMIN, genesis);
        assertRefused(submit(ADMIN, stale, sign(ADMIN, stale)), 409, "STALE", headBefore);

        byte[] unknown = statement("server.shutdown", Map.of(), ADMIN, headBefore);
        assertRefused(submit(ADMIN, unknown, sign(ADMIN, unknown)), 400, "UNKNOWN_ACTION", "Unknown action");

        byte[] notCanonical = (new String(enable, StandardCharsets.UTF_8) + "\n").getBytes(StandardCharsets.UTF_8);
        assertRefused(submit(ADMIN, notCanonical, sign(ADMIN, notCanonical)), 400, "MALFORMED", "canonical");

        assertThat(head()).isEqualTo(headBefore);
        assertThat(audit()).hasSize(entriesBefore);
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(TARGET)).isTrue();

        HttpResponse<String> refusals = http.send(request("/api/audit/refusals", BOB, PASSWORD).build(),
                BodyHandlers.ofString());
        assertThat(refusals.statusCode()).isEqualTo(200);
        assertThat(refusals.body()).contains("\"REPLAY\"", "\"BAD_SIGNATURE\"", "\"NOT_ADMIN\"", "\"NOT_SIGNER\"",
                "\"STALE\"", "\"UNKNOWN_ACTION\"", "\"MALFORMED\"").doesNotContain("127.0.0.1");

        // the genuine statement still goes through
        assertThat(submit(ADMIN, enable, enableSignature).statusCode()).isEqualTo(201);
        assertThat(essaim.bean(DisabledAccountStore.class).isDisabled(TARGET)).isFalse();
    }

    @Test
    @Order(5)
    void auditVerifyChecksEverySignatureAndNamesATamperedEntry() throws Exception {
        assertThat(verify()).startsWith("0:").contains("OK: 5 entries");
        assertThat(verifyWithStandardTools()).as("docs/audit-verify.sh").startsWith("0:").contains("OK: 5 entries");

        JdbcClient database = essaim.bean(JdbcClient.class);
        byte[] original = database.sql("SELECT statement FROM audit_entry WHERE seq = 4").query(byte[].class).single();
        byte[] edited = new String(original, StandardCharsets.UTF_8).replace(TARGET, BOB).getBytes(StandardCharsets.UTF_8);
        database.sql("UPDATE audit_entry SET statement = ? WHERE seq = 4").param(edited).update();

        assertThat(verify()).startsWith("1:").contains("BROKEN: entry 4:");
        assertThat(verifyWithStandardTools()).startsWith("1:").contains("BROKEN: entry 4:");

        database.sql("UPDATE audit_entry SET statement = ? WHERE seq = 4").param(original).update();
        assertThat(verify()).startsWith("0:");
    }

    @Test
    @Order(6)
    void aRestartWithAChangedPropertyAppendsAConfigurationEntryAndAnUnchangedOneDoesNot() throws Exception {
        int before = audit().size();
        essaim.stop();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(AuditCommand.verifyDataDir(essaim.dataDir(), new PrintStream(out), System.err))
                .as("verify on the stopped server's data directory").isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("OK: " + before + " entries");

        essaim.restart();
        assertThat(audit()).as("unchanged restart").hasSize(before);

        essaim.restartWith(Map.of("essaim.quota.default", "2GB"));
        List<JsonNode> entries = audit();
        assertThat(entries).hasSize(before + 1);
        JsonNode configuration = last(entries);
        assertThat(configuration.get("kind").asText()).isEqualTo("SERVER");
        assertThat(configuration.get("statement").asText()).startsWith("{\"action\":\"server.configuration\"")
                .contains("\"changed\":\"essaim.quota.default\"").contains("\"essaim.quota.default\":\"2147483648B\"")
                .doesNotContain(ADMIN_PASSWORD);

        essaim.restart();
        assertThat(audit()).as("unchanged again").hasSize(before + 1);
        assertThat(verify()).startsWith("0:");
    }

    @Test
    @Order(7)
    void coOptationByConsensusWithThreeAdmins() throws Exception {
        AccountRoles roles = essaim.bean(AccountRoles.class);
        String carol = "carol@essaim.test";
        String dave = "dave@essaim.test";
        String erin = "erin@essaim.test";

        // A single admin's consent suffices: the proposal itself promotes (spectator period 0 here).
        act(ADMIN, "cooptation.propose", Map.of("address", carol));
        assertThat(roles.isAdmin(carol)).isTrue();
        act(ADMIN, "cooptation.propose", Map.of("address", dave));
        assertThat(roles.isSpectator(dave)).as("carol has not consented yet").isTrue();
        act(carol, "cooptation.consent", Map.of("address", dave));
        assertThat(roles.admins()).containsExactlyInAnyOrder(ADMIN, carol, dave);

        act(ADMIN, "cooptation.propose", Map.of("address", erin));
        assertThat(roles.isSpectator(erin)).isTrue();
        // the spectator reads admin pages but cannot act
        assertThat(http.send(request("/api/admin/storage", erin, PASSWORD).build(), BodyHandlers.ofString())
                .statusCode()).isEqualTo(200);
        byte[] attempt = statement("account.disable", Map.of("address", BOB), erin, head());
        assertRefused(submit(erin, attempt, sign(erin, attempt)), 403, "NOT_ADMIN", "not an admin");
        assertThat(http.send(request("/api/admin/storage", BOB, PASSWORD).build(), BodyHandlers.ofString())
                .statusCode()).as("a plain member").isEqualTo(403);

        act(dave, "cooptation.consent", Map.of("address", erin));
        assertThat(roles.isAdmin(erin)).as("two consents of three").isFalse();
        act(carol, "cooptation.object", Map.of("address", erin));
        act(carol, "cooptation.withdraw-objection", Map.of("address", erin));
        assertThat(roles.isAdmin(erin)).as("objection withdrawn, consent still missing").isFalse();
        act(carol, "cooptation.object", Map.of("address", erin));
        assertThat(roles.isSpectator(erin)).as("blocked by an objection").isTrue();
        act(carol, "cooptation.consent", Map.of("address", erin));
        assertThat(roles.isAdmin(erin)).as("the third consent").isTrue();

        // Removal needs every other admin's consent; resignation is immediate.
        act(ADMIN, "admin.remove", Map.of("address", dave));
        act(carol, "cooptation.consent", Map.of("address", dave));
        assertThat(roles.isAdmin(dave)).as("erin has not consented").isTrue();
        act(erin, "cooptation.consent", Map.of("address", dave));
        assertThat(roles.isAdmin(dave)).isFalse();
        act(erin, "admin.resign", Map.of());
        assertThat(roles.admins()).containsExactlyInAnyOrder(ADMIN, carol);

        List<String> steps = new ArrayList<>();
        for (JsonNode entry : audit()) {
            JsonNode statement = JSON.readTree(entry.get("statement").asText());
            if (statement.get("action").asText().startsWith("cooptation.") || statement.get("action").asText().startsWith("admin.")) {
                steps.add(statement.get("admin").asText() + " " + statement.get("action").asText() + " "
                        + statement.get("parameters").path("address").asText());
            }
        }
        assertThat(steps).containsSubsequence(
                "admin@essaim.test cooptation.propose erin@essaim.test",
                "server cooptation.spectator erin@essaim.test",
                "dave@essaim.test cooptation.consent erin@essaim.test",
                "carol@essaim.test cooptation.object erin@essaim.test",
                "carol@essaim.test cooptation.withdraw-objection erin@essaim.test",
                "carol@essaim.test cooptation.object erin@essaim.test",
                "carol@essaim.test cooptation.consent erin@essaim.test",
                "server cooptation.promoted erin@essaim.test",
                "admin@essaim.test admin.remove dave@essaim.test",
                "server admin.removed dave@essaim.test",
                "erin@essaim.test admin.resign ",
                "server admin.removed erin@essaim.test");
        assertThat(verify()).startsWith("0:");
        assertThat(verifyWithStandardTools()).as("docs/audit-verify.sh, bare and named user IDs").startsWith("0:");
    }

    @Test
    @Order(8)
    void membersReadTheLogOnTheAuditPage() throws Exception {
        String head = head();
        Page page = Browser.shared().newPage();
        try {
            LoginPage.logIn(page, essaim, BOB, PASSWORD);
            page.waitForLoadState();
            page.locator("#collective").getByText("Audit log").click();
            page.waitForURL("**/audit");

            Locator entries = page.locator("#audit-entries");
            PlaywrightAssertions.assertThat(entries).containsText("admin.resign");
            PlaywrightAssertions.assertThat(entries).containsText("erin@essaim.test");
            PlaywrightAssertions.assertThat(entries).containsText("the server");
            PlaywrightAssertions.assertThat(page.getByText("Head: " + head)).isVisible();
            if (Boolean.getBoolean("essaim.screenshots")) {
                page.screenshot(new Page.ScreenshotOptions().setPath(Path.of("docs/screenshots/audit.png")).setFullPage(true));
            }
        } finally {
            page.context().close();
        }
    }

    @Test
    @Order(9)
    void promotionWaitsForTheSpectatorPeriodAndTheServerPromotesWhenItEnds() throws Exception {
        essaim.restartWith(Map.of("essaim.cooptation.spectator-days", 14));
        AccountRoles roles = essaim.bean(AccountRoles.class);
        act(ADMIN, "cooptation.propose", Map.of("address", BOB));
        act("carol@essaim.test", "cooptation.consent", Map.of("address", BOB));
        assertThat(roles.isSpectator(BOB)).as("everyone consented, but the 14 days are not over").isTrue();

        Cooptation cooptation = essaim.bean(Cooptation.class);
        assertThat(cooptation.proposal(BOB)).hasValueSatisfying(proposal -> {
            assertThat(proposal.consents()).containsExactly(ADMIN, "carol@essaim.test");
            assertThat(proposal.missingConsents()).isEmpty();
            assertThat(proposal.promotableFrom()).isAfter(Instant.now().plus(13, ChronoUnit.DAYS));
        });
        cooptation.promoteDue();
        assertThat(roles.isSpectator(BOB)).isTrue();

        // Fifteen days later (the proposal's start moved back, as the clock cannot be):
        essaim.bean(JdbcClient.class).sql("UPDATE cooptation_proposal SET proposed_at = ? WHERE address = ?")
                .params(java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC).minusDays(15), BOB).update();
        cooptation.promoteDue();
        assertThat(roles.isAdmin(BOB)).isTrue();
        JsonNode promoted = JSON.readTree(last(audit()).get("statement").asText());
        assertThat(promoted.get("action").asText()).isEqualTo("cooptation.promoted");
        assertThat(promoted.get("admin").asText()).isEqualTo("server");
        assertThat(promoted.get("parameters").get("address").asText()).isEqualTo(BOB);
        assertThat(verify()).startsWith("0:");
    }

    // --- the terminal admin's tools: jq, gpg, HTTP ---

    /** The canonical statement, built with jq as docs/audit.md shows. */
    static byte[] statement(String action, Map<String, String> parameters, String admin, String previous)
            throws Exception {
        List<String> command = new ArrayList<>(List.of("jq", "-nSjc",
                "--arg", "action", action, "--arg", "admin", admin, "--arg", "previous", previous,
                "--arg", "time", Instant.now().truncatedTo(ChronoUnit.SECONDS).toString()));
        StringBuilder object = new StringBuilder();
        int i = 0;
        for (Map.Entry<String, String> parameter : parameters.entrySet()) {
            command.addAll(List.of("--arg", "k" + i, parameter.getKey(), "--arg", "v" + i, parameter.getValue()));
            object.append(i == 0 ? "" : ",").append("($k").append(i).append("):$v").append(i);
            i++;
        }
        command.add("{action:$action,admin:$admin,parameters:{" + object + "},previous:$previous,time:$time}");
        Process jq = new ProcessBuilder(command).start();
        byte[] out = jq.getInputStream().readAllBytes();
        assertThat(jq.waitFor()).as(new String(jq.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        return out;
    }

    static byte[] sign(String person, byte[] statement) {
        return gpg.get(person).gpgBytes(statement, "--local-user", keyOf.get(person), "--detach-sign", "--armor").stdout();
    }

    static void act(String admin, String action, Map<String, String> parameters) throws Exception {
        byte[] statement = statement(action, parameters, admin, head());
        HttpResponse<String> response = submit(admin, statement, sign(admin, statement));
        assertThat(response.statusCode()).as(action + ": " + response.body()).isEqualTo(201);
    }

    static HttpResponse<String> submit(String account, byte[] statement, byte[] signature) throws Exception {
        String body = JSON.writeValueAsString(Map.of("statement", new String(statement, StandardCharsets.UTF_8),
                "signature", new String(signature, StandardCharsets.UTF_8)));
        return http.send(request("/api/admin/actions", account, passwordOf(account))
                .header("Content-Type", "application/json").POST(BodyPublishers.ofString(body)).build(),
                BodyHandlers.ofString());
    }

    static String head() throws Exception {
        HttpResponse<String> head = http.send(request("/api/audit/head", BOB, PASSWORD).build(), BodyHandlers.ofString());
        assertThat(head.statusCode()).isEqualTo(200);
        return JSON.readTree(head.body()).get("hash").asText();
    }

    static List<JsonNode> audit() throws Exception {
        HttpResponse<String> response = http.send(request("/api/audit?limit=1000", BOB, PASSWORD).build(),
                BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/x-ndjson"));
        List<JsonNode> entries = new ArrayList<>();
        for (String line : response.body().split("\n")) {
            if (!line.isBlank()) {
                entries.add(JSON.readTree(line));
            }
        }
        return entries;
    }

    /** "exit code: output" of audit verify over HTTP, as a member. */
    static String verify() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = AuditCommand.verifyOverHttp(essaim.baseUrl(), BOB, PASSWORD, new PrintStream(out, true),
                new PrintStream(out, true));
        return exit + ": " + out.toString(StandardCharsets.UTF_8);
    }

    /** "exit code: output" of docs/audit-verify.sh (curl, jq, gpg, sha256sum), as a member. */
    static String verifyWithStandardTools() throws Exception {
        ProcessBuilder script = new ProcessBuilder("sh", Path.of("docs/audit-verify.sh").toAbsolutePath().toString())
                .redirectErrorStream(true);
        script.environment().put("BASE", essaim.baseUrl());
        script.environment().put("AUTH", BOB + ":" + PASSWORD);
        script.environment().put("TMPDIR", work.toString());
        Process process = script.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return process.exitValue() + ": " + out;
    }

    static JsonNode last(List<JsonNode> entries) {
        return entries.get(entries.size() - 1);
    }

    static void assertRefused(HttpResponse<String> response, int status, String reason, String messagePart)
            throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = JSON.readTree(response.body());
        assertThat(body.get("reason").asText()).isEqualTo(reason);
        assertThat(body.get("error").asText()).contains(messagePart);
    }

    static HttpRequest.Builder request(String path, String user, String password) {
        return HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8)));
    }

    static String passwordOf(String account) {
        return ADMIN.equals(account) ? ADMIN_PASSWORD : PASSWORD;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }

    static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
