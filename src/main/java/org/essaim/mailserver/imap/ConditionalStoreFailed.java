package org.essaim.mailserver.imap;

import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.response.ImapResponseMessage;

/** {@code tag OK [MODIFIED set] Conditional STORE failed} (RFC 7162 section 3.1.3). */
public record ConditionalStoreFailed(Tag tag, String failedSet) implements ImapResponseMessage {
}
