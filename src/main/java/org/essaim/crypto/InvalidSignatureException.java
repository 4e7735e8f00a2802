package org.essaim.crypto;

/** A detached signature does not prove what it should; the message says why, for the person who sent it. */
public class InvalidSignatureException extends Exception {
    public InvalidSignatureException(String message) {
        super(message);
    }
}
