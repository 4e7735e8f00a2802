package org.essaim.delivery.spam;

import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import javax.inject.Inject;
import javax.mail.internet.AddressException;
import javax.mail.internet.InternetAddress;

import org.apache.james.core.Username;
import org.apache.james.events.Event;
import org.apache.james.events.EventListener;
import org.apache.james.events.Group;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.events.MailboxEvents.Added;
import org.apache.james.mailbox.events.MessageMoveEvent;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.FetchGroup;
import org.apache.james.mailbox.model.Header;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.MessageResult;
import org.apache.james.mailbox.model.MessageResultIterator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A member moving a message into their Spam folder, or out of it (webmail buttons or any IMAP client), is a vote on
 * its sender: the clear From header of the stored message goes to {@link SpamVotes}. Nothing else is read (the body
 * is ciphertext anyway) and no content table learns from it.
 * <p>
 * James tells a move as an Added event for the target folder (with the new UIDs) followed by a MessageMoveEvent (with
 * the folders, but with JPA storage no usable message ids): the listener runs synchronously, keeps the last Added per
 * user and pairs it with the move that follows. Registered in listeners.xml.
 */
public class SpamMoveListener implements EventListener.GroupEventListener {
    private static final Logger LOGGER = LoggerFactory.getLogger(SpamMoveListener.class);

    /** James identifies group listeners by a Group class with a public no-argument constructor. */
    public static class SpamMoveGroup extends Group {
    }

    private static final Group GROUP = new SpamMoveGroup();

    private final MailboxManager mailboxes;
    private final SpamVotes votes;
    private final Map<Username, Added> lastAdded = new ConcurrentHashMap<>();

    @Inject
    public SpamMoveListener(MailboxManager mailboxes, SpamVotes votes) {
        this.mailboxes = mailboxes;
        this.votes = votes;
    }

    @Override
    public Group getDefaultGroup() {
        return GROUP;
    }

    @Override
    public ExecutionMode getExecutionMode() {
        return ExecutionMode.SYNCHRONOUS;
    }

    @Override
    public boolean isHandling(Event event) {
        return event instanceof Added || event instanceof MessageMoveEvent;
    }

    @Override
    public void event(Event event) throws MailboxException {
        if (event instanceof Added added) {
            if (!added.isDelivery()) {
                lastAdded.put(added.getUsername(), added);
            }
            return;
        }
        MessageMoveEvent move = (MessageMoveEvent) event;
        Added added = lastAdded.remove(move.getUsername());
        if (added == null || !move.getMessageMoves().getTargetMailboxIds().contains(added.getMailboxId())) {
            return;
        }
        MailboxSession session = mailboxes.createSystemSession(move.getUsername());
        boolean fromSpam = false;
        for (MailboxId previous : move.getMessageMoves().getPreviousMailboxIds()) {
            fromSpam |= isSpam(previous, session);
        }
        boolean toSpam = isSpam(added.getMailboxPath().getName());
        boolean targetsKeepSpam = false;
        for (MailboxId target : move.getMessageMoves().getTargetMailboxIds()) {
            targetsKeepSpam |= isSpam(target, session);
        }
        boolean intoSpam = toSpam && !fromSpam;
        boolean outOfSpam = fromSpam && !targetsKeepSpam;
        if (!intoSpam && !outOfSpam) {
            return;
        }
        MessageManager target = mailboxes.getMailbox(added.getMailboxId(), session);
        for (MessageUid uid : added.getUids()) {
            senderOf(target, uid, session).ifPresent(sender -> votes.vote(move.getUsername().asString(), sender, intoSpam));
        }
        LOGGER.debug("{} message(s) filed {} Spam: sender votes recorded", added.getUids().size(), intoSpam ? "into" : "out of");
    }

    private boolean isSpam(MailboxId id, MailboxSession session) {
        try {
            return isSpam(mailboxes.getMailbox(id, session).getMailboxPath().getName());
        } catch (MailboxException e) {
            return false;
        }
    }

    private static boolean isSpam(String mailboxName) {
        return SpamFolder.NAME.equalsIgnoreCase(mailboxName);
    }

    /** The sender to vote on; none for a message the member's browser filter moved (its keyword says so). */
    private static Optional<String> senderOf(MessageManager mailbox, MessageUid uid, MailboxSession session) throws MailboxException {
        MessageResultIterator results = mailbox.getMessages(MessageRange.one(uid), FetchGroup.HEADERS, session);
        while (results.hasNext()) {
            MessageResult result = results.next();
            if (result.getFlags().contains(SpamFolder.FILED_BY_BROWSER_FILTER)) {
                return Optional.empty();
            }
            for (Iterator<Header> headers = result.getHeaders().headers(); headers.hasNext(); ) {
                Header header = headers.next();
                if ("from".equalsIgnoreCase(header.getName())) {
                    try {
                        InternetAddress[] addresses = InternetAddress.parseHeader(header.getValue(), false);
                        if (addresses.length > 0 && addresses[0].getAddress() != null) {
                            return Optional.of(addresses[0].getAddress());
                        }
                    } catch (AddressException e) {
                        return Optional.empty();
                    }
                }
            }
        }
        return Optional.empty();
    }
}
