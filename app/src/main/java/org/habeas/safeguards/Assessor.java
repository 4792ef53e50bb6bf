package org.habeas.safeguards;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReadScope;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.intake.RequestReceived;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Assesses every request as it is received, as of Habeas's own time of receipt, and stores the assessment with
 * it (in the same transaction); adds the assessment to the request's representation (a requester's without the
 * staff-only evidence, {@link Assessment#forRequester()}).
 */
@Component
public class Assessor implements RequestExtension {

    private final Safeguards engine;
    private final Profile profile;
    private final Intake intake;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    Assessor(Safeguards engine, Profile profile, Intake intake, JdbcClient jdbc, JsonMapper json, Clock clock,
            org.springframework.context.ApplicationEventPublisher events) {
        this.events = events;
        this.engine = engine;
        this.profile = profile;
        this.intake = intake;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    @org.springframework.core.annotation.Order(10) // after the log has recorded the receipt
    void on(RequestReceived event) {
        ReceivedRequest stored = intake.find(event.requestId()).orElseThrow();
        // in the receiving transaction: a request the engine cannot assess is not stored at all, so that no request
        // stays RECEIVED for ever (validation refuses what the engine could not read before it gets here)
        EvidenceRequest request = intake.read(stored);
        Assessment a = engine.assess(request, profile, stored.receivedAt());
        String body = json.writeValueAsString(a);
        jdbc.sql("""
                insert into safeguards_assessment (request_id, decision, policy, assessed_at, body)
                values (:id, :decision, :policy, :at, :body)
                """)
                .param("id", stored.id())
                .param("decision", a.decision().name())
                .param("policy", a.policy())
                .param("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .param("body", body)
                .update();
        ReadScope.put(STORED, stored.id(), new Stored(a.decision().name(), a.policy(), body));
        // as a read gives it: the stored JSON read back
        ReadScope.put(ASSESSMENT, stored.id(), json.readValue(body, Assessment.class));
        events.publishEvent(new RequestAssessed(stored.id(), a.decision()));
    }

    @Override
    public String name() {
        return "assessment";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        Optional<Caller> caller = Caller.current();
        boolean requester = caller.map(c -> c.is(UserRole.REQUESTER)).orElse(true);
        boolean identifiers = caller.map(Caller::seesIdentifiers).orElse(false);
        return assessment(requestId).map(a -> requester ? a.forRequester() : identifiers ? a : a.withoutIdentifiers());
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(java.util.List<ReceivedRequest> requests) {
        Optional<Caller> caller = Caller.current();
        boolean requester = caller.map(c -> c.is(UserRole.REQUESTER)).orElse(true);
        boolean identifiers = caller.map(Caller::seesIdentifiers).orElse(false);
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        assessments(requests.stream().map(ReceivedRequest::id).toList()).forEach((id, a) -> out.put(id,
                requester ? a.forRequester() : identifiers ? a : a.withoutIdentifiers()));
        return out;
    }

    /** Kinds of {@link ReadScope}: a request's assessment as stored, and read. */
    private static final String STORED = "safeguards.stored";
    private static final String ASSESSMENT = "safeguards.assessment";

    /** The assessments stored for many requests, in one query; a request without one is absent. */
    public java.util.Map<UUID, Assessment> assessments(java.util.Collection<UUID> requestIds) {
        return ReadScope.all(ASSESSMENT, requestIds, this::load);
    }

    private java.util.Map<UUID, Assessment> load(java.util.Collection<UUID> requestIds) {
        java.util.Map<UUID, Assessment> out = new java.util.HashMap<>();
        if (requestIds.isEmpty()) {
            return out;
        }
        jdbc.sql("select request_id, body from safeguards_assessment where request_id in (:ids)")
                .param("ids", new java.util.LinkedHashSet<>(requestIds))
                .query((rs, i) -> out.put(rs.getObject("request_id", UUID.class),
                        json.readValue(rs.getString("body"), Assessment.class)))
                .list();
        return out;
    }

    /** The assessment row as stored: its decision column and its body, as the log's commitments cover them. */
    public record Stored(String decision, String policy, String body) {
    }

    public Optional<Stored> stored(UUID requestId) {
        return ReadScope.one(STORED, requestId, id -> jdbc.sql("select decision, policy, body from safeguards_assessment where request_id = :id")
                .param("id", requestId)
                .query((rs, i) -> new Stored(rs.getString("decision"), rs.getString("policy"), rs.getString("body")))
                .optional());
    }

    /** The assessment stored for a request when it arrived. */
    public Optional<Assessment> assessment(UUID requestId) {
        return ReadScope.one(ASSESSMENT, requestId, id -> jdbc.sql("select body from safeguards_assessment where request_id = :id")
                .param("id", id)
                .query(String.class)
                .optional()
                .map(body -> json.readValue(body, Assessment.class)));
    }
}
