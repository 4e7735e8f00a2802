package org.essaim.delivery;

/**
 * Which accounts an admin disabled. A disabled account cannot log in on any protocol and receives no mail.
 * Implemented on the application side (its own database); handed to James' injector as an instance.
 */
@FunctionalInterface
public interface DisabledAccounts {

    /** @param address a full, lower-case e-mail address */
    boolean isDisabled(String address);

    DisabledAccounts NONE = address -> false;
}
