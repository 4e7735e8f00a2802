package org.essaim.setup;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What the setup page accepts for the first admin, with messages a person can act on. The same rules hold
 * on the server whatever the browser checked.
 */
public final class FirstAdminInput {
    public static final int MIN_PASSWORD_LENGTH = 10;
    // local@domain.tld with no spaces, quotes or brackets: a mailbox James can host and IMAP clients can type.
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    private FirstAdminInput() {
    }

    public static Optional<String> problemWithAddress(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of("Enter the admin's e-mail address.");
        }
        String trimmed = address.trim();
        if (!ADDRESS.matcher(trimmed).matches() || trimmed.startsWith(".") || trimmed.contains("..") || trimmed.contains(".@")) {
            return Optional.of("This is not a valid e-mail address (expected something like admin@example.org).");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithPassword(String password) {
        if (password == null || password.isEmpty()) {
            return Optional.of("Choose a password.");
        }
        if (password.codePointCount(0, password.length()) < MIN_PASSWORD_LENGTH) {
            return Optional.of("The password needs at least " + MIN_PASSWORD_LENGTH + " characters.");
        }
        if (password.isBlank()) {
            return Optional.of("The password cannot be only spaces.");
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithRepetition(String password, String repeated) {
        return password != null && password.equals(repeated) ? Optional.empty() : Optional.of("The two passwords differ.");
    }
}
