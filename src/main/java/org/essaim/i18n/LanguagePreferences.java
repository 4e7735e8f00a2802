package org.essaim.i18n;

import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/** Each user's chosen language (My account); without a choice, the browser's language decides. */
@Component
public class LanguagePreferences {
    private final JdbcClient jdbc;

    public LanguagePreferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<Locale> of(String address) {
        return jdbc.sql("SELECT language FROM user_languages WHERE address = ?").param(address.toLowerCase(Locale.ROOT))
                .query(String.class).optional().map(Locale::forLanguageTag);
    }

    /** @param language null: follow the browser again */
    public void choose(String address, Locale language) {
        String key = address.toLowerCase(Locale.ROOT);
        jdbc.sql("DELETE FROM user_languages WHERE address = ?").param(key).update();
        if (language != null) {
            jdbc.sql("INSERT INTO user_languages (address, language) VALUES (?, ?)").param(key).param(language.toLanguageTag()).update();
        }
    }
}
