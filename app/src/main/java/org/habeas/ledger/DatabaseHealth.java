package org.habeas.ledger;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The database in {@code /actuator/health} (as {@code db}, in the readiness group), answered within
 * {@code habeas.health.db-timeout} (1.5 s): a {@code select 1} on the log's own connections, so that neither a
 * busy request pool nor a database that does not answer keeps health waiting for the pool's time-out.
 */
@Component("dbHealthIndicator")
class DatabaseHealth implements HealthIndicator {

    private final LogDatabase db;
    private final Duration timeout;

    DatabaseHealth(LogDatabase db, @Value("${habeas.health.db-timeout:1500ms}") Duration timeout) {
        this.db = db;
        this.timeout = timeout;
    }

    @Override
    public Health health() {
        CompletableFuture<Boolean> answer = CompletableFuture.supplyAsync(db::answers,
                r -> Thread.ofVirtual().name("habeas-db-health").start(r));
        try {
            return answer.get(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Health.up().build()
                    : Health.down().withDetail("reason", "the database gave a wrong answer to select 1").build();
        } catch (TimeoutException e) {
            return Health.down().withDetail("reason", "the database did not answer within " + timeout.toMillis()
                    + " ms").build();
        } catch (java.util.concurrent.ExecutionException e) {
            // the class of the failure only: health is public, and a driver's message may name hosts
            Throwable cause = e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            return Health.down().withDetail("reason", "the database did not accept a connection ("
                    + cause.getClass().getSimpleName() + ")").build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Health.down().build();
        }
    }
}
