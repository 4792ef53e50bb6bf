package org.habeas.eevidence;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.casework.CaseState;
import org.habeas.casework.Cases;
import org.habeas.casework.Deadlines;
import org.habeas.intake.IdempotencyConflict;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestRejected;
import org.habeas.intake.Sender;
import org.habeas.law.Instrument;
import org.habeas.law.KnowledgeBase;
import org.w3c.dom.Element;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The messages that follow an order (TS 104 144 Table 5.1-1), each mapped to the case the order became:
 * <ul>
 * <li>{@code subsequentproduction} (Form 5): UPDATE of the LPTaskObjects to DesiredStatus SubsequentProductionRequest
 * and the Form 5 document; a production request for the preserved accounts, assessed like any other, whose decision
 * converts the hold.</li>
 * <li>{@code preservationextension} (Form 6): UPDATE of the LPTaskObjects (DesiredPreservationExpiration optional)
 * and the Form 6 document; the active hold runs longer by the law's extension, or to the expiration asked if
 * sooner.</li>
 * <li>{@code endpreservation}: UPDATE of the LPTaskObjects to DesiredStatus Cancelled; the hold is released (an
 * order not yet decided is withdrawn).</li>
 * <li>{@code newdeadline}: UPDATE of the LDTaskObjects with {@code task:Deadlines/task:LDDeadline/task:DateTime}
 * (TS 103 120 CR093); the case's response clock is set to it. The profile's own NewDeadlineObject has no published
 * schema and is answered 3001.</li>
 * <li>{@code groundsforrefusal}: CREATE of a DocumentObject of type No-, Partial- or FullGroundsForRefusal from the
 * issuing authority's sender or the enforcing authority (a sender of the receiver's own member state); recorded on
 * the case, and full grounds end an order not yet executed.</li>
 * <li>{@code correspondence}: CREATE of a DocumentObject of a correspondence type (EPOCAdditionalInfo objects with it
 * are kept in the message as received); it answers the case's open question when it provides additional
 * information, and is recorded on the case otherwise.</li>
 * <li>{@code deliverystatus}: UPDATE of a DeliveryObject Habeas delivered to DeliveryStatus Received or Error; a
 * receipt closes an executing case.</li>
 * </ul>
 * Each action is answered (UPDATEResponse, CREATEResponse); a fault names the element and refuses the whole message.
 */
final class Followups {

    /** What a follow-up did: the request it belongs to, the answers, the documents to keep, the objects created. */
    record Done(UUID requestId, List<Hi1Responses.Result> results, List<Epoc.Attachment> documents,
            List<Epoc.Created> created) {
    }

    static final Set<String> ENDPOINTS = Set.of("subsequentproduction", "preservationextension", "endpreservation",
            "newdeadline", "groundsforrefusal", "correspondence", "deliverystatus");

    static final Set<String> GROUNDS = Set.of("NoGroundsForRefusal", "PartialGroundsForRefusal", "FullGroundsForRefusal");
    static final Set<String> CORRESPONDENCE = Set.of("Maintain", "ProceedingToCourt", "RequestAdditionalInformation",
            "ProvideAdditionalInformation", "EnforcingAuthorityAgreesWithObjection",
            "EnforcingAuthorityDisagreesWithObjection", "EnforcementProceduresInitiated",
            "EnforcingAuthorityRecognizesOrder", "EnforcingAuthorityDoesNotRecogniseOrder", "OtherAttachment");

    private final Dictionaries dictionaries;
    private final EevidenceStore store;
    private final Cases cases;
    private final Deadlines deadlines;
    private final Intake intake;
    private final KnowledgeBase law;
    private final EevidenceProperties config;
    private final JsonMapper json = JsonMapper.builder().build();

    Followups(Dictionaries dictionaries, EevidenceStore store, Cases cases, Deadlines deadlines, Intake intake,
            KnowledgeBase law, EevidenceProperties config) {
        this.dictionaries = dictionaries;
        this.store = store;
        this.cases = cases;
        this.deadlines = deadlines;
        this.intake = intake;
        this.law = law;
        this.config = config;
    }

    /** Reads the message and applies it to its case; runs in the caller's transaction, which a fault rolls back. */
    Done apply(String endpoint, Hi1Message m, UUID agency) {
        return switch (endpoint) {
            case "subsequentproduction" -> subsequentProduction(m, agency);
            case "preservationextension" -> extension(m, agency);
            case "endpreservation" -> endPreservation(m, agency);
            case "newdeadline" -> newDeadline(m, agency);
            case "groundsforrefusal" -> correspondence(m, agency, GROUNDS, "grounds for refusal");
            case "correspondence" -> correspondence(m, agency, CORRESPONDENCE, "correspondence");
            case "deliverystatus" -> deliveryStatus(m, agency);
            default -> throw new IllegalArgumentException(endpoint);
        };
    }

    /** An object of an earlier order that the message UPDATEs. */
    private record Updated(Hi1Message.Action action, String objectId, String type, Element object, UUID requestId) {
    }

    /** A DocumentObject the message CREATEs, linked to an object of an earlier order. */
    private record NewDocument(Hi1Message.Action action, String objectId, String docType, UUID requestId,
            UUID orderAgency, Epoc.Attachment attachment) {
    }

    // --- Form 5 ---

    private Done subsequentProduction(Hi1Message m, UUID agency) {
        List<Updated> tasks = new ArrayList<>();
        List<NewDocument> docs = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            if ("UPDATE".equals(a.verb())) {
                Updated u = updated(a, agency, Set.of("LPTaskObject"), "a subsequent production request");
                desiredStatus(u, "ETSI/LPTaskDesiredStatus", "SubsequentProductionRequest");
                tasks.add(u);
            } else {
                docs.add(document(a, agency, Set.of("Form5", "OtherAttachment"), "a subsequent production request",
                        false));
            }
        }
        UUID preservation = oneRequest(m, tasks, docs, "LPTaskObject", "a subsequent production request");
        NewDocument form = form(docs, "Form5", tasks.getFirst().action());
        ReceivedRequest held = intake.find(preservation).orElseThrow();
        if (!"PRESERVATION".equals(held.measure())) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, tasks.getFirst().action().id(), "LPTaskObject "
                    + tasks.getFirst().objectId() + " is not a task of a preservation order.");
        }
        ObjectNode r = (ObjectNode) json.readTree(held.body());
        r.put("measure", "PRODUCTION");
        r.remove("preservationDays");
        String reference = held.reference() + " (Form 5)";
        r.put("reference", reference.length() > 200 ? reference.substring(0, 200) : reference);
        r.put("receivedAt", m.header().timestamp());
        String facts = "Subsequent production (EPOC, Form 5) of the data preserved under the EPOC-PR "
                + held.reference() + ". " + r.path("facts").stringValue("");
        r.put("facts", facts.length() > 20000 ? facts.substring(0, 20000) : facts);
        Sender sender = new Sender(agency, "eevidence " + m.header().sender(), "UNSIGNED", null);
        Intake.Receipt receipt;
        try {
            receipt = intake.receive(json.writeValueAsBytes(r), "eevidence:" + form.objectId(), sender);
        } catch (RequestRejected e) {
            StringBuilder d = new StringBuilder("The subsequent production cannot be taken as a request: ");
            e.errors().forEach(x -> d.append(x.pointer()).append(' ').append(x.detail()).append("; "));
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, form.action().id(), d.length() > 900 ? d.substring(0, 900)
                    : d.toString());
        } catch (IdempotencyConflict e) {
            throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, form.action().id(), "DocumentObject " + form.objectId()
                    + " exists already.");
        }
        if (receipt.replayed()) {
            throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, form.action().id(), "DocumentObject " + form.objectId()
                    + " exists already (received in another transaction).");
        }
        UUID production = receipt.request().id();
        cases.record(preservation, "SUBSEQUENT_PRODUCTION", "The issuing authority " + m.header().sender()
                + " asked for the preserved data to be produced (Form 5, transaction " + m.header().transactionId()
                + "): request " + production + ".");
        return done(production, m, tasks, docs);
    }

    // --- Form 6 ---

    private Done extension(Hi1Message m, UUID agency) {
        List<Updated> tasks = new ArrayList<>();
        List<NewDocument> docs = new ArrayList<>();
        OffsetDateTime sent = Hi1Message.instant(m.header().timestamp());
        OffsetDateTime desired = null;
        for (Hi1Message.Action a : m.actions()) {
            if ("UPDATE".equals(a.verb())) {
                Updated u = updated(a, agency, Set.of("LPTaskObject"), "a preservation extension");
                Optional<String> x = Hi1.text(u.object(), Hi1.TASK, "DesiredPreservationExpiration");
                if (x.isPresent()) {
                    OffsetDateTime t = EpocReader.qualified(x.get(), a.id(), "task:DesiredPreservationExpiration");
                    if (!t.isAfter(sent)) {
                        throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(),
                                "task:DesiredPreservationExpiration lies before the message's Timestamp.");
                    }
                    desired = desired == null || t.isBefore(desired) ? t : desired;
                }
                tasks.add(u);
            } else {
                docs.add(document(a, agency, Set.of("Form6", "OtherAttachment"), "a preservation extension", false));
            }
        }
        UUID request = oneRequest(m, tasks, docs, "LPTaskObject", "a preservation extension");
        form(docs, "Form6", tasks.getFirst().action());
        Hi1Message.Action first = tasks.getFirst().action();
        Deadlines.Hold hold = deadlines.hold(request).filter(h -> h.status().equals("ACTIVE")).orElseThrow(() ->
                new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, first.id(), "LPTaskObject " + tasks.getFirst().objectId()
                        + " has no active preservation hold to extend (" + describe(request) + ")."));
        Instrument.Preservation legal = law.instrument("EU_EEVIDENCE").map(Instrument::preservation).orElseThrow();
        LocalDate until = hold.expiresOn().plusDays(legal.extensionDays());
        String how = legal.extensionDays() + " days more, " + legal.source();
        if (desired != null) {
            LocalDate asked = desired.atZoneSameInstant(ZoneOffset.UTC).toLocalDate();
            if (!asked.isAfter(hold.expiresOn())) {
                throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, first.id(), "task:DesiredPreservationExpiration " + asked
                        + " does not lie after the hold's expiry " + hold.expiresOn() + ".");
            }
            if (asked.isBefore(until)) {
                until = asked;
                how = "as the issuing authority asked; the law allows up to " + legal.extensionDays() + " days more";
            } else if (asked.isAfter(until)) {
                how += "; the issuing authority asked for " + asked + ", longer than the law allows";
            }
        }
        if (!deadlines.extendHold(request, until, "Form 6 from " + m.header().sender() + ", transaction "
                + m.header().transactionId() + "; " + how)) {
            throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, first.id(), "The preservation hold of LPTaskObject "
                    + tasks.getFirst().objectId() + " changed while this message was read; send it again.");
        }
        return done(request, m, tasks, docs);
    }

    // --- end of preservation ---

    private Done endPreservation(Hi1Message m, UUID agency) {
        List<Updated> tasks = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            Updated u = updated(a, agency, Set.of("LPTaskObject", "AuthorisationObject"), "an end of preservation");
            if (u.type().equals("LPTaskObject")) {
                desiredStatus(u, "ETSI/LPTaskDesiredStatus", "Cancelled");
            } else {
                desiredStatus(u, "ETSI/AuthorisationDesiredStatus", "Cancelled");
            }
            tasks.add(u);
        }
        if (tasks.stream().noneMatch(t -> t.type().equals("LPTaskObject"))) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "An end of preservation UPDATEs the LPTaskObjects to "
                    + "task:DesiredStatus Cancelled; the message has none.");
        }
        UUID request = oneRequest(m, tasks, List.of(), "LPTaskObject", "an end of preservation");
        Hi1Message.Action first = tasks.getFirst().action();
        String reason = "Ended by the issuing authority (" + m.header().sender() + ", transaction "
                + m.header().transactionId() + ") over ETSI TS 103 120.";
        if (!deadlines.releaseHold(request, reason)) {
            CaseState state = cases.find(request).map(Cases.Case::state).orElseThrow();
            if (!state.open() || state == CaseState.EXECUTING || state == CaseState.DECIDED) {
                throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, first.id(), "LPTaskObject " + tasks.getFirst().objectId()
                        + " has no active preservation hold to end (" + describe(request) + ").");
            }
            try {
                Withdrawal.as(m.header(), agency, () -> cases.withdraw(request, reason));
            } catch (Cases.Refused e) {
                throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, first.id(), "The preservation cannot be ended: "
                        + e.getMessage() + ".");
            }
        }
        return done(request, m, tasks, List.of());
    }

    // --- new deadline ---

    private Done newDeadline(Hi1Message m, UUID agency) {
        List<Updated> tasks = new ArrayList<>();
        OffsetDateTime sent = Hi1Message.instant(m.header().timestamp());
        OffsetDateTime due = null;
        for (Hi1Message.Action a : m.actions()) {
            if (!"UPDATE".equals(a.verb())) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), a.verb() + " is not part of a new deadline as Habeas "
                        + "reads it: the LDTaskObjects are UPDATEd with task:Deadlines/task:LDDeadline/task:DateTime "
                        + "(the profile's NewDeadlineObject has no published schema).");
            }
            Updated u = updated(a, agency, Set.of("LDTaskObject"), "a new deadline");
            List<Element> given = Hi1.path(u.object(), Hi1.TASK, "Deadlines")
                    .map(d -> Hi1.children(d, Hi1.TASK, "LDDeadline")).orElse(List.of());
            if (given.isEmpty()) {
                throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                        "task:Deadlines/task:LDDeadline is missing: a new deadline gives one.");
            }
            for (Element d : given) {
                String text = Hi1.text(d, Hi1.TASK, "DateTime").orElseThrow(() -> new Hi1Fault(
                        Hi1Fault.REQUIRED_MISSING, a.id(), "task:Deadlines/task:LDDeadline/task:DateTime is missing."));
                OffsetDateTime t = EpocReader.qualified(text, a.id(), "task:Deadlines/task:LDDeadline/task:DateTime");
                if (!t.isAfter(sent)) {
                    throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(),
                            "task:Deadlines/task:LDDeadline/task:DateTime lies before the message's Timestamp.");
                }
                due = due == null || t.isBefore(due) ? t : due;
            }
            tasks.add(u);
        }
        UUID request = oneRequest(m, tasks, List.of(), "LDTaskObject", "a new deadline");
        Cases.Case c = cases.find(request).orElseThrow();
        if (!c.state().open() || c.state() == CaseState.EXECUTING) {
            throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, tasks.getFirst().action().id(), "LDTaskObject "
                    + tasks.getFirst().objectId() + " belongs to an order no longer waiting for an answer ("
                    + describe(request) + ").");
        }
        deadlines.setResponseDue(request, due.toInstant(), "set by the issuing authority " + m.header().sender()
                + " on /eevidence/newdeadline, transaction " + m.header().transactionId());
        return done(request, m, tasks, List.of());
    }

    // --- grounds for refusal, correspondence ---

    private Done correspondence(Hi1Message m, UUID agency, Set<String> types, String what) {
        List<NewDocument> docs = new ArrayList<>();
        List<Hi1Responses.Result> extra = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            if ("CREATE".equals(a.verb()) && Hi1.xsiType(a.object()).map(t -> t[1]).filter("EPOCAdditionalInfo"::equals)
                    .isPresent() && what.equals("correspondence")) {
                // no published schema: kept in the message as received, answered as created
                extra.add(Hi1Responses.Result.ok(a.id(), "CREATE", EpocReader.objectId(a.object(), a.id())));
                continue;
            }
            docs.add(document(a, agency, types, what, m.header().senderCountry().equals(config.receiverCountry())));
        }
        if (docs.isEmpty()) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "The message carries no doc:DocumentObject: "
                    + what + " is a document.");
        }
        UUID request = docs.getFirst().requestId();
        for (NewDocument d : docs) {
            if (!d.requestId().equals(request)) {
                throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, d.action().id(), "The documents of one message belong to "
                        + "one order.");
            }
        }
        Hi1Message.Header h = m.header();
        for (NewDocument d : docs) {
            String label = label(d.docType());
            if (what.equals("grounds for refusal")) {
                cases.record(request, "GROUNDS_FOR_REFUSAL", label + ", from " + h.sender() + " (transaction "
                        + h.transactionId() + "); the decision is kept as " + d.attachment().name() + ".");
                if (d.docType().equals("FullGroundsForRefusal")) {
                    CaseState state = cases.find(request).map(Cases.Case::state).orElseThrow();
                    if (state.open() && state != CaseState.EXECUTING) {
                        Withdrawal.as(h, d.orderAgency(), () -> cases.withdraw(request, "The enforcing authority "
                                + h.sender() + " raised full grounds for refusal: the order is not executed."));
                    }
                }
            } else if (d.docType().equals("ProvideAdditionalInformation") && d.orderAgency().equals(agency)
                    && cases.find(request).map(Cases.Case::state).orElseThrow() == CaseState.AWAITING_REQUESTER) {
                Withdrawal.as(h, agency, () -> cases.answer(request, "The issuing authority provided additional "
                        + "information over ETSI TS 103 120 (transaction " + h.transactionId() + "), kept as "
                        + d.attachment().name() + "."));
            } else {
                cases.record(request, "CORRESPONDENCE", label + ", from " + h.sender() + " (transaction "
                        + h.transactionId() + "), kept as " + d.attachment().name() + ".");
            }
        }
        Done done = done(request, m, List.of(), docs);
        List<Hi1Responses.Result> results = new ArrayList<>(done.results());
        results.addAll(extra);
        results.sort((x, y) -> Integer.compare(Integer.parseInt(x.actionId()), Integer.parseInt(y.actionId())));
        return new Done(request, List.copyOf(results), done.documents(), done.created());
    }

    // --- delivery status ---

    private Done deliveryStatus(Hi1Message m, UUID agency) {
        List<Updated> deliveries = new ArrayList<>();
        Set<String> statuses = new LinkedHashSet<>();
        for (Hi1Message.Action a : m.actions()) {
            Updated u = updated(a, agency, Set.of("DeliveryObject"), "a delivery status");
            String status = dictionaries.read(Hi1.child(u.object(), Hi1.DELIVERY, "DeliveryStatus").orElse(null), a.id(),
                    "delivery:DeliveryStatus", List.of("ETSI/DeliveryStatus")).orElseThrow(() -> new Hi1Fault(
                            Hi1Fault.REQUIRED_MISSING, a.id(), "delivery:DeliveryStatus is missing.")).value();
            statuses.add(status);
            deliveries.add(u);
        }
        UUID request = oneRequest(m, deliveries, List.of(), "DeliveryObject", "a delivery status");
        Hi1Message.Header h = m.header();
        if (statuses.contains("Error")) {
            cases.record(request, "DELIVERY_FAILED", "The requesting authority " + h.sender() + " reports that a "
                    + "delivery could not be received (transaction " + h.transactionId() + ").");
        } else if (cases.find(request).map(Cases.Case::state).orElseThrow() == CaseState.EXECUTING) {
            Withdrawal.as(h, agency, () -> cases.closeOnReceipt(request));
        } else {
            cases.record(request, "DELIVERY_RECEIVED", "The requesting authority " + h.sender() + " reports the "
                    + "delivery received (transaction " + h.transactionId() + ").");
        }
        return done(request, m, deliveries, List.of());
    }

    // --- reading ---

    private Updated updated(Hi1Message.Action a, UUID agency, Set<String> types, String what) {
        if (!"UPDATE".equals(a.verb())) {
            throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), a.verb() + " is not part of " + what + ": it UPDATEs "
                    + String.join(" or ", new java.util.TreeSet<>(types)) + ".");
        }
        Element o = a.object();
        String id = EpocReader.objectId(o, a.id());
        String type = Hi1.xsiType(o).map(t -> t[1]).orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                "UPDATE/HI1Object has no xsi:type."));
        if (!types.contains(type)) {
            throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), what + " UPDATEs " + String.join(" or ",
                    new java.util.TreeSet<>(types)) + ", not a " + type + ".");
        }
        for (Element child : Hi1.elements(o)) {
            String name = child.getLocalName();
            if (!type.equals("DeliveryObject") && (name.equals("Status") || name.equals("AuthorisationStatus")
                    || name.equals("DocumentStatus"))) {
                throw new Hi1Fault(Hi1Fault.VALUE_CHANGE_NOT_ALLOWED, a.id(), (child.getPrefix() == null ? name
                        : child.getPrefix() + ":" + name) + " is set by the receiver only (TS 103 120).");
            }
        }
        Optional<EevidenceStore.Known> known = store.known(id);
        if (known.isEmpty() || !agency.equals(known.get().agencyId()) || !known.get().type().equals(type)) {
            throw new Hi1Fault(Hi1Fault.UPDATE_OBJECT_MISSING, a.id(), type + " " + id + " does not exist.");
        }
        return new Updated(a, id, type, o, known.get().requestId());
    }

    private void desiredStatus(Updated u, String dictionary, String wanted) {
        String prefix = u.type().equals("AuthorisationObject") ? "auth:AuthorisationDesiredStatus" : "task:DesiredStatus";
        Element e = u.type().equals("AuthorisationObject")
                ? Hi1.child(u.object(), Hi1.AUTH, "AuthorisationDesiredStatus").orElse(null)
                : Hi1.child(u.object(), Hi1.TASK, "DesiredStatus").orElse(null);
        String value = dictionaries.read(e, u.action().id(), prefix, List.of(dictionary)).orElseThrow(() ->
                new Hi1Fault(Hi1Fault.REQUIRED_MISSING, u.action().id(), prefix + " is missing: it is " + wanted
                        + " here.")).value();
        if (!wanted.equals(value)) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, u.action().id(), prefix + " is " + value + "; it is " + wanted
                    + " here.");
        }
    }

    /**
     * A DocumentObject CREATEd with a follow-up, linked by AssociatedObjects to an object of an earlier order of the
     * sender, or (when {@code enforcingAuthority}) of any order if the sender is of the receiver's member state.
     */
    private NewDocument document(Hi1Message.Action a, UUID agency, Set<String> types, String what,
            boolean enforcingAuthority) {
        if (!"CREATE".equals(a.verb())) {
            throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), a.verb() + " is not part of " + what
                    + " as Habeas reads it.");
        }
        Element d = a.object();
        String[] type = Hi1.xsiType(d).orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                "CREATE/HI1Object has no xsi:type."));
        if (!Hi1.DOC.equals(type[0]) || !"DocumentObject".equals(type[1])) {
            throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), what + " CREATEs a doc:DocumentObject, not a "
                    + type[1] + ".");
        }
        String id = EpocReader.objectId(d, a.id());
        if (!store.existingObjects(List.of(id)).isEmpty()) {
            throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, a.id(), "DocumentObject " + id + " exists already.");
        }
        EevidenceStore.Known linked = null;
        for (Element x : Hi1.path(d, Hi1.CORE, "AssociatedObjects").map(o -> Hi1.children(o, Hi1.CORE,
                "AssociatedObject")).orElse(List.of())) {
            Optional<EevidenceStore.Known> k = store.known(x.getTextContent().strip());
            if (k.isPresent() && (k.get().agencyId().equals(agency) || enforcingAuthority)) {
                linked = k.get();
                break;
            }
        }
        if (linked == null) {
            throw new Hi1Fault(Hi1Fault.LINK_TARGET_MISSING, a.id(), "AssociatedObjects/AssociatedObject must name "
                    + "the AuthorisationObject of an order this receiver holds from the sender.");
        }
        String docType = dictionaries.read(Hi1.child(d, Hi1.DOC, "DocumentType").orElse(null), a.id(),
                "doc:DocumentType", List.of("ETSI/EPOCDocumentType")).orElseThrow(() -> new Hi1Fault(
                        Hi1Fault.REQUIRED_MISSING, a.id(), "doc:DocumentType is missing.")).value();
        if (!types.contains(docType)) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(), "doc:DocumentType " + docType + " is not part of "
                    + what + " (" + String.join(", ", new java.util.TreeSet<>(types)) + ").");
        }
        Epoc.Attachment body = EpocReader.body(d, a.id(), docType, false);
        return new NewDocument(a, id, docType, linked.requestId(), linked.agencyId(), body);
    }

    private static NewDocument form(List<NewDocument> docs, String formType, Hi1Message.Action first) {
        List<NewDocument> forms = docs.stream().filter(d -> d.docType().equals(formType)).toList();
        if (forms.isEmpty()) {
            throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, first.id(), "The message carries no doc:DocumentObject with "
                    + "doc:DocumentType " + formType + ": the signed form is the order itself.");
        }
        if (forms.size() > 1) {
            throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, forms.get(1).action().id(), "The message carries a second "
                    + formType + ".");
        }
        return forms.getFirst();
    }

    /** The one request every updated object and every document of the message belongs to. */
    private static UUID oneRequest(Hi1Message m, List<Updated> updated, List<NewDocument> docs, String required,
            String what) {
        if (updated.isEmpty()) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, what + " UPDATEs the order's " + required
                    + "s; the message has none.");
        }
        UUID request = updated.getFirst().requestId();
        for (Updated u : updated) {
            if (!u.requestId().equals(request)) {
                throw new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, u.action().id(), "The objects of one message belong to "
                        + "one order.");
            }
        }
        for (NewDocument d : docs) {
            if (!d.requestId().equals(request)) {
                throw new Hi1Fault(Hi1Fault.LINK_TARGET_MISSING, d.action().id(), "AssociatedObjects/AssociatedObject "
                        + "must name an object of the order the message updates.");
            }
        }
        return request;
    }

    private Done done(UUID request, Hi1Message m, List<Updated> updated, List<NewDocument> docs) {
        List<Hi1Responses.Result> results = new ArrayList<>();
        for (Hi1Message.Action a : m.actions()) {
            updated.stream().filter(u -> u.action() == a).findFirst()
                    .ifPresent(u -> results.add(Hi1Responses.Result.ok(a.id(), "UPDATE", u.objectId())));
            docs.stream().filter(d -> d.action() == a).findFirst()
                    .ifPresent(d -> results.add(Hi1Responses.Result.ok(a.id(), "CREATE", d.objectId())));
        }
        return new Done(request, results, docs.stream().map(NewDocument::attachment).toList(), docs.stream()
                .map(d -> new Epoc.Created(d.action().id(), d.objectId(), "DocumentObject", d.docType())).toList());
    }

    private String describe(UUID request) {
        return cases.find(request).map(c -> "the case is " + c.state().name().toLowerCase(java.util.Locale.ROOT)
                .replace('_', ' ')).orElse("the order has no case");
    }

    private static String label(String docType) {
        return docType.replaceAll("([a-z])([A-Z])", "$1 $2");
    }
}
