package org.essaim.mailserver.imap;

import javax.inject.Inject;

import org.apache.james.imap.api.display.HumanReadableText;
import org.apache.james.imap.api.message.response.StatusResponseFactory;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.message.request.CloseRequest;
import org.apache.james.imap.processor.CloseProcessor;
import org.apache.james.mailbox.MailboxManager;
import org.apache.james.mailbox.MailboxSession;
import org.apache.james.mailbox.MessageManager;
import org.apache.james.mailbox.exception.MailboxException;
import org.apache.james.mailbox.model.MailboxACL;
import org.apache.james.mailbox.model.MessageRange;
import org.apache.james.metrics.api.MetricFactory;

import reactor.core.publisher.Mono;

/**
 * CLOSE as RFC 3501 (6.4.2) and RFC 4314 say: the messages marked \Deleted are expunged only when the mailbox was
 * selected read-write and the user may expunge it; CLOSE always answers, and leaves no listener behind
 * ({@link SessionSelection#leave}).
 * <p>Why: James 3.8.1's {@code CloseProcessor} expunges a mailbox opened by EXAMINE too. Jakarta Mail closes a
 * read-only folder with CLOSE, so the webmail reading a folder removed the messages another client had only marked
 * deleted. Without the expunge right it completed without any answer, and the client waited for ever. Upstream fixed
 * the first in commit 72b9500d35 ("Examine should honor its read-only promises", July 2026, unreleased); its CLOSE
 * still gives no answer without the expunge right (master at 20bf8083e3).
 */
public class ReadOnlyAwareCloseProcessor extends CloseProcessor {

    @Inject
    public ReadOnlyAwareCloseProcessor(MailboxManager mailboxManager, StatusResponseFactory factory, MetricFactory metricFactory) {
        super(mailboxManager, factory, metricFactory);
    }

    @Override
    protected Mono<Void> processRequestReactive(CloseRequest request, ImapSession session, Responder responder) {
        return Mono.defer(() -> SessionSelection.readOnly(session) ? Mono.empty() : expungeMarked(session))
                .then(SessionSelection.leave(session))
                .then(Mono.fromRunnable(() -> okComplete(request, responder)))
                .onErrorResume(MailboxException.class, failure -> {
                    no(request, responder, HumanReadableText.GENERIC_FAILURE_DURING_PROCESSING);
                    return Mono.empty();
                })
                .then();
    }

    private Mono<Void> expungeMarked(ImapSession session) {
        MailboxSession mailboxSession = session.getMailboxSession();
        return getSelectedMailboxReactive(session)
                .filterWhen(mailbox -> Mono.fromCallable(() -> mayExpunge(mailbox, mailboxSession)))
                .flatMap(mailbox -> mailbox.expungeReactive(MessageRange.all(), mailboxSession).then());
    }

    private boolean mayExpunge(MessageManager mailbox, MailboxSession mailboxSession) throws MailboxException {
        return getMailboxManager().hasRight(mailbox.getMailboxEntity(), MailboxACL.Right.PerformExpunge, mailboxSession);
    }
}
