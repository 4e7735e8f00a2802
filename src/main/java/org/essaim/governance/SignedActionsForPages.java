package org.essaim.governance;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Locale;

import org.essaim.admin.AdminAction;
import org.essaim.admin.SignedActions;
import org.springframework.stereotype.Service;

/**
 * Governance's side of {@link SignedActions}, the port the admin and co-optation pages use: it builds the statement
 * the admin's browser signs (the action, the admin, now, and the log's current head) and submits the signed
 * statement through {@link SignedAdminActions#submit}, the very path of {@code POST /api/admin/actions}, so the
 * pages get no door of their own.
 */
@Service
class SignedActionsForPages implements SignedActions {
    private final AuditLog log;
    private final SignedAdminActions signedActions;
    private final Clock clock = Clock.systemUTC();

    SignedActionsForPages(AuditLog log, SignedAdminActions signedActions) {
        this.log = log;
        this.signedActions = signedActions;
    }

    @Override
    public String statementFor(String admin, AdminAction action) {
        return Statement.of(action.name(), action.parameters(), admin.trim().toLowerCase(Locale.ROOT), clock.instant(),
                log.headHash()).canonicalText();
    }

    @Override
    public Outcome submit(String admin, String statement, String armoredSignature) {
        try {
            SignedAdminActions.Accepted accepted = signedActions.submit(admin,
                    statement.getBytes(StandardCharsets.UTF_8), armoredSignature.getBytes(StandardCharsets.UTF_8));
            return new Accepted(accepted.entry().seq(), accepted.invitationToken());
        } catch (RefusedStatementException refused) {
            if (refused.reason() == RefusedStatementException.Reason.STALE) {
                return new Stale(refused.getMessage());
            }
            return new Refused(refused.reason().name(), refused.getMessage());
        }
    }
}
