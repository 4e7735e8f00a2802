package org.essaim.admin;

/** An admin action (or an invitation) was refused; the message is meant for the person who asked. */
public class AdminActionException extends RuntimeException {
    public AdminActionException(String message) {
        super(message);
    }
}
