package org.essaim.mailserver.imap;

import org.apache.james.imap.api.message.response.ImapResponseMessage;

/** {@code * THREAD (2)(3 6 (4 23)(44 7 96))}, already written out (RFC 5256 section 4). */
public record ThreadResponse(String threads) implements ImapResponseMessage {
}
