package org.essaim.webmail.reading;

import java.time.Instant;

/**
 * The readable envelope of a stored message (From, To, Cc, Date, Subject as they travel outside the encryption).
 * Public routing data only; for an encrypted message the real subject is inside and decrypted in the browser.
 *
 * @param fromAddress the bare address of the first sender, used to find the sender's public key
 */
public record OuterHeaders(String from, String fromAddress, String to, String cc, String subject, Instant date, long size) {
}
