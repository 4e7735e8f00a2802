package org.essaim.admin;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

import java.util.UUID;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.AdminSigning;
import org.essaim.support.BrowserKeys;
import org.essaim.support.BrowserPages;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LoginPage;
import org.essaim.support.TestKeys;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;

/**
 * Rough edges an admin met (issue 19): the Accounts page acts as soon as the admin's key is published from the Keys
 * page, without a reload; outstanding invitations are listed, and one can be revoked (a signed action) so its link
 * stops working. On the shared instance, with an admin of its own (granted the role as co-optation would).
 */
class InvitationsAndPublishedKeyTest {
    private static final String PASSWORD = "an admin's own long passphrase";
    private static final String PASSPHRASE = "invitations test passphrase";

    @RegisterExtension
    static final BrowserPages browser = new BrowserPages();

    private static EssaimInstance essaim;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @Test
    void theAccountsPageActsOnceTheKeyIsPublishedInAnotherTabAndRevokedInvitationsStopWorking() {
        String admin = "admin-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        essaim.bean(MailServerBridge.class).createAccount(admin, PASSWORD);
        essaim.bean(org.essaim.accounts.AccountRoles.class).grant(admin, org.essaim.accounts.AccountRoles.ADMIN);
        String secretKey = TestKeys.generate(admin).secretKey(); // not published yet
        Page accounts = browser.page();
        BrowserContext context = accounts.context(); // its tabs are closed with it after the test
        LoginPage.logIn(accounts, essaim, admin, PASSWORD);
        assertThat(accounts.locator("#current-user")).hasText(admin);
        accounts.navigate(essaim.baseUrl() + "/admin/accounts");
        assertThat(accounts.locator("#invite-address")).isVisible();

        // In another tab of the same browser: the key is imported and published from the Keys page.
        Page keys = context.newPage();
        BrowserKeys.importPrivateKey(keys, essaim, secretKey, PASSPHRASE);
        assertThat(keys.locator("#fingerprint")).isVisible();
        keys.waitForCondition(() -> essaim.bean(org.essaim.keys.PublicKeyDirectory.class).find(admin).isPresent());
        keys.close();

        // Back in the first tab, without a reload: the invitation is signed and made.
        String invited = "invited-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;
        accounts.locator("#invite-address input").fill(invited);
        accounts.locator("#invite-create").click();
        AdminSigning.signWithPassphrase(accounts, PASSPHRASE);
        assertThat(accounts.locator("#admin-message")).hasText("Invitation created for " + invited + ".");
        String link = accounts.locator("#invite-link input").inputValue();
        assertThat(accounts.locator("#open-invitations")).containsText(invited);
        assertThat(accounts.locator("#open-invitations")).containsText(admin);

        accounts.locator(".revoke-invitation[data-address='" + invited + "']").click();
        assertThat(accounts.locator("#admin-message")).containsText("The invitation to " + invited + " is revoked");
        assertThat(accounts.locator(".revoke-invitation[data-address='" + invited + "']")
                .filter(new com.microsoft.playwright.Locator.FilterOptions().setVisible(true))).hasCount(0);
        org.assertj.core.api.Assertions.assertThat(essaim.bean(Invitations.class).open())
                .noneMatch(invitation -> invitation.address().equals(invited));

        Page invitee = context.newPage();
        invitee.navigate(link);
        assertThat(invitee.locator("#invite-invalid")).isVisible();
    }
}
