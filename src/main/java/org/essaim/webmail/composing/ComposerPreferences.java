package org.essaim.webmail.composing;

import java.util.Locale;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * A user's composer settings, kept server-side so they follow the user to every browser: for now whether new
 * messages are signed (provably from the user) or deniable (encrypted but unsigned) unless changed per message.
 */
@Service
public class ComposerPreferences {
    /** Without a setting, messages are signed: what most correspondents expect from an encrypted mail. */
    static final boolean SIGN_BY_DEFAULT = true;

    private final JdbcClient jdbc;

    public ComposerPreferences(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public boolean signsByDefault(String address) {
        return jdbc.sql("SELECT sign_by_default FROM webmail_preferences WHERE address = ?")
                .param(normalize(address))
                .query(Boolean.class)
                .optional()
                .orElse(SIGN_BY_DEFAULT);
    }

    public void setSignsByDefault(String address, boolean sign) {
        String key = normalize(address);
        int updated = jdbc.sql("UPDATE webmail_preferences SET sign_by_default = ? WHERE address = ?")
                .param(sign).param(key).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO webmail_preferences (address, sign_by_default) VALUES (?, ?)")
                    .param(key).param(sign).update();
        }
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
