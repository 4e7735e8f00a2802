package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.List;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;
import org.apache.james.mailbox.MessageUid;

/** UIDs as the client asked for them: UIDs for UID SORT/THREAD, message sequence numbers otherwise. */
final class SequenceNumbers {
    private SequenceNumbers() {
    }

    static List<Long> of(ImapSession session, List<MessageUid> uids, boolean useUids) {
        List<Long> ids = new ArrayList<>(uids.size());
        SelectedMailbox selected = session.getSelected();
        for (MessageUid uid : uids) {
            if (useUids) {
                ids.add(uid.asLong());
            } else {
                selected.msn(uid).asInt().ifPresent(msn -> ids.add((long) msn));
            }
        }
        return ids;
    }

    static long of(ImapSession session, MessageUid uid, boolean useUids) {
        return useUids ? uid.asLong() : session.getSelected().msn(uid).asInt().map(Integer::longValue).orElse(0L);
    }
}
