package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.ExpungeRequest;
import org.apache.james.imap.processor.ExpungeProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * EXPUNGE and UID EXPUNGE in a mailbox opened by EXAMINE answer {@code NO}: RFC 3501 (6.3.2) permits no change of its
 * state. James 3.8.1 expunged. Upstream did the same in commit 72b9500d35 (July 2026, unreleased).
 */
public class ReadOnlyRefusingExpungeProcessor extends ExpungeProcessor {

    @Inject
    public ReadOnlyRefusingExpungeProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(ExpungeRequest request, ImapSession session, Responder responder) {
        return SessionSelection.unlessReadOnly(session, () -> no(request, responder, HumanReadableText.MAILBOX_IS_READ_ONLY),
                () -> super.processRequestReactive(request, session, responder));
    }
}
