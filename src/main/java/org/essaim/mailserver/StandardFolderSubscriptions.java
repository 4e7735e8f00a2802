package org.essaim.mailserver;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import org.apache.james.core.Username;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.SubscriptionManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxPath;
import org.apache.james.user.api.UsersRepository;
import org.apache.james.user.api.UsersRepositoryException;

import reactor.core.publisher.Mono;

/**
 * INBOX and the standard folders are subscribed, so clients that show subscribed folders only (LSUB, or
 * LIST (SUBSCRIBED)) see them. New accounts get the subscriptions with their folders; accounts made before
 * Essaim subscribed anything (no subscription at all) get them once, at start.
 */
final class StandardFolderSubscriptions {
    private StandardFolderSubscriptions() {
    }

    static List<MailboxPath> standardPaths(Username user) {
        List<MailboxPath> paths = new ArrayList<>();
        paths.add(MailboxPath.inbox(user));
        MailServerBridge.STANDARD_FOLDERS.forEach(folder -> paths.add(MailboxPath.forUser(user, folder)));
        return paths;
    }

    static void subscribe(MailboxManager mailboxes, SubscriptionManager subscriptions, MailboxSession session) throws MailboxException {
        for (MailboxPath path : standardPaths(session.getUser())) {
            if (Boolean.TRUE.equals(Mono.from(mailboxes.mailboxExists(path, session)).block())) {
                subscriptions.subscribe(session, path);
            }
        }
    }

    /** Accounts without any subscription (made before subscriptions existed) get the standard ones. */
    static void subscribeWhereNone(UsersRepository users, MailboxManager mailboxes, SubscriptionManager subscriptions)
            throws UsersRepositoryException, MailboxException {
        for (Iterator<Username> it = users.list(); it.hasNext(); ) {
            MailboxSession session = mailboxes.createSystemSession(it.next());
            try {
                if (subscriptions.subscriptions(session).isEmpty()) {
                    subscribe(mailboxes, subscriptions, session);
                }
            } finally {
                mailboxes.endProcessingRequest(session);
            }
        }
    }
}
