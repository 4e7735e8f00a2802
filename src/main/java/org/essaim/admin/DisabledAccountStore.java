package org.essaim.admin;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

import org.essaim.delivery.DisabledAccounts;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The disabled accounts, in the application's database; James asks it on every login and RCPT. */
@Repository
public class DisabledAccountStore implements DisabledAccounts {
    private final JdbcClient jdbc;

    public DisabledAccountStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public boolean isDisabled(String address) {
        return jdbc.sql("SELECT COUNT(*) FROM disabled_account WHERE address = ?")
                .param(normalize(address)).query(Integer.class).single() > 0;
    }

    /** Every disabled address, for lists that would otherwise ask once per account. */
    Set<String> all() {
        return new HashSet<>(jdbc.sql("SELECT address FROM disabled_account").query(String.class).list());
    }

    void disable(String address) {
        if (!isDisabled(address)) {
            jdbc.sql("INSERT INTO disabled_account (address, disabled_at) VALUES (?, ?)")
                    .params(normalize(address), OffsetDateTime.now()).update();
        }
    }

    void enable(String address) {
        jdbc.sql("DELETE FROM disabled_account WHERE address = ?").param(normalize(address)).update();
    }

    private static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
