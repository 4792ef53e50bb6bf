package org.habeas.eevidence;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

import org.w3c.dom.Element;

import inet.ipaddr.IPAddressString;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads Form 1 (EPOC) and Form 2 (EPOC-PR) as the e-Evidence profile carries them: one AuthorisationObject, one
 * task per identifier, the DocumentObject with the signed form, each a CREATE. Makes of them one Request v1
 * document; what the profile does not structure (the offence, the grounds) stays in the form, which the request
 * keeps as its legal document, and the facts say so.
 */
final class EpocReader {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Set<String> ETSI_NAMESPACES = Set.of(Hi1.AUTH, Hi1.TASK, Hi1.DOC, Hi1.NOTIFICATION,
            Hi1.DELIVERY, Hi1.CORE);
    private static final Map<String, String> ROLES = Map.of(
            "JudgeCourtOrInvestigatingJudge", "JUDGE",
            "PublicProsecutor", "PROSECUTOR",
            "OtherCompetentAuthority", "OTHER");
    private static final Map<String, List<String>> CATEGORIES = Map.of(
            "SubscriberData", List.of("SUBSCRIBER"),
            "UserIdentifyingData", List.of("IDENTIFICATION"),
            "SubscriberDataAndUserIdentifyingData", List.of("SUBSCRIBER", "IDENTIFICATION"),
            "TrafficData", List.of("TRAFFIC"),
            "StoredContentData", List.of("CONTENT"),
            "TrafficDataAndStoredContentData", List.of("TRAFFIC", "CONTENT"));

    /** TS 103 280 identifier types Habeas reads, with the Request v1 target type and the type's pattern. */
    private record Format(String target, Pattern pattern) {
    }

    private static final Map<String, Format> FORMATS = formats();

    private static Map<String, Format> formats() {
        Map<String, Format> f = new LinkedHashMap<>();
        f.put("InternationalE164", new Format("PHONE", Pattern.compile("[0-9]{1,15}")));
        f.put("InternationalizedEmailAddress", new Format("EMAIL", Pattern.compile("[^@\\s]+@[^@\\s]+")));
        f.put("EmailAddress", new Format("EMAIL", Pattern.compile("[^@\\s]+@[^@\\s]+")));
        f.put("IMEI", new Format("DEVICE", Pattern.compile("[0-9]{14}")));
        f.put("IMEICheckDigit", new Format("DEVICE", Pattern.compile("[0-9]{15}")));
        f.put("IMSI", new Format("DEVICE", Pattern.compile("[0-9]{6,15}")));
        f.put("MACAddress", new Format("DEVICE", Pattern.compile("([a-f0-9]{2}:){5}[a-f0-9]{2}")));
        f.put("IPv4Address", new Format("IP", null));
        f.put("IPV4Address", new Format("IP", null));
        f.put("IPv6Address", new Format("IP", null));
        f.put("IPV6Address", new Format("IP", null));
        f.put("IPv4CIDR", new Format("IP", null));
        f.put("IPv6CIDR", new Format("IP", null));
        f.put("ServiceAccessIdentifier", new Format("ACCOUNT", Pattern.compile("\\S(.*\\S)?")));
        f.put("FQDN", new Format("DOMAIN", Pattern.compile("[A-Za-z0-9.-]+")));
        return Map.copyOf(f);
    }

    private final Dictionaries dictionaries;
    private final int defaultPreservationDays;

    EpocReader(Dictionaries dictionaries, int defaultPreservationDays) {
        this.dictionaries = dictionaries;
        this.defaultPreservationDays = defaultPreservationDays;
    }

    Epoc read(Hi1Message m, Epoc.Kind kind) {
        Element auth = null;
        String authActionFound = null;
        List<Hi1Message.Action> tasks = new ArrayList<>();
        List<Hi1Message.Action> docs = new ArrayList<>();
        List<String> unread = new ArrayList<>();
        List<Epoc.Created> created = new ArrayList<>();
        Set<String> objectIds = new HashSet<>();
        for (Hi1Message.Action a : m.actions()) {
            if (!"CREATE".equals(a.verb())) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), a.verb() + " is not part of an "
                        + kind.legalType + " on /eevidence/" + kind.endpoint + ": each object is a CREATE.");
            }
            Element o = a.object();
            String id = objectId(o, a.id());
            if (!objectIds.add(id)) {
                throw new Hi1Fault(Hi1Fault.OBJECT_EXISTS, a.id(), "ObjectIdentifier " + id
                        + " is created twice in this message.");
            }
            String[] type = Hi1.xsiType(o).orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                    "CREATE/HI1Object has no xsi:type."));
            String local = type[1];
            if (Hi1.AUTH.equals(type[0]) && "AuthorisationObject".equals(local)) {
                if (auth != null) {
                    throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), "An " + kind.legalType
                            + " carries one AuthorisationObject; this is the second.");
                }
                auth = o;
                authActionFound = a.id();
                created.add(new Epoc.Created(a.id(), id, local, null));
            } else if (Hi1.TASK.equals(type[0]) && kind.taskType.equals(local)) {
                tasks.add(a);
            } else if (Hi1.DOC.equals(type[0]) && "DocumentObject".equals(local)) {
                docs.add(a);
            } else if (type[0] != null && ETSI_NAMESPACES.contains(type[0])) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), "An " + kind.legalType + " does not carry a "
                        + local + " (on /eevidence/" + kind.endpoint + ": AuthorisationObject, " + kind.taskType
                        + ", DocumentObject).");
            } else {
                // e.g. the profile's EPOCAdditionalInfo, whose schema is not published: kept in the message as received
                unread.add(local);
                created.add(new Epoc.Created(a.id(), id, local, null));
            }
        }
        if (auth == null) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "The message creates no auth:AuthorisationObject; an "
                    + kind.legalType + " is one AuthorisationObject with its tasks and its form.");
        }
        final String authAction = authActionFound;
        String authId = objectId(auth, authAction);
        if (tasks.isEmpty()) {
            throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, authAction, "The message creates no task:" + kind.taskType
                    + "; an " + kind.legalType + " has one per identifier.");
        }
        ObjectNode r = JSON.createObjectNode();
        StringBuilder facts = new StringBuilder();
        String reference = Hi1.text(auth, Hi1.AUTH, "AuthorisationReference").orElseThrow(() -> new Hi1Fault(
                Hi1Fault.REQUIRED_MISSING, authAction, "auth:AuthorisationReference is missing."));
        r.put("reference", bounded(reference, 200));
        r.put("receivedAt", m.header().timestamp());
        if (auth.getElementsByTagNameNS(Hi1.AUTH, "AuthorisationStatus").getLength() > 0) {
            throw new Hi1Fault(Hi1Fault.VALUE_CHANGE_NOT_ALLOWED, authAction,
                    "auth:AuthorisationStatus is set by the receiver only.");
        }
        Dictionaries.Entry legal = dict(auth, Hi1.AUTH, "AuthorisationLegalType", authAction,
                List.of("ETSI/EPOCLegalType", "ETSI/AuthorisationLegalType")).orElseThrow(() -> new Hi1Fault(
                        Hi1Fault.REQUIRED_MISSING, authAction, "auth:AuthorisationLegalType is missing."));
        if (!kind.legalType.equals(legal.value())) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, authAction, "auth:AuthorisationLegalType is " + legal.value()
                    + "; /eevidence/" + kind.endpoint + " takes " + kind.legalType + ".");
        }
        Optional<Dictionaries.Entry> priority = dict(auth, Hi1.AUTH, "AuthorisationPriority", authAction,
                List.of("ETSI/EPOCPriority", "ETSI/AuthorisationPriority"));
        dict(auth, Hi1.AUTH, "AuthorisationDesiredStatus", authAction, List.of("ETSI/AuthorisationDesiredStatus"));
        List<String> flags = new ArrayList<>();
        for (Element f : Hi1.path(auth, Hi1.AUTH, "AuthorisationFlags").map(x -> Hi1.children(x, Hi1.AUTH,
                "AuthorisationFlag")).orElse(List.of())) {
            flags.add(dictionaries.read(f, authAction, "auth:AuthorisationFlags/auth:AuthorisationFlag",
                    List.of("ETSI/AuthorisationFlag", "ETSI/EPOCAuthorisationFlag")).orElseThrow().value());
        }
        // who issued and who validated the order
        Element issuing = null;
        Element validating = null;
        for (Element d : Hi1.children(auth, Hi1.AUTH, "AuthorisationApprovalDetails")) {
            String t = Hi1.text(d, Hi1.COMMON, "ApprovalType").orElse("");
            if ("IssuingAuthority".equals(t) && issuing == null) {
                issuing = d;
            } else if ("ValidatingAuthority".equals(t) && validating == null) {
                validating = d;
            }
        }
        if (issuing == null) {
            throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, authAction, "auth:AuthorisationApprovalDetails with "
                    + "common:ApprovalType IssuingAuthority is missing.");
        }
        String issuingName = approver(issuing, "ApproverName", authAction, "IssuingAuthority");
        String issuingRole = role(issuing, authAction, "IssuingAuthority");
        ObjectNode authority = r.putObject("requestingAuthority");
        authority.put("name", bounded(issuingName, 300));
        authority.put("kind", ROLES.get(issuingRole));
        contact(issuing).forEach(authority::put);
        String validatingName = null;
        String validatingRole = null;
        if (validating != null) {
            validatingName = approver(validating, "ApproverName", authAction, "ValidatingAuthority");
            validatingRole = role(validating, authAction, "ValidatingAuthority");
            if ("OtherCompetentAuthority".equals(validatingRole)) {
                throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, authAction, "The ValidatingAuthority's common:ApproverRole "
                        + "must be JudgeCourtOrInvestigatingJudge or PublicProsecutor (Reg. 2023/1543 Art 4).");
            }
        }
        ObjectNode authorization = r.putObject("authorization");
        Element judge = "JudgeCourtOrInvestigatingJudge".equals(validatingRole) ? validating
                : "JudgeCourtOrInvestigatingJudge".equals(issuingRole) ? issuing : null;
        Element prosecutor = "PublicProsecutor".equals(validatingRole) ? validating
                : "PublicProsecutor".equals(issuingRole) ? issuing : null;
        Element decisive = judge != null ? judge : prosecutor != null ? prosecutor : validating != null ? validating : issuing;
        authorization.put("kind", judge != null ? "JUDICIAL" : prosecutor != null ? "PROSECUTORIAL" : "ADMINISTRATIVE");
        authorization.put("issuedBy", bounded(decisive == validating ? validatingName : issuingName, 300));
        Hi1.text(decisive, Hi1.COMMON, "ApprovalReference").ifPresent(x -> authorization.put("reference", bounded(x, 200)));
        Hi1.text(decisive, Hi1.COMMON, "ApprovalTimestamp").ifPresent(x -> {
            OffsetDateTime t = qualified(x, authAction, "common:ApprovalTimestamp");
            authorization.put("issuedOn", t.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString());
        });
        if (judge != null) {
            authorization.put("independent", true);
        }
        boolean emergency = flags.contains("IsEmergency") || priority.map(p -> "EightHours".equals(p.value())).orElse(false);
        boolean withoutValidation = "true".equals(Hi1.text(issuing, Hi1.COMMON, "ApprovalIsEmergency").orElse(""));

        // the tasks: one per identifier
        Set<String> categories = new LinkedHashSet<>();
        Set<String> subtypes = new LinkedHashSet<>();
        ArrayNode targets = JSON.createArrayNode();
        OffsetDateTime from = null;
        OffsetDateTime to = null;
        Integer preservationDays = null;
        List<String> manual = new ArrayList<>();
        Hi1.text(auth, Hi1.AUTH, "AuthorisationManualInformation").ifPresent(manual::add);
        OffsetDateTime sent = Hi1Message.instant(m.header().timestamp());
        for (Hi1Message.Action a : tasks) {
            Element t = a.object();
            String tid = objectId(t, a.id());
            associated(t, authId, a.id());
            if (!Hi1.children(t, Hi1.TASK, "Status").isEmpty()) {
                throw new Hi1Fault(Hi1Fault.VALUE_CHANGE_NOT_ALLOWED, a.id(), "task:Status is set by the receiver only.");
            }
            dict(t, Hi1.TASK, "DesiredStatus", a.id(), kind == Epoc.Kind.PRODUCTION ? List.of("ETSI/LDTaskDesiredStatus")
                    : List.of("ETSI/LPTaskDesiredStatus", "ETSI/LDTaskDesiredStatus"));
            Element details = Hi1.child(t, Hi1.TASK, "RequestDetails").orElseThrow(() -> new Hi1Fault(
                    Hi1Fault.REQUIRED_MISSING, a.id(), "task:RequestDetails is missing."));
            String type = dict(details, Hi1.TASK, "Type", a.id(), List.of("ETSI/RequestType")).orElseThrow(
                    () -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(), "task:RequestDetails/task:Type is missing."))
                    .value();
            List<String> c = CATEGORIES.get(type);
            if (c == null) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), "task:RequestDetails/task:Type " + type
                        + " names no data category of Reg. 2023/1543 Art 3; Habeas assesses subscriber, "
                        + "user-identifying, traffic and content data.");
            }
            categories.addAll(c);
            Optional<String> start = Hi1.text(details, Hi1.TASK, "StartTime");
            Optional<String> end = Hi1.text(details, Hi1.TASK, "EndTime");
            if (start.isPresent()) {
                OffsetDateTime s = qualified(start.get(), a.id(), "task:RequestDetails/task:StartTime");
                from = from == null || s.isBefore(from) ? s : from;
            }
            if (end.isPresent()) {
                OffsetDateTime e = qualified(end.get(), a.id(), "task:RequestDetails/task:EndTime");
                to = to == null || e.isAfter(to) ? e : to;
            }
            List<Element> values = Hi1.path(details, Hi1.TASK, "RequestValues")
                    .map(v -> Hi1.children(v, Hi1.TASK, "RequestValue")).orElse(List.of());
            if (values.isEmpty()) {
                throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(),
                        "task:RequestDetails/task:RequestValues/task:RequestValue is missing: which identifier is sought?");
            }
            List<String> taskValues = new ArrayList<>();
            for (Element v : values) {
                tools.jackson.databind.JsonNode target = target(v, a.id());
                targets.add(target);
                taskValues.add(target.path("value").stringValue());
            }
            for (Element s : Hi1.path(details, Hi1.TASK, "Subtype").map(x -> Hi1.children(x, Hi1.TASK,
                    "RequestSubtype")).orElse(List.of())) {
                subtypes.add(dictionaries.read(s, a.id(), "task:RequestDetails/task:Subtype/task:RequestSubtype",
                        List.of("ETSI/EPOCRequestSubtype")).orElseThrow().value());
            }
            Hi1.text(t, Hi1.TASK, "ManualInformation").ifPresent(manual::add);
            Optional<String> expiry = Hi1.text(t, Hi1.TASK, "DesiredPreservationExpiration");
            if (expiry.isPresent()) {
                OffsetDateTime x = qualified(expiry.get(), a.id(), "task:DesiredPreservationExpiration");
                if (!x.isAfter(sent)) {
                    throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(),
                            "task:DesiredPreservationExpiration lies before the message's Timestamp.");
                }
                long seconds = Duration.between(sent, x).toSeconds();
                int days = (int) Math.min(3650, (seconds + 86399) / 86400);
                preservationDays = preservationDays == null ? days : Math.max(preservationDays, days);
            }
            String ref = Hi1.text(t, Hi1.TASK, "Reference").orElse(null);
            created.add(new Epoc.Created(a.id(), tid, kind.taskType, ref, List.copyOf(taskValues)));
        }
        // the documents: the signed form, and any other attachment
        List<Epoc.Attachment> attachments = new ArrayList<>();
        boolean form = false;
        for (Hi1Message.Action a : docs) {
            Element d = a.object();
            String did = objectId(d, a.id());
            associated(d, authId, a.id());
            String docType = dict(d, Hi1.DOC, "DocumentType", a.id(), List.of("ETSI/EPOCDocumentType", "ETSI/DocumentType"))
                    .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, a.id(), "doc:DocumentType is missing."))
                    .value();
            if (kind.formType.equals(docType)) {
                if (form) {
                    throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, a.id(), "The message carries a second " + docType + ".");
                }
                form = true;
            } else if (!"OtherAttachment".equals(docType)) {
                throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, a.id(), "doc:DocumentType " + docType + " is not part of an "
                        + kind.legalType + " (" + kind.formType + " or OtherAttachment).");
            }
            attachments.add(body(d, a.id(), docType, kind.formType.equals(docType)));
            created.add(new Epoc.Created(a.id(), did, "DocumentObject", docType));
        }
        if (!form) {
            throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, authAction, "The message carries no doc:DocumentObject with "
                    + "doc:DocumentType " + kind.formType + ": the signed form is the order itself.");
        }
        attachments.sort((x, y) -> Boolean.compare(!x.name().startsWith(kind.formType), !y.name().startsWith(kind.formType)));

        r.put("instrument", "EU_EEVIDENCE");
        r.put("channel", emergency ? "EMERGENCY" : "DIRECT");
        r.put("measure", kind.measure);
        ArrayNode cats = r.putArray("dataCategories");
        categories.forEach(cats::add);
        r.put("requestingState", m.header().senderCountry());
        r.put("requestedState", m.header().receiverCountry());
        ObjectNode offence = r.putObject("offence");
        offence.put("statute", "Not structured in the HI-1 message: see the signed " + kind.formType + ".");
        offence.put("description", "The e-Evidence profile of ETSI TS 103 120 carries the offence and the "
                + "underlying circumstances only in the signed form (" + kind.formType + "), which this request keeps "
                + "as its legal document.");
        facts.append(kind.title).append(" received over ETSI TS 103 120 from ").append(m.header().sender())
                .append(", transaction ").append(m.header().transactionId()).append(", order ").append(authId)
                .append(". The offence, the grounds and everything else the form says are in the attached signed ")
                .append(kind.formType).append(", the legal original.");
        priority.ifPresent(p -> facts.append(" Priority: ").append(p.value()).append('.'));
        if (!flags.isEmpty()) {
            facts.append(" Flags: ").append(String.join(", ", flags)).append('.');
        }
        if (withoutValidation) {
            facts.append(" Issued without prior validation (emergency; validation to follow).");
        }
        facts.append(" Issuing authority: ").append(issuingName).append(" (").append(issuingRole).append(").");
        if (validatingName != null) {
            facts.append(" Validating authority: ").append(validatingName).append(" (").append(validatingRole).append(").");
        }
        if (!subtypes.isEmpty()) {
            facts.append(" Data asked for: ").append(String.join(", ", subtypes)).append('.');
        }
        for (String x : manual) {
            facts.append(" Manual information: ").append(x);
        }
        if (!unread.isEmpty()) {
            facts.append(" Objects kept in the message as received, not read by Habeas: ")
                    .append(String.join(", ", unread)).append('.');
        }
        r.put("facts", bounded(facts.toString(), 20000));
        r.set("targets", targets);
        if (from != null || to != null) {
            ObjectNode period = r.putObject("period");
            if (from != null) {
                period.put("from", from.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString());
            }
            if (to != null) {
                period.put("to", to.withOffsetSameInstant(ZoneOffset.UTC).toLocalDate().toString());
            }
        }
        if (emergency) {
            r.putObject("emergency").put("threat", "OTHER").put("imminent", true).put("justification",
                    "Emergency " + kind.legalType + " (" + priority.map(Dictionaries.Entry::value).orElse("IsEmergency")
                            + "): an imminent threat to the life, physical integrity or safety of a person, or to "
                            + "critical infrastructure (Reg. 2023/1543 Art 10(4)); the form states which.");
        }
        if (flags.contains("DelayInformingUser")) {
            r.putObject("confidentiality").put("reason", "The issuing authority asks that the person whose data "
                    + "are sought not be informed (Reg. 2023/1543 Art 13; the form's Section H gives the grounds).");
        }
        if (kind == Epoc.Kind.PRESERVATION) {
            r.put("preservationDays", preservationDays != null ? preservationDays : defaultPreservationDays);
        }
        return new Epoc(kind, authId, r, List.copyOf(created), List.copyOf(attachments));
    }

    private Optional<Dictionaries.Entry> dict(Element parent, String ns, String name, String action, List<String> allowed) {
        String prefix = ns.equals(Hi1.AUTH) ? "auth:" : ns.equals(Hi1.TASK) ? "task:" : ns.equals(Hi1.DOC) ? "doc:" : "";
        return dictionaries.read(Hi1.child(parent, ns, name).orElse(null), action, prefix + name, allowed);
    }

    static String objectId(Element o, String action) {
        String id = Hi1.text(o, Hi1.CORE, "ObjectIdentifier").orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING,
                action, "HI1Object/ObjectIdentifier is missing."));
        if (!Hi1Message.UUID.matcher(id).matches()) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action,
                    "HI1Object/ObjectIdentifier must be a UUID in lower-case hexadecimal (TS 103 280).");
        }
        return id;
    }

    static void associated(Element o, String authId, String action) {
        boolean linked = Hi1.path(o, Hi1.CORE, "AssociatedObjects").map(x -> Hi1.children(x, Hi1.CORE, "AssociatedObject"))
                .orElse(List.of()).stream().anyMatch(x -> authId.equals(x.getTextContent().strip()));
        if (!linked) {
            throw new Hi1Fault(Hi1Fault.LINK_TARGET_MISSING, action, "AssociatedObjects/AssociatedObject must name the "
                    + "AuthorisationObject " + authId + ".");
        }
    }

    static OffsetDateTime qualified(String text, String action, String where) {
        OffsetDateTime t = Hi1Message.QUALIFIED.matcher(text).matches() ? Hi1Message.instant(text) : null;
        if (t == null) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, where + " must be a date-time with a zone (TS 103 280).");
        }
        return t;
    }

    private static String approver(Element approval, String name, String action, String which) {
        return Hi1.child(approval, Hi1.COMMON, "ApproverDetails").flatMap(d -> Hi1.text(d, Hi1.COMMON, name))
                .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, action, "The " + which
                        + "'s common:ApproverDetails/common:" + name + " is missing."));
    }

    private static String role(Element approval, String action, String which) {
        String role = approver(approval, "ApproverRole", action, which);
        if (!ROLES.containsKey(role)) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, "The " + which + "'s common:ApproverRole " + role
                    + " is not one of " + String.join(", ", new java.util.TreeSet<>(ROLES.keySet())) + ".");
        }
        return role;
    }

    /** The first e-mail address and telephone number given for the authority, where they fit Request v1. */
    private static Map<String, String> contact(Element approval) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element c : Hi1.child(approval, Hi1.COMMON, "ApproverDetails").map(d -> Hi1.children(d, Hi1.COMMON,
                "ApproverContactDetails")).orElse(List.of())) {
            Hi1.text(c, Hi1.COMMON, "EmailAddress").or(() -> Hi1.text(c, Hi1.COMMON, "ApproverEmailAddress"))
                    .filter(e -> e.matches("[^@\\s]{1,64}@[^@\\s]{1,255}")).ifPresent(e -> out.putIfAbsent("email", e));
            Hi1.text(c, Hi1.COMMON, "PhoneNumber").or(() -> Hi1.text(c, Hi1.COMMON, "ApproverPhoneNumber"))
                    .map(p -> p.matches("[0-9]{3,15}") ? "+" + p : p)
                    .filter(p -> p.matches("\\+?[0-9 ()./-]{3,40}")).ifPresent(p -> out.putIfAbsent("phone", p));
        }
        return out;
    }

    private static ObjectNode target(Element v, String action) {
        String owner = Hi1.path(v, Hi1.TASK, "FormatType").flatMap(f -> Hi1.text(f, Hi1.TASK, "FormatOwner"))
                .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, action,
                        "task:RequestValue/task:FormatType/task:FormatOwner is missing."));
        String name = Hi1.path(v, Hi1.TASK, "FormatType").flatMap(f -> Hi1.text(f, Hi1.TASK, "FormatName"))
                .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, action,
                        "task:RequestValue/task:FormatType/task:FormatName is missing."));
        String value = Hi1.text(v, Hi1.TASK, "Value").orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, action,
                "task:RequestValue/task:Value is missing."));
        Format f = "ETSI".equals(owner) ? FORMATS.get(name) : null;
        if (f == null) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, "task:RequestValue/task:FormatType " + owner + "/" + name
                    + " is not an identifier type Habeas reads (TS 103 280: "
                    + String.join(", ", new java.util.TreeSet<>(FORMATS.keySet())) + ").");
        }
        boolean ok = f.pattern() != null ? f.pattern().matcher(value).matches() : ip(name, value);
        if (!ok || value.length() > 500) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, "task:RequestValue/task:Value is not a valid " + name
                    + " (TS 103 280).");
        }
        ObjectNode t = JSON.createObjectNode();
        t.put("type", f.target());
        t.put("value", value);
        return t;
    }

    private static boolean ip(String format, String value) {
        IPAddressString s = new IPAddressString(value);
        if (!s.isIPAddress()) {
            return false;
        }
        boolean v4 = format.toLowerCase(java.util.Locale.ROOT).startsWith("ipv4");
        boolean cidr = format.endsWith("CIDR");
        return (v4 ? s.isIPv4() : s.isIPv6()) && (cidr == s.isPrefixed());
    }

    static Epoc.Attachment body(Element d, String action, String docType, boolean isForm) {
        Element b = Hi1.child(d, Hi1.DOC, "DocumentBody").orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING,
                action, "doc:DocumentBody is missing: the " + docType + " itself must be carried."));
        String contents = Hi1.text(b, Hi1.DOC, "Contents").orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING,
                action, "doc:DocumentBody/doc:Contents is missing."));
        byte[] bytes;
        try {
            bytes = Base64.getMimeDecoder().decode(contents.getBytes(StandardCharsets.US_ASCII));
        } catch (IllegalArgumentException e) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, "doc:DocumentBody/doc:Contents is not base64.");
        }
        Optional<String> checksum = Hi1.text(b, Hi1.DOC, "Checksum");
        if (checksum.isPresent()) {
            String algorithm = Hi1.text(b, Hi1.DOC, "ChecksumType").orElse("SHA256")
                    .toUpperCase(java.util.Locale.ROOT).replace("-", "");
            if (!algorithm.equals("SHA256")) {
                throw new Hi1Fault(Hi1Fault.NOT_SUPPORTED, action, "doc:DocumentBody/doc:ChecksumType " + algorithm
                        + " is not supported; Habeas checks SHA256.");
            }
            try {
                String actual = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
                if (!actual.equalsIgnoreCase(checksum.get())) {
                    throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action,
                            "doc:DocumentBody/doc:Checksum does not match the SHA-256 of doc:Contents.");
                }
            } catch (java.security.NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
        String type = Hi1.text(b, Hi1.DOC, "ContentType").orElse(null);
        String name = docType + (isForm ? "" : "-" + action) + ("application/pdf".equals(type) ? ".pdf" : "");
        return new Epoc.Attachment(action, name, type, bytes);
    }

    private static String bounded(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
