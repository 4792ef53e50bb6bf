package org.habeas.ledger;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The public log in {@code /actuator/health} (as {@code log}, in the readiness group): DOWN while its start-up
 * check has not run (with the database's last answer) and while it refuses to sign (with the reason).
 */
@Component("logHealthIndicator")
class LogHealth implements HealthIndicator {

    private final CheckpointSigner signer;
    private final org.springframework.beans.factory.ObjectProvider<LogStartup> startup;

    LogHealth(CheckpointSigner signer, org.springframework.beans.factory.ObjectProvider<LogStartup> startup) {
        this.signer = signer;
        this.startup = startup;
    }

    private String lastError() {
        LogStartup s = startup.getIfAvailable();
        return s == null ? null : s.lastError();
    }

    @Override
    public Health health() {
        if (!signer.checked()) {
            return Health.down().withDetail("reason", "the start-up check of the stored tree has not run yet"
                    + (lastError() == null ? "" : ": " + lastError())).build();
        }
        return signer.refusal().map(r -> Health.down().withDetail("reason", "the log refuses to sign: " + r).build())
                .orElseGet(() -> Health.up().build());
    }
}
