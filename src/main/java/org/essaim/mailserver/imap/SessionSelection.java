package org.essaim.mailserver.imap;

import java.util.Optional;
import java.util.function.Supplier;

import org.apache.james.imap.api.process.ImapSession;
import org.apache.james.imap.api.process.SelectedMailbox;

import reactor.core.publisher.Mono;

/**
 * What CLOSE and UNSELECT need of a session's selection and James 3.8.1 gets wrong: whether the mailbox was opened
 * read-only, and leaving it without leaving its listener behind.
 */
final class SessionSelection {
    /** James 3.8.1's session does not keep whether EXAMINE or SELECT opened the mailbox; this attribute does. */
    private static final String READ_ONLY = SessionSelection.class.getName() + ".read-only";

    private SessionSelection() {
    }

    /** Written when the EXAMINE or SELECT runs (not when it is parsed: a pipelined CLOSE before it must not see it). */
    static Mono<Void> opening(ImapSession session, boolean readOnly) {
        return Mono.fromRunnable(() -> session.setAttribute(READ_ONLY, readOnly));
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
