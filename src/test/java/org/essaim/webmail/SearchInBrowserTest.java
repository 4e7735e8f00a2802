package org.essaim.webmail;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserTraffic;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.assertions.LocatorAssertions;

/**
 * Search that the server never sees (issue 19): the index is built in the browser's crypto worker from mail only
 * the browser can decrypt, kept encrypted in IndexedDB, and queried there. Real Essaim, real Chromium; every
 * request and websocket frame the page sends is recorded to prove that neither the query nor the found words leave.
 */
class SearchInBrowserTest {
    private static final String PASSWORD = "searching is fun 2026!";
    private static final String PASSPHRASE = "search key passphrase";
    private static final LocatorAssertions.HasAttributeOptions SLOW = new LocatorAssertions.HasAttributeOptions().setTimeout(90_000);

    private static EssaimInstance essaim;
    private static Page page;
    private static BrowserTraffic traffic;
    private static String user;
    private static String secretKey;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        user = "seeker-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(user, PASSWORD);
        TestKeys.KeyPair keys = TestKeys.generate(user);
        secretKey = keys.secretKey();
        essaim.publishKey(user, keys.publicKey());
        page = Browser.shared().newPage(); // one page for the class: the key is imported once
        traffic = BrowserTraffic.record(page);
        LoginPage.logIn(page, essaim, user, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        BrowserKeys.importPrivateKey(page, essaim, secretKey, PASSPHRASE);
    }

    @AfterAll
    static void stop() {
        if (page != null) {
            page.context().close();
        }
    }

    @Test
    void findsMessagesByEncryptedBodyWordAndByOperatorWithoutTheQueryOrTheWordsEverLeavingTheBrowser() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String alice = "alice-" + tag + "@example.org";
        String bodyWord = "zephyrine" + tag;
        String subject = "Quarterly plans " + tag;
        SmtpSender.deliver(essaim, "Alice <" + alice + ">", user, subject, "The secret word is " + bodyWord + " today.");
        SmtpSender.deliver(essaim, "Bob <bob-" + tag + "@example.org>", user, "Other news " + tag, "Nothing to see.");

        page.navigate(essaim.baseUrl() + "/mail/INBOX"); // a reload locks the key: unlock as a person does
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        Locator box = page.locator("essaim-search-box");
        assertThat(box).hasAttribute("data-docs", Pattern.compile("[2-9]|\\d\\d+"), SLOW);

        List<String> bySender = search("from:alice-" + tag);
        assertThat(bySender).singleElement().asString().contains(subject);
        assertThat(search("subject:quarterly from:bob-" + tag)).isEmpty();

        // Bodies are opt-in: before, the body word finds nothing; after indexing, it finds the message.
        assertThat(search(bodyWord)).isEmpty();
        page.locator("#search-index-bodies").click();
        assertThat(page.locator("#search-bodies")).hasAttribute("data-state", "done", SLOW);
        assertThat(search(bodyWord)).singleElement().asString().contains(subject);
        assertThat(search(bodyWord + " has:attachment")).isEmpty();

        // A new message is searchable within 5 s of appearing in the list.
        String lateWord = "quokkaesque" + tag;
        String lateSender = "late-" + tag + "@example.org";
        SmtpSender.deliver(essaim, "<" + lateSender + ">", user, "Late " + tag, "Arrives later: " + lateWord);
        // Once it is stored, the user opens the Inbox (in-app, the key stays unlocked): a page change looks for new
        // mail, and the list and the index learn of it from the same news as from the periodic check.
        awaitStored(lateSender);
        page.locator("#folders [data-folder='INBOX']").click();
        assertThat(page.locator("#messages")).containsText(lateSender, new com.microsoft.playwright.assertions.LocatorAssertions
                .ContainsTextOptions().setTimeout(60_000));
        long appeared = System.currentTimeMillis();
        page.waitForCondition(() -> search(lateWord).size() == 1, new Page.WaitForConditionOptions().setTimeout(5_000));
        System.out.printf("New mail searchable %d ms after it appeared in the list%n", System.currentTimeMillis() - appeared);

        // A reload loads the saved (encrypted) snapshot of the index instead of indexing every stored message again,
        // and nothing indexed is lost: bodies, and the late message indexed after the snapshot of the first phase.
        page.navigate(essaim.baseUrl() + "/mail/INBOX");
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(box).hasAttribute("data-opened", "snapshot", SLOW);
        assertThat(box).hasAttribute("data-synced", Pattern.compile("\\d+"), SLOW);
        assertThat(page.locator("#search-bodies")).hasAttribute("data-state", "done", SLOW);
        assertThat(search(bodyWord)).singleElement().asString().contains(subject);
        assertThat(search(lateWord)).hasSize(1);

        for (String secret : List.of(bodyWord, lateWord, subject, "from:alice", PASSPHRASE)) {
            assertThat(traffic.containing(secret)).as("%s left the page", secret).isEmpty();
        }
        assertThat(traffic.all()).as("the positive control: the recording sees what the page sends").isNotEmpty();
        assertThat(indexedDbText()).as("IndexedDB holds the index encrypted")
                .contains("essaim-search").doesNotContain(bodyWord).doesNotContain(lateWord).doesNotContain("Quarterly")
                .doesNotContain(alice);
    }

    @Test
    void aThreeMessageThreadIsOneConversationAndTheReaderShowsItWhole() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String first = "<thread-a-" + tag + "@example.org>";
        String second = "<thread-b-" + tag + "@example.org>";
        String third = "<thread-c-" + tag + "@example.org>";
        String sender = "threader-" + tag + "@example.org";
        deliver(sender, "Message-ID: " + first + "\r\nSubject: Picnic " + tag + "\r\n", "Shall we?");
        deliver(sender, "Message-ID: " + second + "\r\nIn-Reply-To: " + first + "\r\nReferences: " + first
                + "\r\nSubject: Re: Picnic " + tag + "\r\n", "Yes!");
        deliver(sender, "Message-ID: " + third + "\r\nIn-Reply-To: " + second + "\r\nReferences: " + first + " " + second
                + "\r\nSubject: Re: Re: Picnic " + tag + "\r\n", "Saturday then.");

        page.navigate(essaim.baseUrl() + "/mail/INBOX");
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        assertThat(page.locator("#messages")).containsText(sender);
        page.locator("#view-conversations").click();
        Locator thread = page.locator("#conversations li.conversation", new Page.LocatorOptions().setHasText("Picnic " + tag));
        assertThat(thread).hasAttribute("data-count", "3", new LocatorAssertions.HasAttributeOptions().setTimeout(60_000));
        assertThat(thread).not().containsText("Re:"); // the conversation is named without answer prefixes

        thread.click();
        assertThat(page.locator("essaim-reader")).hasAttribute("data-state", "shown");
        assertThat(page.locator("#body-text")).containsText("Saturday then.");
        assertThat(page.locator("#conversation li")).hasCount(3);
        // The whole conversation, oldest first: the two earlier messages decrypted under the one opened.
        assertThat(page.locator("#conversation li").nth(0).locator(".thread-text")).containsText("Shall we?");
        assertThat(page.locator("#conversation li").nth(1).locator(".thread-text")).containsText("Yes!");
        assertThat(page.locator("#conversation li").nth(2)).hasClass("current");
        page.locator("#conversation li .line").first().click();
        assertThat(page.locator("#body-text")).containsText("Shall we?");
        assertThat(page.locator("#conversation li").nth(2).locator(".thread-text")).containsText("Saturday then.");
        page.locator("#folders [data-folder='INBOX']").click();
        page.locator("#view-messages").click();
        assertThat(page.locator("#messages")).isVisible();
    }

    @Test
    void manyResultsAreShownFiftyAtATimeNewestFirst() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        int count = 57;
        jakarta.mail.Session session = jakarta.mail.Session.getInstance(new java.util.Properties());
        jakarta.mail.Message[] messages = new jakarta.mail.Message[count];
        for (int i = 0; i < count; i++) {
            String message = "From: <bulk-" + tag + "@example.org>\r\nTo: <" + user + ">\r\nSubject: Bulk " + tag + " number " + i
                    + "\r\nMessage-ID: <bulk-" + i + "-" + tag + "@example.org>\r\nDate: " + String.format("Wed, 25 Nov 2026 10:%02d:00 +0000", i)
                    + "\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nOne of many.\r\n";
            messages[i] = new jakarta.mail.internet.MimeMessage(session,
                    new java.io.ByteArrayInputStream(message.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        }
        try (jakarta.mail.Store imap = org.essaim.support.MailClients.imaps(essaim, user, PASSWORD)) {
            imap.getFolder("INBOX").appendMessages(messages);
        }
        page.navigate(essaim.baseUrl() + "/mail/INBOX");
        BrowserKeys.unlockInTopBar(page, PASSPHRASE);
        // "57 messages (12 ms)": the count of all of them, not a query time that happens to read 57.
        page.waitForCondition(() -> search("from:bulk-" + tag).size() == 50
                && page.locator("#search-count").innerText().startsWith(count + " "), new Page.WaitForConditionOptions().setTimeout(90_000));

        // What the user reads, in order: newest first, 50 of them, then all 57 after "Show more".
        String[] newestFirst = java.util.stream.IntStream.range(0, count).map(i -> count - 1 - i)
                .mapToObj(i -> "Bulk " + tag + " number " + i).toArray(String[]::new);
        Locator subjects = page.locator(".search-result .subject");
        assertThat(subjects).hasText(java.util.Arrays.copyOf(newestFirst, 50));
        Locator more = page.locator("#search-more");
        assertThat(more).containsText("50");
        more.click();
        assertThat(subjects).hasText(newestFirst);
        assertThat(more).isHidden();

        // The index syncs on every change of the mailbox (Java bumps "changes"), and a sync asks the last query again.
        // That answer must not end the wait for a newly typed text: once it did, the test read the old answer and its
        // text's own answer came later, after "Show more" had been clicked, and took the list back to 50 (stop 26's CI).
        // The text is typed just as a sync has asked the last query again (data-synced is written right before).
        page.evaluate("text => new Promise(typed => { const box = document.querySelector('essaim-search-box');"
                + " const input = box.renderRoot.querySelector('#search-input');"
                + " const synced = new MutationObserver(() => { synced.disconnect();"
                + "   input.value = text; input.dispatchEvent(new Event('input')); typed(); });"
                + " synced.observe(box, { attributes: true, attributeFilter: ['data-synced'] });"
                + " box.changes = box.changes + 1; })", "from:nobody-" + tag);
        page.waitForFunction("() => !document.querySelector('essaim-search-box').hasAttribute('data-pending')");
        assertThat(page.locator(".search-result").allInnerTexts()).as("results once the typed text's answer is drawn").isEmpty();
    }

    private static void deliver(String from, String headers, String body) {
        try (org.essaim.support.LineClient smtp = org.essaim.support.LineClient.connect(essaim.smtpPort())) {
            assertThat(smtp.readSmtpReply()).startsWith("220");
            smtp.smtp("EHLO sender.example");
            assertThat(smtp.smtp("MAIL FROM:<" + from + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + user + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            String message = "From: <" + from + ">\r\nTo: <" + user + ">\r\nDate: Wed, 25 Nov 2026 10:00:00 +0000\r\n"
                    + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n" + headers + "\r\n" + body + "\r\n";
            for (String line : message.split("\r\n", -1)) {
                smtp.send(line.startsWith(".") ? "." + line : line);
            }
            assertThat(smtp.smtp(".")).startsWith("250");
            smtp.smtp("QUIT");
        }
    }

    /** Until a message from the sender is stored in the Inbox (SMTP's 250 comes before that), as IMAP sees it. */
    private static void awaitStored(String sender) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (!MessageListRows.senders(essaim, user, PASSWORD, "INBOX").contains(sender) && System.currentTimeMillis() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Types the query into the search field; the subjects of the results (read from the page only). */
    private static List<String> search(String query) {
        Locator input = page.locator("#search-input");
        input.fill("");
        input.fill(query);
        page.waitForFunction("() => !document.querySelector('essaim-search-box').hasAttribute('data-pending')");
        assertThat(page.locator("#search-count")).isVisible();
        return page.locator(".search-result").allInnerTexts();
    }

    /** Every value stored in the page's IndexedDB databases, as text (ArrayBuffers decoded byte per character). */
    private static String indexedDbText() {
        return (String) page.evaluate("async () => {"
                + " const out = [];"
                + " const text = (v) => v instanceof ArrayBuffer || ArrayBuffer.isView(v)"
                + "   ? Array.from(new Uint8Array(v.buffer || v, v.byteOffset || 0, v.byteLength), b => String.fromCharCode(b)).join('')"
                + "   : (v && typeof v === 'object') ? Object.values(v).map(text).join(' ') : String(v);"
                + " for (const info of await indexedDB.databases()) {"
                + "   out.push(info.name);"
                + "   const db = await new Promise((ok, ko) => { const r = indexedDB.open(info.name); r.onsuccess = () => ok(r.result); r.onerror = ko; });"
                + "   for (const name of db.objectStoreNames) {"
                + "     const all = await new Promise((ok, ko) => { const r = db.transaction(name).objectStore(name).getAll(); r.onsuccess = () => ok(r.result); r.onerror = ko; });"
                + "     out.push(all.map(text).join(' '));"
                + "   }"
                + "   db.close();"
                + " }"
                + " return out.join('\\n'); }");
    }
}
