package org.essaim.webmail.reading;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.Browser;
import org.essaim.support.BrowserKeys;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.microsoft.playwright.Page;

/**
 * Time to read a 100 KB message in headless Chromium: a plaintext mail from outside, encrypted to the user on
 * arrival (the everyday case), opened from the message list by in-app navigation with the key unlocked.
 * Prints, per run and as medians: navigation to body shown (fetch over IMAP + decrypt + parse + render, as the user
 * waits) and the module's own decrypt and parse times.
 * <p>Run: {@code mvn -B -o test -Dtest=ReaderBenchmark -Dexcluded.test.groups=none -Dsurefire.failIfNoSpecifiedTests=false}
 */
@Tag("benchmark")
class ReaderBenchmark {
    private static final String USER = "bench@" + EssaimInstance.DOMAIN;
    private static final String PASSWORD = "benchmark password 2026";
    private static final String PASSPHRASE = "benchmark passphrase";
    private static final int RUNS = 9;

    @TempDir
    Path dataDir;

    @Test
    void decryptParseAndRenderA100KbMessage() throws Exception {
        try (EssaimInstance essaim = EssaimInstance.start(dataDir); Browser browser = Browser.launch()) {
            essaim.bean(MailServerBridge.class).createAccount(USER, PASSWORD);
            TestKeys.KeyPair keys = TestKeys.generate(USER);
            essaim.publishKey(USER, keys.publicKey());
            StringBuilder body = new StringBuilder();
            while (body.length() < 100 * 1024) {
                body.append("Line ").append(body.length()).append(" of a long message, with some words to read. ")
                        .append(UUID.randomUUID()).append("\r\n");
            }
            String from = "long-" + UUID.randomUUID() + "@example.org";
            SmtpSender.deliver(essaim, "Long <" + from + ">", USER, "A 100 KB message", body.toString() + "THE END");
            long uid;
            int size;
            try (Store store = MailClients.imaps(essaim, USER, PASSWORD)) {
                MailClients.awaitMessages(store, "INBOX", 1);
                Folder inbox = store.getFolder("INBOX");
                inbox.open(Folder.READ_ONLY);
                uid = ((UIDFolder) inbox).getUID(inbox.getMessage(1));
                size = inbox.getMessage(1).getSize();
                inbox.close(false);
            }

            Page page = browser.newPage();
            LoginPage.logIn(page, essaim, USER, PASSWORD);
            assertThat(page.locator("#messages")).isVisible();
            BrowserKeys.importPrivateKey(page, essaim, keys.secretKey(), PASSPHRASE);
            page.navigate(essaim.baseUrl() + "/mail/INBOX");
            BrowserKeys.unlockInTopBar(page, PASSPHRASE);

            List<Double> shown = new ArrayList<>();
            List<Double> decrypt = new ArrayList<>();
            List<Double> parse = new ArrayList<>();
            for (int run = 0; run < RUNS; run++) {
                navigateInApp(page, "read/INBOX/" + uid);
                page.waitForFunction("uid => { const r = document.querySelector('essaim-reader');"
                        + " if (r && r.uid === uid && r.dataset.state === 'shown' && r.timings) {"
                        + " window.__shownAt = window.__shownAt || performance.now(); return true; } return false; }",
                        String.valueOf(uid), new Page.WaitForFunctionOptions().setPollingInterval(5).setTimeout(60_000));
                assertThat(page.locator("#body-text")).containsText("THE END");
                @SuppressWarnings("unchecked")
                Map<String, Object> timings = (Map<String, Object>) page.evaluate(
                        "() => ({ shown: window.__shownAt - window.__navigatedAt, ...document.querySelector('essaim-reader').timings })");
                double total = ((Number) timings.get("shown")).doubleValue();
                shown.add(total);
                decrypt.add(((Number) timings.get("decrypt")).doubleValue());
                parse.add(((Number) timings.get("parse")).doubleValue());
                System.out.printf("BENCHMARK reader run %d: navigation to body shown %.0f ms (fetch %.0f, decrypt %.0f, parse %.0f)%n",
                        run + 1, total, ((Number) timings.get("fetch")).doubleValue(), decrypt.get(run), parse.get(run));
                navigateInApp(page, "mail/INBOX");
                assertThat(page.locator("#messages")).isVisible();
            }
            System.out.printf("BENCHMARK reader: stored message %d bytes; medians over %d runs (first included): "
                    + "navigation to body shown %.0f ms, decrypt %.0f ms, parse %.0f ms%n",
                    size, RUNS, median(shown), median(decrypt), median(parse));
            assertThat(shown).hasSize(RUNS);
        }
    }

    /** A route change inside the running page (as a click in the app), so the unlocked key stays in memory. */
    private static void navigateInApp(Page page, String route) {
        page.evaluate("route => { window.__shownAt = 0; window.__navigatedAt = performance.now();"
                + " history.pushState({}, '', route); window.dispatchEvent(new PopStateEvent('popstate', { state: {} })); }", route);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(Double::compare);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
