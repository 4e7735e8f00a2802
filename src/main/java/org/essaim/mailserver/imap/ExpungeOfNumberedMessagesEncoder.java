package org.essaim.mailserver.imap;

import java.io.IOException;

import org.apache.james.imap.encode.ExpungeResponseEncoder;
import org.apache.james.imap.encode.ImapResponseComposer;
import org.apache.james.imap.message.response.ExpungeResponse;

/**
 * An untagged EXPUNGE is written only for a message the session has a sequence number for. James 3.8.1 (and its
 * master today) writes {@code * -1 EXPUNGE} for a message the session never numbered: SELECT subscribes to the
 * mailbox's events before it lists the messages it numbers ({@code SelectedMailboxImpl.finishInit}), so a message
 * expunged by another session just before that list, whose event arrives just after the subscription, is reported
 * without a number ({@code ExpungeResponseEncoder}'s {@code NO_MESSAGE}). {@code -1} is no sequence number
 * (RFC 9051 7.5.1): a client either rejects the line or counts it as a removal and then numbers every later
 * message one short. The session never knew that message, so nothing is announced. No upstream issue found
 * (searched 2026-11-30); StandardImapClientsTest races SELECTs against it.
 */
public class ExpungeOfNumberedMessagesEncoder extends ExpungeResponseEncoder {

    @Override
    public void encode(ExpungeResponse expungeResponse, ImapResponseComposer composer) throws IOException {
        if (expungeResponse.getMessageSequenceNumber().asInt().isPresent()) {
            super.encode(expungeResponse, composer);
        }
    }
}
