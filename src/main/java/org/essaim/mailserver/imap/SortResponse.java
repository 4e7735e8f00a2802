package org.essaim.mailserver.imap;

import java.util.List;

import org.apache.james.imap.api.message.response.ImapResponseMessage;

/** {@code * SORT 3 1 2}: ids in order (sequence numbers, or UIDs for UID SORT). */
public record SortResponse(List<Long> ids) implements ImapResponseMessage {
}
