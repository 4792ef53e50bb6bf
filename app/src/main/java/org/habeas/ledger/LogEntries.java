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

    /**
     * A request's public identity in the log; {@code version} is the form of its case records (see
     * {@link #record(ReceivedRequest, String, int)}).
     */
    public record CaseKey(UUID requestId, UUID caseId, byte[] salt, int version) {
    }

    /** The form of the case records new cases commit to. */
    static final int RECORD_VERSION = 2;

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
        jdbc.sql("insert into ledger_case (request_id, case_id, salt, record_version) values (:r, :c, :s, :v)")
                .param("r", r.id()).param("c", caseId).param("s", salt).param("v", RECORD_VERSION).update();
        CaseKey key = new CaseKey(r.id(), caseId, salt, RECORD_VERSION);
        org.habeas.intake.ReadScope.put(CASE_KEY, r.id(), key);
        append(r, key, "RECEIVED", null);
    }

    /** A retry is answered with the stored request only once its entries have their indexes. */
    @EventListener
    void replayed(RequestReplayed event) {
        caseKey(event.requestId()).ifPresent(key -> {
            for (long seq : store.pendingSeqsOfCase(key.caseId())) {
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
    String period(ReceivedRequest r, String event) {
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

    /**
     * The entry an event of this case should be, recomputed from the database as it is now; {@code loggedPeriod}
     * stands for the period of events that count in the period they were logged in.
     */
    byte[] expectedEntry(ReceivedRequest r, CaseKey key, String event, String loggedPeriod) {
        String period = switch (event) {
            case "RECEIVED", "ASSESSED", "DECIDED" -> period(r, event);
            default -> loggedPeriod;
        };
        String outcome = switch (event) {
            case "ASSESSED" -> assessments.stored(r.id()).map(Assessor.Stored::decision).orElse(null);
            case "DECIDED", "PRODUCED", "CLOSED" -> cases.decision(r.id()).map(d -> d.outcome().name()).orElse(null);
            default -> null;
        };
        return entry(r, key, event, period, outcome);
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
        e.put("commitment", commitment(key.salt(), record(r, event, key.version())));
        return CanonicalJson.write(e).getBytes(StandardCharsets.UTF_8);
    }

    /** The case record an event of a request commits to, in the form its case was logged with. */
    String record(ReceivedRequest r, String event) {
        return record(r, event, caseKey(r.id()).map(CaseKey::version).orElse(RECORD_VERSION));
    }

    /**
     * The full case record an event commits to, as canonical JSON, rebuilt from what Habeas stores: for RECEIVED
     * the request as received, for ASSESSED its assessment, and so on. Form 2 also covers, for RECEIVED, who sent
     * the request (agency, submitter, signature) and every stored column; for DECIDED, WITHDRAWN, PRODUCED and
     * CLOSED, the case's timeline up to the event (each step's actor, role, states and reason), so that none of
     * it can change unseen.
     */
    String record(ReceivedRequest r, String event, int version) {
        ObjectNode rec = json.createObjectNode();
        rec.put("event", event);
        rec.put("requestId", r.id().toString());
        rec.put("receivedAt", r.receivedAt().toString());
        switch (event) {
            case "RECEIVED" -> {
                rec.set("request", json.readTree(r.body()));
                rec.put("bodySha256", r.bodySha256());
                if (version >= 2) {
                    ObjectNode sender = rec.putObject("sender");
                    sender.put("agencyId", String.valueOf(r.agencyId()));
                    sender.put("submittedBy", r.sender().submittedBy());
                    sender.put("verification", r.sender().verification());
                    sender.put("signatureKid", r.sender().signatureKid());
                    ObjectNode columns = rec.putObject("stored");
                    columns.put("reference", r.reference());
                    columns.put("senderReceivedAt", String.valueOf(r.senderReceivedAt()));
                    columns.put("instrument", r.instrument());
                    columns.put("channel", r.channel());
                    columns.put("measure", r.measure());
                    columns.put("requestingState", r.requestingState());
                    columns.put("requestedState", r.requestedState());
                    columns.put("emergency", r.emergency());
                    columns.put("targetCount", r.targetCount());
                }
            }
            case "ASSESSED" -> {
                Optional<Assessor.Stored> a = assessments.stored(r.id());
                rec.put("decision", a.map(Assessor.Stored::decision).orElse(null));
                rec.put("policy", a.map(Assessor.Stored::policy).orElse(null));
                rec.set("assessment", a.map(x -> json.readTree(x.body())).orElse(json.nullNode()));
            }
            case "DECIDED" -> {
                rec.set("decision", cases.decision(r.id()).map(d -> (JsonNode) json.valueToTree(d))
                        .orElse(json.nullNode()));
                if (version >= 2) {
                    rec.set("timeline", timelineUpTo(r.id(), a -> a.startsWith("CONFIRMED") || a.startsWith("CHANGED")));
                }
            }
            case "PRESERVED" -> rec.set("hold", deadlines.hold(r.id()).map(h -> (JsonNode) json.valueToTree(h))
                    .orElse(json.nullNode()));
            case "NOTIFIED" -> rec.set("notices", json.valueToTree(jdbc.sql("""
                    select id, due_at, status, sent_at from disclosure_notice where request_id = :r and status = 'SENT'
                    order by id""").param("r", r.id()).query((rs, i) -> java.util.Map.of("id", rs.getString("id"),
                    "sentAt", String.valueOf(rs.getObject("sent_at", java.time.OffsetDateTime.class).toInstant()))).list()));
            case "PRODUCED", "CLOSED", "WITHDRAWN" -> {
                String action = switch (event) {
                    case "PRODUCED" -> "PRODUCED";
                    case "CLOSED" -> "RECEIPT_CONFIRMED";
                    default -> "WITHDRAWN";
                };
                rec.set("case", cases.find(r.id()).map(c -> (JsonNode) json.valueToTree(
                        c.timeline().stream().filter(ev -> ev.action().equals(action)).toList())).orElse(json.nullNode()));
                if (version >= 2) {
                    rec.set("timeline", timelineUpTo(r.id(), action::equals));
                }
            }
            default -> throw new IllegalArgumentException("no case record for " + event);
        }
        return CanonicalJson.write(rec);
    }

    /** The case's timeline up to and including its first step whose action {@code end} accepts. */
    private JsonNode timelineUpTo(UUID requestId, java.util.function.Predicate<String> end) {
        ArrayNode out = json.createArrayNode();
        for (Cases.Event ev : cases.find(requestId).map(Cases.Case::timeline).orElse(java.util.List.of())) {
            out.add((JsonNode) json.valueToTree(ev));
            if (end.test(ev.action())) {
                break;
            }
        }
        return out;
    }

    static String commitment(byte[] salt, String record) {
        MessageDigest d = Merkle.sha256();
        d.update(salt);
        d.update(record.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(d.digest());
    }

    /** Kind of {@link org.habeas.intake.ReadScope}: a request's case key. */
    private static final String CASE_KEY = "ledger.caseKey";

    public Optional<CaseKey> caseKey(UUID requestId) {
        return org.habeas.intake.ReadScope.one(CASE_KEY, requestId, this::storedCaseKey);
    }

    private Optional<CaseKey> storedCaseKey(UUID requestId) {
        return jdbc.sql("select case_id, salt, record_version from ledger_case where request_id = :r").param("r", requestId)
                .query((rs, i) -> new CaseKey(requestId, rs.getObject("case_id", UUID.class), rs.getBytes("salt"),
                        rs.getInt("record_version")))
                .optional();
    }
}
