package org.essaim.governance;

import java.time.Clock;
import java.util.Map;

import org.springframework.stereotype.Component;

/** Appends the server's own entries (genesis, configuration changes, promotions that came due). */
@Component
class ServerEntries {
    private final AuditLog log;
    private final Clock clock = Clock.systemUTC();

    ServerEntries(AuditLog log) {
        this.log = log;
    }

    AuditEntry append(String action, Map<String, String> parameters) {
        synchronized (log) {
            Statement statement = Statement.of(action, parameters, Statement.SERVER, clock.instant(), log.headHash());
            return log.append(AuditEntry.Kind.SERVER, statement, null, null);
        }
    }
}
