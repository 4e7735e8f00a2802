package org.essaim.webmail;

import java.time.Instant;

/**
 * One row of the message list: envelope, flags, size and UID, plus the {@code Essaim-Encrypted-Subject} header
 * as stored (base64 ciphertext, or null). The ciphertext goes to the browser, which decrypts it for display; the
 * server never learns the real subject of encrypted mail.
 */
public record MessageRow(long uid, String sender, String subject, String encryptedSubject, Instant date, long size,
        boolean seen, boolean flagged) {
}
