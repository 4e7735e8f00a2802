package org.essaim.keys;

import org.essaim.crypto.InvalidPublicKeyException;

/** An upload the directory refused; the message is meant for the key's owner. Nothing was stored. */
public class KeyRejectedException extends RuntimeException {
    private final InvalidPublicKeyException.Reason reason;

    public KeyRejectedException(InvalidPublicKeyException cause) {
        super(cause.getMessage(), cause);
        this.reason = cause.reason();
    }

    public InvalidPublicKeyException.Reason reason() {
        return reason;
    }

    public boolean isTooLarge() {
        return reason == InvalidPublicKeyException.Reason.TOO_LARGE;
    }
}
