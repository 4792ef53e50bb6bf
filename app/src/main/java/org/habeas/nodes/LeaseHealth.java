package org.habeas.nodes;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The leases in {@code /actuator/health} (as {@code leases}): this node's name and, for each lease it asked for,
 * whether it holds it, who does and until when, as this node last saw it (no query: it answers at once, whatever
 * the database does). Always UP: a lease held by another node is how several nodes are meant to run.
 */
@Component("leasesHealthIndicator")
class LeaseHealth implements HealthIndicator {

    private final Leases leases;

    LeaseHealth(Leases leases) {
        this.leases = leases;
    }

    @Override
    public Health health() {
        Health.Builder h = Health.up().withDetail("node", leases.node());
        leases.states().forEach((name, s) -> {
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("held", leases.holds(name));
            if (s.holder() != null) {
                d.put("holder", s.holder());
            }
            if (s.expiresAt() != null) {
                d.put("expiresAt", s.expiresAt().toString());
            }
            d.put("checkedAt", s.checkedAt().toString());
            if (s.error() != null) {
                d.put("error", "the database did not answer (" + s.error() + ")");
            }
            h.withDetail(name, d);
        });
        return h.build();
    }
}
