package org.essaim.mailserver.imap;

import java.util.Arrays;

import javax.inject.Inject;

import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * FETCH of {@code BODY[...]} in a mailbox opened by EXAMINE reads as {@code BODY.PEEK[...]}: RFC 3501 (6.3.2) permits
 * no change of the mailbox's state, \Seen included. James 3.8.1 set \Seen, so a client that opens a folder read-only
 * to look at its mail (Jakarta Mail fetches {@code BODY[]} unless told to peek) marked everything it showed as read.
 * Upstream did the same in commit 72b9500d35 (July 2026, unreleased).
 */
public class ReadOnlyPeekingFetchProcessor extends ObjectIdFetchProcessor {

    @Inject
    public ReadOnlyPeekingFetchProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(FetchRequest request, ImapSession session, Responder responder) {
        return Mono.defer(() -> super.processRequestReactive(
                SessionSelection.readOnly(session) && request.getFetch().isSetSeen() ? peeking(request) : request, session, responder));
    }

    private static FetchRequest peeking(FetchRequest request) {
        FetchData fetch = request.getFetch();
        FetchData.Builder peek = FetchData.builder()
                .fetch(Arrays.stream(FetchData.Item.values()).filter(fetch::contains).toList())
                .vanished(fetch.getVanished());
        if (fetch.getChangedSince() != -1) {
            peek.changedSince(fetch.getChangedSince());
        }
        fetch.getBodyElements().forEach(element -> peek.add(element, true));
        return new FetchRequest(request.isUseUids(), request.getIdSet(), peek.build(), request.getTag());
    }
}
