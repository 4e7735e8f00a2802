package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.events.EventBus;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.ExamineRequest;
import org.apache.james.imap.processor.ExamineProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * EXAMINE whose EXISTS counts the messages it numbered (see {@link ExistsAsNumbered}, JAMES-4088), and which notes
 * that the mailbox is open read-only, for CLOSE ({@link ReadOnlyAwareCloseProcessor}).
 */
public class NumberedExamineProcessor extends ExamineProcessor {

    @Inject
    public NumberedExamineProcessor(MailboxManager mailboxManager, EventBus eventBus,
                                    StatusResponseFactory statusResponseFactory, MetricFactory metricFactory) {
        super(mailboxManager, eventBus, statusResponseFactory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(ExamineRequest request, ImapSession session, Responder responder) {
        return SessionSelection.opening(session, true, responder,
                watching -> super.processRequestReactive(request, session, new ExistsAsNumbered(watching, session)));
    }
}
