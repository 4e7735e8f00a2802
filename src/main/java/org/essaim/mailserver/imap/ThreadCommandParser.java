package org.essaim.mailserver.imap;

import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.UidCapableCommandParser;

/** {@code THREAD algorithm charset search-key...} (RFC 5256 section 3). */
public class ThreadCommandParser extends UidCapableCommandParser {
    static final ImapCommand THREAD = ImapCommand.selectedStateCommand("THREAD");

    private final SearchKeys searchKeys;

    @Inject
    public ThreadCommandParser(StatusResponseFactory statusResponseFactory) {
        super(THREAD, statusResponseFactory);
        this.searchKeys = new SearchKeys(statusResponseFactory);
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        String name = request.atom().toUpperCase(Locale.ROOT);
        ThreadRequest.Algorithm algorithm;
        try {
            algorithm = ThreadRequest.Algorithm.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unknown threading algorithm " + name);
        }
        return new ThreadRequest(tag, THREAD, algorithm, searchKeys.afterCharset(request, session), useUids);
    }
}
