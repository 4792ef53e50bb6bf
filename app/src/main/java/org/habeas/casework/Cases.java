package org.habeas.casework;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.intake.RequestReceived;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.Effect;
import org.habeas.safeguards.Finding;
import org.habeas.safeguards.RequestAssessed;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.json.JsonMapper;

/**
 * The life of a case, from receipt to decision or withdrawal. Every change is an explicit command with a reason,
 * checked against the caller's role, and recorded on the case's timeline. Decisions take four eyes: an analyst
 * proposes, a legal reviewer who is not the proposer confirms or changes; escalated cases go to a human-rights
 * officer. Going against the engine (accepting what it refused, widening what it narrowed) needs a written
 * justification and is flagged to oversight.
 */
@Service
public class Cases implements RequestExtension {

    /** A command that cannot be carried out, with the HTTP-like kind of refusal and the field at fault. */
    public static final class Refused extends RuntimeException {
        public enum Kind { FORBIDDEN, NOT_FOUND, CONFLICT, INVALID }

        private final Kind kind;
        private final String field;

        public Refused(Kind kind, String field, String message) {
            super(message);
            this.kind = kind;
            this.field = field;
        }

        public Kind kind() {
            return kind;
        }

        public String field() {
            return field;
        }

        /** The HTTP status an API answers this refusal with. */
        public org.springframework.http.HttpStatus status() {
            return switch (kind) {
                case FORBIDDEN -> org.springframework.http.HttpStatus.FORBIDDEN;
                case NOT_FOUND -> org.springframework.http.HttpStatus.NOT_FOUND;
                case CONFLICT -> org.springframework.http.HttpStatus.CONFLICT;
                case INVALID -> org.springframework.http.HttpStatus.UNPROCESSABLE_CONTENT;
            };
        }
    }

    public record Event(Instant at, String actor, String role, String action, String from, String to, String reason) {
    }

    /** The approved (or proposed) scope: null fields mean "as requested". */
    public record Scope(List<String> dataCategories, String periodFrom, String periodTo, List<String> targets) {
    }

    public record Proposal(UUID id, String proposedBy, Instant proposedAt, Outcome outcome, Scope scope, String reason,
            String justification, boolean againstEngine, String status) {
    }

    public record Decision(Outcome outcome, Scope scope, List<String> rules, String proposedBy, String decidedBy,
            String decidedRole, Instant decidedAt, String reason, String justification, boolean againstEngine) {
    }

    public record Case(UUID requestId, CaseState state, boolean escalated, Instant openedAt, Instant updatedAt,
            List<Event> timeline, List<Proposal> proposals, Decision decision) {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Assessor assessments;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;

    Cases(JdbcClient jdbc, Intake intake, Assessor assessments, ApplicationEventPublisher events, JsonMapper json,
            Clock clock) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.assessments = assessments;
        this.events = events;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The same casework with another clock, for replaying what happened at a past moment (the demo's history). The
     * copy is not a Spring bean: callers bring their own transaction.
     */
    public Cases withClock(Clock other) {
        return new Cases(jdbc, intake, assessments, events, json, other);
    }

    @EventListener
    @Order(5) // after the log's receipt entry, before the assessment
    void opened(RequestReceived e) {
        OffsetDateTime now = now();
        jdbc.sql("""
                insert into casework_case (request_id, state, escalated, opened_at, updated_at)
                values (:id, 'RECEIVED', false, :now, :now)""").param("id", e.requestId()).param("now", now).update();
        event(e.requestId(), "habeas", null, "OPENED", null, CaseState.RECEIVED, null);
    }

    @EventListener
    void assessed(RequestAssessed e) {
        move(e.requestId(), CaseState.RECEIVED, CaseState.ASSESSED, "habeas", null, "ASSESSED",
                "The safeguards engine decided " + e.decision() + ".");
    }

    /** An analyst proposes what to do. */
    @Transactional
    public Proposal propose(UUID requestId, Outcome outcome, Scope scope, String reason, String justification) {
        Caller caller = role(UserRole.ANALYST);
        Case c = find(requestId).orElseThrow(() -> notFound(requestId));
        if (c.escalated() || (c.state() != CaseState.ASSESSED && c.state() != CaseState.IN_REVIEW)) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(c) + " takes no proposal");
        }
        require(outcome, "outcome");
        text(reason, "reason");
        Scope checked = scope(requestId, outcome, scope);
        boolean against = againstEngine(requestId, outcome, checked);
        if (against && (justification == null || justification.isBlank())) {
            throw new Refused(Refused.Kind.INVALID, "justification",
                    "going against the safeguards engine needs a written justification");
        }
        jdbc.sql("update casework_proposal set status = 'SUPERSEDED' where request_id = :r and status = 'OPEN'")
                .param("r", requestId).update();
        Proposal p = new Proposal(UUID.randomUUID(), caller.name(), clock.instant(), outcome, checked, reason.strip(),
                blankToNull(justification), against, "OPEN");
        jdbc.sql("""
                insert into casework_proposal (id, request_id, proposed_by, proposed_at, outcome, scope, reason,
                    justification, against_engine, status)
                values (:id, :r, :by, :at, :outcome, :scope, :reason, :just, :against, 'OPEN')""")
                .param("id", p.id()).param("r", requestId).param("by", p.proposedBy())
                .param("at", p.proposedAt().atOffset(ZoneOffset.UTC)).param("outcome", outcome.name())
                .param("scope", scopeJson(checked)).param("reason", p.reason()).param("just", p.justification())
                .param("against", against).update();
        move(requestId, c.state(), CaseState.IN_REVIEW, caller.name(), caller.role().name(),
                against ? "PROPOSED_AGAINST_ENGINE" : "PROPOSED", outcome + ": " + p.reason());
        return p;
    }

    /**
     * A legal reviewer confirms or changes the open proposal — never their own; on an escalated case a human-rights
     * officer decides. ESCALATE hands the case to a human-rights officer.
     */
    @Transactional
    public Case decide(UUID requestId, boolean confirm, Outcome outcome, Scope scope, String reason,
            String justification) {
        Caller caller = Caller.require();
        Case c = find(requestId).orElseThrow(() -> notFound(requestId));
        if (c.state() != CaseState.IN_REVIEW) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(c) + " takes no decision");
        }
        Proposal open = c.proposals().stream().filter(p -> p.status().equals("OPEN") || p.status().equals("ESCALATED"))
                .reduce((a, b) -> b).orElseThrow(() -> new Refused(Refused.Kind.CONFLICT, "proposal",
                        "there is no proposal to decide on"));
        UserRole needed = c.escalated() ? UserRole.HUMAN_RIGHTS_OFFICER : UserRole.LEGAL_REVIEWER;
        if (caller.role() != needed) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", c.escalated()
                    ? "an escalated case is decided by a human-rights officer"
                    : "a proposal is confirmed or changed by a legal reviewer");
        }
        if (caller.name().equals(open.proposedBy())) {
            throw new Refused(Refused.Kind.FORBIDDEN, "decidedBy",
                    "four eyes: the proposer cannot decide on their own proposal");
        }
        text(reason, "reason");
        Outcome finalOutcome;
        Scope finalScope;
        if (confirm) {
            if (c.escalated()) {
                throw new Refused(Refused.Kind.INVALID, "action",
                        "an escalated case needs a decision of its own: ACCEPT, NARROW or REFUSE");
            }
            finalOutcome = open.outcome();
            finalScope = open.scope();
        } else {
            require(outcome, "outcome");
            finalOutcome = outcome;
            finalScope = scope(requestId, outcome, scope);
        }
        if (c.escalated() && finalOutcome == Outcome.ESCALATE) {
            throw new Refused(Refused.Kind.INVALID, "outcome", "the case is already escalated; decide it");
        }
        boolean against = againstEngine(requestId, finalOutcome, finalScope);
        String just = confirm && open.againstEngine() ? open.justification() : blankToNull(justification);
        if (against && just == null) {
            throw new Refused(Refused.Kind.INVALID, "justification",
                    "going against the safeguards engine needs a written justification");
        }
        if (finalOutcome == Outcome.ESCALATE) {
            jdbc.sql("update casework_proposal set status = 'ESCALATED' where id = :id").param("id", open.id()).update();
            jdbc.sql("update casework_case set escalated = true, updated_at = :now where request_id = :r")
                    .param("now", now()).param("r", requestId).update();
            event(requestId, caller.name(), caller.role().name(), "ESCALATED", CaseState.IN_REVIEW, CaseState.IN_REVIEW,
                    reason.strip());
            return find(requestId).orElseThrow();
        }
        jdbc.sql("update casework_proposal set status = :s where id = :id")
                .param("s", confirm ? "CONFIRMED" : "CHANGED").param("id", open.id()).update();
        List<String> rules = rules(requestId, finalOutcome);
        jdbc.sql("""
                insert into casework_decision (request_id, outcome, scope, rules, proposal_id, proposed_by, decided_by,
                    decided_role, decided_at, reason, justification, against_engine)
                values (:r, :outcome, :scope, :rules, :p, :pb, :by, :role, :at, :reason, :just, :against)""")
                .param("r", requestId).param("outcome", finalOutcome.name()).param("scope", scopeJson(finalScope))
                .param("rules", String.join(",", rules)).param("p", open.id()).param("pb", open.proposedBy())
                .param("by", caller.name()).param("role", caller.role().name()).param("at", now())
                .param("reason", reason.strip()).param("just", just).param("against", against).update();
        move(requestId, CaseState.IN_REVIEW, CaseState.DECIDED, caller.name(), caller.role().name(),
                (confirm ? "CONFIRMED" : "CHANGED") + (against ? "_AGAINST_ENGINE" : ""), finalOutcome + ": " + reason.strip());
        events.publishEvent(new CaseEvents.Decided(requestId, finalOutcome.name()));
        return find(requestId).orElseThrow();
    }

    /** Staff ask the requester for a clarification or a corrected order; the case waits for the answer. */
    @Transactional
    public Case ask(UUID requestId, String question) {
        Caller caller = Caller.require();
        if (!caller.role().casework()) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "staff ask the requester");
        }
        Case c = find(requestId).orElseThrow(() -> notFound(requestId));
        if (c.state() != CaseState.ASSESSED && c.state() != CaseState.IN_REVIEW) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(c) + " cannot wait for the requester");
        }
        text(question, "question");
        move(requestId, c.state(), CaseState.AWAITING_REQUESTER, caller.name(), caller.role().name(), "ASKED_REQUESTER",
                question.strip());
        return find(requestId).orElseThrow();
    }

    /** The requester answers; the case goes back into review. */
    @Transactional
    public Case answer(UUID requestId, String answer) {
        Caller caller = Caller.require();
        Case c = visible(requestId, caller);
        if (!caller.is(UserRole.REQUESTER)) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "the requester answers");
        }
        if (c.state() != CaseState.AWAITING_REQUESTER) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "the case is not waiting for an answer");
        }
        text(answer, "answer");
        move(requestId, CaseState.AWAITING_REQUESTER, CaseState.IN_REVIEW, caller.name(), caller.role().name(),
                "REQUESTER_ANSWERED", answer.strip());
        return find(requestId).orElseThrow();
    }

    /** The requester (or staff on their behalf) withdraws the request. */
    @Transactional
    public Case withdraw(UUID requestId, String reason) {
        Caller caller = Caller.require();
        Case c = visible(requestId, caller);
        if (!caller.is(UserRole.REQUESTER) && !caller.role().casework()) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "the requester, or staff on their behalf, withdraw");
        }
        if (!c.state().open() || c.state() == CaseState.EXECUTING) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(c) + " cannot be withdrawn");
        }
        text(reason, "reason");
        jdbc.sql("update casework_proposal set status = 'WITHDRAWN' where request_id = :r and status in ('OPEN', 'ESCALATED')")
                .param("r", requestId).update();
        move(requestId, c.state(), CaseState.WITHDRAWN, caller.name(), caller.role().name(), "WITHDRAWN", reason.strip());
        events.publishEvent(new CaseEvents.Withdrawn(requestId));
        return find(requestId).orElseThrow();
    }

    /** Production has started on a decided case (the disclosure module calls this in its transaction). */
    public void executing(UUID requestId, String detail) {
        Caller caller = Caller.require();
        move(requestId, CaseState.DECIDED, CaseState.EXECUTING, caller.name(), caller.role().name(), "PRODUCED", detail);
        events.publishEvent(new CaseEvents.Produced(requestId));
    }

    /** The requester confirmed receipt: the case is closed. */
    public void closeOnReceipt(UUID requestId) {
        Caller caller = Caller.require();
        move(requestId, CaseState.EXECUTING, CaseState.CLOSED, caller.name(), caller.role().name(), "RECEIPT_CONFIRMED",
                "The requester confirmed receipt of the package.");
        events.publishEvent(new CaseEvents.Closed(requestId));
    }

    /** Records a system event on a case's timeline without changing its state. */
    public void record(UUID requestId, String action, String reason) {
        CaseState state = find(requestId).map(Case::state).orElse(null);
        event(requestId, "habeas", null, action, state, state, reason);
    }

    /** The case as the caller may see it; 404 for requesters of another agency. */
    public Case visible(UUID requestId, Caller caller) {
        ReceivedRequest r = intake.find(requestId).filter(x -> caller.maySeeRequestOf(x.agencyId()))
                .orElseThrow(() -> notFound(requestId));
        return find(r.id()).orElseThrow(() -> notFound(requestId));
    }

    public Optional<Case> find(UUID requestId) {
        return jdbc.sql("select * from casework_case where request_id = :r").param("r", requestId)
                .query((rs, i) -> new Object[] {CaseState.valueOf(rs.getString("state")), rs.getBoolean("escalated"),
                        rs.getObject("opened_at", OffsetDateTime.class).toInstant(),
                        rs.getObject("updated_at", OffsetDateTime.class).toInstant()})
                .optional()
                .map(row -> new Case(requestId, (CaseState) row[0], (Boolean) row[1], (Instant) row[2], (Instant) row[3],
                        timeline(requestId), proposals(requestId), decision(requestId).orElse(null)));
    }

    public Optional<Decision> decision(UUID requestId) {
        return jdbc.sql("select * from casework_decision where request_id = :r").param("r", requestId)
                .query((rs, i) -> new Decision(Outcome.valueOf(rs.getString("outcome")), scope(rs.getString("scope")),
                        rs.getString("rules").isEmpty() ? List.of() : List.of(rs.getString("rules").split(",")),
                        rs.getString("proposed_by"), rs.getString("decided_by"), rs.getString("decided_role"),
                        rs.getObject("decided_at", OffsetDateTime.class).toInstant(), rs.getString("reason"),
                        rs.getString("justification"), rs.getBoolean("against_engine")))
                .optional();
    }

    private List<Event> timeline(UUID requestId) {
        return jdbc.sql("select * from casework_event where request_id = :r order by id").param("r", requestId)
                .query((rs, i) -> new Event(rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                        rs.getString("role"), rs.getString("action"), rs.getString("from_state"),
                        rs.getString("to_state"), rs.getString("reason")))
                .list();
    }

    private List<Proposal> proposals(UUID requestId) {
        return jdbc.sql("select * from casework_proposal where request_id = :r order by proposed_at").param("r", requestId)
                .query((rs, i) -> new Proposal(rs.getObject("id", UUID.class), rs.getString("proposed_by"),
                        rs.getObject("proposed_at", OffsetDateTime.class).toInstant(),
                        Outcome.valueOf(rs.getString("outcome")), scope(rs.getString("scope")), rs.getString("reason"),
                        rs.getString("justification"), rs.getBoolean("against_engine"), rs.getString("status")))
                .list();
    }

    /** Checks a scope against the request: it can only keep what was asked. Null means everything asked. */
    private Scope scope(UUID requestId, Outcome outcome, Scope scope) {
        if (scope == null || outcome != Outcome.NARROW && outcome != Outcome.ACCEPT) {
            if (outcome == Outcome.NARROW && scope == null) {
                return engineScope(requestId);
            }
            return null;
        }
        EvidenceRequest r = request(requestId);
        if (scope.dataCategories() != null) {
            for (String c : scope.dataCategories()) {
                if (!r.dataCategories().contains(c)) {
                    throw new Refused(Refused.Kind.INVALID, "scope.dataCategories", c + " was not requested");
                }
            }
            if (scope.dataCategories().isEmpty()) {
                throw new Refused(Refused.Kind.INVALID, "scope.dataCategories", "keep at least one category, or refuse");
            }
        }
        if (scope.targets() != null) {
            Set<String> asked = new LinkedHashSet<>();
            r.targets().forEach(t -> asked.add(t.value()));
            for (String t : scope.targets()) {
                if (!asked.contains(t)) {
                    throw new Refused(Refused.Kind.INVALID, "scope.targets", "'" + t + "' is not a target of the request");
                }
            }
            if (scope.targets().isEmpty()) {
                throw new Refused(Refused.Kind.INVALID, "scope.targets", "keep at least one target, or refuse");
            }
        }
        try {
            if (scope.periodFrom() != null && scope.periodTo() != null
                    && java.time.LocalDate.parse(scope.periodFrom()).isAfter(java.time.LocalDate.parse(scope.periodTo()))) {
                throw new Refused(Refused.Kind.INVALID, "scope.periodFrom", "must not be after periodTo");
            }
        } catch (java.time.format.DateTimeParseException e) {
            throw new Refused(Refused.Kind.INVALID, "scope.period", "dates are written 2026-07-01");
        }
        return scope;
    }

    /** The scope the engine proposed when it narrowed the request, if it did. */
    private Scope engineScope(UUID requestId) {
        return assessments.assessment(requestId).map(Assessment::narrowing).filter(Objects::nonNull)
                .map(n -> new Scope(n.dataCategories(), n.period() == null ? null : String.valueOf(n.period().from()),
                        n.period() == null ? null : String.valueOf(n.period().to()), null))
                .orElse(null);
    }

    /** Accepting what the engine refused or escalated, or widening what it narrowed. */
    private boolean againstEngine(UUID requestId, Outcome outcome, Scope scope) {
        Optional<Assessment> a = assessments.assessment(requestId);
        if (a.isEmpty() || outcome == Outcome.ESCALATE || outcome == Outcome.REFUSE) {
            return false;
        }
        String engine = a.get().decision().name();
        if (engine.equals("REFUSE") || engine.equals("ESCALATE")) {
            return true;
        }
        if (engine.equals("NARROW")) {
            if (outcome == Outcome.ACCEPT) {
                return true;
            }
            Scope proposed = engineScope(requestId);
            if (proposed != null && proposed.dataCategories() != null) {
                List<String> keep = scope == null || scope.dataCategories() == null
                        ? request(requestId).dataCategories() : scope.dataCategories();
                if (!proposed.dataCategories().containsAll(keep)) {
                    return true;
                }
            }
            if (proposed != null && proposed.periodFrom() != null) {
                String from = scope == null ? null : scope.periodFrom();
                String to = scope == null ? null : scope.periodTo();
                if (from == null || to == null || from.compareTo(proposed.periodFrom()) < 0
                        || to.compareTo(proposed.periodTo()) > 0) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The engine's rules that support the outcome: its REFUSE findings for a refusal, NARROW ones for narrowing. */
    private List<String> rules(UUID requestId, Outcome outcome) {
        Effect effect = switch (outcome) {
            case REFUSE -> Effect.REFUSE;
            case NARROW -> Effect.NARROW;
            case ESCALATE -> Effect.ESCALATE;
            case ACCEPT -> null;
        };
        if (effect == null) {
            return List.of();
        }
        return assessments.assessment(requestId).map(a -> a.findings().stream().filter(f -> f.effect() == effect)
                .map(Finding::rule).distinct().toList()).orElse(List.of());
    }

    private EvidenceRequest request(UUID requestId) {
        return json.readValue(intake.find(requestId).orElseThrow().body(), EvidenceRequest.class);
    }

    private void move(UUID requestId, CaseState from, CaseState to, String actor, String role, String action,
            String reason) {
        int n = jdbc.sql("update casework_case set state = :to, updated_at = :now where request_id = :r and state = :from")
                .param("to", to.name()).param("now", now()).param("r", requestId).param("from", from.name()).update();
        if (n == 0) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "the case changed meanwhile; reload it");
        }
        intake.setStatus(requestId, to.name());
        event(requestId, actor, role, action, from, to, reason);
    }

    private void event(UUID requestId, String actor, String role, String action, CaseState from, CaseState to,
            String reason) {
        jdbc.sql("""
                insert into casework_event (request_id, at, actor, role, action, from_state, to_state, reason)
                values (:r, :at, :actor, :role, :action, :from, :to, :reason)""")
                .param("r", requestId).param("at", now()).param("actor", actor).param("role", role)
                .param("action", action).param("from", from == null ? null : from.name())
                .param("to", to == null ? null : to.name()).param("reason", reason).update();
    }

    private String scopeJson(Scope s) {
        return s == null ? null : json.writeValueAsString(s);
    }

    private Scope scope(String text) {
        return text == null ? null : json.readValue(text, Scope.class);
    }

    private static Caller role(UserRole r) {
        Caller c = Caller.require();
        if (!c.is(r)) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "only a " + r.label().toLowerCase() + " may do this");
        }
        return c;
    }

    private static void require(Object o, String field) {
        if (o == null) {
            throw new Refused(Refused.Kind.INVALID, field, "is required");
        }
    }

    private static void text(String s, String field) {
        if (s == null || s.isBlank()) {
            throw new Refused(Refused.Kind.INVALID, field, "is required: say why");
        }
        if (s.length() > 4000) {
            throw new Refused(Refused.Kind.INVALID, field, "must be at most 4000 characters");
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String describe(Case c) {
        return c.escalated() ? "escalated to a human-rights officer" : "in state " + c.state();
    }

    private static Refused notFound(UUID id) {
        return new Refused(Refused.Kind.NOT_FOUND, "request", "Request " + id + " does not exist.");
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    @Override
    public String name() {
        return "case";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        boolean requester = Caller.current().map(c -> c.is(UserRole.REQUESTER)).orElse(true);
        return find(requestId).map(c -> requester ? forRequester(c) : c);
    }

    /** What the requesting agency sees of its case: the state, the questions and answers, the decision and why. */
    static Case forRequester(Case c) {
        Set<String> shown = Set.of("OPENED", "ASKED_REQUESTER", "REQUESTER_ANSWERED", "WITHDRAWN");
        List<Event> timeline = c.timeline().stream().filter(e -> shown.contains(e.action()))
                .map(e -> new Event(e.at(), e.role() == null || e.role().equals("REQUESTER") ? e.actor() : "staff",
                        e.role(), e.action(), e.from(), e.to(), e.reason()))
                .toList();
        Decision d = c.decision() == null ? null : new Decision(c.decision().outcome(), c.decision().scope(),
                c.decision().rules(), null, null, null, c.decision().decidedAt(), c.decision().reason(), null, false);
        return new Case(c.requestId(), c.state(), c.escalated(), c.openedAt(), c.updatedAt(), timeline, List.of(), d);
    }
}
