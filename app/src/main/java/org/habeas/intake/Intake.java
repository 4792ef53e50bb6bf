package org.habeas.intake;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

import tools.jackson.databind.JsonNode;

/**
 * Receiving requests: validate, store as received, announce. Nothing is written unless every check passes,
 * and a request is acknowledged only after it is committed.
 */
@Service
public class Intake {

    /** What {@link #receive} did: stored a new request, or found the one stored under the same Idempotency-Key. */
    public record Receipt(ReceivedRequest request, boolean replayed) {
    }

    private final RequestValidator validator;
    private final RequestRepository requests;
    private final ApplicationEventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;

    Intake(RequestValidator validator, RequestRepository requests, ApplicationEventPublisher events,
            TransactionTemplate tx, Clock clock) {
        this.validator = validator;
        this.requests = requests;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Receives a Request v1 document now.
     *
     * @param idempotencyKey the client's Idempotency-Key, or {@code null}
     * @throws RequestRejected     if the body is not a valid Request v1
     * @throws IdempotencyConflict if the key was used before with a different body
     * @throws SignatureReplayed   if the same verified signature was accepted from the agency before
     */
    public Receipt receive(byte[] body, String idempotencyKey, Sender sender) {
        return receive(body, idempotencyKey, sender, clock.instant());
    }

    /** Kind of {@link ReadScope}: a request by id. */
    static final String REQUEST = "intake.request";

    /**
     * Checks a Request v1 document and reads it, without storing anything.
     *
     * @throws RequestRejected if the body is not a valid Request v1
     */
    public EvidenceRequest parse(byte[] body) {
        return check(body).read();
    }

    /** Kind of {@link ReadScope}: a request as the engine reads it, from the form stored. */
    private static final String READ = "intake.read";

    /** The stored request read as the engine reads it: as validation read it in this call, or read again. */
    public EvidenceRequest read(ReceivedRequest stored) {
        return ReadScope.one(READ, stored.id(),
                id -> Optional.of(validator.mapper().readValue(stored.body(), EvidenceRequest.class))).orElseThrow();
    }

    private Validation.Valid check(byte[] body) {
        return switch (validator.validate(body)) {
            case Validation.Valid v -> v;
            case Validation.Malformed m -> throw new RequestRejected(true, m.detail(), m.errors());
            case Validation.Invalid i -> throw new RequestRejected(false,
                    "The request is not a valid Request v1 document (" + i.errors().size() + " problem"
                            + (i.errors().size() == 1 ? "" : "s") + ").", i.errors());
        };
    }

    Receipt receive(byte[] body, String idempotencyKey, Sender sender, Instant receivedAt) {
        // at the database's precision, so that what this call remembers is what a later read gives
        Instant at = receivedAt.truncatedTo(java.time.temporal.ChronoUnit.MICROS);
        return ReadScope.within(() -> receiveOnce(body, idempotencyKey, sender, at));
    }

    private Receipt receiveOnce(byte[] body, String idempotencyKey, Sender sender, Instant receivedAt) {
        Validation.Valid valid = check(body);
        String sha256 = sha256(valid.canonical());
        if (idempotencyKey != null) {
            Optional<Receipt> earlier = replay(idempotencyKey, sha256, sender);
            if (earlier.isPresent()) {
                return earlier.get();
            }
        }
        ReceivedRequest stored = toRecord(valid.request(), valid.canonical(), sha256, receivedAt, sender);
        try {
            tx.executeWithoutResult(status -> {
                requests.insert(stored, idempotencyKey);
                remember(stored);
                ReadScope.put(READ, stored.id(), valid.read());
                Receiving receiving = new Receiving(stored.id());
                RECEIVING.set(receiving);
                try {
                    events.publishEvent(new RequestReceived(stored.id(), stored.receivedAt()));
                } finally {
                    RECEIVING.remove();
                }
                if (!receiving.assessed) {
                    // stored as assessed: a request the receiving transaction did not assess is not stored at all
                    throw new IllegalStateException("request " + stored.id() + " was not assessed when received");
                }
            });
        } catch (DuplicateKeyException race) {
            // another call with the same key committed first, or the same signed request was stored before
            Optional<Receipt> earlier = idempotencyKey == null ? Optional.empty() : replay(idempotencyKey, sha256, sender);
            if (earlier.isPresent()) {
                return earlier.get();
            }
            if (sender.signedSha256() != null
                    && requests.signedBefore(sender.agencyId(), sender.signatureJti(), sender.signedSha256())) {
                throw new SignatureReplayed();
            }
            throw race;
        } catch (org.habeas.web.Unavailable e) {
            if (!e.kept()) {
                throw e;
            }
            // stored, but not yet acknowledged by the public log: say where it is
            throw e.at("/api/v1/requests/" + stored.id(), "The request was stored as " + stored.id() + ", but the "
                    + "public log has not given it its index yet; it will, and nothing is lost. Read it at the "
                    + "Location, or retry with the same Idempotency-Key.");
        }
        return new Receipt(stored, false);
    }

    /** The request the same agency stored earlier under this key; another agency's keys are not seen at all. */
    private Optional<Receipt> replay(String idempotencyKey, String sha256, Sender sender) {
        return requests.findByIdempotencyKey(sender.agencyId(), idempotencyKey).map(earlier -> {
            if (!earlier.bodySha256().equals(sha256)) {
                throw new IdempotencyConflict(earlier.id());
            }
            try {
                events.publishEvent(new RequestReplayed(earlier.id()));
            } catch (org.habeas.web.Unavailable e) {
                throw e.at("/api/v1/requests/" + earlier.id(), "The request was stored as " + earlier.id()
                        + ", but the public log has not given it its index yet; it will, and nothing is lost. Read "
                        + "it at the Location, or retry with the same Idempotency-Key.");
            }
            return new Receipt(earlier, true);
        });
    }

    public Optional<ReceivedRequest> find(UUID id) {
        return ReadScope.one(REQUEST, id, requests::find);
    }

    /**
     * The request just stored, as a read of it gives it: without the signature's jti and signed hash, which are
     * not read back. A sender's receivedAt finer than the database keeps is left to be read.
     */
    private static void remember(ReceivedRequest r) {
        if (r.senderReceivedAt() != null && r.senderReceivedAt().getNano() % 1000 != 0) {
            return;
        }
        Sender s = r.sender();
        ReadScope.put(REQUEST, r.id(), new ReceivedRequest(r.id(), r.reference(), r.status(), r.receivedAt(),
                r.senderReceivedAt(), r.instrument(), r.channel(), r.measure(), r.requestingState(),
                r.requestedState(), r.emergency(), r.targetCount(), r.body(), r.bodySha256(),
                new Sender(s.agencyId(), s.submittedBy(), s.verification(), s.signatureKid(), null, null,
                        s.submittedRole())));
    }

    /** A request's identifiers (its targets' values), which those who may not see identifiers never receive. */
    public List<String> identifiers(UUID id) {
        return requests.find(id).map(r -> Redaction.identifiers(validator.mapper().readTree(r.body()))).orElse(List.of());
    }

    public Page<ReceivedRequest> list(RequestQuery query) {
        return requests.list(query);
    }

    /** {@link #list(RequestQuery)}, ordering by {@code due} when the query asks for deadline order. */
    public Page<ReceivedRequest> list(RequestQuery query, java.util.Map<UUID, java.time.Instant> due) {
        return requests.list(query, due);
    }

    /**
     * Removes a request's personal data after its retention period: the targets' identifiers, the facts, the
     * authority's contact details, and every attached document. The document's hash and the indexed fields stay.
     * Returns the number of documents removed.
     */
    public int purge(UUID id) {
        ReceivedRequest r = requests.find(id).orElseThrow();
        tools.jackson.databind.node.ObjectNode body = (tools.jackson.databind.node.ObjectNode)
                Redaction.withoutIdentifiers(validator.mapper().readTree(r.body()));
        body.put("facts", Redaction.WITHHELD);
        if (body.get("requestingAuthority") instanceof tools.jackson.databind.node.ObjectNode a) {
            a.remove("email");
            a.remove("phone");
        }
        if (body.get("emergency") instanceof tools.jackson.databind.node.ObjectNode e) {
            e.put("justification", Redaction.WITHHELD);
        }
        if (body.get("offence") instanceof tools.jackson.databind.node.ObjectNode o) {
            o.put("description", Redaction.WITHHELD);
        }
        requests.replaceBody(id, org.habeas.json.CanonicalJson.write(body));
        ReadScope.forget(REQUEST, id);
        return requests.deleteDocuments(id);
    }

    /**
     * The status a request is stored with. Receiving a request assesses it in the same transaction (the case moves
     * from {@code RECEIVED} to {@code ASSESSED} before the commit), so no one ever reads a stored request as
     * {@code RECEIVED}: it is written once with the status it commits with, instead of inserted and updated.
     */
    static final String STORED_STATUS = "ASSESSED";

    /** The request being received on this thread, while the receiving transaction's listeners run. */
    private static final ThreadLocal<Receiving> RECEIVING = new ThreadLocal<>();

    private static final class Receiving {
        final UUID id;
        boolean assessed;

        Receiving(UUID id) {
            this.id = id;
        }
    }

    /** Records the request's case state (the casework module owns it; intake keeps it for lists and filters). */
    public void setStatus(UUID id, String status) {
        Receiving receiving = RECEIVING.get();
        if (receiving != null && receiving.id.equals(id) && !receiving.assessed && status.equals(STORED_STATUS)) {
            // the status the request was stored with in this transaction: nothing to write
            receiving.assessed = true;
            return;
        }
        requests.setStatus(id, status);
        ReadScope.<ReceivedRequest>update(REQUEST, id, r -> new ReceivedRequest(r.id(), r.reference(), status,
                r.receivedAt(), r.senderReceivedAt(), r.instrument(), r.channel(), r.measure(), r.requestingState(),
                r.requestedState(), r.emergency(), r.targetCount(), r.body(), r.bodySha256(), r.sender()));
    }

    /** The ids of an agency's requests. */
    public List<UUID> idsFromAgency(UUID agencyId) {
        return requests.idsFromAgency(agencyId);
    }

    /** An agency's requests by status. */
    public java.util.Map<String, Long> countByStatus(UUID agencyId) {
        return requests.countByStatus(agencyId);
    }

    public long count() {
        return requests.count();
    }

    /** The values Request v1 allows for an enumerated top-level field, in schema order. */
    public List<String> allowedValues(String field) {
        return validator.allowedValues(field);
    }

    private static ReceivedRequest toRecord(JsonNode r, String canonical, String sha256, Instant receivedAt,
            Sender sender) {
        boolean emergency = r.has("emergency");
        return new ReceivedRequest(
                UUID.randomUUID(),
                r.path("reference").stringValue(),
                STORED_STATUS,
                receivedAt,
                instant(r.path("receivedAt")),
                r.path("instrument").stringValue(),
                r.path("channel").stringValue(),
                r.path("measure").stringValue(),
                r.path("requestingState").stringValue(),
                r.path("requestedState").stringValue(),
                emergency,
                r.path("targets").size(),
                canonical,
                sha256,
                sender);
    }

    private static Instant instant(JsonNode node) {
        if (!node.isString()) {
            return null;
        }
        try {
            return java.time.OffsetDateTime.parse(node.stringValue()).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    static String sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
