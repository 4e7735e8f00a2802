package org.essaim.webmail;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.mail.Folder;
import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.imap.IMAPFolder;

/**
 * The state of every folder of the account in one cheap sweep: LIST, then one STATUS (MESSAGES UNSEEN UIDNEXT)
 * per folder — no message is read. Two equal snapshots mean nothing arrived, left or changed read state.
 */
final class FolderStatus {
    /** What STATUS says about one folder. */
    record State(int messages, int unread, long uidNext) {
    }

    /**
     * The folders as one read found them, and when: {@code readOrder} grows with every read. Reads run one at a
     * time on the session's connection, so of two snapshots of one session the higher number is the newer state.
     */
    record Snapshot(long readOrder, Map<String, State> folders) {
    }

    /** Shared by all sessions: only the order matters, and a number taken by another session is simply skipped. */
    private static final AtomicLong READS = new AtomicLong();

    private final MailboxConnection mailbox;

    FolderStatus(MailboxConnection mailbox) {
        this.mailbox = mailbox;
    }

    /** Folder full name -> state, in display order (INBOX first), with the read's place in the session's reads. */
    Snapshot snapshot() {
        try {
            return mailbox.withStore(store -> {
                // Numbered while the connection is held (withStore is synchronized): no other read of this session
                // can start before this one ends, so the number orders what the server answered.
                long readOrder = READS.incrementAndGet();
                List<Folder> folders = new ArrayList<>();
                for (Folder folder : store.getDefaultFolder().list("*")) {
                    if ((folder.getType() & Folder.HOLDS_MESSAGES) != 0) {
                        folders.add(folder);
                    }
                }
                folders.sort(Comparator.comparing(Folder::getFullName, FolderNames.DISPLAY_ORDER));
                Map<String, State> states = new LinkedHashMap<>();
                for (Folder listed : folders) {
                    // Closed folders known to exist (from LIST): the first getter issues one STATUS with all three
                    // items, which Angus caches for the other two.
                    IMAPFolder folder = (IMAPFolder) listed;
                    states.put(folder.getFullName(),
                            new State(folder.getMessageCount(), folder.getUnreadMessageCount(), folder.getUIDNext()));
                }
                return new Snapshot(readOrder, states);
            });
        } catch (MessagingException e) {
            throw new MailboxUnavailableException("Cannot read the state of your folders: " + e.getMessage(), e);
        }
    }

}
