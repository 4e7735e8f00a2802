package org.essaim.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.OptionalLong;
import java.util.UUID;

import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Store;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.LineClient;
import org.essaim.support.MailClients;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Admins manage accounts without choosing people's passwords, and without any power over content. */
class AccountAdministrationTest {
    private static final String PASSWORD = "a member's own long passphrase";
    private static final String ADMIN_PASSWORD = "this admin's own long passphrase";

    static EssaimInstance essaim;
    static String admin;
    static AdminActions adminActions;
    static Invitations invitations;
    static MailServerBridge mailServer;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
        admin = essaim.newAdmin("accounts-admin", ADMIN_PASSWORD);
        adminActions = essaim.bean(AdminActions.class);
        invitations = essaim.bean(Invitations.class);
        mailServer = essaim.bean(MailServerBridge.class);
    }

    private static String newAddress() {
        return EssaimInstance.uniqueAddress("member");
    }

    private static String invite(String address) {
        return adminActions.execute(admin, new AdminAction.Invite(address)).orElseThrow();
    }

    private static String newMember() {
        String address = newAddress();
        invitations.accept(invite(address), PASSWORD);
        essaim.publishGeneratedKey(address); // without a published key, mail for the account is refused (450)
        return address;
    }

    @Test
    void anInvitationIsUsedOnceAndTheNewMemberLogsInOverImap() throws Exception {
        String address = newAddress();
        String token = invite(address);
        assertThat(invitations.find(token)).get().extracting(Invitations.Invitation::address).isEqualTo(address);

        assertThat(invitations.accept(token, PASSWORD)).isEqualTo(address);

        assertThat(invitations.find(token)).isEmpty();
        assertThatThrownBy(() -> invitations.accept(token, "another long passphrase"))
                .isInstanceOf(AdminActionException.class).hasMessageContaining("invalid, used or expired");
        try (Store imap = MailClients.imaps(essaim, address, PASSWORD)) {
            assertThat(imap.getFolder("INBOX").exists()).isTrue();
        }
        assertThat(httpGet("/api/admin/storage", address, PASSWORD).statusCode()).as("a member is no admin").isEqualTo(403);
    }

    @Test
    void anExpiredInvitationIsRefused() throws Exception {
        String token = invitations.create(newAddress(), admin, Duration.ofMillis(1));
        Thread.sleep(20);

        assertThat(invitations.find(token)).isEmpty();
        assertThatThrownBy(() -> invitations.accept(token, PASSWORD)).isInstanceOf(AdminActionException.class);
    }

    @Test
    void commonAndShortPasswordsAreRefusedAndTheInvitationStaysUsable() {
        String address = newAddress();
        String token = invite(address);

        assertThatThrownBy(() -> invitations.accept(token, "short")).hasMessageContaining("at least 10");
        assertThatThrownBy(() -> invitations.accept(token, "password123")).hasMessageContaining("common");
        assertThat(mailServer.accountExists(address)).isFalse();
        assertThat(invitations.find(token)).isPresent();
    }

    @Test
    void onlyAdminsMayActAndAdminsNeverChoosePasswords() {
        String member = newMember();

        assertThatThrownBy(() -> adminActions.execute(member, new AdminAction.Disable(admin)))
                .isInstanceOf(AdminActionException.class).hasMessageContaining("Only admins");
        assertThatThrownBy(() -> adminActions.execute(admin, new AdminAction.Disable(admin)))
                .hasMessageContaining("own account");
    }

    @Test
    void aDisabledAccountCannotLogInAnywhereNorReceiveMail() throws Exception {
        String member = newMember();
        adminActions.execute(admin, new AdminAction.Disable(member));

        assertThatThrownBy(() -> MailClients.imaps(essaim, member, PASSWORD).close()).isInstanceOf(AuthenticationFailedException.class);
        assertThatThrownBy(() -> MailClients.pop3s(essaim, member, PASSWORD).close()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(submissionAuth(member, PASSWORD)).startsWith("535");
        assertThat(httpGet("/api/admin/storage", member, PASSWORD).statusCode()).as("web/API login refused").isEqualTo(401);
        assertThat(rcptReply(member)).as("in every language").startsWith("550 5.2.1 Mailbox disabled / Boite aux lettres desactivee");

        adminActions.execute(admin, new AdminAction.Enable(member));

        try (Store imap = MailClients.imaps(essaim, member, PASSWORD)) {
            assertThat(imap.isConnected()).isTrue();
        }
        assertThat(submissionAuth(member, PASSWORD)).startsWith("235");
        assertThat(rcptReply(member)).startsWith("250");
    }

    @Test
    void aDeletedAccountIsGoneWithItsMail() throws Exception {
        String member = newMember();
        adminActions.execute(admin, new AdminAction.Delete(member));

        assertThat(mailServer.accountExists(member)).isFalse();
        assertThatThrownBy(() -> MailClients.imaps(essaim, member, PASSWORD).close()).isInstanceOf(AuthenticationFailedException.class);
        assertThat(rcptReply(member)).startsWith("550");
    }

    @Test
    void anAliasDeliversToTheSameMailbox() {
        String member = newMember();
        String alias = "alias-" + UUID.randomUUID().toString().substring(0, 8) + "@" + EssaimInstance.DOMAIN;

        adminActions.execute(admin, new AdminAction.AddAlias(alias, member));

        assertThat(mailServer.aliasesOf(member)).containsExactly(alias);
        assertThat(rcptReply(alias)).startsWith("250");
        adminActions.execute(admin, new AdminAction.RemoveAlias(alias, member));
        assertThat(mailServer.aliasesOf(member)).isEmpty();
    }

    @Test
    void theStorageApiGivesAdminsEachAccountsFiguresAndRefusesOthers() throws Exception {
        String member = newMember();
        adminActions.execute(admin, new AdminAction.SetQuota(member, OptionalLong.of(5_000_000)));

        HttpResponse<String> asAdmin = httpGet("/api/admin/storage", admin, ADMIN_PASSWORD);
        assertThat(asAdmin.statusCode()).isEqualTo(200);
        assertThat(asAdmin.body()).contains("\"address\":\"" + member + "\"").contains("\"limitBytes\":5000000")
                .contains("\"queueSize\"").contains("\"totalBytes\"").contains("\"growth\"");

        assertThat(httpGet("/api/admin/storage", member, PASSWORD).statusCode()).isEqualTo(403);
        HttpResponse<String> anonymous = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(essaim.baseUrl() + "/api/admin/storage")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    private static HttpResponse<String> httpGet(String path, String user, String password) throws Exception {
        String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(essaim.baseUrl() + path))
                .header("Authorization", "Basic " + basic).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String submissionAuth(String user, String password) {
        try (LineClient submission = LineClient.connect(essaim.submissionPort())) {
            submission.readSmtpReply();
            submission.smtp("EHLO client.example");
            submission.smtp("STARTTLS");
            submission.upgradeToTls();
            submission.smtp("EHLO client.example");
            String plain = Base64.getEncoder().encodeToString(("\0" + user + "\0" + password).getBytes(StandardCharsets.UTF_8));
            return submission.smtp("AUTH PLAIN " + plain);
        }
    }

    private static String rcptReply(String recipient) {
        try (LineClient smtp = LineClient.connect(essaim.smtpPort())) {
            smtp.readSmtpReply();
            smtp.smtp("EHLO sender.example");
            smtp.smtp("MAIL FROM:<friend@example.org>");
            return smtp.smtp("RCPT TO:<" + recipient + ">");
        }
    }
}
