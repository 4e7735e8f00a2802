package org.essaim.webmail;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import jakarta.mail.Folder;
import jakarta.mail.Store;
import jakarta.mail.UIDFolder;

import org.essaim.mailserver.MailServerBridge;
import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;
import org.essaim.support.SmtpSender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;

import com.vaadin.flow.data.provider.Query;

/**
 * The message list reads IMAP page by page, as the logged-in user: each page the Grid asks for is exactly
 * that range of messages, newest first, identified by UID — checked against an independent IMAP client.
 */
class MessageListPagingTest {
    private static final int MESSAGES = 25;
    private static final String PASSWORD = "a long enough paging test password";

    static EssaimInstance essaim;
    static String user;
    MailboxConnection mailbox;

    @BeforeAll
    static void start() throws Exception {
        essaim = EssaimInstance.shared();
        user = essaim.newAccount("paging", PASSWORD);
        essaim.publishGeneratedKey(user); // mail for an account without a key is refused (450)
        for (int i = 1; i <= MESSAGES; i++) {
            SmtpSender.deliver(essaim, user, "Message number " + i, "Body " + i);
        }
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            MailClients.awaitMessages(imap, "INBOX", MESSAGES);
        }
    }

    @AfterEach
    void closeMailbox() {
        if (mailbox != null) {
            mailbox.close();
        }
        SecurityContextHolder.clearContext();
    }

    @Test
    void pagesAreTheNewestMessagesFirstFetchedRangeByRangeAndKeyedByUid() throws Exception {
        logInAs(user, PASSWORD);
        MessageListDataProvider provider = new MessageListDataProvider(mailbox, "INBOX");

        assertThat(provider.size(new Query<>())).isEqualTo(MESSAGES);
        List<MessageRow> first = provider.fetch(page(0, 10)).toList();
        List<MessageRow> second = provider.fetch(page(10, 10)).toList();
        List<MessageRow> last = provider.fetch(page(20, 10)).toList();

        assertThat(first).hasSize(10);
        assertThat(second).hasSize(10);
        assertThat(last).hasSize(MESSAGES - 20);
        List<Long> shown = new ArrayList<>();
        for (List<MessageRow> rows : List.of(first, second, last)) {
            rows.forEach(row -> shown.add((Long) provider.getId(row)));
        }
        assertThat(shown).containsExactlyElementsOf(uidsNewestFirst());
        // Stored encrypted with protected headers: the real subject is inside, the stored one is a placeholder.
        assertThat(first.get(0).subject()).isEqualTo("...");
        assertThat(first.get(0).encryptedSubject()).as("the real subject comes encrypted, in the same FETCH")
                .matches("[A-Za-z0-9+/=]{100,}");
        assertThat(first.get(0).sender()).isEqualTo("Friend <friend@example.org>");
        assertThat(first.get(0).seen()).isFalse();
        assertThat(first.get(0).size()).isPositive();
    }

    @Test
    void aWrongPasswordInTheSessionOpensNoMailbox() {
        logInAs(user, "not the password");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> mailbox.messageCount("INBOX"))
                .isInstanceOf(MailboxUnavailableException.class);
    }

    private void logInAs(String address, String password) {
        SecurityContextHolder.getContext().setAuthentication(UsernamePasswordAuthenticationToken.authenticated(
                address, password, AuthorityUtils.createAuthorityList("ROLE_USER")));
        mailbox = new MailboxConnection(essaim.bean(MailServerBridge.class));
    }

    private static Query<MessageRow, Void> page(int offset, int limit) {
        return new Query<>(offset, limit, List.of(), null, null);
    }

    private static List<Long> uidsNewestFirst() throws Exception {
        try (Store imap = MailClients.imaps(essaim, user, PASSWORD)) {
            Folder inbox = imap.getFolder("INBOX");
            inbox.open(Folder.READ_ONLY);
            List<Long> uids = new ArrayList<>();
            for (int n = inbox.getMessageCount(); n >= 1; n--) {
                uids.add(((UIDFolder) inbox).getUID(inbox.getMessage(n)));
            }
            inbox.close(false);
            return uids;
        }
    }
}
