package org.essaim.admin;

import java.util.Optional;

/**
 * The port through which the admin pages get an action carried out: as a statement signed in the admin's
 * browser, checked and appended to the public log by governance (docs/audit.md), never directly.
 *
 * <p>Why a port here and its implementation in {@code org.essaim.governance}: governance already depends on
 * {@code admin} (it turns statements into {@link AdminAction}s and hands them to {@link AdminActions}), so the
 * admin pages cannot depend on governance without a package cycle. The pages therefore talk to this interface,
 * which governance implements; Spring wires the two together. {@link AdminActions#execute} itself is reserved
 * to governance (ArchitectureTest), so every executed action is a signed statement in the log.
 */
public interface SignedActions {

    /** The canonical statement (UTF-8 text) {@code admin} has to sign now for {@code action}. */
    String statementFor(String admin, AdminAction action);

    /**
     * Submits a statement and its armored detached signature, exactly as {@code POST /api/admin/actions} does.
     *
     * @param admin the logged-in account
     */
    Outcome submit(String admin, String statement, String armoredSignature);

    /** What became of a submitted statement. */
    sealed interface Outcome {
    }

    /** Carried out and logged; {@code invitationToken} for an invitation. */
    record Accepted(long seq, Optional<String> invitationToken) implements Outcome {
    }

    /** Another entry was appended since the statement was built: build and sign it again. */
    record Stale(String message) implements Outcome {
    }

    /** Refused, with the server's words; nothing changed. */
    record Refused(String reason, String message) implements Outcome {
    }
}
