package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.FetchData;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.FetchRequest;
import org.apache.james.imap.processor.fetch.FetchProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * FETCH EMAILID / THREADID (RFC 8474 OBJECTID) answer BAD when the mailboxes have no stable message IDs. James
 * 3.8.1 parses these items whatever the store, does not advertise OBJECTID for JPA mailboxes, and then fails inside
 * the fetch ({@code DefaultMessageId}: "Capabilities should prevent calling this method"), so the command got no
 * tagged answer at all (Essaim issue 14 item 4). The capability stays off, and the command now says why.
 */
public class ObjectIdFetchProcessor extends FetchProcessor {
    static final HumanReadableText OBJECTID_NOT_SUPPORTED = new HumanReadableText("org.essaim.imap.OBJECTID",
            "EMAILID and THREADID need OBJECTID (RFC 8474), which this server does not offer.");

    @Inject
    public ObjectIdFetchProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(FetchRequest request, ImapSession session, Responder responder) {
        FetchData fetch = request.getFetch();
        boolean objectIds = fetch.contains(FetchData.Item.EMAILID) || fetch.contains(FetchData.Item.THREADID);
        if (objectIds && !getMailboxManager().getSupportedMessageCapabilities()
                .contains(MailboxManager.MessageCapabilities.UniqueID)) {
            return Mono.fromRunnable(() -> taggedBad(request, responder, OBJECTID_NOT_SUPPORTED));
        }
        return super.processRequestReactive(request, session, responder);
    }
}
