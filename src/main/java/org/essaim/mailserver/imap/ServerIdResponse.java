package org.essaim.mailserver.imap;

import org.apache.james.imap.api.message.response.ImapResponseMessage;

/** The answer to IMAP ID: the server's name. */
public record ServerIdResponse(String name) implements ImapResponseMessage {
}
