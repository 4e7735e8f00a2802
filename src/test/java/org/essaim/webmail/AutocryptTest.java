package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;

import org.essaim.keys.AutocryptHeader;
import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

/**
 * Autocrypt Level 1 in the webmail (issue 19): mail sent from Essaim carries the sender's key in an Autocrypt
 * header and, inside the encryption, gossip of the other recipients' keys; a correspondent's Autocrypt header
 * teaches the browser their key (shown in the reader), which the composer then encrypts to.
 */
class AutocryptTest {
    private static final String PASSWORD = "autocrypt test 2026";
    private static final String PASSPHRASE = "autocrypt passphrase";

    private static EssaimInstance essaim;
    private static Page page;
    private static String user;
    private static TestKeys.KeyPair userKeys;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        user = "auto-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        userKeys = TestKeys.generate(user);
        essaim.publishKey(user, userKeys.publicKey());
        page = Browser.shared().newPage(); // one page for the class: the key is imported once
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, userKeys.secretKey(), PASSPHRASE);
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.context().close();
        }
    }

    @Test
    void aPeersAutocryptHeaderTeachesTheBrowserTheirKeyAndTheComposerUsesIt() throws Exception {
        String peer = "peer-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        TestKeys.KeyPair peerKeys = TestKeys.generate(peer);
        String autocrypt = AutocryptHeader.value(peer, new String(peerKeys.publicKey(), StandardCharsets.US_ASCII));
        deliverFromOutside(peer, "Autocrypt: " + autocrypt + "\r\nSubject: Hello with my key\r\n", "Write to me encrypted.");

        page.locator("#folders [data-folder='INBOX']").click(); // in-app: the key stays unlocked
        page.locator("#messages").getByText(peer).click();
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
        assertThat(page.locator("#autocrypt-note")).containsText(peer);

        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New message")).click();
        page.locator("#to input").fill(peer);
        page.locator("#to input").press("Enter");
        assertThat(page.locator("essaim-composer #recipient-keys li[data-address='" + peer + "']"))
                .hasAttribute("data-state", "contacts");
        page.locator("#to input").blur(); // closes the completion overlay
    }

    @Test
    void sentMailCarriesTheSendersKeyAndGossipsTheOtherRecipientsKeysInsideTheEncryption() throws Exception {
        String colleague = "colleague-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(colleague, PASSWORD);
        essaim.publishKey(colleague, TestKeys.generate(colleague).publicKey());
        String subject = "Gossip " + UUID.randomUUID();

        page.keyboard().press("Escape"); // whatever overlay an earlier test left open
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("New message")).click();
        for (String to : new String[] {user, colleague}) {
            page.locator("#to input").fill(to);
            page.locator("#to input").press("Enter");
        }
        page.locator("#to input").blur();
        page.locator("essaim-composer #subject").fill(subject);
        page.locator("essaim-composer #body").fill("Everyone can answer all, encrypted.");
        page.locator("essaim-composer #send-button").click();
        page.waitForURL(url -> url.endsWith("/mail/Sent"));

        String sent = newestRaw("Sent");
        String header = unfolded(sent, "Autocrypt");
        assertThat(header).startsWith("addr=" + user + "; prefer-encrypt=mutual; keydata=");
        String published = essaim.bean(org.essaim.keys.PublicKeyDirectory.class).find(user).orElseThrow().armored();
        assertThat(header.replaceAll("\\s", "")).isEqualTo(AutocryptHeader.value(user, published).replaceAll("\\s", ""));
        Matcher armored = Pattern.compile("-----BEGIN PGP MESSAGE-----[\\s\\S]*?-----END PGP MESSAGE-----").matcher(sent);
        assertThat(armored.find()).isTrue();
        String inner = new String(TestKeys.decrypt(armored.group().getBytes(StandardCharsets.US_ASCII), userKeys.secretKey()),
                StandardCharsets.UTF_8);
        assertThat(inner.split("\r\n\r\n", 2)[0]).contains("Autocrypt-Gossip: addr=" + colleague + "; keydata=")
                .contains("Autocrypt-Gossip: addr=" + user + "; keydata=");
        assertThat(sent.split("\r\n\r\n", 2)[0]).doesNotContain("Autocrypt-Gossip");
    }

    private static String unfolded(String message, String name) {
        String headers = message.split("\r\n\r\n", 2)[0].replaceAll("\r\n[ \t]+", " ");
        for (String line : headers.split("\r\n")) {
            if (line.regionMatches(true, 0, name + ":", 0, name.length() + 1)) {
                return line.substring(name.length() + 1).trim();
            }
        }
        return "";
    }

    private static String newestRaw(String folderName) throws Exception {
        try (Store store = MailClients.imaps(essaim, user, PASSWORD)) {
            Folder folder = store.getFolder(folderName);
            folder.open(Folder.READ_ONLY);
            try {
                Message newest = folder.getMessage(folder.getMessageCount());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                newest.writeTo(out);
                return out.toString(StandardCharsets.ISO_8859_1);
            } finally {
                folder.close(false);
            }
        }
    }

    private static void deliverFromOutside(String from, String headers, String body) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + user + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            String message = "From: <" + from + ">\r\nTo: <" + user + ">\r\nMessage-ID: <" + UUID.randomUUID()
                    + "@example.org>\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\nMIME-Version: 1.0\r\n"
                    + "Content-Type: text/plain; charset=utf-8\r\n" + headers + "\r\n" + body + "\r\n";
            for (String line : message.split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }
}
