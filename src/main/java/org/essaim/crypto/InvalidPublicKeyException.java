package org.essaim.crypto;

/** An uploaded public key that Essaim will not publish, with the reason in words its owner can act on. */
public class InvalidPublicKeyException extends Exception {

    public enum Reason {
        EMPTY,
        TOO_LARGE,
        NOT_OPENPGP,
        SECRET_KEY_MATERIAL,
        SEVERAL_CERTIFICATES,
        UNSUPPORTED_VERSION,
        BROKEN_SELF_SIGNATURES,
        REVOKED,
        EXPIRED,
        NO_MATCHING_USER_ID,
        NO_ENCRYPTION_SUBKEY
    }

    private final Reason reason;

    public InvalidPublicKeyException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
