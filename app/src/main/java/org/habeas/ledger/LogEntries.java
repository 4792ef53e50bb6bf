package org.habeas.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeoutException;

import org.habeas.casework.CaseEvents;
import org.habeas.casework.Cases;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestReceived;
import org.habeas.intake.RequestReplayed;
import org.habeas.json.CanonicalJson;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.RequestAssessed;
import org.habeas.web.Unavailable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns each lifecycle event of a request into a public log entry, in the transaction that records the event,
 * and holds the caller until the entry has its index (see {@link Acknowledgements}). The entry is the RFC 8785 canonical JSON of
 * {@code {"v":1, "case", "event", "period", "requestingState", "requestedState", "instrument", "measure",
 * "categories", "emergency", "outcome", "accounts", "commitment"}} (and {@code "rules"} for DECIDED): no
 * identifier, name, text or document. {@code case} is a random id, not the request's; {@code commitment} is
 * {@code base64(SHA-256(salt || canonical case record))}, the salt staying with the case so that an auditor given
 * both can check it.
 */
@Component
public class LogEntries {

    /** A request's public identity in the log. */
    public record CaseKey(UUID requestId, UUID caseId, byte[] salt) {
    }

    private final LedgerStore store;
    private final Sequencer sequencer;
    private final Intake intake;
    private final Assessor assessments;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;
    private final Cases cases;
    private final org.habeas.casework.Deadlines deadlines;
    private final SecureRandom random = new SecureRandom();
    private final Duration acknowledgeTimeout;

    LogEntries(LedgerStore store, Sequencer sequencer, Intake intake, Assessor assessments, JdbcClient jdbc,
            JsonMapper json, Clock clock, Cases cases, org.habeas.casework.Deadlines deadlines,
            @Value("${habeas.ledger.acknowledge-timeout:10s}") Duration acknowledgeTimeout) {
        this.acknowledgeTimeout = acknowledgeTimeout;
        this.cases = cases;
        this.deadlines = deadlines;
        this.store = store;
        this.sequencer = sequencer;
        this.intake = intake;
        this.assessments = assessments;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    @EventListener
    @Order(0)
    void received(RequestReceived event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        byte[] salt = new byte[32];
        random.nextBytes(salt);
        UUID caseId = UUID.randomUUID();
        jdbc.sql("insert into ledger_case (request_id, case_id, salt) values (:r, :c, :s)")
                .param("r", r.id()).param("c", caseId).param("s", salt).update();
        append(r, new CaseKey(r.id(), caseId, salt), "RECEIVED", null);
    }

    /** A retry is answered with the stored request only once its entries have their indexes. */
    @EventListener
    void replayed(RequestReplayed event) {
        caseKey(event.requestId()).ifPresent(key -> {
            for (long seq : store.pendingOfCase(key.caseId())) {
                try {
                    sequencer.await(seq, acknowledgeTimeout);
                } catch (TimeoutException e) {
                    throw Acknowledgements.notYetLogged(acknowledgeTimeout);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw Acknowledgements.notYetLogged(acknowledgeTimeout);
                }
            }
        });
    }

    @EventListener
    void assessed(RequestAssessed event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "ASSESSED", event.decision().name());
    }

    @EventListener
    @Order(0) // before what the decision sets off (a preservation hold)
    void decided(CaseEvents.Decided event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "DECIDED", event.outcome());
    }

    @EventListener
    void preserved(CaseEvents.Preserved event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "PRESERVED", null);
    }

    @EventListener
    void produced(CaseEvents.Produced event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "PRODUCED", cases.decision(r.id()).map(d -> d.outcome().name()).orElse(null));
    }

    @EventListener
    void closed(CaseEvents.Closed event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "CLOSED", cases.decision(r.id()).map(d -> d.outcome().name()).orElse(null));
    }

    @EventListener
    void notified(CaseEvents.Notified event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "NOTIFIED", null);
    }

    @EventListener
    void withdrawn(CaseEvents.Withdrawn event) {
        ReceivedRequest r = intake.find(event.requestId()).orElseThrow();
        append(r, caseKey(r.id()).orElseThrow(), "WITHDRAWN", null);
    }

    /**
     * The reporting period of an event: receipt and assessment count in the period the request arrived (the
     * assessment is as of receipt); later events in the period they happen.
     */
    private String period(ReceivedRequest r, String event) {
        return switch (event) {
            case "RECEIVED", "ASSESSED" -> Periods.of(r.receivedAt());
            case "DECIDED" -> Periods.of(cases.decision(r.id()).orElseThrow().decidedAt());
            default -> Periods.of(clock.instant());
        };
    }

    private void append(ReceivedRequest r, CaseKey key, String event, String outcome) {
        if (sequencer.behind(acknowledgeTimeout.dividedBy(2))) {
            // refused before anything is written: the whole call rolls back, and a retry later is safe
            throw new Unavailable("The public log is behind",
                    "The public log cannot keep up at the moment. Nothing was stored; retry after the time given in "
                            + "Retry-After.", Duration.ofSeconds(2), false);
        }
        String period = period(r, event);
        byte[] entry = entry(r, key, event, period, outcome);
        long seq = store.addPending(entry, period, event, key.caseId(), clock.instant());
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            // the waiter exists before the commit, so the batch that integrates the entry cannot miss it; the
            // thread waits once its connection is back in the pool (Acknowledgements)
            sequencer.expect(seq);
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCompletion(int status) {
                    if (status == STATUS_COMMITTED) {
                        sequencer.committed(seq);
                        Acknowledgements.committed(seq);
                    } else {
                        sequencer.forget(seq);
                    }
                }
            });
        } else {
            try {
                sequencer.await(seq, acknowledgeTimeout);
            } catch (TimeoutException e) {
                throw Acknowledgements.notYetLogged(acknowledgeTimeout);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw Acknowledgements.notYetLogged(acknowledgeTimeout);
            }
        }
    }

    byte[] entry(ReceivedRequest r, CaseKey key, String event, String period, String outcome) {
        JsonNode body = json.readTree(r.body());
        ObjectNode e = json.createObjectNode();
        e.put("v", 1);
        e.put("case", key.caseId().toString());
        e.put("event", event);
        e.put("period", period);
        e.put("requestingState", r.requestingState());
        e.put("requestedState", r.requestedState());
        e.put("instrument", r.instrument());
        e.put("measure", r.measure());
        ArrayNode categories = e.putArray("categories");
        // after a decision, the categories it approved; before, those requested
        java.util.List<String> approved = switch (event) {
            case "DECIDED", "PRODUCED", "CLOSED", "NOTIFIED" -> cases.decision(r.id())
                    .map(d -> d.scope() == null ? null : d.scope().dataCategories()).orElse(null);
            default -> null;
        };
        if (approved != null) {
            approved.forEach(categories::add);
        } else {
            body.path("dataCategories").forEach(c -> categories.add(c.stringValue()));
        }
        e.put("emergency", r.emergency());
        // whether the request came with a non-disclosure order (a date until which the user may not be told)
        e.put("nonDisclosure", body.path("confidentiality").path("nonDisclosureUntil").isString());
        if (outcome == null) {
            e.putNull("outcome");
        } else {
            e.put("outcome", outcome);
        }
        if (event.equals("DECIDED")) {
            ArrayNode rules = e.putArray("rules");
            cases.decision(r.id()).orElseThrow().rules().forEach(rules::add);
        }
        e.put("accounts", r.targetCount());
        e.put("commitment", commitment(key.salt(), record(r, event)));
        return CanonicalJson.write(e).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The full case record an event commits to, as canonical JSON, rebuilt from what Habeas stores: for RECEIVED
     * the request as received, for ASSESSED its assessment.
     */
    String record(ReceivedRequest r, String event) {
        ObjectNode rec = json.createObjectNode();
        rec.put("event", event);
        rec.put("requestId", r.id().toString());
        rec.put("receivedAt", r.receivedAt().toString());
        switch (event) {
            case "RECEIVED" -> {
                rec.set("request", json.readTree(r.body()));
                rec.put("bodySha256", r.bodySha256());
            }
            case "ASSESSED" -> {
                Optional<Assessor.Stored> a = assessments.stored(r.id());
                rec.put("decision", a.map(Assessor.Stored::decision).orElse(null));
                rec.put("policy", a.map(Assessor.Stored::policy).orElse(null));
                rec.set("assessment", a.map(x -> json.readTree(x.body())).orElse(json.nullNode()));
            }
            case "DECIDED" -> rec.set("decision", cases.decision(r.id()).map(d -> (JsonNode) json.valueToTree(d))
                    .orElse(json.nullNode()));
            case "PRESERVED" -> rec.set("hold", deadlines.hold(r.id()).map(h -> (JsonNode) json.valueToTree(h))
                    .orElse(json.nullNode()));
            case "NOTIFIED" -> rec.set("notices", json.valueToTree(jdbc.sql("""
                    select id, due_at, status, sent_at from disclosure_notice where request_id = :r and status = 'SENT'
                    order by id""").param("r", r.id()).query((rs, i) -> java.util.Map.of("id", rs.getString("id"),
                    "sentAt", String.valueOf(rs.getObject("sent_at", java.time.OffsetDateTime.class).toInstant()))).list()));
            case "PRODUCED", "CLOSED" -> rec.set("case", cases.find(r.id()).map(c -> (JsonNode) json.valueToTree(
                    c.timeline().stream().filter(ev -> ev.action().equals(event.equals("PRODUCED") ? "PRODUCED"
                            : "RECEIPT_CONFIRMED")).toList())).orElse(json.nullNode()));
            case "WITHDRAWN" -> rec.set("case", cases.find(r.id()).map(c -> (JsonNode) json.valueToTree(
                    c.timeline().stream().filter(ev -> ev.action().equals("WITHDRAWN")).toList())).orElse(json.nullNode()));
            default -> throw new IllegalArgumentException("no case record for " + event);
        }
        return CanonicalJson.write(rec);
    }

    static String commitment(byte[] salt, String record) {
        MessageDigest d = Merkle.sha256();
        d.update(salt);
        d.update(record.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(d.digest());
    }

    public Optional<CaseKey> caseKey(UUID requestId) {
        return jdbc.sql("select case_id, salt from ledger_case where request_id = :r").param("r", requestId)
                .query((rs, i) -> new CaseKey(requestId, rs.getObject("case_id", UUID.class), rs.getBytes("salt")))
                .optional();
    }
}
