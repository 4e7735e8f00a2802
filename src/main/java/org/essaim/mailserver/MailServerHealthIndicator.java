package org.essaim.mailserver;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The health check "mailServer": up while the embedded James runs, that is once its SMTP, submission, IMAP(S) and
 * POP3(S) ports are bound (and, on a first start, the bootstrap admin's account exists: guice/FirstAccountBeforePorts).
 * Part of the readiness group (/actuator/health/readiness), beside Spring Boot's own readiness state, which turns up
 * after the start-up runners (the first admin's role, the audit log's genesis) are done.
 */
@Component
class MailServerHealthIndicator implements HealthIndicator {
    private final EmbeddedJames james;

    MailServerHealthIndicator(EmbeddedJames james) {
        this.james = james;
    }

    @Override
    public Health health() {
        return james.isRunning() ? Health.up().build() : Health.down().build();
    }
}
