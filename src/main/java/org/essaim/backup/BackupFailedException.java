package org.essaim.backup;

/** A backup could not be made; the message says why (never with mail content). */
public class BackupFailedException extends RuntimeException {
    public BackupFailedException(String message) {
        super(message);
    }

    public BackupFailedException(String message, Throwable cause) {
        super(message, cause);
    }
}
