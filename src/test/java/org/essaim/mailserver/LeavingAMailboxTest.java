package org.essaim.mailserver;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.mail.Folder;
import jakarta.mail.Store;

import org.apache.james.core.Username;
import org.apache.james.events.RegistrationKey;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.events.MailboxIdRegistrationKey;
import org.apache.james.mailbox.model.MailboxPath;
import org.essaim.mailserver.guice.ConcurrentKeyListenersEventBus;
import org.essaim.support.EssaimInstance;
import org.essaim.support.MailClients;
import org.junit.jupiter.api.Test;

/**
 * A session that leaves a mailbox stops listening to it. Each IMAP session with a mailbox selected gets that mailbox's
 * events; James 3.8.1 never unregistered it on CLOSE or UNSELECT, so every folder the webmail or a client opened and
 * closed kept a listener, and the events of the mailbox were delivered to all of them, until the server stopped.
 */
class LeavingAMailboxTest {
    private static final String PASSWORD = "a long enough leaving test password";

    @Test
    void closeAndUnselectUnregisterTheSessionsListener() throws Exception {
        EssaimInstance essaim = EssaimInstance.shared();
        String account = essaim.newAccount("leaver", PASSWORD);
        EmbeddedJames james = essaim.bean(EmbeddedJames.class);
        ConcurrentKeyListenersEventBus events = james.service(ConcurrentKeyListenersEventBus.class);
        RegistrationKey inbox = inboxKey(james.service(MailboxManager.class), account);

        try (Store imap = MailClients.imaps(essaim, account, PASSWORD)) {
            Folder folder = imap.getFolder("INBOX");
            folder.open(Folder.READ_ONLY); // EXAMINE
            assertThat(events.listenerCount(inbox)).as("while examined").isEqualTo(1);
            folder.close(false); // CLOSE of a read-only folder
            assertThat(events.listenerCount(inbox)).as("after CLOSE of the examined folder").isZero();

            folder.open(Folder.READ_WRITE); // SELECT
            assertThat(events.listenerCount(inbox)).as("while selected").isEqualTo(1);
            folder.close(false); // UNSELECT
            assertThat(events.listenerCount(inbox)).as("after UNSELECT").isZero();

            folder.open(Folder.READ_WRITE);
            folder.close(true); // CLOSE, expunging
            assertThat(events.listenerCount(inbox)).as("after CLOSE of the selected folder").isZero();
        }
    }

    private static RegistrationKey inboxKey(MailboxManager mailboxes, String account) throws Exception {
        Username user = Username.of(account);
        return new MailboxIdRegistrationKey(mailboxes.getMailbox(MailboxPath.inbox(user), mailboxes.createSystemSession(user)).getId());
    }
}
