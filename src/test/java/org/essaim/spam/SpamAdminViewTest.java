package org.essaim.spam;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.UUID;

import com.microsoft.playwright.Page;

import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.LoginPage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The admin's spam page in a real headless Chromium: the engine in use, and a refused message counted by day and by
 * rule, with nothing of the message on the page (not its sender, recipient or subject). Members are refused the page
 * (AdminViewsTest checks every admin view).
 */
class SpamAdminViewTest {
    private static final String PASSWORD = "a long enough test password";
    private static final String GTUBE = "XJS*C4JDBQADN1.NSBN3*2IDNEN*GTUBE-STANDARD-ANTI-UBE-TEST-EMAIL*C.34X";
    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    @Test
    void anAdminSeesTheEngineAndTodaysRefusalsCountedWithoutAnythingOfTheMessage() {
        EssaimInstance essaim = EssaimInstance.shared();
        String member = essaim.newAccount("spam-page-member", PASSWORD);
        essaim.publishGeneratedKey(member);
        String admin = essaim.newAdmin("spam-page-admin", PASSWORD);
        String subject = "Refused " + UUID.randomUUID();
        String sender = "sender-" + UUID.randomUUID().toString().substring(0, 8) + "@example.org";
        assertThat(send(essaim, sender, member, subject)).startsWith("554 5.7.1");

        Page page = browser.page();
        LoginPage.logIn(page, essaim, admin, PASSWORD);
        assertThat(page.locator("#messages")).isVisible();
        page.locator("#admin-nav").getByText("Spam filter").click();
        page.waitForURL("**/admin/spam");

        assertThat(page.locator("#spam-engine")).containsText("Engine: embedded");
        assertThat(page.locator("#spam-engine")).containsText("Refused at a score of 15 or more, filed in Spam at 3");
        SpamStatistics.Day today = essaim.bean(SpamStatistics.class).days(1).get(0);
        assertThat(today.refused()).isPositive();
        assertThat(page.locator("#spam-today")).hasText("Today: " + today.refused() + " refused, " + today.junked()
                + " filed in Spam, " + today.delivered() + " delivered to the Inbox.");
        assertThat(page.locator("#spam-days")).containsText(today.day().toString());
        assertThat(page.locator("#spam-reasons")).containsText("GTUBE");
        String shown = page.locator("#spam-view").innerText();
        assertThat(shown).doesNotContain(sender).doesNotContain(member).doesNotContain(subject);
    }

    private static String send(EssaimInstance essaim, String sender, String recipient, String subject) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            assertThat(smtp.smtp("EHLO mail.example.org")).startsWith("250");
            assertThat(smtp.smtp("MAIL FROM:<" + sender + ">")).startsWith("250");
            assertThat(smtp.smtp("RCPT TO:<" + recipient + ">")).startsWith("250");
            assertThat(smtp.smtp("DATA")).startsWith("354");
            smtp.send("From: <" + sender + ">");
            smtp.send("To: <" + recipient + ">");
            smtp.send("Subject: " + subject);
            smtp.send("");
            smtp.send(GTUBE);
            String reply = smtp.smtp(".");
            smtp.smtp("QUIT");
            return reply;
        }
    }
}
