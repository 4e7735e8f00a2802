package org.essaim.delivery.outbound;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One message waiting in the outgoing queue, as the admin view shows it: metadata only. No subject, no content, and
 * of the recipients only their domains (whom members write to is theirs; where mail is stuck is the admin's concern).
 *
 * @param name        the queue's id of the mail (James' mail name), for "retry now" and "delete"
 * @param sender      the envelope sender ("" for a report from the server itself)
 * @param recipientDomains the recipients' domains, sorted, each once
 * @param recipients  how many recipients wait
 * @param sizeBytes   the queued message's size (sealed or encrypted)
 * @param waitingSince when it first entered the outgoing queue
 * @param attempts    delivery attempts so far
 * @param nextAttempt when the next one is due (empty: now, or being tried)
 * @param lastError   the last failure, in the remote server's words when it answered
 */
public record WaitingMail(String name, String sender, List<String> recipientDomains, int recipients, long sizeBytes,
                          Optional<Instant> waitingSince, int attempts, Optional<Instant> nextAttempt,
                          Optional<String> lastError) {
}
