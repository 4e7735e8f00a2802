package org.essaim.webmail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.UIDFolder;

import org.eclipse.angus.mail.imap.AppendUID;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.IMAPStore;

/**
 * What the message list does to selected messages, by IMAP UID (stable while message numbers shift): flags,
 * move, archive, delete to Trash, delete for good in Trash. Moves use IMAP MOVE (RFC 6851, which James
 * announces) so a message is never in both folders nor in neither; a server without MOVE gets the classic
 * COPY + \Deleted + EXPUNGE.
 */
final class MessageActions {
    static final String ARCHIVE = "Archive";
    static final String TRASH = "Trash";
    static final String SPAM = "Spam";

    private final MailboxConnection mailbox;

    MessageActions(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    void markSeen(String folder, Collection<Long> uids, boolean seen) {
        setFlag(folder, uids, Flags.Flag.SEEN, seen, seen ? "mark as read" : "mark as unread");
    }

    void markFlagged(String folder, Collection<Long> uids, boolean flagged) {
        setFlag(folder, uids, Flags.Flag.FLAGGED, flagged, flagged ? "flag" : "unflag");
    }

    /** @return the moved messages' UIDs in the target folder, when the server says them (UIDPLUS); else empty */
    List<Long> move(String folder, Collection<Long> uids, String target) {
        if (folder.equals(target) || uids.isEmpty()) {
            return List.of();
        }
        List<Long> moved = new ArrayList<>();
        run("move the messages to " + FolderNames.label(target), folder, source -> {
            Message[] messages = existing(source, uids);
            if (messages.length == 0) {
                return null;
            }
            Folder destination = source.getStore().getFolder(target);
            if (!destination.exists()) {
                throw new MessagingException("there is no folder named " + target);
            }
            long nextInDestination = ((UIDFolder) destination).getUIDNext();
            AppendUID[] placed;
            if (((IMAPStore) source.getStore()).hasCapability("MOVE")) {
                placed = ((IMAPFolder) source).moveUIDMessages(messages, destination);
            } else {
                placed = ((IMAPFolder) source).copyUIDMessages(messages, destination);
                source.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
                ((IMAPFolder) source).expunge(messages);
            }
            for (AppendUID each : placed == null ? new AppendUID[0] : placed) {
                if (each != null) {
                    moved.add(each.uid);
                }
            }
            if (moved.isEmpty() && nextInDestination > 0) {
                // No COPYUID in the answer (James' MOVE sends none): the moved messages are the new UIDs there.
                destination.open(Folder.READ_ONLY);
                try {
                    for (Message message : ((UIDFolder) destination).getMessagesByUID(nextInDestination, UIDFolder.MAXUID)) {
                        long uid = ((UIDFolder) destination).getUID(message);
                        if (uid >= nextInDestination) {
                            moved.add(uid);
                        }
                    }
                } finally {
                    destination.close(false);
                }
            }
            return null;
        });
        return moved;
    }

    void archive(String folder, Collection<Long> uids) {
        move(folder, uids, ARCHIVE);
    }

    /**
     * "Spam": into the Spam folder. The server learns from the move only who sent it (the member's sender reputation,
     * delivery/spam/SpamMoveListener), never its content.
     */
    void markSpam(String folder, Collection<Long> uids) {
        move(folder, uids, SPAM);
    }

    /** "Not spam": back to the Inbox; the sender's next messages skip the member's Spam folder. */
    void markNotSpam(String folder, Collection<Long> uids) {
        move(folder, uids, FolderNames.INBOX);
    }

    /** Deleting moves to Trash; deleting in Trash removes for good (the view asks for confirmation first). */
    void delete(String folder, Collection<Long> uids) {
        if (TRASH.equals(folder)) {
            deletePermanently(folder, uids);
        } else {
            move(folder, uids, TRASH);
        }
    }

    private void deletePermanently(String folder, Collection<Long> uids) {
        run("delete the messages", folder, source -> {
            Message[] messages = existing(source, uids);
            if (messages.length == 0) {
                return null;
            }
            source.setFlags(messages, new Flags(Flags.Flag.DELETED), true);
            // UID EXPUNGE of just these messages, so another client's pending deletions are left alone.
            ((IMAPFolder) source).expunge(messages);
            return null;
        });
    }

    /** Sets or removes an IMAP keyword (a user flag) on the messages. */
    void setKeyword(String folder, Collection<Long> uids, String keyword, boolean value) {
        if (uids.isEmpty()) {
            return;
        }
        run("mark the messages", folder, source -> {
            Message[] messages = existing(source, uids);
            if (messages.length > 0) {
                source.setFlags(messages, new Flags(keyword), value);
            }
            return null;
        });
    }

    private void setFlag(String folder, Collection<Long> uids, Flags.Flag flag, boolean value, String what) {
        if (uids.isEmpty()) {
            return;
        }
        run(what, folder, source -> {
            Message[] messages = existing(source, uids);
            if (messages.length > 0) {
                source.setFlags(messages, new Flags(flag), value);
            }
            return null;
        });
    }

    /** The messages still there (another client may have removed some meanwhile). */
    private static Message[] existing(Folder folder, Collection<Long> uids) throws MessagingException {
        long[] wanted = uids.stream().mapToLong(Long::longValue).toArray();
        return Arrays.stream(((UIDFolder) folder).getMessagesByUID(wanted))
                .filter(message -> message != null && !message.isExpunged())
                .toArray(Message[]::new);
    }

    private void run(String what, String folder, MailboxConnection.FolderAction<Void> action) {
        try {
            mailbox.inWritableFolder(folder, action);
        } catch (MessagingException e) {
            throw new MailboxUnavailableException("Cannot " + what + ": " + e.getMessage(), e);
        }
    }
}
