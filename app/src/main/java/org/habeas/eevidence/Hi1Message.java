package org.habeas.eevidence;

import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * A received HI-1 request message: its header and its actions, read and checked as TS 103 120 and the e-Evidence
 * profile require (lower-case UUIDs, microsecond timestamps, a supported version, Habeas as the receiver).
 */
record Hi1Message(Document document, Header header, List<Action> actions) {

    /** TS 103 280 UUID: lower-case hexadecimal only. */
    static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** TS 103 280 QualifiedMicrosecondDateTime: exactly six fractional digits and a zone. */
    static final Pattern MICROSECONDS = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\\.[0-9]{6}(Z|[+-][0-9]{2}:[0-9]{2})");
    /** TS 103 280 QualifiedDateTime: a date-time to the second with a zone, no fractional seconds. */
    static final Pattern QUALIFIED = Pattern.compile(
            "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})");
    static final Pattern COUNTRY = Pattern.compile("[A-Z]{2}");

    record Header(Element element, String senderCountry, String senderIdentifier, String receiverCountry,
            String receiverIdentifier, String transactionId, String timestamp, String etsiVersion) {

        String sender() {
            return senderCountry + "/" + senderIdentifier;
        }
    }

    /** One ActionRequest: its identifier, its verb (CREATE, UPDATE, ...) and the element under the verb. */
    record Action(String id, String verb, Element body) {

        /** The HI1Object of a CREATE, UPDATE or DELIVER. */
        Element object() {
            return Hi1.child(body, Hi1.CORE, "HI1Object")
                    .orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, id, verb + "/HI1Object is missing."));
        }
    }

    static Hi1Message read(Document doc, EevidenceProperties config) {
        Element root = doc.getDocumentElement();
        if (!Hi1.CORE.equals(root.getNamespaceURI()) || !"HI1Message".equals(root.getLocalName())) {
            throw Hi1Fault.message(Hi1Fault.VALIDATION, "The root element must be HI1Message in namespace " + Hi1.CORE
                    + ", not " + root.getNodeName() + ".");
        }
        Header header = header(root, config);
        Element payload = required(root, "Payload");
        if (Hi1.child(payload, Hi1.CORE, "RequestPayload").isEmpty()) {
            throw Hi1Fault.message(Hi1Fault.NOT_SUPPORTED,
                    "Payload/RequestPayload is missing: Habeas answers requests only on this endpoint.");
        }
        Element requests = Hi1.path(payload, Hi1.CORE, "RequestPayload", Hi1.CORE, "ActionRequests")
                .orElseThrow(() -> Hi1Fault.message(Hi1Fault.REQUIRED_MISSING,
                        "Payload/RequestPayload/ActionRequests is missing."));
        List<Action> actions = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        for (Element a : Hi1.children(requests, Hi1.CORE, "ActionRequest")) {
            String id = Hi1.text(a, Hi1.CORE, "ActionIdentifier").orElseThrow(() -> Hi1Fault.message(
                    Hi1Fault.REQUIRED_MISSING, "ActionRequest/ActionIdentifier is missing."));
            if (!id.matches("[0-9]{1,9}")) {
                throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE,
                        "ActionRequest/ActionIdentifier must be a non-negative integer.");
            }
            id = String.valueOf(Integer.parseInt(id));
            if (!ids.add(id)) {
                throw new Hi1Fault(Hi1Fault.DUPLICATE_ACTION, id, "ActionIdentifier " + id + " is used twice.");
            }
            List<Element> verbs = Hi1.elements(a).stream().filter(e -> !"ActionIdentifier".equals(e.getLocalName()))
                    .toList();
            if (verbs.size() != 1 || !Hi1.CORE.equals(verbs.getFirst().getNamespaceURI())) {
                throw new Hi1Fault(Hi1Fault.REQUIRED_MISSING, id,
                        "ActionRequest " + id + " must hold exactly one of GET, CREATE, UPDATE, LIST, DELIVER, GETCSPCONFIG.");
            }
            actions.add(new Action(id, verbs.getFirst().getLocalName(), verbs.getFirst()));
        }
        if (actions.isEmpty()) {
            throw Hi1Fault.message(Hi1Fault.REQUIRED_MISSING, "ActionRequests holds no ActionRequest.");
        }
        return new Hi1Message(doc, header, List.copyOf(actions));
    }

    /**
     * Reads the header, which is echoed in every answer; its own faults are reported with what could be read.
     */
    static Header header(Element root, EevidenceProperties config) {
        Element h = required(root, "Header");
        Element sender = required(h, "SenderIdentifier");
        Element receiver = required(h, "ReceiverIdentifier");
        Header header = new Header(h, country(sender, "Header/SenderIdentifier"),
                requiredText(sender, "UniqueIdentifier", "Header/SenderIdentifier"),
                country(receiver, "Header/ReceiverIdentifier"),
                requiredText(receiver, "UniqueIdentifier", "Header/ReceiverIdentifier"),
                requiredText(h, "TransactionIdentifier", "Header"),
                requiredText(h, "Timestamp", "Header"),
                Hi1.path(h, Hi1.CORE, "Version").flatMap(v -> Hi1.text(v, Hi1.CORE, "ETSIVersion")).orElse(null));
        if (!UUID.matcher(header.transactionId()).matches()) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE,
                    "Header/TransactionIdentifier must be a UUID in lower-case hexadecimal (TS 103 280).");
        }
        if (!MICROSECONDS.matcher(header.timestamp()).matches() || instant(header.timestamp()) == null) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE,
                    "Header/Timestamp must be a date-time with exactly six fractional digits and a zone (TS 103 280).");
        }
        Element version = required(h, "Version");
        String etsi = requiredText(version, "ETSIVersion", "Header/Version");
        String owner = requiredText(version, "NationalProfileOwner", "Header/Version");
        requiredText(version, "NationalProfileVersion", "Header/Version");
        if (!config.versions().contains(etsi)) {
            throw Hi1Fault.message(Hi1Fault.VERSION, "Header/Version/ETSIVersion " + etsi
                    + " is not supported; supported: " + String.join(", ", config.versions()) + ".");
        }
        if (!config.profileOwner().equals(owner)) {
            throw Hi1Fault.message(Hi1Fault.VERSION, "Header/Version/NationalProfileOwner " + owner
                    + " is not supported; this endpoint serves the " + config.profileOwner() + " profile.");
        }
        if (!header.receiverCountry().equals(config.receiverCountry())
                || !header.receiverIdentifier().equals(config.receiverIdentifier())) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, "Header/ReceiverIdentifier " + header.receiverCountry()
                    + "/" + header.receiverIdentifier() + " is not this receiver.");
        }
        return header;
    }

    static OffsetDateTime instant(String text) {
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static String country(Element endpoint, String where) {
        String c = requiredText(endpoint, "CountryCode", where);
        if (!COUNTRY.matcher(c).matches()) {
            throw Hi1Fault.message(Hi1Fault.IMPROPER_VALUE, where + "/CountryCode must be two capital letters.");
        }
        return c;
    }

    private static Element required(Element parent, String name) {
        return Hi1.child(parent, Hi1.CORE, name).orElseThrow(() -> Hi1Fault.message(Hi1Fault.REQUIRED_MISSING,
                parent.getLocalName() + "/" + name + " is missing."));
    }

    private static String requiredText(Element parent, String name, String where) {
        return Hi1.text(parent, Hi1.CORE, name).orElseThrow(() -> Hi1Fault.message(Hi1Fault.REQUIRED_MISSING,
                where + "/" + name + " is missing."));
    }
}
