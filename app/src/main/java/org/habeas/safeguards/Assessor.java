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
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.intake.RequestReceived;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(Assessor.class);

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
        Assessment a;
        try {
            EvidenceRequest request = json.readValue(stored.body(), EvidenceRequest.class);
            a = engine.assess(request, profile, stored.receivedAt());
        } catch (RuntimeException e) {
            // an engine fault must not lose a received request: it stays unassessed and visible as such
            log.error("Could not assess request {}", event.requestId(), e);
            return;
        }
        jdbc.sql("""
                insert into safeguards_assessment (request_id, decision, policy, assessed_at, body)
                values (:id, :decision, :policy, :at, :body)
                """)
                .param("id", stored.id())
                .param("decision", a.decision().name())
                .param("policy", a.policy())
                .param("at", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                .param("body", json.writeValueAsString(a))
                .update();
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

    /** The assessment row as stored: its decision column and its body, as the log's commitments cover them. */
    public record Stored(String decision, String policy, String body) {
    }

    public Optional<Stored> stored(UUID requestId) {
        return jdbc.sql("select decision, policy, body from safeguards_assessment where request_id = :id")
                .param("id", requestId)
                .query((rs, i) -> new Stored(rs.getString("decision"), rs.getString("policy"), rs.getString("body")))
                .optional();
    }

    /** The assessments that refused requests from an agency. */
    public java.util.List<Assessment> refusedFromAgency(UUID agencyId) {
        return jdbc.sql("""
                select a.body from safeguards_assessment a join intake_request r on r.id = a.request_id
                where r.agency_id = :agency and a.decision = 'REFUSE'""")
                .param("agency", agencyId)
                .query(String.class).list().stream()
                .map(body -> json.readValue(body, Assessment.class)).toList();
    }

    /** The assessment stored for a request when it arrived. */
    public Optional<Assessment> assessment(UUID requestId) {
        return jdbc.sql("select body from safeguards_assessment where request_id = :id")
                .param("id", requestId)
                .query(String.class)
                .optional()
                .map(body -> json.readValue(body, Assessment.class));
    }
}
