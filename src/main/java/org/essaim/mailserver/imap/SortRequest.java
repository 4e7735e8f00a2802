package org.essaim.mailserver.imap;

import java.util.List;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.message.request.AbstractImapRequest;
import org.apache.james.mailbox.model.SearchQuery;

/** SORT / UID SORT (RFC 5256): the order, then the messages to order (as SEARCH would find them). */
public class SortRequest extends AbstractImapRequest {
    private final List<SearchQuery.Sort> sorts;
    private final SearchKey searchKey;
    private final boolean useUids;

    public SortRequest(Tag tag, ImapCommand command, List<SearchQuery.Sort> sorts, SearchKey searchKey, boolean useUids) {
        super(tag, command);
        this.sorts = sorts;
        this.searchKey = searchKey;
        this.useUids = useUids;
    }

    public List<SearchQuery.Sort> sorts() {
        return sorts;
    }

    public SearchKey searchKey() {
        return searchKey;
    }

    public boolean useUids() {
        return useUids;
    }
}
