package org.essaim.mailserver.search;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.List;

import javax.inject.Inject;

import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.exception.UnsupportedSearchException;
import org.apache.james.mailbox.model.Mailbox;
import org.apache.james.mailbox.model.MailboxId;
import org.apache.james.mailbox.model.MessageId;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.model.SearchQuery.UidRange;
import org.apache.james.mailbox.store.mail.MessageMapper;
import org.apache.james.mailbox.store.mail.MessageMapperFactory;
import org.apache.james.mailbox.store.mail.model.MailboxMessage;
import org.apache.james.mailbox.store.search.MessageSearchIndex;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Server-side SEARCH (and SORT) answered from the mailbox store itself, instead of James' Lucene index.
 * <p>Why not Lucene (James 3.8.1 {@code LuceneMessageSearchIndex}):
 * <ul>
 * <li>its {@code delete(mailboxId, MessageRange)} has no case for a multi-UID range, so expunging two adjacent
 *     messages (a RANGE 5:6) deleted the documents of <em>every</em> message of the mailbox: SEARCH then found
 *     nothing until a re-index, across restarts (Essaim issue 14 item 1; still so on James' master in
 *     {@code createQuery(MessageRange)});</li>
 * <li>it is fed by an asynchronous event listener, so a SEARCH right after a delivery missed the newest mail;</li>
 * <li>it indexed whole messages, i.e. ciphertext bodies no search can use, and cost a reader open per flag change
 *     at delivery and STORE time (issue 15), and kept old plaintext in deleted documents until a merge.</li>
 * </ul>
 * What the server can search is small: flags, UID, size, dates, mod-sequence, and the outer headers
 * ({@link OuterHeaders}). Those are read from the store when a SEARCH comes, so the answer is always the store's
 * truth, nothing is written at delivery or flag changes, and nothing is kept on disk. Bodies: the ciphertext of
 * encrypted mail is never searched (BODY matches nothing there, TEXT looks at the headers); a message still in
 * clear (stored before its owner published a key) is searched as James would.
 */
public class StoreScanningSearchIndex implements MessageSearchIndex {
    private final MessageMapperFactory mappers;

    @Inject
    public StoreScanningSearchIndex(MessageMapperFactory mappers) {
        this.mappers = mappers;
    }

    @Override
    public Flux<MessageUid> search(MailboxSession session, Mailbox mailbox, SearchQuery query) {
        return Mono.fromCallable(() -> searchNow(session, mailbox, query))
                .subscribeOn(Schedulers.boundedElastic())
                .flatMapIterable(uids -> uids);
    }

    private List<MessageUid> searchNow(MailboxSession session, Mailbox mailbox, SearchQuery query) throws MailboxException {
        MessageMapper mapper = mappers.getMessageMapper(session);
        SearchCriteria criteria = new SearchCriteria(query.getRecentMessageUids());
        MessageMapper.FetchType fetchType = criteria.fetchTypeFor(query);
        List<ScannedMessage> matches = new ArrayList<>();
        for (MessageRange range : rangesToScan(query)) {
            Iterator<MailboxMessage> messages = mapper.findInMailbox(mailbox, range, fetchType, MessageMapper.UNLIMITED);
            while (messages.hasNext()) {
                ScannedMessage message = new ScannedMessage(messages.next());
                if (criteria.matchAll(query.getCriteria(), message)) {
                    matches.add(message);
                }
            }
        }
        matches.sort(SortKeys.comparator(query.getSorts()));
        return matches.stream().map(ScannedMessage::uid).distinct().toList();
    }

    /** The threading fields (RFC 5256) of the given messages, read from their outer headers, in UID order. */
    public List<ThreadingFields> threadingFields(MailboxSession session, Mailbox mailbox, List<MessageUid> uids) throws MailboxException {
        MessageMapper mapper = mappers.getMessageMapper(session);
        List<ThreadingFields> fields = new ArrayList<>();
        for (MessageRange range : MessageRange.toRanges(uids)) {
            Iterator<MailboxMessage> messages = mapper.findInMailbox(mailbox, range, MessageMapper.FetchType.HEADERS, MessageMapper.UNLIMITED);
            while (messages.hasNext()) {
                ScannedMessage message = new ScannedMessage(messages.next());
                fields.add(ThreadingFields.of(message, SortKeys.sentDate(message)));
            }
        }
        return fields;
    }

    /**
     * The top-level criteria are a conjunction: when one of them is a UID set, only those UIDs can match, so only
     * they are read. (James' own scanning index also looked into OR/NOT branches for this and missed messages.)
     */
    private static List<MessageRange> rangesToScan(SearchQuery query) {
        for (SearchQuery.Criterion criterion : query.getCriteria()) {
            if (criterion instanceof SearchQuery.UidCriterion uids) {
                List<MessageRange> ranges = new ArrayList<>();
                for (UidRange range : uids.getOperator().getRange()) {
                    ranges.add(MessageRange.range(range.getLowValue(), range.getHighValue()));
                }
                return ranges;
            }
        }
        return List.of(MessageRange.all());
    }

    /** Only used by JMAP, which Essaim does not serve; said plainly rather than answered wrongly. */
    @Override
    public Flux<MessageId> search(MailboxSession session, Collection<MailboxId> mailboxIds, SearchQuery searchQuery, long limit) {
        return Flux.error(new UnsupportedSearchException());
    }

    @Override
    public EnumSet<MailboxManager.SearchCapabilities> getSupportedCapabilities(EnumSet<MailboxManager.MessageCapabilities> messageCapabilities) {
        return EnumSet.of(MailboxManager.SearchCapabilities.Text);
    }
}
