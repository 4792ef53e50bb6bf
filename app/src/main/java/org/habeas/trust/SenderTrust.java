package org.habeas.trust;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.CallbackNumber;
import org.habeas.accounts.Caller;
import org.habeas.accounts.SenderVerification;
import org.habeas.intake.Intake;
import org.habeas.intake.ReadScope;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.Condition;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Out-of-band verification of senders and the execution gate. The safeguards engine puts the condition
 * {@value #VERIFY} on every emergency request; it is closed by a valid signature with a key the agency registered,
 * or by a staff member's record of a call-back, on a number Habeas holds for the agency, in which the agency
 * confirmed the request. While it is open, the request cannot be executed. The engine's decision is unchanged.
 */
@Service
public class SenderTrust implements RequestExtension {

    public static final String VERIFY = "VERIFY_REQUESTER_OUT_OF_BAND";

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Assessor assessments;
    private final Agencies agencies;
    private final AccessRecord access;
    private final Clock clock;
    private final SenderRecords records;
    private final SenderCounts counts;

    SenderTrust(JdbcClient jdbc, Intake intake, Assessor assessments, Agencies agencies, AccessRecord access,
            Clock clock, SenderRecords records, SenderCounts counts) {
        this.records = records;
        this.counts = counts;
        this.jdbc = jdbc;
        this.intake = intake;
        this.assessments = assessments;
        this.agencies = agencies;
        this.access = access;
        this.clock = clock;
    }

    /**
     * Records a call-back. The number must be one registered for the request's agency; the call cannot be in the
     * future or before the request arrived.
     */
    @Transactional
    public Callback recordCallback(UUID requestId, UUID numberId, Instant calledAt, Callback.Outcome outcome,
            String note) {
        Caller caller = Caller.require();
        ReceivedRequest r = intake.find(requestId).orElseThrow(() -> new Agencies.Refused("request", "no such request"));
        if (numberId == null) {
            throw new Agencies.Refused("numberId", "is required: the registered number that was called");
        }
        CallbackNumber number = agencies.callbackNumber(numberId)
                .filter(n -> n.agencyId().equals(r.agencyId()))
                .orElseThrow(() -> new Agencies.Refused("numberId",
                        "is not a call-back number registered for the request's agency"));
        if (outcome == null) {
            throw new Agencies.Refused("outcome", "must be CONFIRMED, NOT_CONFIRMED or NO_ANSWER");
        }
        Instant now = clock.instant();
        Instant when = calledAt == null ? now : calledAt;
        if (when.isAfter(now.plusSeconds(60)) || when.isBefore(r.receivedAt().minusSeconds(60))) {
            throw new Agencies.Refused("calledAt", "must be between the request's arrival and now");
        }
        String text = note == null ? "" : note.strip();
        if (text.length() > 1000) {
            throw new Agencies.Refused("note", "must be at most 1000 characters");
        }
        Callback c = new Callback(UUID.randomUUID(), requestId, number.id(), number.number(), caller.name(),
                caller.role().name(), when, outcome, text, now);
        jdbc.sql("""
                insert into trust_callback (id, request_id, number_id, called_by, called_role, called_at, outcome, note,
                    recorded_at)
                values (:id, :request, :number, :by, :role, :at, :outcome, :note, :recorded)""")
                .param("id", c.id()).param("request", requestId).param("number", number.id())
                .param("by", caller.name()).param("role", caller.role().name()).param("at", utc(when))
                .param("outcome", outcome.name())
                .param("note", text).param("recorded", utc(now)).update();
        // a request a call-back did not confirm counts once against its agency, however often it is called
        if (outcome == Callback.Outcome.NOT_CONFIRMED && jdbc.sql(
                "insert into trust_callback_failed (request_id) values (:request) on conflict do nothing")
                .param("request", requestId).update() == 1) {
            counts.add(r.agencyId(), SenderCounts.CALLBACK_FAILED);
        }
        ReadScope.forget(CALLBACKS, requestId);
        access.record(caller.name(), caller.role().name(), "CALLBACK_RECORDED", requestId.toString(), outcome.name());
        return c;
    }

    public List<Callback> callbacks(UUID requestId) {
        return callbacks(List.of(requestId));
    }

    /** Kind of {@link ReadScope}: a request's call-backs. */
    private static final String CALLBACKS = "trust.callbacks";

    /** A request just received has no call-backs yet. */
    @org.springframework.context.event.EventListener
    void received(org.habeas.intake.RequestReceived event) {
        ReadScope.put(CALLBACKS, event.requestId(), null);
    }

    /** The call-backs of many requests, in one query; each request's in the order they were recorded. */
    private List<Callback> callbacks(List<UUID> requestIds) {
        return ReadScope.all(CALLBACKS, requestIds, this::loadCallbacks).values().stream()
                .flatMap(List::stream).toList();
    }

    private java.util.Map<UUID, List<Callback>> loadCallbacks(java.util.Collection<UUID> requestIds) {
        java.util.Map<UUID, List<Callback>> out = new java.util.HashMap<>();
        jdbc.sql("""
                select c.*, n.number from trust_callback c join accounts_callback_number n on n.id = c.number_id
                where c.request_id in (:r) order by c.recorded_at, c.id""")
                .param("r", new java.util.LinkedHashSet<>(requestIds))
                .query((rs, i) -> new Callback(rs.getObject("id", UUID.class), rs.getObject("request_id", UUID.class),
                        rs.getObject("number_id", UUID.class), rs.getString("number"), rs.getString("called_by"),
                        rs.getString("called_role"), rs.getObject("called_at", OffsetDateTime.class).toInstant(),
                        Callback.Outcome.valueOf(rs.getString("outcome")), rs.getString("note"),
                        rs.getObject("recorded_at", OffsetDateTime.class).toInstant()))
                .list().forEach(c -> out.computeIfAbsent(c.requestId(), k -> new ArrayList<>()).add(c));
        return out;
    }

    /** The conditions that keep this request from being executed, in the order the assessment listed them. */
    public List<String> openConditions(UUID requestId) {
        return openConditions(intake.find(requestId).orElseThrow(() -> new Agencies.Refused("request", "no such request")));
    }

    private List<String> openConditions(ReceivedRequest r) {
        return openConditions(r, assessments.assessment(r.id()), null);
    }

    /** {@code calls}: the request's call-backs if already read, else null (read only if needed). */
    private List<String> openConditions(ReceivedRequest r, Optional<Assessment> a, List<Callback> calls) {
        List<String> open = new ArrayList<>();
        if (a.isEmpty()) {
            open.add("ASSESSMENT_MISSING");
            return open;
        }
        for (Condition c : a.get().conditions()) {
            if (VERIFY.equals(c.code()) && !verified(r, calls)) {
                open.add(VERIFY);
            }
        }
        return open;
    }

    /** The open conditions of a page of requests, by request id, in a fixed number of queries. */
    public java.util.Map<UUID, List<String>> openConditions(List<ReceivedRequest> requests) {
        java.util.Map<UUID, List<String>> out = new java.util.HashMap<>();
        if (requests.isEmpty()) {
            return out;
        }
        List<UUID> ids = requests.stream().map(ReceivedRequest::id).toList();
        java.util.Map<UUID, Assessment> assessed = assessments.assessments(ids);
        java.util.Map<UUID, List<Callback>> calls = new java.util.HashMap<>();
        callbacks(ids).forEach(c -> calls.computeIfAbsent(c.requestId(), k -> new ArrayList<>()).add(c));
        for (ReceivedRequest r : requests) {
            out.put(r.id(), openConditions(r, Optional.ofNullable(assessed.get(r.id())), calls.getOrDefault(r.id(), List.of())));
        }
        return out;
    }

    /** Fails unless every blocking condition is closed. Execution (production, preservation) calls this first. */
    public void requireExecutable(UUID requestId) {
        List<String> open = openConditions(requestId);
        if (!open.isEmpty()) {
            throw new ExecutionBlocked(requestId, open);
        }
    }

    private boolean verified(ReceivedRequest r, List<Callback> known) {
        if (SenderVerification.VERIFIED.name().equals(r.sender().verification())) {
            return true;
        }
        List<Callback> calls = known != null ? known : callbacks(r.id());
        // the latest conclusive call counts: a later NOT_CONFIRMED reopens the condition
        for (int i = calls.size() - 1; i >= 0; i--) {
            Callback.Outcome o = calls.get(i).outcome();
            if (o == Callback.Outcome.CONFIRMED) {
                return true;
            }
            if (o == Callback.Outcome.NOT_CONFIRMED) {
                return false;
            }
        }
        return false;
    }

    /** The agency's record as a sender. */
    public SenderRecord record(UUID agencyId) {
        return records.record(agencyId);
    }

    @Override
    public String name() {
        return "verification";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        return intake.find(requestId).map(r -> {
            List<String> open = openConditions(r);
            boolean requester = Caller.current().map(c -> c.is(org.habeas.accounts.UserRole.REQUESTER)).orElse(true);
            List<Callback> calls = callbacks(requestId);
            return new Verification(r.sender().verification(), r.sender().signatureKid(),
                    requester ? calls.stream().map(Callback::forRequester).toList() : calls, open,
                    open.isEmpty(), r.agencyId() == null ? null : record(r.agencyId()));
        });
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(List<ReceivedRequest> requests) {
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        if (requests.isEmpty()) {
            return out;
        }
        List<UUID> ids = requests.stream().map(ReceivedRequest::id).toList();
        java.util.Map<UUID, Assessment> assessed = assessments.assessments(ids);
        java.util.Map<UUID, List<Callback>> calls = new java.util.HashMap<>();
        callbacks(ids).forEach(c -> calls.computeIfAbsent(c.requestId(), k -> new ArrayList<>()).add(c));
        boolean requester = Caller.current().map(c -> c.is(org.habeas.accounts.UserRole.REQUESTER)).orElse(true);
        for (ReceivedRequest r : requests) {
            List<Callback> mine = calls.getOrDefault(r.id(), List.of());
            List<String> open = openConditions(r, Optional.ofNullable(assessed.get(r.id())), mine);
            out.put(r.id(), new Verification(r.sender().verification(), r.sender().signatureKid(),
                    requester ? mine.stream().map(Callback::forRequester).toList() : mine, open, open.isEmpty(),
                    r.agencyId() == null ? null : record(r.agencyId())));
        }
        return out;
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
