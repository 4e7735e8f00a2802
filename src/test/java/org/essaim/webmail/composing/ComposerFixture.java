package org.essaim.webmail.composing;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Pattern;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.internet.MimeMessage;

import org.essaim.keys.GpgHome;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.BrowserPages;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.WebKeyDirectories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/**
 * What the composer's end-to-end tests share ({@link ComposerTest}, {@link DraftsRepliesAndForwardsTest}; two classes
 * so that the suite's test JVMs run them side by side): the real application, headless Chromium, real SMTP submission
 * and IMAP, and real GnuPG as the judge of what was sent. Alice writes; Bob and Dave (local) read with GnuPG; Carol's
 * key lives in her domain's WKD (a loopback server); nobody@remote.example has no key at all. Everything Alice's page
 * sends is recorded: subject, text, passphrase and private key must not be in it.
 */
abstract class ComposerFixture {
    // Each class gets its own people: set in start(), since the classes can run one after the other in one JVM.
    static String ALICE;
    static String BOB;
    static String DAVE;
    static final String CAROL = "carol@remote.example";
    static final String KEYLESS = "nobody@remote.example";
    static final String PASSWORD = "a long password for tests";
    static final String PASSPHRASE = "composer-passphrase-" + Long.toHexString(System.nanoTime());

    @TempDir
    static Path work;
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();
    static EssaimInstance essaim;
    static GpgHome alicesGpg;
    static GpgHome bobsGpg;
    static GpgHome davesGpg;
    static GpgHome carolsGpg;
    static String alicesFingerprint;
    static String alicesSecretKey;

    Page page;
    BrowserTraffic traffic;

    @BeforeAll
    static void start() throws IOException {
        ALICE = EssaimInstance.uniqueAddress("alice");
        BOB = EssaimInstance.uniqueAddress("bob");
        DAVE = EssaimInstance.uniqueAddress("dave");
        alicesGpg = GpgHome.create(work, "alice");
        bobsGpg = GpgHome.create(work, "bob");
        davesGpg = GpgHome.create(work, "dave");
        carolsGpg = GpgHome.create(work, "carol");
        // As GnuPG's defaults make it: a primary key that certifies and signs, and an encryption subkey.
        alicesGpg.gpg("--quick-gen-key", "Alice <" + ALICE + ">", "ed25519", "cert,sign", "0");
        alicesFingerprint = alicesGpg.fingerprintOf(ALICE);
        alicesGpg.gpg("--quick-add-key", alicesFingerprint, "cv25519", "encr", "0");
        bobsGpg.generateKey("Bob <" + BOB + ">");
        davesGpg.generateKey("Dave <" + DAVE + ">");
        carolsGpg.generateKey("Carol <" + CAROL + ">");
        alicesSecretKey = alicesGpg.gpg("--armor", "--export-secret-keys", ALICE);
        byte[] alicesPublicKey = alicesGpg.gpgBytes(null, "--armor", "--export", ALICE).stdout();
        bobsGpg.gpgBytes(alicesPublicKey, "--import");
        davesGpg.gpgBytes(alicesPublicKey, "--import");
        carolsGpg.gpgBytes(alicesPublicKey, "--import");

        // Carol's domain publishes her key by WKD; the keyless address gets 404 there.
        WebKeyDirectories.shared().publish(CAROL, carolsGpg.gpgBytes(null, "--export", CAROL).stdout());

        essaim = EssaimInstance.shared();
        MailServerBridge bridge = essaim.bean(MailServerBridge.class);
        for (String account : List.of(ALICE, BOB, DAVE)) {
            bridge.createAccount(account, PASSWORD);
        }
        essaim.publishKey(ALICE, alicesPublicKey);
        essaim.publishKey(BOB, bobsGpg.gpgBytes(null, "--armor", "--export", BOB).stdout());
        essaim.publishKey(DAVE, davesGpg.gpgBytes(null, "--armor", "--export", DAVE).stdout());
    }

    @AfterAll
    static void stop() {
        for (GpgHome home : new GpgHome[] {alicesGpg, bobsGpg, davesGpg, carolsGpg}) {
            if (home != null) {
                home.close();
            }
        }
    }

    @BeforeEach
    void openPage() {
        page = browser.page();
        traffic = BrowserTraffic.record(page);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------

    final String marker = "m" + Long.toHexString(System.nanoTime());

    String marker() {
        return marker;
    }

    void openComposerAsAliceWithKeyUnlocked() {
        LoginPage.logIn(page, essaim, ALICE, PASSWORD);
        page.waitForURL(url -> !url.contains("/login"));
        BrowserKeys.importPrivateKey(page, essaim, alicesSecretKey, PASSPHRASE);
        // In-app navigation keeps the unlocked key in page memory (a page load would lock it).
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New message")).click();
        assertThat(page).hasURL(Pattern.compile(".*/compose$"));
        assertThat(page.locator("#key-lock-button")).isVisible();
        assertThat(composer("#send-button")).isVisible();
    }

    /** With {@code -Dessaim.screenshots=docs/screenshots}, keeps a picture of the composer for the docs. */
    void saveScreenshot(String name) throws IOException {
        String dir = System.getProperty("essaim.screenshots");
        if (dir == null || dir.isBlank()) {
            return;
        }
        Path target = Path.of(dir).toAbsolutePath().resolve(name);
        Files.createDirectories(target.getParent());
        page.setViewportSize(1280, 1100);
        page.locator("#compose-view h2").scrollIntoViewIfNeeded();
        page.screenshot(new Page.ScreenshotOptions().setPath(target));
        page.setViewportSize(1280, 800);
    }

    void sendAndExpectSent() {
        composer("#send-button").click();
        try {
            assertThat(page).hasURL(Pattern.compile(".*/mail/Sent$"));
        } catch (AssertionError e) {
            throw new AssertionError("Not sent; the composer says: " + composer("#composer-error").textContent(), e);
        }
    }

    /** The key IDs a message is encrypted to, as gpg lists its public-key encrypted session key packets. */
    static List<String> recipientKeyIds(MimeMessage message) throws Exception {
        GpgHome.Result packets = carolsGpg.tryGpg(armoredPart(message), "--list-packets");
        java.util.regex.Matcher keyIds = Pattern.compile("pubkey enc packet: .*keyid ([0-9A-F]{16})").matcher(packets.out() + packets.stderr());
        List<String> ids = new ArrayList<>();
        while (keyIds.find()) {
            ids.add(keyIds.group(1));
        }
        return ids;
    }

    static String encryptionKeyId(GpgHome home, String address) {
        for (String line : home.gpg("--with-colons", "--list-keys", address).split("\n")) {
            String[] fields = line.split(":");
            if (fields[0].equals("sub") && fields.length > 11 && fields[11].contains("e")) {
                return fields[4];
            }
        }
        throw new AssertionError("no encryption subkey for " + address);
    }

    Locator composer(String selector) {
        return page.locator("essaim-composer " + selector);
    }

    void addRecipient(String field, String address) {
        Locator input = page.locator("#" + field + " input");
        input.fill(address);
        input.press("Enter");
        assertThat(page.locator("#" + field)).containsText(address);
        input.blur(); // closes the completion overlay, which would catch the next click
    }

    void assertKeyState(String address, String state, String label) {
        Locator item = composer("#recipient-keys li[data-address='" + address + "']");
        assertThat(item).hasAttribute("data-state", state);
        assertThat(item).containsText(label);
    }

    void assertNothingSecretLeftThePage(String subject, String body) {
        assertThat(traffic.containing(subject)).as("subject in traffic").isEmpty();
        assertThat(traffic.containing(body)).as("body in traffic").isEmpty();
        assertThat(traffic.containing(marker())).as("marker in traffic").isEmpty();
        assertThat(traffic.containing(PASSPHRASE)).as("passphrase in traffic").isEmpty();
        for (String line : secretOnlyArmorLines()) {
            assertThat(traffic.containing(line)).as("private key in traffic").isEmpty();
        }
        // Positive control: the recording does see what the page sent, the ciphertext.
        assertThat(traffic.containing("-----BEGIN PGP MESSAGE-----")).isNotEmpty();
    }

    /** Lines of Alice's armored private key that her public key does not have: secret material in them. */
    static List<String> secretOnlyArmorLines() {
        String publicKey = alicesGpg.gpg("--armor", "--export", ALICE);
        List<String> lines = alicesSecretKey.lines()
                .filter(line -> line.length() >= 40 && !line.startsWith("-----") && !publicKey.contains(line))
                .toList();
        assertThat(lines).isNotEmpty();
        return lines;
    }

    static int count(String account, String folder) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            if (!opened.exists()) {
                return 0;
            }
            opened.open(Folder.READ_ONLY);
            try {
                return opened.getMessageCount();
            } finally {
                opened.close(false);
            }
        }
    }

    /** Waits until the folder holds {@code count} messages and returns a detached copy of the newest. */
    static MimeMessage newest(String account, String folder, int count) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            MailClients.awaitMessages(store, folder, count);
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                Message message = opened.getMessage(opened.getMessageCount());
                Flags flags = message.getFlags();
                MimeMessage copy = new MimeMessage((MimeMessage) message);
                copy.setFlags(flags, true);
                return copy;
            } finally {
                opened.close(false);
            }
        }
    }

    static long uidOfMessageId(String account, String folder, String messageId) throws Exception {
        return uidOfFirst(account, folder, message -> messageId.equals(message.getMessageID()), "No message " + messageId);
    }

    static long uidFrom(String account, String folder, String senderMarker) throws Exception {
        return uidOfFirst(account, folder, message -> message.getHeader("From", ",").contains(senderMarker),
                "No message from " + senderMarker);
    }

    /** The UID of the folder's first message that matches, read over IMAPS. */
    private static long uidOfFirst(String account, String folder, MessageTest matches, String notFound) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                for (Message message : opened.getMessages()) {
                    if (matches.test((MimeMessage) message)) {
                        return ((jakarta.mail.UIDFolder) opened).getUID(message);
                    }
                }
                throw new AssertionError(notFound + " in " + folder);
            } finally {
                opened.close(false);
            }
        }
    }

    /** A condition on a stored message, which may need to read it from the server. */
    private interface MessageTest {
        boolean test(MimeMessage message) throws MessagingException;
    }

    static MimeMessage byUid(String account, String folder, long uid) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                return new MimeMessage((MimeMessage) ((jakarta.mail.UIDFolder) opened).getMessageByUID(uid));
            } finally {
                opened.close(false);
            }
        }
    }

    static long uidOfNewest(String account, String folder) throws Exception {
        try (Store store = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder opened = store.getFolder(folder);
            opened.open(Folder.READ_ONLY);
            try {
                return ((jakarta.mail.UIDFolder) opened).getUID(opened.getMessage(opened.getMessageCount()));
            } finally {
                opened.close(false);
            }
        }
    }

    static byte[] armoredPart(MimeMessage message) throws Exception {
        Multipart parts = (Multipart) message.getContent();
        return bytesOf(parts.getBodyPart(1));
    }

    static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    static byte[] bytesOf(Part part) throws Exception {
        try (InputStream in = part.getInputStream(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            in.transferTo(out);
            return out.toByteArray();
        }
    }

    static String headerText(MimeMessage message) throws Exception {
        List<String> lines = new ArrayList<>();
        message.getAllHeaderLines().asIterator().forEachRemaining(lines::add);
        return String.join("\n", lines);
    }
}
