package org.essaim.webmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.Store;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * The folder drawer ends showing the server's latest state, whatever order its folder lists arrive in. Lists come
 * from the page's own read after an action (UI thread) and from the new-mail check's read, which reaches the UI
 * thread later (UI.access). The steps below are the interleaving of a loaded full run where the drawer kept a
 * deleted folder for good (MailboxInBrowserTest): the check read the folders, the page deleted one and showed its
 * own read, then the check's older list arrived. Real mailbox, real reads over the session's one IMAP connection.
 */
class ShownFoldersTest {
    private static final String PASSWORD = "a long enough drawer test password";
    static EssaimInstance essaim;
    String user;
    MailboxConnection mailbox;
    FolderStatus page;
    FolderStatus check;
    ShownFolders drawer;

    @BeforeAll
    static void start() {
        essaim = EssaimInstance.shared();
    }

    @BeforeEach
    void logIn() {
        user = essaim.newAccount("drawer", PASSWORD);
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                user, PASSWORD, AuthorityUtils.createAuthorityList("ROLE_USER")));
        mailbox = new MailboxConnection(essaim.bean(MailServerBridge.class));
        page = new FolderStatus(mailbox); // as MainLayout reads after the page's own actions
        check = new FolderStatus(mailbox); // as a NewMailChecks check reads, on the same session connection
        drawer = new ShownFolders();
    }

    @AfterEach
    void closeMailbox() {
        mailbox.close();
        SecurityContextHolder.clearContext();
    }

    @Test
    void aCheckThatReadTheFoldersBeforeOneWasDeletedNeverBringsItBack() throws Exception {
        FolderActions folders = new FolderActions(mailbox);
        folders.create("Projects 2026");
        assertThat(drawer.show(page.snapshot())).isTrue();
        assertThat(drawer.folders()).containsKey("Projects 2026");

        // Another client files a message there; a check reads it: news, handed to the UI thread for later.
        appendOverImap("Projects 2026", "Kept in a folder");
        FolderStatus.Snapshot checkRead = check.snapshot();
        assertThat(drawer.isNews(checkRead)).isTrue();

        // Before the UI thread gets to it, the page deletes the folder and shows its own read.
        folders.delete("Projects 2026");
        assertThat(drawer.show(page.snapshot())).isTrue();
        assertThat(drawer.folders()).doesNotContainKey("Projects 2026");

        // Then the check's list arrives: read before the deletion, it is left out.
        assertThat(drawer.show(checkRead)).as("a list read before the one shown").isFalse();
        assertThat(drawer.folders()).doesNotContainKey("Projects 2026");

        // The next check finds the drawer as the server is: nothing to report, and nothing left to correct.
        FolderStatus.Snapshot next = check.snapshot();
        assertThat(drawer.isNews(next)).isFalse();
        assertThat(drawer.folders()).isEqualTo(next.folders());
        assertThat(drawer.folders().keySet()).containsExactlyInAnyOrderElementsOf(folderNamesOverImap());
    }

    @Test
    void newMailFoundByACheckIsShownAndThenIsNoLongerNews() throws Exception {
        assertThat(drawer.show(page.snapshot())).isTrue();
        assertThat(drawer.isNews(check.snapshot())).as("nothing changed").isFalse();

        appendOverImap("INBOX", "Arrived meanwhile");
        FolderStatus.Snapshot read = check.snapshot();
        assertThat(drawer.isNews(read)).isTrue();
        assertThat(drawer.show(read)).isTrue();
        assertThat(drawer.folders().get("INBOX").messages()).isEqualTo(1);
        assertThat(drawer.folders().get("INBOX").unread()).isEqualTo(1);
        assertThat(drawer.isNews(check.snapshot())).isFalse();
    }

    @Test
    void afterTheFoldersCouldNotBeReadTheNextCheckShowsThem() {
        assertThat(drawer.show(page.snapshot())).isTrue();
        drawer.unavailable(); // the page's own read failed: the drawer shows the Inbox alone

        FolderStatus.Snapshot read = check.snapshot();
        assertThat(drawer.isNews(read)).as("the same folders as before the failure").isTrue();
        assertThat(drawer.show(read)).isTrue();
        assertThat(drawer.folders()).isEqualTo(read.folders());
    }

    private void appendOverImap(String folderName, String subject) throws Exception {
        MimeMessage message = new MimeMessage(jakarta.mail.Session.getInstance(new java.util.Properties()));
        message.setFrom(new InternetAddress("friend@example.org"));
        message.setRecipients(Message.RecipientType.TO, user);
        message.setSubject(subject);
        message.setText("hello");
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            imap.getFolder(folderName).appendMessages(new Message[] {message});
        }
    }

    private List<String> folderNamesOverImap() throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            List<String> names = new ArrayList<>();
            for (Folder folder : imap.getDefaultFolder().list("*")) {
                names.add(folder.getFullName());
            }
            return names;
        }
    }
}
