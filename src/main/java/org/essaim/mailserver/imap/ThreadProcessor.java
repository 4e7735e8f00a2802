package org.essaim.mailserver.imap;

import java.util.List;
import java.util.function.ToLongFunction;

import javax.inject.Inject;

import org.apache.james.imap.api.message.Capability;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.processor.AbstractMailboxProcessor;
import org.apache.james.imap.processor.CapabilityImplementingProcessor;
import org.apache.james.imap.processor.SearchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MessageUid;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.util.MDCBuilder;
import org.essaim.mailserver.search.StoreScanningSearchIndex;
import org.essaim.mailserver.search.ThreadingFields;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * THREAD and UID THREAD (RFC 5256), which James 3.8.1 does not have: the messages SEARCH finds, threaded by
 * ORDEREDSUBJECT or REFERENCES over their outer headers (Message-ID, References, In-Reply-To, Date, Subject —
 * headers encrypted mail keeps outside).
 */
public class ThreadProcessor extends AbstractMailboxProcessor<ThreadRequest> implements CapabilityImplementingProcessor {
    private final MatchingMessages matching;
    private final StoreScanningSearchIndex index;

    @Inject
    public ThreadProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory,
                           SearchProcessor search, StoreScanningSearchIndex index) {
        super(ThreadRequest.class, mailboxManager, factory, metricFactory);
        this.matching = new MatchingMessages(search);
        this.index = index;
    }

    @Override
    protected Mono<Void> processRequestReactive(ThreadRequest request, ImapSession session, Responder responder) {
        return matching.find(request, request.searchKey(), session, responder)
                .flatMap(found -> found.map(uids -> threads(request, session, uids)
                        .doOnNext(threads -> responder.respond(new ThreadResponse(threads)))
                        .then(Mono.fromRunnable(() -> okComplete(request, responder))))
                        .orElse(Mono.empty()))
                .then();
    }

    private Mono<String> threads(ThreadRequest request, ImapSession session, List<MessageUid> uids) {
        return Mono.fromCallable(() -> {
            if (uids.isEmpty()) {
                return "";
            }
            List<ThreadingFields> fields = index.threadingFields(session.getMailboxSession(),
                    session.getSelected().getMessageManager().getMailboxEntity(), uids);
            List<ThreadNode> roots = request.algorithm() == ThreadRequest.Algorithm.REFERENCES
                    ? Threading.references(fields)
                    : Threading.orderedSubject(fields);
            ToLongFunction<MessageUid> id = uid -> SequenceNumbers.of(session, uid, request.useUids());
            StringBuilder out = new StringBuilder();
            for (ThreadNode root : roots) {
                out.append('(');
                members(root, id, out);
                out.append(')');
            }
            return out.toString();
        }).subscribeOn(Schedulers.boundedElastic());
    }

    /** A node and its single-child chain inline ("3 6"), several children each in parentheses ("(4 23)(44)"). */
    private static void members(ThreadNode node, ToLongFunction<MessageUid> id, StringBuilder out) {
        boolean first = true;
        for (ThreadNode current = node; ; ) {
            if (!current.dummy()) {
                if (!first) {
                    out.append(' ');
                }
                out.append(id.applyAsLong(current.message.uid()));
                first = false;
            }
            if (current.children.size() == 1) {
                current = current.children.get(0);
                continue;
            }
            if (!current.children.isEmpty() && !first) {
                out.append(' ');
            }
            for (ThreadNode child : current.children) {
                out.append('(');
                members(child, id, out);
                out.append(')');
            }
            return;
        }
    }

    @Override
    public List<Capability> getImplementedCapabilities(ImapSession session) {
        return List.of(Capability.of("THREAD=ORDEREDSUBJECT"), Capability.of("THREAD=REFERENCES"));
    }

    @Override
    protected MDCBuilder mdc(ThreadRequest request) {
        return MDCBuilder.create().addToContext(MDCBuilder.ACTION, "THREAD");
    }
}
