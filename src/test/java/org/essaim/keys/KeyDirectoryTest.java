package org.essaim.keys;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.essaim.crypto.WkdHash;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The public key directory seen from outside: a GnuPG user uploads a key with a script, and other people's
 * GnuPG finds it over HKP and WKD. Bad uploads are refused with a message and change nothing.
 *
 * <p>Essaim trusts X-Forwarded-* from loopback by default (as behind a reverse proxy), which lets the test play a
 * remote client on plain HTTP without leaving loopback. (That the key survives a restart: {@link org.essaim.StartAndRestartTest}.)
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeyDirectoryTest {
    private static final String OWNER = EssaimInstance.uniqueAddress("alice");
    private static final String LOCAL = OWNER.substring(0, OWNER.indexOf('@'));
    private static final String PASSWORD = "alice's long enough password";

    @TempDir
    static Path work;
    static EssaimInstance essaim;
    static GpgHome alice;
    static String fingerprint;
    static String publishedArmor;
    static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        essaim.bean(MailServerBridge.class).createAccount(OWNER, PASSWORD);
        alice = GpgHome.create(work, "alice");
        fingerprint = alice.generateKey("Alice <" + OWNER + ">");
    }

    @AfterAll
    static void stop() {
        if (alice != null) {
            alice.close();
        }
    }

    @Test
    @Order(1)
    void aGnupgKeyUploadedWithHttpBasicIsPublished() throws Exception {
        HttpResponse<String> response = upload(alice.exportArmored(fingerprint), basic(OWNER, PASSWORD));

        assertThat(response.statusCode()).isEqualTo(201);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).contains("\"address\":\"" + OWNER + "\"")
                .contains("\"fingerprint\":\"" + fingerprint + "\"").contains("\"uploadedAt\":\"");

        HttpResponse<String> published = get("/api/keys/" + LOCAL.substring(0, 1).toUpperCase() + LOCAL.substring(1) + "@Essaim.TEST");
        assertThat(published.statusCode()).isEqualTo(200);
        assertThat(published.headers().firstValue("Content-Type")).hasValue("application/pgp-keys");
        assertThat(published.body()).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----").doesNotContain("PRIVATE");
        publishedArmor = published.body();

        try (GpgHome bob = GpgHome.create(work, "bob-api")) {
            assertThat(bob.importKeys(published.body().getBytes(StandardCharsets.UTF_8)).exitCode()).isZero();
            assertThat(bob.fingerprints()).containsExactly(fingerprint);
        }
    }

    @Test
    @Order(2)
    void gnupgReceivesTheKeyOverHkp() {
        try (GpgHome bob = GpgHome.create(work, "bob-hkp")) {
            GpgHome.Result received = bob.tryGpg(null, "--keyserver", hkp(), "--recv-keys", fingerprint);

            assertThat(received.exitCode()).as(received.stderr()).isZero();
            assertThat(received.stderr()).contains("imported");
            assertThat(bob.fingerprints()).containsExactly(fingerprint);
        }
    }

    @Test
    @Order(2)
    void gnupgFindsTheKeyByAddressOverHkp() throws Exception {
        try (GpgHome bob = GpgHome.create(work, "bob-search")) {
            GpgHome.Result found = bob.tryGpg(null, "--keyserver", hkp(), "--with-colons",
                    "--search-keys", OWNER);

            assertThat(found.exitCode()).as(found.stderr()).isZero();
            assertThat(found.out()).containsPattern("(?m)^pub:" + fingerprint + ":")
                    .contains("uid:Alice <" + OWNER + ">");
        }
        HttpResponse<String> index = get("/pks/lookup?op=index&options=mr&search=" + LOCAL + "%40essaim.test");
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.body()).startsWith("info:1:1\n")
                .containsPattern("(?m)^pub:" + fingerprint + ":22:256:\\d+::$")
                .containsPattern("(?m)^uid:Alice <" + OWNER + ">:::$");
    }

    @Test
    @Order(2)
    void hkpLooksUpByFingerprintAndKeyIdButNotBySubstring() throws Exception {
        String longKeyId = fingerprint.substring(24);
        assertThat(get("/pks/lookup?op=get&options=mr&search=0x" + fingerprint).body()).isEqualTo(publishedArmor);
        assertThat(get("/pks/lookup?op=get&options=mr&search=0x" + longKeyId.toLowerCase()).body())
                .isEqualTo(publishedArmor);
        assertThat(get("/pks/lookup?op=get&search=" + LOCAL).statusCode()).isEqualTo(404);
        assertThat(get("/pks/lookup?op=get&search=nobody%40essaim.test").statusCode()).isEqualTo(404);
        assertThat(get("/pks/lookup?op=get&search=0x0123456789ABCDEF").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(2)
    void theWkdUrlServesTheSameKeyInBinary() throws Exception {
        String hash = WkdHash.ofLocalPart(LOCAL);
        HttpResponse<byte[]> wkd = http.send(HttpRequest.newBuilder(
                URI.create(essaim.baseUrl() + "/.well-known/openpgpkey/hu/" + hash + "?l=" + LOCAL)).build(),
                BodyHandlers.ofByteArray());

        assertThat(wkd.statusCode()).isEqualTo(200);
        assertThat(wkd.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(wkd.body()[0] & 0x80).as("binary, not armored").isNotZero();
        try (GpgHome bob = GpgHome.create(work, "bob-wkd")) {
            GpgHome.Result imported = bob.importKeys(wkd.body());
            assertThat(imported.exitCode()).as(imported.stderr()).isZero();
            assertThat(bob.fingerprints()).containsExactly(fingerprint);
        }
        assertThat(get("/.well-known/openpgpkey/policy").statusCode()).isEqualTo(200);
        assertThat(get("/.well-known/openpgpkey/hu/" + hash).statusCode()).as("hash alone").isEqualTo(200);
        assertThat(get("/.well-known/openpgpkey/essaim.test/hu/" + hash + "?l=" + LOCAL).statusCode())
                .as("advanced method").isEqualTo(200);
        assertThat(get("/.well-known/openpgpkey/hu/" + WkdHash.ofLocalPart("nobody") + "?l=nobody").statusCode())
                .isEqualTo(404);
        assertThat(get("/.well-known/openpgpkey/hu/" + hash + "?l=someoneelse").statusCode())
                .as("l must match the hash").isEqualTo(404);
        assertThat(get("/.well-known/openpgpkey/example.org/hu/" + hash + "?l=" + LOCAL).statusCode())
                .as("not our domain").isEqualTo(404);
    }

    @Test
    @Order(3)
    void everyBadUploadIsRefusedWithAMessageAndTheKeyStaysAsItWas() throws Exception {
        byte[] random = new byte[1024 * 1024];
        new SecureRandom().nextBytes(random);
        String mallory;
        byte[] malloryKey;
        byte[] expiredKey;
        try (GpgHome other = GpgHome.create(work, "mallory")) {
            mallory = other.generateKey("Mallory <mallory@example.org>");
            malloryKey = other.exportArmored(mallory);
            String expired = other.generateKey("Alice <" + OWNER + ">", "20200101T000000");
            expiredKey = other.exportArmored(expired);
        }

        assertRefused(upload(alice.exportSecretArmored(fingerprint), basic(OWNER, PASSWORD)), 422, "PRIVATE key");
        assertRefused(upload(malloryKey, basic(OWNER, PASSWORD)), 422, OWNER);
        assertRefused(upload(expiredKey, basic(OWNER, PASSWORD)), 422, "expired");
        assertRefused(upload(random, basic(OWNER, PASSWORD)), 413, "64 KiB");
        assertRefused(upload(new byte[0], basic(OWNER, PASSWORD)), 400, "No key was sent");
        assertRefused(upload("not a key".getBytes(StandardCharsets.UTF_8), basic(OWNER, PASSWORD)), 422,
                "not an OpenPGP public key");

        assertThat(get("/api/keys/" + OWNER).body()).isEqualTo(publishedArmor);
        assertThat(get("/api/keys/mallory@example.org").statusCode()).isEqualTo(404);
    }

    @Test
    @Order(3)
    void uploadsNeedTheAccountsPasswordAndBasicNeedsTlsUnlessLocal() throws Exception {
        byte[] key = alice.exportArmored(fingerprint);
        HttpResponse<String> anonymous = upload(key, Map.of());
        assertRefused(anonymous, 401, "Log in");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                challenge -> assertThat(challenge).startsWith("Basic"));
        assertRefused(upload(key, basic(OWNER, "wrong password")), 401, "Wrong address or password");

        Map<String, String> remotePlainHttp = Map.of("X-Forwarded-For", "192.0.2.7");
        HttpResponse<String> overPlainHttp = upload(key, merge(basic(OWNER, PASSWORD), remotePlainHttp));
        assertRefused(overPlainHttp, 403, "only accepted over HTTPS");

        Map<String, String> remoteHttps = Map.of("X-Forwarded-For", "192.0.2.7", "X-Forwarded-Proto", "https");
        assertThat(upload(key, merge(basic(OWNER, PASSWORD), remoteHttps)).statusCode()).isEqualTo(200);
    }

    @Test
    @Order(4)
    void theDocumentedCurlCommandReplacesTheKey() throws Exception {
        String replacement = alice.generateKey("Alice Two <" + OWNER.toUpperCase() + ">");
        alice.gpg("--quick-add-uid", replacement, "Alice at home <alice@home.example>");
        Path file = work.resolve("pub.asc");
        Files.write(file, alice.exportArmored(replacement));

        // curl labels --data-binary as a form; the key must still arrive byte for byte
        Process curl = new ProcessBuilder("curl", "-sS", "-u", OWNER + ":" + PASSWORD, "--data-binary", "@" + file,
                "-X", "PUT", essaim.baseUrl() + "/api/keys/me").redirectErrorStream(true).start();
        assertThat(curl.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String answer = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(answer).contains("\"fingerprint\":\"" + replacement + "\"");

        try (GpgHome bob = GpgHome.create(work, "bob-replaced")) {
            bob.gpgBytes(null, "--keyserver", hkp(), "--recv-keys", replacement);
            assertThat(bob.fingerprints()).containsExactly(replacement);
            assertThat(bob.gpg("--with-colons", "--list-keys")).as("other addresses are not published")
                    .contains("Alice Two <" + OWNER.toUpperCase() + ">").doesNotContain("home.example");
        }
        assertThat(get("/pks/lookup?op=get&search=0x" + fingerprint).statusCode()).as("old key").isEqualTo(404);
    }

    @Test
    @Order(5)
    void hkpTakesNoUploads() throws Exception {
        HttpResponse<String> add = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/pks/add"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("keytext=" + java.net.URLEncoder.encode(publishedArmor,
                        StandardCharsets.UTF_8))).build(), BodyHandlers.ofString());
        assertRefused(add, 403, "PUT /api/keys/me");
    }

    @Test
    @Order(6)
    void theOwnerReadsAndWithdrawsTheKeyAndTheDirectoryContractHolds() throws Exception {
        PublicKeyDirectory directory = essaim.bean(PublicKeyDirectory.class);
        StoredKey current = directory.find(LOCAL.toUpperCase() + "@Essaim.Test").orElseThrow();
        assertThat(current.address()).isEqualTo(OWNER);
        assertThat(current.fingerprint()).matches("[0-9A-F]{40}");
        try {
            directory.publish(OWNER, "garbage".getBytes(StandardCharsets.UTF_8));
            org.junit.jupiter.api.Assertions.fail("garbage was published");
        } catch (KeyRejectedException expected) {
            assertThat(expected.getMessage()).contains("not an OpenPGP public key");
        }
        assertThat(directory.find(OWNER)).hasValueSatisfying(
                key -> assertThat(key.binary()).isEqualTo(current.binary()));

        HttpResponse<String> mine = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/keys/me"))
                .header("Authorization", basic(OWNER, PASSWORD).get("Authorization")).build(), BodyHandlers.ofString());
        assertThat(mine.statusCode()).isEqualTo(200);
        assertThat(mine.body()).contains("\"fingerprint\":\"" + current.fingerprint() + "\"")
                .contains("BEGIN PGP PUBLIC KEY BLOCK");
        assertRefused(get("/api/keys/me"), 401, "Log in");

        HttpResponse<String> withdrawn = http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/keys/me"))
                .header("Authorization", basic(OWNER, PASSWORD).get("Authorization")).DELETE().build(),
                BodyHandlers.ofString());
        assertThat(withdrawn.statusCode()).isEqualTo(204);
        assertThat(get("/api/keys/" + OWNER).statusCode()).isEqualTo(404);
        assertThat(get("/pks/lookup?op=get&search=0x" + current.fingerprint()).statusCode()).isEqualTo(404);
        assertThat(get("/.well-known/openpgpkey/hu/" + WkdHash.ofLocalPart(LOCAL) + "?l=" + LOCAL).statusCode())
                .isEqualTo(404);
    }

    private static void assertRefused(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        assertThat(response.body()).startsWith("{\"error\":\"").contains(messagePart);
    }

    private static HttpResponse<String> upload(byte[] body, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/keys/me"))
                .header("Content-Type", "application/pgp-keys")
                .PUT(BodyPublishers.ofByteArray(body));
        headers.forEach(request::header);
        return http.send(request.build(), BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).build(), BodyHandlers.ofString());
    }

    private static Map<String, String> basic(String user, String password) {
        String token = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return Map.of("Authorization", "Basic " + token);
    }

    private static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(a);
        all.putAll(b);
        return all;
    }

    private static String hkp() {
        return "hkp://127.0.0.1:" + essaim.webPort();
    }
}
