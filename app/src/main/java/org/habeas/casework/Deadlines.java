package org.habeas.casework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.law.Instrument;
import org.habeas.law.KnowledgeBase;
import org.habeas.nodes.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clocks of a case, from the knowledge base: the response deadline of its instrument (EU e-Evidence: 10 days,
 * 8 hours in an emergency), which stops while the case waits for the requester; an emergency's follow-up legal
 * process; a preservation hold's expiry. A scheduled job, run by one node at a time under a database lease,
 * expires holds on their day and records overdue follow-ups once.
 */
@Component
public class Deadlines implements RequestExtension, org.habeas.intake.ResponseClocks {

    private static final Logger log = LoggerFactory.getLogger(Deadlines.class);

    /** One clock: what falls due when, on what basis, and where it stands. */
    public record Due(String kind, Instant dueAt, String basis, Duration paused, boolean overdue, boolean dueSoon,
            boolean done, boolean internal) {

        public Due(String kind, Instant dueAt, String basis, Duration paused, boolean overdue, boolean dueSoon,
                boolean done) {
            this(kind, dueAt, basis, paused, overdue, dueSoon, done, false);
        }
    }

    /** A preservation hold: ACTIVE, EXPIRED, RELEASED or CONVERTED. */
    public record Hold(LocalDate startedOn, LocalDate expiresOn, List<String> categories, String status) {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Cases cases;
    private final KnowledgeBase kb;
    private final TransactionTemplate tx;
    private final ApplicationEventPublisher events;
    private final tools.jackson.databind.json.JsonMapper json;
    private final Clock clock;
    private final org.springframework.core.env.Environment env;
    private final Leases leases;

    Deadlines(JdbcClient jdbc, Intake intake, Cases cases, KnowledgeBase kb, TransactionTemplate tx,
            ApplicationEventPublisher events, tools.jackson.databind.json.JsonMapper json, Clock clock,
            org.springframework.core.env.Environment env, Leases leases) {
        this.env = env;
        this.leases = leases;
        this.jdbc = jdbc;
        this.intake = intake;
        this.cases = cases;
        this.kb = kb;
        this.tx = tx;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /** A decided preservation request starts its hold: the decided (or requested, or legal) number of days. */
    @EventListener
    @org.springframework.core.annotation.Order(10) // after the log has recorded the decision
    void decided(CaseEvents.Decided e) {
        ReceivedRequest r = intake.find(e.requestId()).orElseThrow();
        if (e.outcome().equals("REFUSE")) {
            return;
        }
        if (!r.measure().equals("PRESERVATION")) {
            convert(r);
            return;
        }
        if (extend(r)) {
            return;
        }
        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        Optional<Instrument.Preservation> legal = kb.instrument(r.instrument()).map(Instrument::preservation);
        int days = body.preservationDays() != null ? body.preservationDays() : legal.map(Instrument.Preservation::days).orElse(90);
        if (legal.isPresent()) {
            days = Math.min(days, legal.get().days());
        }
        Cases.Decision d = cases.decision(r.id()).orElseThrow();
        List<String> categories = d.scope() != null && d.scope().dataCategories() != null
                ? d.scope().dataCategories() : body.dataCategories();
        LocalDate start = d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate();
        jdbc.sql("""
                insert into casework_hold (request_id, categories, started_on, expires_on, status)
                values (:r, :c, :s, :e, 'ACTIVE')""")
                .param("r", r.id()).param("c", String.join(",", categories)).param("s", start)
                .param("e", start.plusDays(days)).update();
        cases.record(r.id(), "HOLD_STARTED", "Preserved " + String.join(", ", categories) + " until "
                + start.plusDays(days) + " (" + days + " days"
                + legal.map(p -> "; " + p.source()).orElse("") + ")");
        events.publishEvent(new CaseEvents.Preserved(r.id()));
    }

    /** Active holds of the same agency on the same accounts, other than this request's own. */
    private List<UUID> holdsFor(ReceivedRequest r) {
        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        java.util.Set<String> targets = new java.util.HashSet<>();
        body.targets().forEach(t -> targets.add(t.value()));
        List<UUID> out = new ArrayList<>();
        for (UUID id : jdbc.sql("""
                select h.request_id from casework_hold h join intake_request q on q.id = h.request_id
                where h.status = 'ACTIVE' and q.agency_id = :a and h.request_id <> :r""")
                .param("a", r.agencyId()).param("r", r.id()).query(UUID.class).list()) {
            EvidenceRequest held = json.readValue(intake.find(id).orElseThrow().body(), EvidenceRequest.class);
            if (held.targets().stream().anyMatch(t -> targets.contains(t.value()))) {
                out.add(id);
            }
        }
        return out;
    }

    /**
     * A new preservation request for accounts already held extends the hold, by the instrument's extension period
     * (EU e-Evidence: 30 days), from the old expiry.
     */
    private boolean extend(ReceivedRequest r) {
        List<UUID> held = holdsFor(r);
        if (held.isEmpty()) {
            return false;
        }
        Optional<Instrument.Preservation> legal = kb.instrument(r.instrument()).map(Instrument::preservation);
        int extension = legal.map(Instrument.Preservation::extensionDays).filter(d -> d > 0).orElse(0);
        if (extension == 0) {
            return false;
        }
        for (UUID id : held) {
            Hold h = hold(id).orElseThrow();
            LocalDate until = h.expiresOn().plusDays(extension);
            jdbc.sql("update casework_hold set expires_on = :e where request_id = :r").param("e", until).param("r", id).update();
            cases.record(id, "HOLD_EXTENDED", "Extended to " + until + " by request " + r.id() + " ("
                    + legal.map(Instrument.Preservation::source).orElse("") + ")");
            cases.record(r.id(), "HOLD_EXTENDED", "Extends the hold of request " + id + " to " + until);
        }
        return true;
    }

    /** A production request for accounts under a hold converts the hold: the data now follows the production. */
    private void convert(ReceivedRequest r) {
        for (UUID id : holdsFor(r)) {
            jdbc.sql("update casework_hold set status = 'CONVERTED', ended_at = :now where request_id = :r")
                    .param("now", now()).param("r", id).update();
            cases.record(id, "HOLD_CONVERTED", "Converted by the production request " + r.id());
        }
    }

    /** A withdrawn request's hold is released. */
    @EventListener
    void withdrawn(CaseEvents.Withdrawn e) {
        int n = jdbc.sql("update casework_hold set status = 'RELEASED', ended_at = :now where request_id = :r and status = 'ACTIVE'")
                .param("now", now()).param("r", e.requestId()).update();
        if (n > 0) {
            cases.record(e.requestId(), "HOLD_RELEASED", "The request was withdrawn.");
        }
    }

    /** A response deadline the requesting authority set anew, replacing the instrument's. */
    public record DueOverride(Instant dueAt, String basis) {
    }

    /**
     * Sets the response deadline of a case anew, as the requesting authority asked; the latest one counts.
     */
    public void setResponseDue(UUID requestId, Instant dueAt, String basis) {
        OffsetDateTime due = dueAt.atOffset(ZoneOffset.UTC);
        int n = jdbc.sql("update casework_due_override set due_at = :d, basis = :b, set_at = :now where request_id = :r")
                .param("d", due).param("b", basis).param("now", now()).param("r", requestId).update();
        if (n == 0) {
            jdbc.sql("insert into casework_due_override (request_id, due_at, basis, set_at) values (:r, :d, :b, :now)")
                    .param("r", requestId).param("d", due).param("b", basis).param("now", now()).update();
        }
        cases.record(requestId, "DEADLINE_CHANGED", "The response is now due " + dueAt + " (" + basis + ").");
    }

    /**
     * Extends an active hold to {@code until}; false when the hold is not active or already runs that long. The
     * update is conditional on the expiry read, so two extensions at once cannot both count.
     */
    public boolean extendHold(UUID requestId, LocalDate until, String reason) {
        Optional<Hold> h = hold(requestId).filter(x -> x.status().equals("ACTIVE") && x.expiresOn().isBefore(until));
        if (h.isEmpty()) {
            return false;
        }
        int n = jdbc.sql("""
                update casework_hold set expires_on = :e where request_id = :r and status = 'ACTIVE' and expires_on = :old""")
                .param("e", until).param("r", requestId).param("old", h.get().expiresOn()).update();
        if (n == 1) {
            cases.record(requestId, "HOLD_EXTENDED", "Extended to " + until + " (" + reason + ")");
        }
        return n == 1;
    }

    /** Releases an active hold before its day; false when none is active. */
    public boolean releaseHold(UUID requestId, String reason) {
        int n = jdbc.sql("update casework_hold set status = 'RELEASED', ended_at = :now where request_id = :r and status = 'ACTIVE'")
                .param("now", now()).param("r", requestId).update();
        if (n == 1) {
            cases.record(requestId, "HOLD_RELEASED", reason);
        }
        return n == 1;
    }

    private Optional<DueOverride> override(UUID requestId) {
        return jdbc.sql("select due_at, basis from casework_due_override where request_id = :r").param("r", requestId)
                .query((rs, i) -> new DueOverride(rs.getObject(1, OffsetDateTime.class).toInstant(), rs.getString(2)))
                .optional();
    }

    public Optional<Hold> hold(UUID requestId) {
        return jdbc.sql("select * from casework_hold where request_id = :r").param("r", requestId)
                .query((rs, i) -> hold(rs))
                .optional();
    }

    private static Hold hold(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Hold(rs.getObject("started_on", LocalDate.class), rs.getObject("expires_on", LocalDate.class),
                List.of(rs.getString("categories").split(",")), rs.getString("status"));
    }

    /** The preservation holds of a page of requests, by request id, in one query. */
    /** Kind of {@link org.habeas.intake.ReadScope}: a request's preservation hold. */
    static final String HOLD = "casework.hold";

    java.util.Map<UUID, Hold> holds(List<UUID> requestIds) {
        return org.habeas.intake.ReadScope.all(HOLD, requestIds, this::loadHolds);
    }

    private java.util.Map<UUID, Hold> loadHolds(java.util.Collection<UUID> requestIds) {
        java.util.Map<UUID, Hold> holds = new java.util.HashMap<>();
        if (!requestIds.isEmpty()) {
            jdbc.sql("select * from casework_hold where request_id in (:r)").param("r", requestIds)
                    .query((rs, i) -> holds.put(rs.getObject("request_id", UUID.class), hold(rs))).list();
        }
        return holds;
    }

    /** Every clock of a case, as of now. */
    public List<Due> clocks(UUID requestId) {
        return clocks(intake.find(requestId).orElseThrow(), cases.find(requestId).orElseThrow(), hold(requestId),
                override(requestId));
    }

    /** The clocks of a page of requests, by request id, in a fixed number of queries; one without a case is absent. */
    java.util.Map<UUID, List<Due>> clocks(List<ReceivedRequest> requests) {
        return clocks(requests, holds(requests.stream().map(ReceivedRequest::id).toList()));
    }

    /** As {@link #clocks(List)}, with the page's holds already read ({@link #holds}). */
    java.util.Map<UUID, List<Due>> clocks(List<ReceivedRequest> requests, java.util.Map<UUID, Hold> holds) {
        java.util.Map<UUID, List<Due>> out = new java.util.HashMap<>();
        if (requests.isEmpty()) {
            return out;
        }
        List<UUID> ids = requests.stream().map(ReceivedRequest::id).toList();
        java.util.Map<UUID, Cases.Case> found = cases.findAll(ids);
        // only a case whose deadline was set anew has an override: a page without one costs no statement more
        List<UUID> changed = found.values().stream().filter(c -> c.timeline().stream()
                .anyMatch(e -> e.action().equals("DEADLINE_CHANGED"))).map(Cases.Case::requestId).toList();
        java.util.Map<UUID, DueOverride> overrides = new java.util.HashMap<>();
        if (!changed.isEmpty()) {
            jdbc.sql("select request_id, due_at, basis from casework_due_override where request_id in (:r)")
                    .param("r", changed).query((rs, i) -> overrides.put(rs.getObject(1, UUID.class), new DueOverride(
                            rs.getObject(2, OffsetDateTime.class).toInstant(), rs.getString(3)))).list();
        }
        for (ReceivedRequest r : requests) {
            Cases.Case c = found.get(r.id());
            if (c != null) {
                out.put(r.id(), clocks(r, c, Optional.ofNullable(holds.get(r.id())),
                        Optional.ofNullable(overrides.get(r.id()))));
            }
        }
        return out;
    }

    private List<Due> clocks(ReceivedRequest r, Cases.Case c, Optional<Hold> hold, Optional<DueOverride> override) {
        UUID requestId = r.id();
        Instant now = clock.instant();
        List<Due> out = new ArrayList<>();
        Optional<Instrument> instrument = kb.instrument(r.instrument());
        Optional<Instrument.ResponseTime> d = instrument.flatMap(this::responseTime);
        Duration allowed = null;
        if (d.isPresent() && r.emergency() && d.get().emergencyHours() != null) {
            allowed = Duration.ofHours(d.get().emergencyHours());
        } else if (d.isPresent()) {
            allowed = Duration.ofDays(d.get().days());
        }
        if (allowed != null) {
            Duration paused = paused(c, now);
            Instant due = override.map(DueOverride::dueAt).orElse(r.receivedAt().plus(allowed).plus(paused));
            boolean done = c.decision() != null || !c.state().open();
            boolean waiting = c.state() == CaseState.AWAITING_REQUESTER;
            out.add(new Due("RESPONSE", due, override.map(DueOverride::basis).orElse(d.get().source()), paused,
                    !done && !waiting && now.isAfter(due),
                    !done && !waiting && !now.isAfter(due) && now.isAfter(due.minus(allowed.dividedBy(4))), done,
                    override.isEmpty() && d.get().internal()));
        }
        if (r.emergency()) {
            Optional<Instrument> ve = kb.instrument("VOLUNTARY_EMERGENCY");
            int days = ve.map(Instrument::followUpDays).orElse(2);
            Instant due = r.receivedAt().atZone(ZoneOffset.UTC).toLocalDate().plusDays(days + 1L)
                    .atStartOfDay(ZoneOffset.UTC).toInstant();
            boolean done = !c.state().open();
            out.add(new Due("FOLLOW_UP_LEGAL_PROCESS", due, ve.map(Instrument::followUpSource).orElse("followUpDays"),
                    Duration.ZERO, !done && now.isAfter(due), !done && !now.isAfter(due), done));
        }
        hold.ifPresent(h -> {
            Instant due = h.expiresOn().atStartOfDay(ZoneOffset.UTC).toInstant();
            boolean active = h.status().equals("ACTIVE");
            out.add(new Due("PRESERVATION_EXPIRY", due, instrument.map(i -> i.preservation() == null ? i.source()
                    : i.preservation().source()).orElse(""), Duration.ZERO, false,
                    active && now.isAfter(due.minus(Duration.ofDays(7))), !active));
        });
        return out;
    }

    /**
     * The instrument's own response deadline, else Habeas's internal default for it, with the operator's
     * configuration ({@code habeas.deadlines.internal.<INSTRUMENT>.response-days}, {@code .emergency-hours}) over
     * the shipped default. The instrument's own deadline is law and is not configurable.
     */
    Optional<Instrument.ResponseTime> responseTime(Instrument instrument) {
        return instrument.responseTime().map(t -> {
            if (!t.internal()) {
                return t;
            }
            String key = "habeas.deadlines.internal." + instrument.id();
            Integer days = env.getProperty(key + ".response-days", Integer.class);
            Integer hours = env.getProperty(key + ".emergency-hours", Integer.class);
            if (days == null && hours == null) {
                return t;
            }
            if (days != null && days < 1 || hours != null && hours < 1) {
                throw new IllegalStateException(key + ": a response time must be at least 1");
            }
            return new Instrument.ResponseTime(days != null ? days : t.days(), hours != null ? hours : t.emergencyHours(),
                    "The operator's internal target (" + key + "), not treaty law", true);
        });
    }

    /** The time the case has spent waiting for the requester, including a wait still running. */
    private static Duration paused(Cases.Case c, Instant now) {
        Duration total = Duration.ZERO;
        Instant since = null;
        for (Cases.Event e : c.timeline()) {
            if (e.action().equals("ASKED_REQUESTER")) {
                since = e.at();
            } else if (e.action().equals("REQUESTER_ANSWERED") && since != null) {
                total = total.plus(Duration.between(since, e.at()));
                since = null;
            }
        }
        if (since != null) {
            total = total.plus(Duration.between(since, now));
        }
        return total;
    }

    @Scheduled(fixedDelayString = "${habeas.casework.job-interval:60s}", initialDelayString = "${habeas.casework.job-interval:60s}")
    void scheduled() {
        try {
            run();
        } catch (RuntimeException e) {
            log.error("Deadline job failed", e);
        }
    }

    /** One pass of the job, if this node gets the lease: expire holds on their day, record overdue follow-ups. */
    public int run() {
        if (!lease("deadlines", Duration.ofMinutes(5))) {
            return 0;
        }
        int changed = 0;
        LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
        List<UUID> expiring = jdbc.sql("select request_id from casework_hold where status = 'ACTIVE' and expires_on <= :d")
                .param("d", today).query(UUID.class).list();
        for (UUID id : expiring) {
            Integer n = tx.execute(s -> {
                int u = jdbc.sql("update casework_hold set status = 'EXPIRED', ended_at = :now where request_id = :r and status = 'ACTIVE'")
                        .param("now", now()).param("r", id).update();
                if (u > 0) {
                    cases.record(id, "HOLD_EXPIRED", "The preservation hold lapsed on its day; the data is no longer held "
                            + "for this request.");
                }
                return u;
            });
            changed += n == null ? 0 : n;
        }
        // reminders: a response deadline passed without a decision, recorded once on the case (and shown in the queue)
        List<UUID> undecided = jdbc.sql("""
                select request_id from casework_case c where state in ('RECEIVED', 'ASSESSED', 'IN_REVIEW')
                and not exists (select 1 from casework_event e where e.request_id = c.request_id
                                and e.action = 'RESPONSE_OVERDUE')""").query(UUID.class).list();
        for (UUID id : undecided) {
            if (clocks(id).stream().anyMatch(d -> d.kind().equals("RESPONSE") && d.overdue())) {
                tx.executeWithoutResult(s -> { // the record and the notices it causes, together
                    cases.record(id, "RESPONSE_OVERDUE", "The response deadline passed without a decision.");
                    events.publishEvent(new CaseEvents.Overdue(id));
                });
                changed++;
            }
        }
        List<UUID> emergencies = jdbc.sql("""
                select c.request_id from casework_case c join intake_request r on r.id = c.request_id
                where r.emergency = true and c.state not in ('CLOSED', 'WITHDRAWN')
                and not exists (select 1 from casework_event e where e.request_id = c.request_id
                                and e.action = 'FOLLOW_UP_OVERDUE')""").query(UUID.class).list();
        for (UUID id : emergencies) {
            boolean overdue = clocks(id).stream().anyMatch(d -> d.kind().equals("FOLLOW_UP_LEGAL_PROCESS") && d.overdue());
            if (overdue) {
                cases.record(id, "FOLLOW_UP_OVERDUE", "The legal process covering this emergency disclosure is overdue.");
                changed++;
            }
        }
        return changed;
    }

    /** Takes or renews a named lease in the database; true if this node holds it now (see {@link Leases}). */
    public boolean lease(String name, Duration length) {
        return leases.hold(name, length);
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    public String name() {
        return "clocks";
    }

    @Override
    public java.util.Map<UUID, Instant> running() {
        List<UUID> open = jdbc.sql("select request_id from casework_case where state in ('RECEIVED', 'ASSESSED', 'IN_REVIEW')")
                .query(UUID.class).list();
        java.util.Map<UUID, Instant> out = new java.util.HashMap<>();
        for (int i = 0; i < open.size(); i += 500) {
            List<ReceivedRequest> requests = intake.list(org.habeas.intake.RequestQuery.firstPage(500)
                    .within(open.subList(i, Math.min(open.size(), i + 500)))).items();
            clocks(requests).forEach((id, dues) -> dues.stream().filter(d -> d.kind().equals("RESPONSE") && !d.done())
                    .findFirst().ifPresent(d -> out.put(id, d.dueAt())));
        }
        return out;
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        return cases.find(requestId).map(c -> clocks(intake.find(requestId).orElseThrow(), c, hold(requestId),
                override(requestId)));
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(List<ReceivedRequest> requests) {
        return new java.util.HashMap<>(clocks(requests));
    }
}
