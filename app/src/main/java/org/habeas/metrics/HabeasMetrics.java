package org.habeas.metrics;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

/**
 * The metrics an operator alerts on, counted in the database every {@code habeas.metrics.refresh} (15 s) and held
 * here, so that a scrape answers at once whatever the state of the database (a failed count keeps the last values).
 * The ages are computed at each scrape from the last time read. Counters count what the database holds, so every
 * node reports the same totals.
 */
@Component
class HabeasMetrics {

    private static final Logger log = LoggerFactory.getLogger(HabeasMetrics.class);

    private final JdbcClient jdbc;
    private final MeterRegistry registry;
    private final Clock clock;

    private final Map<Tags, AtomicLong> counters = new ConcurrentHashMap<>();
    private final MultiGauge cases;
    private final MultiGauge overdue;
    private final MultiGauge notices;
    private final MultiGauge cosignatureAge;
    private final AtomicLong failingNotices = new AtomicLong();
    private final AtomicLong logEntries = new AtomicLong();
    private final AtomicLong pendingEntries = new AtomicLong();
    private volatile Instant lastCheckpoint;
    private volatile Map<String, Instant> lastCosignature = Map.of();

    HabeasMetrics(JdbcClient jdbc, MeterRegistry registry, Clock clock) {
        this.jdbc = jdbc;
        this.registry = registry;
        this.clock = clock;
        cases = MultiGauge.builder("habeas.cases").description("Cases by state").register(registry);
        overdue = MultiGauge.builder("habeas.cases.overdue")
                .description("Open cases whose deadline (response, or an emergency's follow-up) has passed")
                .register(registry);
        notices = MultiGauge.builder("habeas.notices").description("Notices to account holders by status")
                .register(registry);
        cosignatureAge = MultiGauge.builder("habeas.witness.cosignature.age").baseUnit("seconds")
                .description("Seconds since each witness last cosigned a checkpoint").register(registry);
        Gauge.builder("habeas.notices.failing", failingNotices, AtomicLong::get)
                .description("Pending notices whose last attempt to send failed").register(registry);
        Gauge.builder("habeas.log.entries", logEntries, AtomicLong::get)
                .description("Entries in the public log's tree").register(registry);
        Gauge.builder("habeas.log.pending.entries", pendingEntries, AtomicLong::get)
                .description("Entries written but not yet given an index in the public log").register(registry);
        Gauge.builder("habeas.log.checkpoint.age", this, m -> m.ageOf(m.lastCheckpoint)).baseUnit("seconds")
                .description("Seconds since the public log last signed a checkpoint (NaN before the first)")
                .register(registry);
    }

    private double ageOf(Instant t) {
        return t == null ? Double.NaN : Math.max(0, clock.millis() - t.toEpochMilli()) / 1000.0;
    }

    @Scheduled(fixedDelayString = "${habeas.metrics.refresh:15s}", initialDelay = 0)
    void refresh() {
        try {
            count();
        } catch (RuntimeException e) {
            log.warn("Metrics not refreshed: {}", e.toString());
        }
    }

    void count() {
        jdbc.sql("select instrument, channel, emergency, count(*) n from intake_request "
                + "group by instrument, channel, emergency").query((rs, i) -> {
                    counter("habeas.requests.received", "Requests received", Tags.of("instrument",
                            rs.getString(1), "channel", rs.getString(2), "emergency", Boolean.toString(rs.getBoolean(3))),
                            rs.getLong(4));
                    return null;
                }).list();
        Map<String, Long> byOutcome = new HashMap<>();
        Map<Tags, Long> byRule = new HashMap<>();
        jdbc.sql("select outcome, rules, count(*) from casework_decision group by outcome, rules").query((rs, i) -> {
            String outcome = rs.getString(1);
            long n = rs.getLong(3);
            byOutcome.merge(outcome, n, Long::sum);
            for (String rule : rs.getString(2).split(",")) {
                if (!rule.isBlank()) {
                    byRule.merge(Tags.of("outcome", outcome, "rule", rule.strip()), n, Long::sum);
                }
            }
            return null;
        }).list();
        byOutcome.forEach((o, n) -> counter("habeas.decisions", "Decisions taken", Tags.of("outcome", o), n));
        byRule.forEach((t, n) -> counter("habeas.decision.rules", "Decisions by a rule they rest on", t, n));
        counter("habeas.packages.produced", "Production packages made", Tags.empty(),
                jdbc.sql("select count(*) from disclosure_package").query(Long.class).single());
        counter("habeas.packages.received", "Production packages whose receipt the requester confirmed", Tags.empty(),
                jdbc.sql("select count(*) from disclosure_package where received_at is not null").query(Long.class)
                        .single());

        cases.register(rows("select state, count(*) from casework_case group by state", "state"), true);
        List<MultiGauge.Row<?>> late = new ArrayList<>();
        late.add(MultiGauge.Row.of(Tags.of("deadline", "response"), jdbc.sql("""
                select count(*) from casework_case c where c.state in ('RECEIVED', 'ASSESSED', 'IN_REVIEW')
                and exists (select 1 from casework_event e where e.request_id = c.request_id
                            and e.action = 'RESPONSE_OVERDUE')""").query(Long.class).single()));
        late.add(MultiGauge.Row.of(Tags.of("deadline", "follow_up"), jdbc.sql("""
                select count(*) from casework_case c where c.state not in ('CLOSED', 'WITHDRAWN')
                and exists (select 1 from casework_event e where e.request_id = c.request_id
                            and e.action = 'FOLLOW_UP_OVERDUE')""").query(Long.class).single()));
        overdue.register(late, true);
        notices.register(rows("select status, count(*) from disclosure_notice group by status", "status"), true);
        failingNotices.set(jdbc.sql("select count(*) from disclosure_notice where status = 'PENDING' "
                + "and last_error is not null").query(Long.class).single());

        logEntries.set(jdbc.sql("select coalesce(max(size), 0) from ledger_state").query(Long.class).single());
        pendingEntries.set(jdbc.sql("select count(*) from ledger_pending").query(Long.class).single());
        lastCheckpoint = jdbc.sql("select max(signed_at) from ledger_checkpoint").query(OffsetDateTime.class)
                .list().stream().filter(Objects::nonNull).map(OffsetDateTime::toInstant).findFirst().orElse(null);
        Map<String, Instant> cosigned = new HashMap<>();
        jdbc.sql("select witness, max(received_at) from ledger_cosignature group by witness").query((rs, i) -> {
            cosigned.put(rs.getString(1), rs.getObject(2, OffsetDateTime.class).toInstant());
            return null;
        }).list();
        lastCosignature = Map.copyOf(cosigned);
        List<MultiGauge.Row<?>> ages = new ArrayList<>();
        cosigned.keySet().forEach(w -> ages.add(MultiGauge.Row.of(Tags.of("witness", w), this,
                m -> m.ageOf(m.lastCosignature.get(w)))));
        cosignatureAge.register(ages, true);
    }

    private List<MultiGauge.Row<?>> rows(String sql, String tag) {
        List<MultiGauge.Row<?>> out = new ArrayList<>();
        jdbc.sql(sql).query((rs, i) -> out.add(MultiGauge.Row.of(Tags.of(tag, rs.getString(1)), rs.getLong(2))))
                .list();
        return out;
    }

    /** A counter of what the database holds; registered the first time its tags are seen. */
    private void counter(String name, String description, Tags tags, long value) {
        AtomicLong held = counters.computeIfAbsent(Tags.of("name", name).and(tags), k -> {
            AtomicLong v = new AtomicLong();
            FunctionCounter.builder(name, v, AtomicLong::get).description(description).tags(tags).register(registry);
            return v;
        });
        held.set(value);
    }
}
