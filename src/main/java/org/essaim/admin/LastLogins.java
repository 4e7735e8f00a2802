package org.essaim.admin;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.authentication.event.AuthenticationSuccessEvent;
import org.springframework.stereotype.Component;

/** The day of each account's last login: no time of day, no address, nothing else. */
@Component
public class LastLogins {
    private final JdbcClient jdbc;

    public LastLogins(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    @EventListener
    public void onLogin(AuthenticationSuccessEvent event) {
        record(event.getAuthentication().getName(), LocalDate.now(ZoneOffset.UTC));
    }

    void record(String address, LocalDate day) {
        String normalized = address.trim().toLowerCase(Locale.ROOT);
        int updated = jdbc.sql("UPDATE last_login SET login_day = ? WHERE address = ? AND login_day <> ?")
                .params(day, normalized, day).update();
        if (updated == 0) {
            jdbc.sql("INSERT INTO last_login (address, login_day) SELECT ?, ? WHERE NOT EXISTS "
                            + "(SELECT 1 FROM last_login WHERE address = ?)")
                    .params(normalized, day, normalized).update();
        }
    }

    Map<String, LocalDate> all() {
        return jdbc.sql("SELECT address, login_day FROM last_login")
                .query((rs, i) -> Map.entry(rs.getString(1), rs.getObject(2, LocalDate.class)))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }
}
