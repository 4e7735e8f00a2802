package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.StoreRequest;
import org.apache.james.imap.processor.StoreProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * A conditional STORE (RFC 7162 UNCHANGEDSINCE) that finds changed messages answers
 * {@code OK [MODIFIED 1:3] Conditional STORE failed}. James 3.8.1 builds the MODIFIED response code with the number
 * 0 instead of "no number" ({@code ResponseCode.condStore}), so clients got the malformed {@code [MODIFIED 0 1:3]}
 * and the text "STORE failed." (Essaim issue 14 item 3). Only that answer is rewritten.
 */
public class ConditionalStoreProcessor extends StoreProcessor {
    @Inject
    public ConditionalStoreProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(StoreRequest request, ImapSession session, Responder responder) {
        return super.processRequestReactive(request, session, new Responder() {
            @Override
            public void respond(ImapResponseMessage message) {
                responder.respond(corrected(message));
            }

            @Override
            public void flush() {
                responder.flush();
            }
        });
    }

    private static ImapResponseMessage corrected(ImapResponseMessage message) {
        if (message instanceof StatusResponse status && status.getResponseCode() != null
                && "MODIFIED".equals(status.getResponseCode().getCode())) {
            return new ConditionalStoreFailed(status.getTag(), String.join(",", status.getResponseCode().getParameters()));
        }
        return message;
    }
}
