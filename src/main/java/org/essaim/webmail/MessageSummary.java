package org.essaim.webmail;

import java.time.Instant;

/**
 * One row of the message list: what an IMAP FETCH of ENVELOPE, FLAGS, RFC822.SIZE and UID says about a
 * message. Rows are identified by their IMAP UID, which stays stable while message numbers shift.
 */
public record MessageSummary(long uid, String sender, String subject, Instant date, long size, boolean seen, boolean flagged) {
}
