package org.essaim.mailserver.imap;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.imap.message.response.ExistsResponse;

/**
 * The {@code * n EXISTS} of SELECT and EXAMINE counts the messages the session has numbered, as JAMES-4088 does
 * upstream (James 3.9.0, commit f4dc8e3b7a: "Ensure IMAP SELECT EXIST response is up to date").
 * <p>
 * Why: James 3.8.1 numbers the messages of a newly selected mailbox from one search (its
 * {@code SelectedMailboxImpl} message-sequence-number map), then reads the count it announces from the mailbox's
 * counters in a later query ({@code AbstractSelectionProcessor.exists}, private). A message added between the two
 * (delivery, or another session moving mail in) is counted but not yet numbered until its event reaches the
 * session, so a client that FETCHes by the number it was just told got {@code BAD Invalid messageset}
 * ({@code AbstractMailboxProcessor.msnHighValToUid}); one expunged between the two left the count one short of the
 * numbering. Counting the numbering itself keeps EXISTS and every later sequence number in one view; messages that
 * arrive or vanish afterwards are announced by James' usual EXISTS/EXPUNGE responses.
 */
final class ExistsAsNumbered implements Responder {
    private final Responder responder;
    private final ImapSession session;

    ExistsAsNumbered(Responder responder, ImapSession session) {
        this.responder = responder;
        this.session = session;
    }

    @Override
    public void respond(ImapResponseMessage message) {
        SelectedMailbox selected = session.getSelected();
        if (message instanceof ExistsResponse && selected != null) {
            responder.respond(new ExistsResponse(selected.existsCount()));
        } else {
            responder.respond(message);
        }
    }

    @Override
    public void flush() {
        responder.flush();
    }
}
