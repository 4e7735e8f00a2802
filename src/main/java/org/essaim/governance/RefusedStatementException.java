package org.essaim.governance;

/**
 * A signed statement was refused; nothing was executed or appended. {@link #reason} is the code recorded with
 * the refusal, {@link #status} the HTTP status the API answers with.
 */
public class RefusedStatementException extends RuntimeException {
    public enum Reason {
        MALFORMED(400), UNKNOWN_ACTION(400), NOT_SIGNER(403), NOT_ADMIN(403), NO_KEY(403), KEY_CHANGED(403), BAD_SIGNATURE(403),
        REPLAY(409), STALE(409), BAD_TIME(422), NOT_ALLOWED(422);

        final int status;

        Reason(int status) {
            this.status = status;
        }
    }

    private final Reason reason;

    public RefusedStatementException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    public int status() {
        return reason.status;
    }
}
