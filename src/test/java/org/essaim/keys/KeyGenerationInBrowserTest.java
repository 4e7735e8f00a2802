package org.essaim.keys;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.playwright.Download;
import com.microsoft.playwright.Page;

import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The key page in a real headless Chromium against the whole application: keys are made or imported in the
 * browser, backed up, and only their public part is sent to the server. Everything the page sends during the
 * flow (request bodies and websocket frames) is recorded to prove it.
 */
class KeyGenerationInBrowserTest {
    static final String PASSPHRASE = "quiet-heron-" + Long.toHexString(System.nanoTime()) + "-lantern";

    /** Everything in the key store (IndexedDB) of the page's origin, as JSON, read without Essaim's code. */
    static final String STORED_KEYRINGS = """
            () => new Promise((resolve, reject) => {
              const open = indexedDB.open('essaim-crypto');
              open.onerror = () => reject(open.error);
              open.onsuccess = () => {
                const all = open.result.transaction('keyrings').objectStore('keyrings').getAll();
                all.onsuccess = () => resolve(JSON.stringify(all.result));
                all.onerror = () => reject(all.error);
              };
            })""";

    /** Holds the page's thread for 500 ms whenever the key locks or unlocks (a listener of the facade's event). */
    static final String PAGE_BUSY_WHEN_THE_KEY_LOCKS = """
            () => window.addEventListener('essaim-crypto-lock-changed', () => {
              const end = performance.now() + 500;
              while (performance.now() < end) { /* busy */ }
            })""";

    private static final String PASSWORD = "a long enough key test password";

    @TempDir
    Path work;
    // The build machine is shared and often loaded: give key generation and gpg room before an assertion fails.
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages(java.time.Duration.ofSeconds(15));
    static EssaimInstance essaim;
    /** The person whose keys these are (one for the class, as the tests replace each other's keys). */
    static String user;
    Page page;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        user = essaim.newAccount("keygen", PASSWORD);
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
    }

    @AfterEach
    void stopGpgAgents() throws Exception {
        for (Path home : gnupgHomes) {
            // gpg leaves an agent running per home directory; stop ours.
            new ProcessBuilder("gpgconf", "--homedir", home.toString(), "--kill", "all")
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor(20, TimeUnit.SECONDS);
        }
    }

    private final List<Path> gnupgHomes = new ArrayList<>();

    private Path gnupgHome(String name) throws IOException {
        Path home = work.resolve(name);
        if (!Files.isDirectory(home)) {
            Files.createDirectories(home);
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
            gnupgHomes.add(home);
        }
        return home;
    }

    @Test
    void aKeyGeneratedInTheBrowserIsBackedUpAndPublishedWithoutThePassphraseOrPrivateKeyEverLeavingIt() throws Exception {
        BrowserTraffic traffic = BrowserTraffic.record(page);
        logInAndOpenKeys();

        page.locator("#new-passphrase input").fill(PASSPHRASE);
        page.locator("#new-passphrase-confirm input").fill(PASSPHRASE);
        page.locator("#generate-button").click();

        // Creation is not finished before the backup: the page asks for it and publishes nothing yet.
        assertThat(page.locator("#backup-step")).isVisible();
        assertThat(page.locator("#backup-step")).containsText("encrypted mail can never be read again");
        saveScreenshot("keys-backup-step.png");
        Download backupDownload = page.waitForDownload(() -> page.locator("#download-backup").click());
        String backup = Files.readString(backupDownload.path());
        assertThat(backupDownload.suggestedFilename()).endsWith("-private-key.asc");
        assertThat(backup).startsWith("-----BEGIN PGP PRIVATE KEY BLOCK-----");
        assertThatEverySecretPartIsPassphraseProtected(backup);

        assertThat(page.locator("#publication")).containsText("Published");
        String shownFingerprint = page.locator("#fingerprint").textContent();

        // What the browser stores: only the passphrase-protected form of the private key.
        String stored = (String) page.evaluate(STORED_KEYRINGS);
        assertThat(stored).doesNotContain(PASSPHRASE).contains(shownFingerprint.replace(" ", ""));
        Matcher storedPrivate = Pattern.compile("-----BEGIN PGP PRIVATE KEY BLOCK-----[\\s\\S]*?-----END PGP PRIVATE KEY BLOCK-----")
                .matcher(stored.replace("\\n", "\n"));
        assertThat(storedPrivate.find()).as("a private key is stored").isTrue();
        assertThatEverySecretPartIsPassphraseProtected(storedPrivate.group());
        assertThat(shownFingerprint).matches("([0-9A-F]{4} ){9}[0-9A-F]{4}");
        assertThat(page.locator("#qr")).isVisible();
        saveScreenshot("keys-published.png");
        Download publicDownload = page.waitForDownload(() -> page.locator("#export-public").click());
        String publicKey = Files.readString(publicDownload.path());

        // What the server publishes is the key the page shows, and GnuPG reads the same fingerprint in it.
        String published = get("/api/keys/" + user);
        assertThat(gpgFingerprint(published)).isEqualTo(shownFingerprint.replace(" ", ""));
        assertThat(gpgFingerprint(publicKey)).isEqualTo(shownFingerprint.replace(" ", ""));

        // Everything the page sent during the whole flow, login included.
        assertThat(traffic.containing(publicKey)).as("positive control: the public key upload is recorded")
                .anySatisfy(sent -> assertThat(sent.target()).endsWith("/api/keys/me"));
        assertThat(traffic.containing(PASSWORD)).as("positive control: the login form post is recorded")
                .anySatisfy(sent -> assertThat(sent.target()).endsWith("/login"));
        assertThat(traffic.containing(shownFingerprint.replace(" ", ""))).as(
                "positive control: Vaadin's channel to the server is recorded (the element reports the fingerprint to Java)")
                .isNotEmpty();
        assertThat(traffic.containing(PASSPHRASE)).as("requests or frames holding the passphrase").isEmpty();
        assertThat(traffic.containing("PRIVATE KEY")).as("requests or frames holding a private key armor").isEmpty();
        for (byte[] secret : secretKeyMaterial(backup)) {
            assertThat(traffic.containingBytesOrBase64(secret)).as("requests or frames holding secret-key packet bytes").isEmpty();
        }
        System.out.printf("Key page flow: %d request bodies and websocket frames recorded (%d websockets opened);"
                + " none held the passphrase or the private key%n", traffic.all().size(), traffic.websocketsOpened());
    }

    @Test
    void aKeyMadeWithGnuPGAtHomeIsImportedAndItsPublicPartPublished() throws Exception {
        Path home = gnupgHome("gnupg");
        String gpgPassphrase = "home-made-" + Long.toHexString(System.nanoTime());
        gpg(home, null, "--batch", "--pinentry-mode", "loopback", "--passphrase", gpgPassphrase,
                "--quick-gen-key", "Admin at Home <" + user + ">", "default", "default", "never");
        String secretKey = gpg(home, null, "--batch", "--pinentry-mode", "loopback", "--passphrase", gpgPassphrase,
                "--export-secret-keys", "--armor", user);
        String gpgFingerprint = gpgFingerprint(gpg(home, null, "--export", "--armor", user));
        Path keyFile = work.resolve("my-key.asc");
        Files.writeString(keyFile, secretKey);

        BrowserTraffic traffic = BrowserTraffic.record(page);
        logInAndOpenKeys();

        // A wrong passphrase is refused with a clear message and nothing is stored.
        page.locator("#import-file").setInputFiles(keyFile);
        page.locator("#import-passphrase input").fill("not the passphrase");
        page.locator("#import-button").click();
        assertThat(page.locator("#error")).containsText("Wrong passphrase");
        assertThat(page.locator("#import")).isVisible();

        page.locator("#import-passphrase input").fill(gpgPassphrase);
        page.locator("#import-button").click();

        // Declining the backup takes an explicit confirmation after the warning.
        assertThat(page.locator("#backup-step")).isVisible();
        page.locator("#decline-backup").click();
        assertThat(page.locator("#decline-warning")).containsText("losing this browser's storage loses your mail");
        assertThat(page.locator("#decline-confirm")).isDisabled();
        page.locator("#decline-understood").click();
        page.locator("#decline-confirm").click();

        assertThat(page.locator("#publication")).containsText("Published");
        assertThat(page.locator("#fingerprint")).hasText(groupsOfFour(gpgFingerprint));
        assertThat(gpgFingerprint(get("/api/keys/" + user))).isEqualTo(gpgFingerprint);

        assertThat(traffic.all()).anySatisfy(sent -> assertThat(sent.target()).endsWith("/api/keys/me"));
        assertThat(traffic.containing(gpgPassphrase)).as("requests or frames holding the passphrase").isEmpty();
        assertThat(traffic.containing("PRIVATE KEY")).as("requests or frames holding a private key armor").isEmpty();
        for (byte[] secret : secretKeyMaterial(secretKey)) {
            assertThat(traffic.containingBytesOrBase64(secret)).as("requests or frames holding secret-key packet bytes").isEmpty();
        }
    }

    @Test
    void aNewBrowserRestoresTheKeyFromTheBackupFileAndUnlocksItOncePerSession() throws Exception {
        logInAndOpenKeys();
        page.locator("#new-passphrase input").fill(PASSPHRASE);
        page.locator("#new-passphrase-confirm input").fill(PASSPHRASE);
        page.locator("#generate-button").click();
        Download backupDownload = page.waitForDownload(() -> page.locator("#download-backup").click());
        Path backup = work.resolve("backup.asc");
        backupDownload.saveAs(backup);
        assertThat(page.locator("#publication")).containsText("Published");
        String fingerprint = page.locator("#fingerprint").textContent();
        page.context().close();

        // Another device: an empty browser profile. It sees the published key and is told to restore it.
        page = browser.newPage();
        logInAndOpenKeys();
        assertThat(page.locator("#restore-hint")).containsText(fingerprint);
        page.locator("#import-file").setInputFiles(backup);
        page.locator("#import-passphrase input").fill(PASSPHRASE);
        page.locator("#import-button").click();
        page.locator("#kept-import-file").click();
        assertThat(page.locator("#fingerprint")).hasText(fingerprint);
        assertThat(page.locator("#publication")).containsText("Published");

        // The top bar shows the unlocked key and locks it; the key page then asks for the passphrase once.
        // The page is busy as the key locks (a slow listener of the lock event holds its thread for half a second,
        // as a loaded machine or a GC does): the key page must follow the lock all the same. It did not when the
        // worker heard of the lock after the key page's status question (failed so in full-suite runs).
        page.evaluate(PAGE_BUSY_WHEN_THE_KEY_LOCKS);
        page.locator("#key-lock-button").click();
        assertThat(page.locator("#key-locked")).isVisible();
        page.locator("#unlock-passphrase input").fill("not the passphrase");
        page.locator("#unlock-button").click();
        assertThat(page.locator("#error")).containsText("Wrong passphrase");
        page.locator("#unlock-passphrase input").fill(PASSPHRASE);
        page.locator("#unlock-button").click();
        assertThat(page.locator("#lock-button")).isVisible();
        assertThat(page.locator("#key-lock-button")).isVisible();
    }

    @Test
    void afterAPageLoadTheKeyIsLockedAndTheTopBarUnlocksItWithThePassphraseWhichNeverLeavesTheBrowser() {
        LoginPage.logIn(page, essaim, user, PASSWORD);
        BrowserKeys.importPrivateKey(page, essaim, TestKeys.generate(user).secretKey(), PASSPHRASE);
        BrowserTraffic traffic = BrowserTraffic.record(page);

        page.navigate(essaim.baseUrl() + "/");
        assertThat(page.locator("#key-locked")).isVisible();
        page.locator("#key-unlock-button").click();
        page.locator("#key-unlock-passphrase").fill("not the passphrase");
        page.locator("#key-unlock-submit").click();
        assertThat(page.locator("#key-unlock-error")).containsText("Wrong passphrase");
        assertThat(page.locator("#key-lock-button")).not().isVisible(); // still locked

        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(traffic.containing(PASSPHRASE)).as("requests or frames holding the passphrase").isEmpty();
        assertThat(traffic.containing("not the passphrase")).as("requests or frames holding the wrong passphrase").isEmpty();
    }

    @Test
    void aKeyIsReplacedThenRevokedWithACertificateGnuPGUnderstandsAndTheServerStopsPublishingIt() throws Exception {
        logInAndOpenKeys();
        String first = generateWithoutBackup();

        page.locator("#replace-button").click();
        String second = generateWithoutBackup();
        assertThat(second).isNotEqualTo(first);
        assertThat(gpgFingerprint(get("/api/keys/" + user))).isEqualTo(second);

        page.locator("#revoke-button").click();
        assertThat(page.locator("#revoke")).containsText("stops publishing");
        Download certificate = page.waitForDownload(() -> page.locator("#revoke-create").click());
        String revoked = Files.readString(certificate.path());
        String colons = gpg(gnupgHome("gnupg-revocation"), revoked, "--batch", "--with-colons", "--import-options", "show-only", "--import");
        assertThat(colons).as("gpg sees the key as revoked").containsPattern("(?m)^pub:r:");
        assertThat(colons).contains(second);

        page.locator("#revoke-remove").click();
        assertThat(page.locator("#notice")).containsText("no longer publishes it");
        assertThat(page.locator("#generate")).isVisible();
        HttpResponse<String> afterwards = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create(essaim.baseUrl() + "/api/keys/" + user)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(afterwards.statusCode()).isEqualTo(404);
    }

    /** Creates a key on the open key page, declines the backup after the warning; returns the published fingerprint. */
    private String generateWithoutBackup() {
        page.locator("#new-passphrase input").fill(PASSPHRASE);
        page.locator("#new-passphrase-confirm input").fill(PASSPHRASE);
        page.locator("#generate-button").click();
        page.locator("#decline-backup").click();
        page.locator("#decline-understood").click();
        page.locator("#decline-confirm").click();
        assertThat(page.locator("#publication")).containsText("Published");
        return page.locator("#fingerprint").textContent().replace(" ", "");
    }

    @Test
    void aPublicKeyIsRefusedAsAnImportWithAClearMessage() throws Exception {
        logInAndOpenKeys();
        Path home = gnupgHome("gnupg");
        gpg(home, null, "--batch", "--pinentry-mode", "loopback", "--passphrase", "whatever-passphrase",
                "--quick-gen-key", "Admin <" + user + ">", "future-default", "default", "never");
        Path publicOnly = work.resolve("public.asc");
        Files.writeString(publicOnly, gpg(home, null, "--export", "--armor", user));

        page.locator("#import-file").setInputFiles(publicOnly);
        page.locator("#import-passphrase input").fill("whatever-passphrase");
        page.locator("#import-button").click();

        assertThat(page.locator("#error")).containsText("This is a PUBLIC key only");
        assertThat(page.locator("#import")).isVisible();
        assertThat(page.locator("#backup-step")).hasCount(0);
    }

    private void logInAndOpenKeys() {
        LoginPage.logIn(page, essaim, user, PASSWORD);
        page.waitForURL(url -> !url.contains("/login"));
        page.navigate(essaim.baseUrl() + "/keys");
        assertThat(page.locator("essaim-keys #generate, essaim-keys #key").first()).isVisible();
    }

    /** With -Dessaim.screenshots=DIR the page is saved there (for docs and for looking at it). */
    private void saveScreenshot(String name) throws IOException {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.screenshot(new Page.ScreenshotOptions().setPath(target).setFullPage(true));
    }

    private static String groupsOfFour(String fingerprint) {
        return fingerprint.replaceAll("(.{4})(?!$)", "$1 ");
    }

    private static String get(String path) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("GET " + path).isEqualTo(200);
        return response.body();
    }

    /** The primary key fingerprint GnuPG reads in an armored key (without importing it anywhere). */
    private String gpgFingerprint(String armoredKey) throws Exception {
        Path home = gnupgHome("gnupg-reader");
        String colons = gpg(home, armoredKey, "--batch", "--with-colons", "--import-options", "show-only", "--import");
        Matcher fpr = Pattern.compile("(?m)^fpr:+([0-9A-F]{40}):").matcher(colons);
        assertThat(fpr.find()).as("gpg reads a key in:%n%s", armoredKey).isTrue();
        return fpr.group(1);
    }

    /** gpg --list-packets: every secret (sub)key packet is S2K-protected, none holds plain secret parameters. */
    private void assertThatEverySecretPartIsPassphraseProtected(String armoredPrivateKey) throws Exception {
        Path home = gnupgHome("gnupg-packets");
        String packets = gpg(home, armoredPrivateKey, "--batch", "--list-packets");
        long secretPackets = Pattern.compile(":secret (sub )?key packet:").matcher(packets).results().count();
        long protectedParts = Pattern.compile("skey\\[\\d+\\]: \\[v4 protected\\]").matcher(packets).results().count();
        assertThat(secretPackets).as(packets).isGreaterThanOrEqualTo(2);
        assertThat(protectedParts).as(packets).isEqualTo(secretPackets);
        assertThat(packets).contains("iter+salt S2K");
    }

    /**
     * The tail of every secret-key and secret-subkey packet of an armored private key: bytes of the encrypted
     * secret parameters, which must never travel (the public key, which does travel, is the packet's head).
     */
    private static List<byte[]> secretKeyMaterial(String armoredPrivateKey) {
        byte[] binary = dearmor(armoredPrivateKey);
        List<byte[]> secrets = new ArrayList<>();
        int position = 0;
        while (position < binary.length) {
            int ctb = binary[position] & 0xff;
            assertThat(ctb & 0x80).as("packet header").isEqualTo(0x80);
            int tag;
            int length;
            int header;
            if ((ctb & 0x40) == 0) {
                // Old-format header (gpg writes these): tag in bits 5-2, length size in bits 1-0.
                tag = (ctb >> 2) & 0x0f;
                int lengthBytes = switch (ctb & 0x03) {
                    case 0 -> 1;
                    case 1 -> 2;
                    case 2 -> 4;
                    default -> throw new AssertionError("indeterminate length in a key");
                };
                length = 0;
                for (int i = 0; i < lengthBytes; i++) {
                    length = (length << 8) | (binary[position + 1 + i] & 0xff);
                }
                header = 1 + lengthBytes;
            } else {
                tag = ctb & 0x3f;
                int first = binary[position + 1] & 0xff;
                if (first < 192) {
                    length = first;
                    header = 2;
                } else if (first < 224) {
                    length = ((first - 192) << 8) + (binary[position + 2] & 0xff) + 192;
                    header = 3;
                } else {
                    assertThat(first).as("no partial lengths in keys").isEqualTo(255);
                    length = ((binary[position + 2] & 0xff) << 24) | ((binary[position + 3] & 0xff) << 16)
                            | ((binary[position + 4] & 0xff) << 8) | (binary[position + 5] & 0xff);
                    header = 6;
                }
            }
            int end = position + header + length;
            if (tag == 5 || tag == 7) {
                secrets.add(Arrays.copyOfRange(binary, end - 32, end));
            }
            position = end;
        }
        assertThat(secrets).hasSizeGreaterThanOrEqualTo(2);
        return secrets;
    }

    private static byte[] dearmor(String armored) {
        String[] lines = armored.split("\r?\n");
        StringBuilder base64 = new StringBuilder();
        boolean inBody = false;
        boolean pastHeaders = false;
        for (String line : lines) {
            if (line.startsWith("-----BEGIN")) {
                inBody = true;
                continue;
            }
            if (line.startsWith("-----END")) {
                break;
            }
            if (!inBody) {
                continue;
            }
            if (!pastHeaders) {
                if (line.isBlank()) {
                    pastHeaders = true;
                }
                continue;
            }
            if (line.startsWith("=")) {
                continue;
            }
            base64.append(line.trim());
        }
        return Base64.getDecoder().decode(base64.toString());
    }

    private String gpg(Path home, String stdin, String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("gpg", "--homedir", home.toString(), "--no-tty", "--quiet"));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        if (stdin != null) {
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = process.getInputStream()) {
            in.transferTo(output);
        }
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("gpg finished").isTrue();
        assertThat(process.exitValue()).as("gpg " + String.join(" ", arguments)).isZero();
        return output.toString(StandardCharsets.UTF_8);
    }
}
