package org.essaim.accounts;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** Which accounts are admins. Every account is a member; roles above that are stored here. */
@Repository
public class AccountRoles {
    public static final String ADMIN = "ADMIN";
    /** A proposed admin during co-optation: may read every admin page, may do nothing. */
    public static final String SPECTATOR = "SPECTATOR";

    private final JdbcClient jdbc;

    public AccountRoles(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    public Optional<String> roleOf(String address) {
        return jdbc.sql("SELECT role FROM account_role WHERE address = ?")
                .param(normalize(address))
                .query(String.class)
                .optional();
    }

    public boolean isAdmin(String address) {
        return roleOf(address).filter(ADMIN::equals).isPresent();
    }

    public void grant(String address, String role) {
        String normalized = normalize(address);
        int updated = jdbc.sql("UPDATE account_role SET role = ?, granted_at = ? WHERE address = ?")
                .params(role, OffsetDateTime.now(), normalized).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO account_role (address, role, granted_at) VALUES (?, ?, ?)")
                    .params(normalized, role, OffsetDateTime.now()).update();
        }
    }

    public boolean isSpectator(String address) {
        return roleOf(address).filter(SPECTATOR::equals).isPresent();
    }

    /** Back to plain member. */
    public void revoke(String address) {
        jdbc.sql("DELETE FROM account_role WHERE address = ?").param(normalize(address)).update();
    }

    public List<String> admins() {
        return jdbc.sql("SELECT address FROM account_role WHERE role = ? ORDER BY address")
                .param(ADMIN).query(String.class).list();
    }

    static String normalize(String address) {
        return address.trim().toLowerCase(Locale.ROOT);
    }
}
