package org.essaim.setup;

import java.util.Optional;
import java.util.regex.Pattern;

import org.essaim.i18n.Translations;

/**
 * What the setup page accepts for the first admin's address and password repetition, with messages a person
 * can act on; the password itself follows the one {@code PasswordPolicy} of every account.
 */
public final class FirstAdminInput {
    // local@domain.tld with no spaces, quotes or brackets: a mailbox James can host and IMAP clients can type.
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+");

    private FirstAdminInput() {
    }

    public static Optional<String> problemWithAddress(String address) {
        if (address == null || address.isBlank()) {
            return Optional.of(Translations.forCurrentPage("setup.addressMissing"));
        }
        String trimmed = address.trim();
        if (!ADDRESS.matcher(trimmed).matches() || trimmed.startsWith(".") || trimmed.contains("..") || trimmed.contains(".@")) {
            return Optional.of(Translations.forCurrentPage("setup.addressInvalid"));
        }
        return Optional.empty();
    }

    public static Optional<String> problemWithRepetition(String password, String repeated) {
        return password != null && password.equals(repeated) ? Optional.empty() : Optional.of(Translations.forCurrentPage("welcome.passwordsDiffer"));
    }
}
