package org.apache.james.imap.decode.parser;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.message.response.StatusResponseFactory;

/**
 * One of Essaim's three classes in James packages (docs/imap.md, docs/internet.md list them): James 3.8.1's {@code UidCommandParser} accepts a command after "UID"
 * only if its parser extends the package-private {@code AbstractUidCommandParser}, so a parser added through
 * {@code imapPackages} (Essaim's SORT and THREAD, RFC 5256, which also exist as UID SORT / UID THREAD) cannot
 * be UID-capable without this public bridge. It adds nothing else. Upstream James has no SORT/THREAD at all.
 */
public abstract class UidCapableCommandParser extends AbstractUidCommandParser {
    protected UidCapableCommandParser(ImapCommand command, StatusResponseFactory statusResponseFactory) {
        super(command, statusResponseFactory);
    }
}
