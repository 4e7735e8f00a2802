package org.essaim.mailserver.imap;

import java.util.List;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.mailbox.model.SearchQuery;
import org.apache.james.mailbox.store.search.MessageSearchIndex;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;

import reactor.core.publisher.Mono;

/**
 * SORT and UID SORT (RFC 5256), which James 3.8.1 does not have: the messages SEARCH finds, ordered by the search
 * index (mailserver.search sorts on the outer headers the server sees; the subject of encrypted mail is its
 * placeholder, so SUBJECT orders those by date in practice).
 */
public class SortProcessor extends AbstractMailboxProcessor<SortRequest> implements CapabilityImplementingProcessor {
    private final MatchingMessages matching;
    private final MessageSearchIndex index;

    @Inject
    public SortProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                         SearchProcessor search, MessageSearchIndex index) {
        super(SortRequest.class, mailboxManager, factory, metricFactory);
        this.matching = new MatchingMessages(search);
        this.index = index;
    }

    @Override
    protected Mono<Void> processRequestReactive(SortRequest request, ImapSession session, Responder responder) {
        return matching.find(request, request.searchKey(), session, responder)
                .flatMap(found -> found.map(uids -> sorted(session, uids, request.sorts())
                        .doOnNext(ordered -> responder.respond(new SortResponse(
                                SequenceNumbers.of(session, ordered, request.useUids()))))
                        .then(Mono.fromRunnable(() -> okComplete(request, responder))))
                        .orElse(Mono.empty()))
                .then();
    }

    private Mono<List<MessageUid>> sorted(ImapSession session, List<MessageUid> uids, List<SearchQuery.Sort> sorts) {
        if (uids.isEmpty()) {
            return Mono.just(List.of());
        }
        return Mono.fromCallable(() -> session.getSelected().getMessageManager().getMailboxEntity())
                .flatMap(mailbox -> {
                    try {
                        SearchQuery query = SearchQuery.builder()
                                .andCriteria(SearchQuery.uid(UidRanges.of(uids)))
                                .sorts(sorts)
                                .build();
                        return index.search(session.getMailboxSession(), mailbox, query).collectList();
                    } catch (org.apache.james.mailbox.exception.MailboxException e) {
                        return Mono.error(e);
                    }
                });
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return List.of(Capability.of("SORT"));
    }

    @Override
    protected MDCBuilder mdc(SortRequest request) {
        return MDCBuilder.create().addToContext(MDCBuilder.ACTION, "SORT");
    }

    /** UID ranges covering exactly the given UIDs. */
    static final class UidRanges {
        private UidRanges() {
        }

        static SearchQuery.UidRange[] of(List<MessageUid> uids) {
            return MessageRange.toRanges(uids).stream()
                    .map(range -> new SearchQuery.UidRange(range.getUidFrom(), range.getUidTo()))
                    .toArray(SearchQuery.UidRange[]::new);
        }
    }
}
