package org.essaim.mailserver;

/** A mail-server operation failed; the message says which, never with mail content. */
public class MailServerException extends RuntimeException {
    public MailServerException(String message, Throwable cause) {
        super(message, cause);
    }
}
