package org.essaim.governance;

/** A statement is not in the documented canonical form; the message says what to fix. */
public class StatementException extends Exception {
    public StatementException(String message) {
        super(message);
    }
}
