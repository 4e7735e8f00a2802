package org.essaim.mailserver.imap;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.message.request.AbstractImapRequest;

/** THREAD / UID THREAD (RFC 5256): the algorithm, then the messages to thread (as SEARCH would find them). */
public class ThreadRequest extends AbstractImapRequest {
    /** The two algorithms RFC 5256 defines. */
    public enum Algorithm { ORDEREDSUBJECT, REFERENCES }

    private final Algorithm algorithm;
    private final SearchKey searchKey;
    private final boolean useUids;

    public ThreadRequest(Tag tag, ImapCommand command, Algorithm algorithm, SearchKey searchKey, boolean useUids) {
        super(tag, command);
        this.algorithm = algorithm;
        this.searchKey = searchKey;
        this.useUids = useUids;
    }

    public Algorithm algorithm() {
        return algorithm;
    }

    public SearchKey searchKey() {
        return searchKey;
    }

    public boolean useUids() {
        return useUids;
    }
}
