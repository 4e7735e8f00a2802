package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.UnselectRequest;
import org.apache.james.imap.processor.UnselectProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * UNSELECT (RFC 3691) that unregisters the mailbox's event listener ({@link SessionSelection#leave}), and looks at
 * the selection when it runs rather than when it is parsed (James 3.8.1 read it while the previous command was
 * still finishing).
 */
public class ListenerFreeUnselectProcessor extends UnselectProcessor {

    @Inject
    public ListenerFreeUnselectProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(UnselectRequest request, ImapSession session, Responder responder) {
        return Mono.defer(() -> {
            if (session.getSelected() == null) {
                taggedBad(request, responder, HumanReadableText.UNSELECT);
                return Mono.empty();
            }
            return SessionSelection.leave(session).then(Mono.fromRunnable(() -> okComplete(request, responder)));
        });
    }
}
