package org.habeas.eevidence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.intake.Documents;
import org.habeas.intake.IdempotencyConflict;
import org.habeas.intake.Intake;
import org.habeas.intake.RequestRejected;
import org.habeas.intake.Sender;
import org.habeas.law.KnowledgeBase;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

import tools.jackson.databind.json.JsonMapper;

/**
 * Receives one HI-1 message on an e-Evidence endpoint and answers it. The caller is its client certificate: a
 * certificate no member state's issuer signed is refused before anything is read. An EPOC or EPOC-PR becomes one
 * request, stored with the message exactly as received and the signed form as its documents, in one transaction:
 * a message is applied whole or not at all, and a repeated message is answered as the first time.
 */
@Service
public class EevidenceReceiver {

    private static final Logger LOG = LoggerFactory.getLogger(EevidenceReceiver.class);

    /** The profile's inbound endpoints (TS 104 144 Table 5.1-1). */
    static final Set<String> ENDPOINTS = Set.of("production", "preservation", "subsequentproduction",
            "preservationextension", "endpreservation", "newdeadline", "withdraw", "groundsforrefusal",
            "correspondence", "deliverystatus", "config");

    /** The answer: an HTTP status (200 for every HI-1 outcome) and the body. */
    public record Answer(int status, String body) {
    }

    private final EevidenceProperties config;
    private final MemberStates states;
    private final Optional<Hi1Schemas> schemas;
    private final Hi1Responses responses;
    private final EpocReader reader;
    private final Followups followups;
    private final Signatures signatures;
    private final Dictionaries dictionaries;
    private final org.habeas.casework.Cases cases;
    private final EevidenceStore store;
    private final Intake intake;
    private final Documents documents;
    private final Agencies agencies;
    private final AccessRecord access;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    EevidenceReceiver(EevidenceProperties config, MemberStates states, EevidenceStore store, Intake intake,
            Documents documents, Agencies agencies, AccessRecord access, KnowledgeBase law, TransactionTemplate tx,
            Clock clock, org.habeas.casework.Cases cases, org.habeas.casework.Deadlines deadlines) {
        this.config = config;
        this.states = states;
        this.schemas = Hi1Schemas.load(config.schemas());
        this.schemas.ifPresentOrElse(
                s -> LOG.info("e-Evidence: messages are validated against the TS 103 120 schemas: {}", s.sources()),
                () -> LOG.info("e-Evidence: no TS 103 120 schema folder (habeas.eevidence.schemas); messages are "
                        + "checked by Habeas's own reading only"));
        this.responses = new Hi1Responses(clock, config);
        int preservationDays = law.instrument("EU_EEVIDENCE").map(i -> i.preservation().days())
                .orElseThrow(() -> new IllegalStateException("the law data has no EU_EEVIDENCE preservation period"));
        this.dictionaries = Dictionaries.bundled();
        this.reader = new EpocReader(dictionaries, preservationDays);
        this.signatures = new Signatures(config.memberStates());
        this.followups = new Followups(dictionaries, store, cases, deadlines, intake, law, config);
        this.cases = cases;
        this.store = store;
        this.intake = intake;
        this.documents = documents;
        this.agencies = agencies;
        this.access = access;
        this.tx = tx;
        this.clock = clock;
    }

    /** Binds a member state's sender identifier (the HI-1 header's SenderIdentifier) to a registered agency. */
    public void bind(String country, String identifier, UUID agencyId) {
        store.bind(country, identifier, agencyId, clock.instant());
    }

    /** Whether the endpoint is one of the profile's. */
    public boolean knows(String endpoint) {
        return ENDPOINTS.contains(endpoint);
    }

    public Answer receive(String endpoint, byte[] body, X509Certificate[] chain) {
        Optional<String> state = states.stateOf(chain);
        if (state.isEmpty()) {
            String who = chain == null || chain.length == 0 ? "(no client certificate)"
                    : chain[0].getSubjectX500Principal().getName();
            access.record("eevidence", null, "EEVIDENCE_REFUSED", who, "no member state's issuer signed the client "
                    + "certificate; /eevidence/" + endpoint);
            return new Answer(403, null);
        }
        Element header = null;
        try {
            if (body.length > config.maxMessageBytes()) {
                throw Hi1Fault.message(Hi1Fault.TOO_LARGE, "The message is larger than " + config.maxMessageBytes()
                        + " bytes.");
            }
            Document doc = Hi1.parse(body, config.maxDepth());
            header = Hi1.child(doc.getDocumentElement(), Hi1.CORE, "Header").orElse(null);
            schemas.ifPresent(s -> s.validate(doc));
            Hi1Message m = Hi1Message.read(doc, config);
            UUID agency = sender(m.header(), state.get(), endpoint);
            Signatures.Checked signed;
            try {
                signed = signatures.check(doc, state.get());
            } catch (Hi1Fault f) {
                access.record("eevidence " + m.header().sender(), null, "EEVIDENCE_REFUSED", m.header().sender(),
                        f.getMessage() + " /eevidence/" + endpoint);
                throw f;
            }
            return new Answer(200, dispatch(endpoint, body, m, agency, signed));
        } catch (Hi1Fault f) {
            return new Answer(200, f.action() == null ? responses.message(header, f) : refusedActions(header, body, f));
        }
    }

    /** The agency the message comes from: its certificate's state must be the header's, the sender bound. */
    private UUID sender(Hi1Message.Header h, String certificateState, String endpoint) {
        if (!h.senderCountry().equals(certificateState)) {
            access.record("eevidence " + h.sender(), null, "EEVIDENCE_REFUSED", h.sender(), "the client certificate is "
                    + certificateState + "'s, the header names " + h.senderCountry() + "; /eevidence/" + endpoint);
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "Header/SenderIdentifier/CountryCode " + h.senderCountry()
                    + " is not the member state of the client certificate.");
        }
        UUID agencyId = store.agencyOf(h.senderCountry(), h.senderIdentifier()).orElse(null);
        Agency agency = agencyId == null ? null : agencies.find(agencyId).orElse(null);
        if (agency == null) {
            access.record("eevidence " + h.sender(), null, "EEVIDENCE_REFUSED", h.sender(),
                    "the sender is not bound to a registered agency; /eevidence/" + endpoint);
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "Header/SenderIdentifier " + h.sender()
                    + " is not a sender registered with this receiver.");
        }
        if (!agency.active()) {
            throw Hi1Fault.message(Hi1Fault.BUSINESS_LOGIC, "Header/SenderIdentifier " + h.sender()
                    + " belongs to an agency whose requests are suspended by the operator of this receiver.");
        }
        return agency.id();
    }

    private String dispatch(String endpoint, byte[] body, Hi1Message m, UUID agency, Signatures.Checked signed) {
        if (m.actions().stream().allMatch(a -> "GETCSPCONFIG".equals(a.verb()))) {
            return responses.actions(m.header().element(), m.actions().stream()
                    .map(a -> Hi1Responses.Result.ok(a.id(), "GETCSPCONFIG", "2026-08-18T00:00:00Z")).toList());
        }
        Epoc.Kind kind = switch (endpoint) {
            case "production" -> Epoc.Kind.PRODUCTION;
            case "preservation" -> Epoc.Kind.PRESERVATION;
            case "config" -> throw Hi1Fault.message(Hi1Fault.NOT_SUPPORTED, "/eevidence/config answers GETCSPCONFIG "
                    + "only.");
            default -> null;
        };
        String sha256 = sha256(body);
        Hi1Message.Header h = m.header();
        Optional<EevidenceStore.Earlier> earlier = store.earlier(h.senderCountry(), h.senderIdentifier(), h.transactionId());
        if (earlier.isPresent()) {
            return replay(earlier.get(), sha256, h, endpoint);
        }
        try {
            if (kind == null) {
                return tx.execute(status -> "withdraw".equals(endpoint) ? withdraw(body, sha256, m, agency)
                        : followup(endpoint, body, sha256, m, agency));
            }
            Epoc epoc = reader.read(m, kind);
            return tx.execute(status -> store(endpoint, body, sha256, m, epoc, agency, signed));
        } catch (DuplicateKeyException | org.springframework.dao.ConcurrencyFailureException race) {
            // the same transaction taken by a concurrent call: answer as it was answered, once it has committed
            for (int i = 0; i < 50; i++) {
                Optional<EevidenceStore.Earlier> done = store.earlier(h.senderCountry(), h.senderIdentifier(),
                        h.transactionId());
                if (done.isPresent()) {
                    return replay(done.get(), sha256, h, endpoint);
                }
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            throw Hi1Fault.message(Hi1Fault.TRANSIENT, "The same message is being received on another call; "
                    + "send it again to have its answer.");
        }
    }

    private String withdraw(byte[] body, String sha256, Hi1Message m, UUID agency) {
        Hi1Message.Header h = m.header();
        UUID messageId = store.claim(h.senderCountry(), h.senderIdentifier(), h.transactionId(), "withdraw", sha256,
                clock.instant());
        Withdrawal.Asked asked = Withdrawal.read(m, dictionaries, store, agency);
        Withdrawal.withdraw(cases, asked, h, agency);
        attach(asked.requestId(), "HI1-withdraw-" + h.transactionId() + ".xml", "application/xml", body, null);
        String response = responses.actions(h.element(), asked.results());
        store.answered(messageId, asked.requestId(), response);
        return response;
    }

    private String followup(String endpoint, byte[] body, String sha256, Hi1Message m, UUID agency) {
        Hi1Message.Header h = m.header();
        UUID messageId = store.claim(h.senderCountry(), h.senderIdentifier(), h.transactionId(), endpoint, sha256,
                clock.instant());
        Followups.Done done = followups.apply(endpoint, m, agency);
        attach(done.requestId(), "HI1-" + endpoint + "-" + h.transactionId() + ".xml", "application/xml", body, null);
        for (Epoc.Attachment a : done.documents()) {
            attach(done.requestId(), a.name(), a.contentType(), a.content(), a.actionId());
        }
        for (Epoc.Created c : done.created()) {
            store.object(c.objectId(), done.requestId(), c.objectType(), c.reference(), c.values());
        }
        String response = responses.actions(h.element(), done.results());
        store.answered(messageId, done.requestId(), response);
        return response;
    }

    private String replay(EevidenceStore.Earlier e, String sha256, Hi1Message.Header h, String endpoint) {
        if (!e.endpoint().equals(endpoint)) {
            throw Hi1Fault.message(Hi1Fault.BUSINESS_LOGIC, "Header/TransactionIdentifier " + h.transactionId()
                    + " was used before by " + h.sender() + " on /eevidence/" + e.endpoint() + ".");
        }
        if (!e.sha256().equals(sha256)) {
            throw Hi1Fault.message(Hi1Fault.BUSINESS_LOGIC, "Header/TransactionIdentifier " + h.transactionId()
                    + " was used before by " + h.sender() + " for another message.");
        }
        return e.response();
    }

    private String store(String endpoint, byte[] body, String sha256, Hi1Message m, Epoc epoc, UUID agency,
            Signatures.Checked signed) {
        Hi1Message.Header h = m.header();
        UUID messageId = store.claim(h.senderCountry(), h.senderIdentifier(), h.transactionId(), endpoint, sha256,
                clock.instant());
        List<String> ids = epoc.created().stream().map(Epoc.Created::objectId).toList();
        List<String> existing = store.existingObjects(ids);
        for (Epoc.Created c : epoc.created()) {
            if (existing.contains(c.objectId())) {
                throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, c.actionId(), c.objectType() + " " + c.objectId()
                        + " exists already.");
            }
        }
        String authAction = epoc.created().stream().filter(c -> c.objectId().equals(epoc.authorisationId()))
                .findFirst().orElseThrow().actionId();
        Sender sender = new Sender(agency, "eevidence " + h.sender(), signed.verification(), signed.signer());
        Intake.Receipt receipt;
        try {
            receipt = intake.receive(json.writeValueAsBytes(fitted(epoc.request())), "eevidence:"
                    + epoc.authorisationId(), sender);
        } catch (RequestRejected e) {
            StringBuilder d = new StringBuilder("The order cannot be taken as a request: ");
            e.errors().forEach(x -> d.append(x.pointer()).append(' ').append(x.detail()).append("; "));
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, authAction, d.length() > 900 ? d.substring(0, 900) : d.toString());
        } catch (IdempotencyConflict e) {
            throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, authAction, "AuthorisationObject " + epoc.authorisationId()
                    + " exists already.");
        }
        if (receipt.replayed()) {
            throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, authAction, "AuthorisationObject " + epoc.authorisationId()
                    + " exists already (received in another transaction).");
        }
        UUID requestId = receipt.request().id();
        attach(requestId, "HI1-" + endpoint + "-" + h.transactionId() + ".xml", "application/xml", body, null);
        for (Epoc.Attachment a : epoc.documents()) {
            attach(requestId, a.name(), a.contentType(), a.content(), a.actionId());
        }
        // the signed form (first): its signature checked against the state's signers and kept, never a refusal
        epoc.documents().stream().findFirst().ifPresent(form -> store.formSignature(requestId, form.name(),
                FormSignatures.check(form.content(), signatures.signers(h.senderCountry()))));
        for (Epoc.Created c : epoc.created()) {
            store.object(c.objectId(), requestId, c.objectType(), c.reference(), c.values());
        }
        List<Hi1Responses.Result> results = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            String objectId = epoc.created().stream().filter(c -> c.actionId().equals(a.id())).findFirst()
                    .orElseThrow().objectId();
            results.add(Hi1Responses.Result.ok(a.id(), "CREATE", objectId));
        }
        String response = responses.actions(h.element(), results);
        store.answered(messageId, requestId, response);
        return response;
    }

    /**
     * The request with the authority's e-mail address or telephone number moved into the facts when Request v1
     * would refuse them as contact fields: a contact detail in an unusual form never stops an order.
     */
    private tools.jackson.databind.node.ObjectNode fitted(tools.jackson.databind.node.ObjectNode request) {
        try {
            intake.parse(json.writeValueAsBytes(request));
            return request;
        } catch (RequestRejected e) {
            tools.jackson.databind.node.ObjectNode authority = (tools.jackson.databind.node.ObjectNode)
                    request.get("requestingAuthority");
            StringBuilder facts = new StringBuilder(request.path("facts").stringValue());
            for (String field : List.of("email", "phone")) {
                if (e.errors().stream().anyMatch(x -> x.pointer().equals("/requestingAuthority/" + field))) {
                    facts.append(" Contact (").append(field).append("): ")
                            .append(authority.remove(field).stringValue()).append('.');
                }
            }
            request.put("facts", facts.length() > 20000 ? facts.substring(0, 20000) : facts.toString());
            return request;
        }
    }

    private void attach(UUID requestId, String name, String type, byte[] content, String action) {
        try {
            documents.attach(requestId, name, type, content).orElseThrow();
        } catch (Documents.Refused e) {
            if (action == null) {
                throw e;
            }
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, "doc:DocumentBody/doc:Contents: " + e.getMessage());
        }
    }

    private String refusedActions(Element header, byte[] body, Hi1Fault f) {
        // every action of the message is answered: read their identifiers again (the message parsed, or f has none)
        List<String> ids = new ArrayList<>();
        try {
            Document doc = Hi1.parse(body, config.maxDepth());
            Hi1.path(doc.getDocumentElement(), Hi1.CORE, "Payload", Hi1.CORE, "RequestPayload", Hi1.CORE,
                    "ActionRequests").ifPresent(r -> Hi1.children(r, Hi1.CORE, "ActionRequest").forEach(a -> Hi1
                    .text(a, Hi1.CORE, "ActionIdentifier").ifPresent(id -> ids.add(String.valueOf(Integer.parseInt(id))))));
        } catch (RuntimeException e) {
            return responses.message(header, f);
        }
        if (!ids.contains(f.action())) {
            return responses.message(header, f);
        }
        return responses.refused(header, ids.stream().distinct().toList(), f);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
