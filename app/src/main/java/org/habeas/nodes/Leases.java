package org.habeas.nodes;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import jakarta.annotation.PreDestroy;

/**
 * Named leases in the database that keep a scheduled job to one node at a time when several nodes share it. A node
 * takes a lease, or renews its own, with one conditional update ({@code holder = me or expires_at < now}) whose row
 * count says whether it holds it; the first taker inserts the row, and of several inserts at once only one adds it. A
 * node that stops releases its leases; one that dies holds them until they run out, and then another node takes
 * over. What each node last learnt about each lease is kept in memory for {@code /actuator/health}.
 */
@Component
public class Leases {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);

    /** This node's state of one lease as last seen: who held it, until when, and when this node asked. */
    public record State(boolean held, String holder, Instant expiresAt, Instant checkedAt, String error) {
    }

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final String node;
    private final Map<String, State> seen = new ConcurrentHashMap<>();

    public Leases(JdbcClient jdbc, TransactionTemplate tx, Clock clock, @Value("${habeas.node.name:}") String name) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.node = (name == null || name.isBlank() ? ManagementFactory.getRuntimeMXBean().getName() : name.strip())
                + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** This node's name in the leases (the process name, or {@code habeas.node.name}, and a random suffix). */
    public String node() {
        return node;
    }

    /**
     * Takes or renews the lease {@code name} for {@code length}; true if this node holds it now. False, never an
     * exception, when another node holds it or the database does not answer.
     */
    public boolean hold(String name, Duration length) {
        Instant now = clock.instant();
        Instant until = now.plus(length);
        try {
            Integer renewed = tx.execute(s -> jdbc.sql("""
                    update node_lease set holder = :h, expires_at = :u
                    where name = :n and (holder = :h or expires_at < :now)""")
                    .param("h", node).param("u", utc(until)).param("n", name).param("now", utc(now)).update());
            if (renewed != null && renewed == 1) {
                return took(name, until, now);
            }
            // the first taker inserts the row; a node that finds it there (another holds it) inserts nothing
            Integer inserted = tx.execute(s -> jdbc.sql("""
                    insert into node_lease (name, holder, expires_at) values (:n, :h, :u) on conflict do nothing""")
                    .param("n", name).param("h", node).param("u", utc(until)).update());
            if (inserted != null && inserted == 1) {
                return took(name, until, now);
            }
            // another node holds it: note who, for health
            Optional<State> other = jdbc.sql("select holder, expires_at from node_lease where name = :n")
                    .param("n", name).query((rs, i) -> new State(false, rs.getString(1),
                            rs.getObject(2, OffsetDateTime.class).toInstant(), now, null)).optional();
            State was = seen.put(name, other.orElse(new State(false, null, null, now, null)));
            if (was != null && was.held()) {
                log.warn("Lease {} is now held by {}", name, other.map(State::holder).orElse("another node"));
            }
            return false;
        } catch (DataAccessException e) {
            seen.compute(name, (k, was) -> new State(false, was == null ? null : was.holder(),
                    was == null ? null : was.expiresAt(), now, e.getClass().getSimpleName()));
            return false;
        }
    }

    private boolean took(String name, Instant until, Instant now) {
        State was = seen.put(name, new State(true, node, until, now, null));
        if (was == null || !was.held()) {
            log.info("Lease {} taken by this node ({}) until {}", name, node, until);
        }
        return true;
    }

    /** Whether this node held the lease {@code name} when it last asked, and it has not run out since. */
    public boolean holds(String name) {
        State s = seen.get(name);
        return s != null && s.held() && s.expiresAt().isAfter(clock.instant());
    }

    /** What this node last learnt about each lease it asked for, by name. */
    public Map<String, State> states() {
        return new TreeMap<>(seen);
    }

    /** Gives up this node's leases when it stops, so that another node takes over at once. */
    @PreDestroy
    void releaseAll() {
        try {
            int n = jdbc.sql("update node_lease set expires_at = :now where holder = :h")
                    .param("now", utc(clock.instant().minusSeconds(1))).param("h", node).update();
            if (n > 0) {
                log.info("Released {} leases held by this node", n);
            }
        } catch (DataAccessException e) {
            // the database is away: the leases run out by themselves
        }
        seen.clear();
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
