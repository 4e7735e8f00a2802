package org.essaim.mailserver.imap;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.apache.james.imap.api.message.response.ImapResponseMessage;
import org.apache.james.imap.api.message.response.StatusResponse;
import org.apache.james.imap.api.process.ImapProcessor.Responder;
import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;

import reactor.core.publisher.Mono;

/**
 * What James 3.8.1's session does not keep, or gets wrong, about the selected mailbox: whether EXAMINE opened it
 * read-only (for CLOSE, FETCH, STORE and EXPUNGE), and leaving it without leaving its listener behind (CLOSE, UNSELECT).
 */
final class SessionSelection {
    /** James 3.8.1's session does not keep whether EXAMINE or SELECT opened the mailbox; this attribute does. */
    private static final String READ_ONLY = SessionSelection.class.getName() + ".read-only";

    private SessionSelection() {
    }

    /**
     * Runs an EXAMINE or SELECT and, once it has answered OK, notes the mode it opened the mailbox in. Only then: a
     * failed SELECT leaves the previous selection in place in James 3.8.1, and that one keeps its own mode. The note
     * is written before the command completes, so the session's next command (which runs after that) sees it.
     */
    static Mono<Void> opening(ImapSession session, boolean readOnly, Responder responder,
                              Function<Responder, Mono<Void>> selection) {
        return Mono.defer(() -> {
            AtomicBoolean opened = new AtomicBoolean();
            Responder watching = new Responder() {
                @Override
                public void respond(ImapResponseMessage message) {
                    if (message instanceof StatusResponse status && status.getTag() != null
                            && status.getServerResponseType() == StatusResponse.Type.OK) {
                        opened.set(true);
                    }
                    responder.respond(message);
                }

                @Override
                public void flush() {
                    responder.flush();
                }
            };
            return selection.apply(watching).then(Mono.fromRunnable(() -> {
                if (opened.get()) {
                    session.setAttribute(READ_ONLY, readOnly);
                }
            }));
        });
    }

    static boolean readOnly(ImapSession session) {
        return Boolean.TRUE.equals(session.getAttribute(READ_ONLY));
    }

    /** A command that changes the mailbox: refused when it was opened read-only (RFC 3501 6.3.2), else run. */
    static Mono<Void> unlessReadOnly(ImapSession session, Runnable refuse, Supplier<Mono<Void>> command) {
        return Mono.defer(() -> {
            if (readOnly(session)) {
                refuse.run();
                return Mono.empty();
            }
            return command.get();
        });
    }

    /**
     * Leaves the selected mailbox: its event listener unregistered first, then the session back to authenticated.
     * Why: 3.8.1's {@code NettyImapSession.deselect()} forgets the selected mailbox before it would unregister it, so
     * every CLOSE and UNSELECT left a listener that got the mailbox's events until the server stopped. Upstream fixed
     * it in commit 02e74a57f0, "[FIX] IMAP LEAK: CLOSE, UNSELECT" (February 2024, no JIRA), first in 3.9.0.
     */
    static Mono<Void> leave(ImapSession session) {
        return Mono.defer(() -> Optional.ofNullable(session.getSelected()).map(SelectedMailbox::deselect).orElse(Mono.empty()))
                .then(Mono.defer(session::deselect));
    }
}
