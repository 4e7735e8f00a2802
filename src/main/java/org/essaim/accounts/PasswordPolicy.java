package org.essaim.accounts;

import java.util.List;
import java.util.Optional;

import org.essaim.i18n.Translations;

import org.springframework.stereotype.Component;

import com.nulabinc.zxcvbn.Zxcvbn;

/**
 * What a new password must be: at least {@value #MIN_LENGTH} characters and not guessable from the lists of
 * the most common passwords, words, names and keyboard patterns (zxcvbn score of at least 2 of 4), taking the
 * account's own address into account.
 */
@Component
public class PasswordPolicy {
    public static final int MIN_LENGTH = 10;
    private static final int MIN_SCORE = 2;

    private final Zxcvbn zxcvbn = new Zxcvbn();

    /** The reason this password is refused, or empty when it is acceptable. */
    public Optional<String> problemWith(String password, String address) {
        if (password == null || password.codePointCount(0, password.length()) < MIN_LENGTH) {
            return Optional.of(Translations.forCurrentPage("password.tooShort", MIN_LENGTH));
        }
        List<String> personal = address == null ? List.of() : List.of(address, address.split("@")[0]);
        if (zxcvbn.measure(password, personal).getScore() < MIN_SCORE) {
            return Optional.of(Translations.forCurrentPage("password.tooCommon"));
        }
        return Optional.empty();
    }
}
