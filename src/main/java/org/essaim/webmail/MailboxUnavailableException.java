package org.essaim.webmail;

/** The user's mailbox could not be read over IMAP; the message is fit to show to the user. */
public class MailboxUnavailableException extends RuntimeException {
    public MailboxUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
