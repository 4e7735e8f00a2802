package org.essaim.delivery;

/**
 * How far the stored-plaintext sweep has checked each mailbox, so that every stored message is read once and not at
 * every pass. A mailbox is named by James' mailbox id and UIDVALIDITY (never by its owner's address); UIDs only
 * grow within one, so "checked up to UID n" says everything. The application keeps it in its database.
 */
public interface SweepProgress {

    /** The highest UID of this mailbox already checked, 0 when none. */
    long checkedUpTo(String mailbox);

    /** Records that every message of this mailbox up to {@code uid} is checked (encrypted, or found encrypted). */
    void checkedUpTo(String mailbox, long uid);
}
