package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.LogoutRequest;
import org.apache.james.imap.processor.LogoutProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * LOGOUT writes and flushes {@code * BYE} and the tagged OK <em>before</em> the session enters the LOGOUT state.
 * James 3.8.1's {@code ImapChannelUpstreamHandler} closes the channel from any request's completion signal once the
 * session state is LOGOUT; the previous command's completion can run after the linearizer has already started
 * LOGOUT (its {@code doOnEach} is outside the linearizer), see the state change, and close the connection before
 * LOGOUT wrote its answer — Python's imaplib then saw EOF instead of BYE + OK (Essaim issue 14 item 9; the same
 * code is in James' master). Answering first makes the close always come after the answer.
 */
public class ByeBeforeCloseLogoutProcessor extends LogoutProcessor {

    @Inject
    public ByeBeforeCloseLogoutProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(LogoutRequest request, ImapSession session, Responder responder) {
        return Mono.fromRunnable(() -> {
            bye(responder);
            okComplete(request, responder);
            responder.flush();
        }).then(session.logout());
    }
}
