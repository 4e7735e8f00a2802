package org.essaim.mailserver.imap;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.inject.Inject;

import org.apache.james.imap.api.ImapCommand;
import org.apache.james.imap.api.ImapMessage;
import org.apache.james.imap.api.Tag;
import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.request.SearchKey;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.decode.DecodingException;
import org.apache.james.imap.decode.ImapRequestLineReader;
import org.apache.james.imap.decode.parser.UidCapableCommandParser;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.Sort.SortClause;

import com.google.common.base.CharMatcher;

/**
 * {@code SORT (sort-criteria) charset search-key...} (RFC 5256 section 3). The search keys are James' own SEARCH
 * grammar; the sort keys are ARRIVAL, CC, DATE, FROM, SIZE, SUBJECT, TO, each optionally after REVERSE.
 */
public class SortCommandParser extends UidCapableCommandParser {
    static final ImapCommand SORT = ImapCommand.selectedStateCommand("SORT");

    private final SearchKeys searchKeys;

    @Inject
    public SortCommandParser(StatusResponseFactory statusResponseFactory) {
        super(SORT, statusResponseFactory);
        this.searchKeys = new SearchKeys(statusResponseFactory);
    }

    @Override
    protected ImapMessage decode(ImapRequestLineReader request, Tag tag, boolean useUids, ImapSession session) throws DecodingException {
        List<SearchQuery.Sort> sorts = sortCriteria(request);
        SearchKey key = searchKeys.afterCharset(request, session);
        return new SortRequest(tag, SORT, sorts, key, useUids);
    }

    private static List<SearchQuery.Sort> sortCriteria(ImapRequestLineReader request) throws DecodingException {
        request.nextWordChar();
        request.consumeChar('(');
        List<SearchQuery.Sort> sorts = new ArrayList<>();
        boolean reverse = false;
        while (request.nextWordChar() != ')') {
            String key = request.readUntil(CharMatcher.anyOf(" )\r\n")).toUpperCase(Locale.ROOT);
            if (key.equals("REVERSE")) {
                reverse = true;
                continue;
            }
            SearchQuery.Sort.Order order = reverse ? SearchQuery.Sort.Order.REVERSE : SearchQuery.Sort.Order.NATURAL;
            sorts.add(new SearchQuery.Sort(clause(key), order));
            reverse = false;
        }
        request.consume();
        if (sorts.isEmpty() || reverse) {
            throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Missing sort key");
        }
        return sorts;
    }

    private static SortClause clause(String key) throws DecodingException {
        return switch (key) {
            case "ARRIVAL" -> SortClause.Arrival;
            case "CC" -> SortClause.MailboxCc;
            case "DATE" -> SortClause.SentDate;
            case "FROM" -> SortClause.MailboxFrom;
            case "SIZE" -> SortClause.Size;
            case "SUBJECT" -> SortClause.BaseSubject;
            case "TO" -> SortClause.MailboxTo;
            default -> throw new DecodingException(HumanReadableText.ILLEGAL_ARGUMENTS, "Unknown sort key " + key);
        };
    }
}
