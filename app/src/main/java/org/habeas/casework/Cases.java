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
import org.habeas.intake.ReadScope;
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
import org.springframework.dao.DuplicateKeyException;
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
        private final String state;

        public Refused(Kind kind, String field, String message) {
            this(kind, field, message, null);
        }

        /** A refusal that also tells the case's current state (the loser of a race learns what won). */
        public Refused(Kind kind, String field, String message, String state) {
            super(message);
            this.kind = kind;
            this.field = field;
            this.state = state;
        }

        /** The case's state when the command was refused, if the refusal tells it. */
        public String state() {
            return state;
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

    /**
     * A step on a case's timeline; {@code id} is the step's row, to which a message's documents are attached (not
     * shown, and absent from a copy read back from JSON).
     */
    public record Event(Instant at, String actor, String role, String action, String from, String to, String reason,
            @com.fasterxml.jackson.annotation.JsonIgnore Long id) {
    }

    /** The approved (or proposed) scope: null fields mean "as requested". */
    public record Scope(List<String> dataCategories, String periodFrom, String periodTo, List<String> targets)
            implements java.io.Serializable {
    }

    /**
     * A proposal: an analyst's, or a reviewer's change to another proposal ({@code changes}) that waits for a second
     * reviewer because it is more permissive than what it changes or goes against the engine.
     */
    public record Proposal(UUID id, String proposedBy, String proposedRole, Instant proposedAt, Outcome outcome,
            Scope scope, String reason, String justification, boolean againstEngine, String status, UUID changes) {
    }

    /**
     * Who took a decision, by name and role: who proposed it, the reviewer whose change a second reviewer confirmed
     * (if any), and who decided; {@code confirmed} is false when the decider changed what was before them.
     */
    public record Deciders(String proposedBy, String proposedRole, String changedBy, String changedRole,
            String decidedBy, String decidedRole, boolean confirmed) {

        /** How many different people took the decision. */
        public long people() {
            return java.util.stream.Stream.of(proposedBy, changedBy, decidedBy).filter(Objects::nonNull).distinct().count();
        }
    }

    /** A reviewer's change waiting for a second reviewer who is neither the proposer nor the changer. */
    public record Pending(UUID proposal, Outcome outcome, String changedBy, String changedRole, List<String> excluded,
            String description) {
    }

    public record Decision(Outcome outcome, Scope scope, List<String> rules, String proposedBy, String decidedBy,
            String decidedRole, Instant decidedAt, String reason, String justification, boolean againstEngine) {
    }

    public record Case(UUID requestId, CaseState state, boolean escalated, Instant openedAt, Instant updatedAt,
            List<Event> timeline, List<Proposal> proposals, Decision decision, Deciders deciders, Pending pending) {
    }

    /** What a command saw of its case; it changes the case only if the case is still so. */
    private record Snapshot(CaseState state, boolean escalated, long version) {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Assessor assessments;
    private final ApplicationEventPublisher events;
    private final JsonMapper json;
    private final Clock clock;
    private final CaseAttachments attachments;

    Cases(JdbcClient jdbc, Intake intake, Assessor assessments, ApplicationEventPublisher events, JsonMapper json,
            Clock clock, CaseAttachments attachments) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.assessments = assessments;
        this.events = events;
        this.json = json;
        this.clock = clock;
        this.attachments = attachments;
    }

    /**
     * The same casework with another clock, for replaying what happened at a past moment (the demo's history). The
     * copy is not a Spring bean: callers bring their own transaction.
     */
    public Cases withClock(Clock other) {
        return new Cases(jdbc, intake, assessments, events, json, other, attachments);
    }

    @EventListener
    @Order(5) // after the log's receipt entry, before the assessment
    void opened(RequestReceived e) {
        OffsetDateTime now = now();
        jdbc.sql("""
                insert into casework_case (request_id, state, escalated, opened_at, updated_at)
                values (:id, 'RECEIVED', false, :now, :now)""").param("id", e.requestId()).param("now", now).update();
        long step = event(e.requestId(), now, "habeas", null, "OPENED", null, CaseState.RECEIVED, null);
        // what a read of the new case gives; it has no hold
        ReadScope.put(CASE, e.requestId(), new Case(e.requestId(), CaseState.RECEIVED, false, now.toInstant(),
                now.toInstant(), List.of(new Event(now.toInstant(), "habeas", null, "OPENED", null,
                        CaseState.RECEIVED.name(), null, step)), List.of(), null, null, null));
        ReadScope.put(Deadlines.HOLD, e.requestId(), null);
    }

    /** Kind of {@link ReadScope}: a request's case. */
    static final String CASE = "casework.case";

    @EventListener
    void assessed(RequestAssessed e) {
        move(e.requestId(), CaseState.RECEIVED, CaseState.ASSESSED, "habeas", null, "ASSESSED",
                "The safeguards engine decided " + e.decision() + ".");
    }

    /** An analyst proposes what to do. */
    @Transactional
    public Proposal propose(UUID requestId, Outcome outcome, Scope scope, String reason, String justification) {
        Caller caller = role(UserRole.ANALYST);
        Snapshot seen = snapshot(requestId);
        if (seen.escalated() || (seen.state() != CaseState.ASSESSED && seen.state() != CaseState.IN_REVIEW)) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(seen) + " takes no proposal",
                    seen.state().name());
        }
        if (proposals(requestId).stream().anyMatch(p -> p.status().equals("OPEN") && p.changes() != null)) {
            throw conflict(requestId, seen, "proposal",
                    "a reviewer's change waits for a second reviewer; it cannot be replaced by a new proposal");
        }
        require(outcome, "outcome");
        text(reason, "reason");
        Scope checked = scope(requestId, outcome, scope);
        boolean against = againstEngine(requestId, outcome, checked);
        if (against && (justification == null || justification.isBlank())) {
            throw new Refused(Refused.Kind.INVALID, "justification",
                    "going against the safeguards engine needs a written justification");
        }
        Proposal p = new Proposal(UUID.randomUUID(), caller.name(), caller.role().name(), clock.instant(), outcome,
                checked, reason.strip(), blankToNull(justification), against, "OPEN", null);
        transition(requestId, seen, CaseState.IN_REVIEW, false, caller, against ? "PROPOSED_AGAINST_ENGINE" : "PROPOSED",
                outcome + ": " + p.reason());
        jdbc.sql("update casework_proposal set status = 'SUPERSEDED', open_for = null where request_id = :r and status = 'OPEN'")
                .param("r", requestId).update();
        insert(requestId, p);
        return p;
    }

    /**
     * A legal reviewer confirms or changes the open proposal — never their own; on an escalated case a human-rights
     * officer decides. ESCALATE hands the case to a human-rights officer. A change to a more permissive outcome than
     * the proposal's (ACCEPT before NARROW before ESCALATE before REFUSE, or a wider scope), or one against the
     * engine, does not take effect: it waits for a second reviewer of the same role who is neither the proposer nor
     * the changer.
     */
    @Transactional
    public Case decide(UUID requestId, boolean confirm, Outcome outcome, Scope scope, String reason,
            String justification) {
        Caller caller = Caller.require();
        Snapshot seen = snapshot(requestId);
        if (seen.state() != CaseState.IN_REVIEW) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(seen) + " takes no decision",
                    seen.state().name());
        }
        List<Proposal> all = proposals(requestId);
        Proposal open = all.stream().filter(p -> p.status().equals("OPEN") || p.status().equals("ESCALATED"))
                .reduce((a, b) -> b).orElseThrow(() -> conflict(requestId, seen, "proposal",
                        "there is no proposal to decide on"));
        UserRole needed = seen.escalated() ? UserRole.HUMAN_RIGHTS_OFFICER : UserRole.LEGAL_REVIEWER;
        if (caller.role() != needed) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", seen.escalated()
                    ? "an escalated case is decided by a human-rights officer"
                    : "a proposal is confirmed or changed by a legal reviewer");
        }
        List<Proposal> chain = chain(open, all);
        if (chain.stream().anyMatch(p -> p.proposedBy().equals(caller.name()))) {
            throw new Refused(Refused.Kind.FORBIDDEN, "decidedBy", open.changes() == null
                    ? "four eyes: the proposer cannot decide on their own proposal"
                    : "four eyes: a change waits for a reviewer who is neither the proposer nor the changer");
        }
        text(reason, "reason");
        boolean escalation = open.status().equals("ESCALATED"); // a human-rights officer decides the escalation itself
        Outcome finalOutcome;
        Scope finalScope;
        if (confirm) {
            if (escalation) {
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
        if (seen.escalated() && finalOutcome == Outcome.ESCALATE) {
            throw new Refused(Refused.Kind.INVALID, "outcome", "the case is already escalated; decide it");
        }
        boolean against = againstEngine(requestId, finalOutcome, finalScope);
        String just = confirm && open.againstEngine() ? open.justification() : blankToNull(justification);
        if (against && just == null) {
            throw new Refused(Refused.Kind.INVALID, "justification",
                    "going against the safeguards engine needs a written justification");
        }
        if (!confirm && (against || morePermissive(requestId, escalation ? Outcome.ESCALATE : open.outcome(),
                escalation ? null : open.scope(), finalOutcome, finalScope))) {
            // four eyes on a permissive change: it goes back to a second reviewer
            Proposal change = new Proposal(UUID.randomUUID(), caller.name(), caller.role().name(), clock.instant(),
                    finalOutcome, finalScope, reason.strip(), just, against, "OPEN", open.id());
            transition(requestId, seen, CaseState.IN_REVIEW, seen.escalated(), caller,
                    against ? "CHANGE_PROPOSED_AGAINST_ENGINE" : "CHANGE_PROPOSED", finalOutcome + ": " + change.reason());
            status(open.id(), "CHANGED");
            insert(requestId, change);
            return find(requestId).orElseThrow();
        }
        if (finalOutcome == Outcome.ESCALATE) {
            transition(requestId, seen, CaseState.IN_REVIEW, true, caller, "ESCALATED", reason.strip());
            status(open.id(), "ESCALATED");
            events.publishEvent(new CaseEvents.Escalated(requestId));
            return find(requestId).orElseThrow();
        }
        transition(requestId, seen, CaseState.DECIDED, seen.escalated(), caller,
                (confirm ? "CONFIRMED" : "CHANGED") + (against ? "_AGAINST_ENGINE" : ""), finalOutcome + ": " + reason.strip());
        status(open.id(), confirm ? "CONFIRMED" : "CHANGED");
        Proposal root = chain.getLast();
        boolean confirmedChange = confirm && open.changes() != null;
        List<String> rules = rules(requestId, finalOutcome);
        try {
            jdbc.sql("""
                    insert into casework_decision (request_id, outcome, scope, rules, proposal_id, proposed_by,
                        proposed_role, changed_by, changed_role, decided_by, decided_role, decided_at, reason,
                        justification, against_engine)
                    values (:r, :outcome, :scope, :rules, :p, :pb, :pr, :cb, :cr, :by, :role, :at, :reason, :just,
                        :against)""")
                    .param("r", requestId).param("outcome", finalOutcome.name()).param("scope", scopeJson(finalScope))
                    .param("rules", String.join(",", rules)).param("p", open.id()).param("pb", root.proposedBy())
                    .param("pr", root.proposedRole())
                    .param("cb", confirmedChange ? open.proposedBy() : null)
                    .param("cr", confirmedChange ? open.proposedRole() : null)
                    .param("by", caller.name()).param("role", caller.role().name()).param("at", now())
                    .param("reason", reason.strip()).param("just", just).param("against", against).update();
        } catch (DuplicateKeyException race) {
            throw changedMeanwhile(requestId);
        }
        events.publishEvent(new CaseEvents.Decided(requestId, finalOutcome.name()));
        return find(requestId).orElseThrow();
    }

    /** The proposal and what it changes, back to the analyst's proposal it started from (last). */
    private static List<Proposal> chain(Proposal open, List<Proposal> all) {
        java.util.Map<UUID, Proposal> byId = new java.util.HashMap<>();
        all.forEach(p -> byId.put(p.id(), p));
        List<Proposal> chain = new java.util.ArrayList<>();
        for (Proposal p = open; p != null && chain.size() <= all.size(); p = p.changes() == null ? null : byId.get(p.changes())) {
            chain.add(p);
        }
        return chain;
    }

    /**
     * Whether {@code outcome} with {@code scope} lets more through than {@code base} with {@code baseScope}: a lower
     * outcome in ACCEPT, NARROW, ESCALATE, REFUSE, or the same narrowing with a scope the base did not keep.
     */
    private boolean morePermissive(UUID requestId, Outcome base, Scope baseScope, Outcome outcome, Scope scope) {
        if (outcome.reach() != base.reach()) {
            return outcome.reach() > base.reach();
        }
        if (outcome != Outcome.NARROW && outcome != Outcome.ACCEPT) {
            return false;
        }
        EvidenceRequest r = request(requestId);
        List<String> targets = r.targets().stream().map(t -> t.value()).toList();
        if (!keeps(baseScope == null ? null : baseScope.dataCategories(), scope == null ? null : scope.dataCategories(),
                r.dataCategories())
                || !keeps(baseScope == null ? null : baseScope.targets(), scope == null ? null : scope.targets(), targets)) {
            return true;
        }
        String baseFrom = baseScope == null ? null : baseScope.periodFrom();
        String baseTo = baseScope == null ? null : baseScope.periodTo();
        String from = scope == null ? null : scope.periodFrom();
        String to = scope == null ? null : scope.periodTo();
        return baseFrom != null && (from == null || from.compareTo(baseFrom) < 0)
                || baseTo != null && (to == null || to.compareTo(baseTo) > 0);
    }

    /** Whether every item of {@code wanted} (null: all asked) is in {@code kept} (null: all asked). */
    private static boolean keeps(List<String> kept, List<String> wanted, List<String> asked) {
        return (kept == null ? asked : kept).containsAll(wanted == null ? asked : wanted);
    }

    /** Staff ask the requester for a clarification or a corrected order; the case waits for the answer. */
    public Case ask(UUID requestId, String question) {
        return ask(requestId, question, List.of());
    }

    /** Staff ask the requester, with documents attached (an order to complete, a form to fill in). */
    @Transactional
    public Case ask(UUID requestId, String question, List<CaseAttachments.Upload> files) {
        Caller caller = Caller.require();
        if (!caller.role().casework()) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "staff ask the requester");
        }
        Snapshot seen = snapshot(requestId);
        if (seen.state() != CaseState.ASSESSED && seen.state() != CaseState.IN_REVIEW) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(seen) + " cannot wait for the requester",
                    seen.state().name());
        }
        text(question, "question");
        attachments.check(files);
        long step = transition(requestId, seen, CaseState.AWAITING_REQUESTER, seen.escalated(), caller, "ASKED_REQUESTER",
                question.strip());
        attachments.store(requestId, step, files);
        events.publishEvent(new CaseEvents.Asked(requestId, question.strip()));
        return find(requestId).orElseThrow();
    }

    /** The requester answers; the case goes back into review. */
    public Case answer(UUID requestId, String answer) {
        return answer(requestId, answer, List.of());
    }

    /** The requester answers, with documents attached (a corrected order, an annex); the case goes back into review. */
    @Transactional
    public Case answer(UUID requestId, String answer, List<CaseAttachments.Upload> files) {
        Caller caller = Caller.require();
        visible(requestId, caller);
        if (!caller.is(UserRole.REQUESTER)) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "the requester answers");
        }
        Snapshot seen = snapshot(requestId);
        if (seen.state() != CaseState.AWAITING_REQUESTER) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "the case is not waiting for an answer", seen.state().name());
        }
        text(answer, "answer");
        attachments.check(files);
        long step = transition(requestId, seen, CaseState.IN_REVIEW, seen.escalated(), caller, "REQUESTER_ANSWERED",
                answer.strip());
        attachments.store(requestId, step, files);
        events.publishEvent(new CaseEvents.Answered(requestId, caller.name()));
        return find(requestId).orElseThrow();
    }

    /**
     * A message between staff and the requesting agency at any time while the case is open — a supplement, a
     * corrected order, a note on the decision — with documents attached. It changes nothing but the thread: one
     * conditional update checks that the case is still open, so a message never lands on a withdrawn or closed case.
     */
    @Transactional
    public Case message(UUID requestId, String text, List<CaseAttachments.Upload> files) {
        Caller caller = Caller.require();
        visible(requestId, caller);
        if (!caller.is(UserRole.REQUESTER) && !caller.role().casework()) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "staff and the requesting agency write messages");
        }
        text(text, "text");
        attachments.check(files);
        Snapshot seen = snapshot(requestId);
        int n = jdbc.sql("""
                update casework_case set updated_at = :now
                where request_id = :r and state not in ('CLOSED', 'WITHDRAWN')""")
                .param("now", now()).param("r", requestId).update();
        if (n == 0) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(snapshot(requestId))
                    + " takes no message", snapshot(requestId).state().name());
        }
        long step = event(requestId, caller.name(), caller.role().name(), "MESSAGE", seen.state(), seen.state(),
                text.strip());
        attachments.store(requestId, step, files);
        ReadScope.forget(CASE, requestId); // the timeline has a step more
        return find(requestId).orElseThrow();
    }

    /** The requester (or staff on their behalf) withdraws the request. */
    @Transactional
    public Case withdraw(UUID requestId, String reason) {
        Caller caller = Caller.require();
        visible(requestId, caller);
        if (!caller.is(UserRole.REQUESTER) && !caller.role().casework()) {
            throw new Refused(Refused.Kind.FORBIDDEN, "role", "the requester, or staff on their behalf, withdraw");
        }
        Snapshot seen = snapshot(requestId);
        if (!seen.state().open() || seen.state() == CaseState.EXECUTING) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "a case " + describe(seen) + " cannot be withdrawn",
                    seen.state().name());
        }
        text(reason, "reason");
        transition(requestId, seen, CaseState.WITHDRAWN, seen.escalated(), caller, "WITHDRAWN", reason.strip());
        jdbc.sql("""
                update casework_proposal set status = 'WITHDRAWN', open_for = null
                where request_id = :r and status in ('OPEN', 'ESCALATED')""")
                .param("r", requestId).update();
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
                .map(row -> {
                    List<Proposal> proposals = proposals(requestId);
                    return new Case(requestId, (CaseState) row[0], (Boolean) row[1], (Instant) row[2], (Instant) row[3],
                            timeline(requestId), proposals, decision(requestId).orElse(null),
                            deciders(requestId).orElse(null), pending(proposals));
                });
    }

    /**
     * The cases of many requests at once, in five queries whatever their number (a page of a list); a request
     * without a case is absent.
     */
    public java.util.Map<UUID, Case> findAll(java.util.Collection<UUID> requestIds) {
        return ReadScope.all(CASE, requestIds, this::load);
    }

    private java.util.Map<UUID, Case> load(java.util.Collection<UUID> requestIds) {
        java.util.Map<UUID, Case> out = new java.util.LinkedHashMap<>();
        if (requestIds.isEmpty()) {
            return out;
        }
        java.util.Set<UUID> ids = new LinkedHashSet<>(requestIds);
        java.util.Map<UUID, List<Event>> timelines = new java.util.HashMap<>();
        jdbc.sql("select * from casework_event where request_id in (:r) order by id").param("r", ids)
                .query((rs, i) -> timelines.computeIfAbsent(rs.getObject("request_id", UUID.class),
                        k -> new java.util.ArrayList<>()).add(event(rs)))
                .list();
        java.util.Map<UUID, List<Proposal>> proposals = new java.util.HashMap<>();
        jdbc.sql("select * from casework_proposal where request_id in (:r) order by proposed_at, id").param("r", ids)
                .query((rs, i) -> proposals.computeIfAbsent(rs.getObject("request_id", UUID.class),
                        k -> new java.util.ArrayList<>()).add(proposal(rs)))
                .list();
        java.util.Map<UUID, Decision> decisions = new java.util.HashMap<>();
        jdbc.sql("select * from casework_decision where request_id in (:r)").param("r", ids)
                .query((rs, i) -> decisions.put(rs.getObject("request_id", UUID.class), decision(rs)))
                .list();
        java.util.Map<UUID, Deciders> deciders = new java.util.HashMap<>();
        jdbc.sql("""
                select d.request_id, d.proposed_by, d.proposed_role, d.changed_by, d.changed_role, d.decided_by,
                    d.decided_role, p.status from casework_decision d left join casework_proposal p on p.id = d.proposal_id
                where d.request_id in (:r)""").param("r", ids)
                .query((rs, i) -> deciders.put(rs.getObject("request_id", UUID.class), deciders(rs)))
                .list();
        jdbc.sql("select * from casework_case where request_id in (:r)").param("r", ids)
                .query((rs, i) -> {
                    UUID id = rs.getObject("request_id", UUID.class);
                    List<Proposal> ps = proposals.getOrDefault(id, List.of());
                    return out.put(id, new Case(id, CaseState.valueOf(rs.getString("state")), rs.getBoolean("escalated"),
                            rs.getObject("opened_at", OffsetDateTime.class).toInstant(),
                            rs.getObject("updated_at", OffsetDateTime.class).toInstant(),
                            timelines.getOrDefault(id, List.of()), ps, decisions.get(id), deciders.get(id), pending(ps)));
                })
                .list();
        return out;
    }

    /** Who decided the case, by name and role. */
    public Optional<Deciders> deciders(UUID requestId) {
        return jdbc.sql("""
                select d.proposed_by, d.proposed_role, d.changed_by, d.changed_role, d.decided_by, d.decided_role,
                    p.status from casework_decision d left join casework_proposal p on p.id = d.proposal_id
                where d.request_id = :r""").param("r", requestId)
                .query((rs, i) -> deciders(rs))
                .optional();
    }

    private static Deciders deciders(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Deciders(rs.getString("proposed_by"),
                rs.getString("proposed_by") == null ? null
                        : Objects.requireNonNullElse(rs.getString("proposed_role"), UserRole.ANALYST.name()),
                rs.getString("changed_by"), rs.getString("changed_role"), rs.getString("decided_by"),
                rs.getString("decided_role"), "CONFIRMED".equals(rs.getString("status")));
    }

    /** The reviewer's change that waits for a second reviewer, if one does. */
    private static Pending pending(List<Proposal> proposals) {
        return proposals.stream().filter(p -> p.status().equals("OPEN") && p.changes() != null).reduce((a, b) -> b)
                .map(p -> {
                    List<String> excluded = chain(p, proposals).stream().map(Proposal::proposedBy).distinct().toList();
                    String role = p.proposedRole() == null ? "reviewer" : UserRole.valueOf(p.proposedRole()).label()
                            .toLowerCase();
                    return new Pending(p.id(), p.outcome(), p.proposedBy(), p.proposedRole(), excluded,
                            "A " + role + "'s change to " + p.outcome() + " waits for a second "
                                    + (p.proposedRole() == null ? "reviewer" : role)
                                    + ", who is neither the proposer nor the changer.");
                }).orElse(null);
    }

    public Optional<Decision> decision(UUID requestId) {
        return jdbc.sql("select * from casework_decision where request_id = :r").param("r", requestId)
                .query((rs, i) -> decision(rs))
                .optional();
    }

    private Decision decision(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Decision(Outcome.valueOf(rs.getString("outcome")), scope(rs.getString("scope")),
                rs.getString("rules").isEmpty() ? List.of() : List.of(rs.getString("rules").split(",")),
                rs.getString("proposed_by"), rs.getString("decided_by"), rs.getString("decided_role"),
                rs.getObject("decided_at", OffsetDateTime.class).toInstant(), rs.getString("reason"),
                rs.getString("justification"), rs.getBoolean("against_engine"));
    }

    private List<Event> timeline(UUID requestId) {
        return jdbc.sql("select * from casework_event where request_id = :r order by id").param("r", requestId)
                .query((rs, i) -> event(rs))
                .list();
    }

    private static Event event(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Event(rs.getObject("at", OffsetDateTime.class).toInstant(), rs.getString("actor"),
                rs.getString("role"), rs.getString("action"), rs.getString("from_state"),
                rs.getString("to_state"), rs.getString("reason"), rs.getLong("id"));
    }

    private List<Proposal> proposals(UUID requestId) {
        return jdbc.sql("select * from casework_proposal where request_id = :r order by proposed_at, id")
                .param("r", requestId)
                .query((rs, i) -> proposal(rs))
                .list();
    }

    private Proposal proposal(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Proposal(rs.getObject("id", UUID.class), rs.getString("proposed_by"),
                rs.getString("proposed_role"), rs.getObject("proposed_at", OffsetDateTime.class).toInstant(),
                Outcome.valueOf(rs.getString("outcome")), scope(rs.getString("scope")), rs.getString("reason"),
                rs.getString("justification"), rs.getBoolean("against_engine"), rs.getString("status"),
                rs.getObject("changes_proposal", UUID.class));
    }

    private void insert(UUID requestId, Proposal p) {
        try {
            jdbc.sql("""
                    insert into casework_proposal (id, request_id, proposed_by, proposed_role, proposed_at, outcome, scope,
                        reason, justification, against_engine, status, changes_proposal, open_for)
                    values (:id, :r, :by, :role, :at, :outcome, :scope, :reason, :just, :against, 'OPEN', :changes, :r)""")
                    .param("id", p.id()).param("r", requestId).param("by", p.proposedBy()).param("role", p.proposedRole())
                    .param("at", p.proposedAt().atOffset(ZoneOffset.UTC)).param("outcome", p.outcome().name())
                    .param("scope", scopeJson(p.scope())).param("reason", p.reason()).param("just", p.justification())
                    .param("against", p.againstEngine()).param("changes", p.changes()).update();
        } catch (DuplicateKeyException race) {
            throw changedMeanwhile(requestId); // at most one OPEN proposal per case
        }
    }

    private void status(UUID proposalId, String status) {
        jdbc.sql("update casework_proposal set status = :s, open_for = null where id = :id")
                .param("s", status).param("id", proposalId).update();
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
        java.time.LocalDate from = date(scope.periodFrom(), "scope.periodFrom");
        java.time.LocalDate to = date(scope.periodTo(), "scope.periodTo");
        // a narrowed period lies inside the requested one: it may start later and end earlier, never the reverse
        java.time.LocalDate askedFrom = r.period() == null ? null : r.period().from();
        java.time.LocalDate askedTo = r.period() == null ? null : r.period().to();
        if (from != null && askedFrom != null && from.isBefore(askedFrom)) {
            throw new Refused(Refused.Kind.INVALID, "scope.periodFrom",
                    "must not be before " + askedFrom + ", the start of the requested period");
        }
        if (to != null && askedTo != null && to.isAfter(askedTo)) {
            throw new Refused(Refused.Kind.INVALID, "scope.periodTo",
                    "must not be after " + askedTo + ", the end of the requested period");
        }
        if (from != null && askedTo != null && from.isAfter(askedTo)) {
            throw new Refused(Refused.Kind.INVALID, "scope.periodFrom",
                    "must not be after " + askedTo + ", the end of the requested period");
        }
        if (to != null && askedFrom != null && to.isBefore(askedFrom)) {
            throw new Refused(Refused.Kind.INVALID, "scope.periodTo",
                    "must not be before " + askedFrom + ", the start of the requested period");
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new Refused(Refused.Kind.INVALID, "scope.periodFrom", "must not be after the end of the period");
        }
        return new Scope(scope.dataCategories(), from == null ? null : from.toString(), to == null ? null : to.toString(),
                scope.targets());
    }

    /** A scope's date, or null when the field is empty (as requested). */
    private static java.time.LocalDate date(String value, String field) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return java.time.LocalDate.parse(value.strip());
        } catch (java.time.format.DateTimeParseException e) {
            throw new Refused(Refused.Kind.INVALID, field, "must be a date such as 2026-07-01");
        }
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
        OffsetDateTime now = now();
        int n = jdbc.sql("""
                update casework_case set state = :to, version = version + 1, updated_at = :now
                where request_id = :r and state = :from""")
                .param("to", to.name()).param("now", now).param("r", requestId).param("from", from.name()).update();
        if (n == 0) {
            throw changedMeanwhile(requestId);
        }
        intake.setStatus(requestId, to.name());
        long id = event(requestId, now, actor, role, action, from, to, reason);
        Event step = new Event(now.toInstant(), actor, role, action, from.name(), to.name(), reason, id);
        ReadScope.<Case>update(CASE, requestId, c -> new Case(c.requestId(), to, c.escalated(), c.openedAt(),
                now.toInstant(), java.util.stream.Stream.concat(c.timeline().stream(), java.util.stream.Stream.of(step))
                        .toList(), c.proposals(), c.decision(), c.deciders(), c.pending()));
    }

    /**
     * The one conditional update of a command: the case moves to {@code to} only if it is still as the command saw
     * it (state and version); otherwise another command won, and this one is refused with the state it left.
     */
    private long transition(UUID requestId, Snapshot seen, CaseState to, boolean escalated, Caller caller, String action,
            String reason) {
        int n;
        try {
            n = jdbc.sql("""
                    update casework_case set state = :to, escalated = :escalated, version = version + 1, updated_at = :now
                    where request_id = :r and state = :from and version = :version""")
                    .param("to", to.name()).param("escalated", escalated).param("now", now()).param("r", requestId)
                    .param("from", seen.state().name()).param("version", seen.version()).update();
        } catch (org.springframework.dao.PessimisticLockingFailureException
                | org.springframework.dao.QueryTimeoutException busy) {
            throw new Refused(Refused.Kind.CONFLICT, "state", "another command on this case is under way; reload it");
        }
        if (n == 0) {
            throw changedMeanwhile(requestId);
        }
        intake.setStatus(requestId, to.name());
        ReadScope.forget(CASE, requestId);
        return event(requestId, caller.name(), caller.role().name(), action, seen.state(), to, reason);
    }

    private Snapshot snapshot(UUID requestId) {
        return jdbc.sql("select state, escalated, version from casework_case where request_id = :r").param("r", requestId)
                .query((rs, i) -> new Snapshot(CaseState.valueOf(rs.getString("state")), rs.getBoolean("escalated"),
                        rs.getLong("version")))
                .optional().orElseThrow(() -> notFound(requestId));
    }

    /** A conflict with what the command saw, unless the case changed since: then the race it lost. */
    private Refused conflict(UUID requestId, Snapshot seen, String field, String message) {
        if (snapshot(requestId).version() != seen.version()) {
            return changedMeanwhile(requestId);
        }
        return new Refused(Refused.Kind.CONFLICT, field, message, seen.state().name());
    }

    /** The refusal of a command that lost a race: what the case is now. */
    private Refused changedMeanwhile(UUID requestId) {
        Snapshot now;
        try {
            now = snapshot(requestId);
        } catch (org.springframework.dao.DataAccessException aborted) {
            // the database ended this transaction (PostgreSQL after a failed statement): the state is not known here
            return new Refused(Refused.Kind.CONFLICT, "state", "the case changed meanwhile; reload it");
        }
        return new Refused(Refused.Kind.CONFLICT, "state", "the case changed meanwhile: it is now " + describe(now)
                + "; reload it", now.state().name());
    }

    /** Records a step on the case's timeline; returns the step's id (messages attach their files to it). */
    private long event(UUID requestId, String actor, String role, String action, CaseState from, CaseState to,
            String reason) {
        return event(requestId, now(), actor, role, action, from, to, reason);
    }

    private long event(UUID requestId, OffsetDateTime now, String actor, String role, String action, CaseState from,
            CaseState to, String reason) {
        org.springframework.jdbc.support.GeneratedKeyHolder key = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into casework_event (request_id, at, actor, role, action, from_state, to_state, reason)
                values (:r, :at, :actor, :role, :action, :from, :to, :reason)""")
                .param("r", requestId).param("at", now).param("actor", actor).param("role", role)
                .param("action", action).param("from", from == null ? null : from.name())
                .param("to", to == null ? null : to.name()).param("reason", reason).update(key, "id");
        return key.getKeyAs(Number.class).longValue();
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

    private static String describe(Snapshot c) {
        return c.escalated() && c.state() == CaseState.IN_REVIEW ? "escalated to a human-rights officer"
                : "in state " + c.state();
    }

    private static Refused notFound(UUID id) {
        return new Refused(Refused.Kind.NOT_FOUND, "request", "Request " + id + " does not exist.");
    }

    private OffsetDateTime now() {
        // at the database's precision: what a case remembers of a write is what a read of it gives
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)
                .truncatedTo(java.time.temporal.ChronoUnit.MICROS);
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

    @Override
    public java.util.Map<UUID, Object> forRequests(List<ReceivedRequest> requests) {
        boolean requester = Caller.current().map(c -> c.is(UserRole.REQUESTER)).orElse(true);
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        findAll(requests.stream().map(ReceivedRequest::id).toList())
                .forEach((id, c) -> out.put(id, requester ? forRequester(c) : c));
        return out;
    }

    private static String roleLabel(String role) {
        try {
            return UserRole.valueOf(role).label();
        } catch (IllegalArgumentException e) {
            return "Staff";
        }
    }

    /** What the requesting agency sees of its case: the state, the questions and answers, the decision and why. */
    static Case forRequester(Case c) {
        Set<String> shown = Set.of("OPENED", "ASKED_REQUESTER", "REQUESTER_ANSWERED", "MESSAGE", "WITHDRAWN");
        List<Event> timeline = c.timeline().stream().filter(e -> shown.contains(e.action()))
                .map(e -> new Event(e.at(), e.role() == null || e.role().equals("REQUESTER") ? e.actor()
                        : roleLabel(e.role()), e.role(), e.action(), e.from(), e.to(), e.reason(), e.id()))
                .toList();
        Decision d = c.decision() == null ? null : new Decision(c.decision().outcome(), c.decision().scope(),
                c.decision().rules(), null, null, null, c.decision().decidedAt(), c.decision().reason(), null, false);
        Deciders who = c.deciders() == null ? null : new Deciders(null, c.deciders().proposedRole(), null,
                c.deciders().changedRole(), null, c.deciders().decidedRole(), c.deciders().confirmed());
        return new Case(c.requestId(), c.state(), c.escalated(), c.openedAt(), c.updatedAt(), timeline, List.of(), d, who,
                null);
    }
}
