package org.habeas.eevidence;

import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.UUID;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * The synchronous answers: the request's header echoed with a new timestamp (as in every ETSI response example),
 * then one ActionResponse per ActionRequest, or one ErrorInformation for the whole message.
 */
final class Hi1Responses {

    static final DateTimeFormatter MICROSECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS'Z'");

    /** One action's answer: a CREATEResponse (or UPDATE…, DELIVER…) naming the object, or an error. */
    record Result(String actionId, String verb, String identifier, Hi1Fault error) {

        static Result ok(String actionId, String verb, String identifier) {
            return new Result(actionId, verb, identifier, null);
        }

        static Result error(String actionId, Hi1Fault error) {
            return new Result(actionId, null, null, error);
        }
    }

    private final Clock clock;
    private final EevidenceProperties config;

    Hi1Responses(Clock clock, EevidenceProperties config) {
        this.clock = clock;
        this.config = config;
    }

    String timestamp() {
        return MICROSECONDS.format(clock.instant().atOffset(ZoneOffset.UTC));
    }

    /** The answer to every action, in the request's order. */
    String actions(Element requestHeader, List<Result> results) {
        Document doc = envelope(requestHeader);
        Element responses = Hi1.add(Hi1.add(payload(doc), Hi1.CORE, "ResponsePayload"), Hi1.CORE, "ActionResponses");
        for (Result r : results) {
            Element a = Hi1.add(responses, Hi1.CORE, "ActionResponse");
            Hi1.add(a, Hi1.CORE, "ActionIdentifier", r.actionId());
            if (r.error() != null) {
                error(Hi1.add(a, Hi1.CORE, "ErrorInformation"), r.error());
            } else if ("GETCSPCONFIG".equals(r.verb())) {
                Element c = Hi1.add(a, Hi1.CORE, "GETCSPCONFIGResponse");
                Hi1.add(c, Hi1.CORE, "LastChanged", r.identifier());
                Hi1.add(c, Hi1.CORE, "TargetingConfigurations");
            } else {
                Hi1.add(Hi1.add(a, Hi1.CORE, r.verb() + "Response"), Hi1.CORE, "Identifier", r.identifier());
            }
        }
        return Hi1.write(doc);
    }

    /**
     * Every action refused because one was: the faulty one with its error, the others "not applied" (TS 103 120
     * H.5.2.2.4: all or nothing).
     */
    String refused(Element requestHeader, List<String> actionIds, Hi1Fault fault) {
        List<Result> results = actionIds.stream().map(id -> Result.error(id, id.equals(fault.action()) ? fault
                : new Hi1Fault(Hi1Fault.BUSINESS_LOGIC, id, "Not applied: action " + fault.action()
                        + " of this message was refused, and a message is applied whole or not at all."))).toList();
        return actions(requestHeader, results);
    }

    /** The whole message refused; the header echoed when it could be read, else addressed from Habeas. */
    String message(Element requestHeader, Hi1Fault fault) {
        Document doc = envelope(requestHeader);
        error(Hi1.add(Hi1.add(payload(doc), Hi1.CORE, "ResponsePayload"), Hi1.CORE, "ErrorInformation"), fault);
        return Hi1.write(doc);
    }

    private static void error(Element info, Hi1Fault fault) {
        Hi1.add(info, Hi1.CORE, "ErrorCode", String.valueOf(fault.code()));
        String d = fault.getMessage();
        Hi1.add(info, Hi1.CORE, "ErrorDescription", d.length() > 1000 ? d.substring(0, 999) + "…" : d);
    }

    private Document envelope(Element requestHeader) {
        Document doc = Hi1.newDocument();
        Element root = doc.createElementNS(Hi1.CORE, "HI1Message");
        doc.appendChild(root);
        Element header;
        if (requestHeader != null && echoable(requestHeader)) {
            header = (Element) doc.importNode(requestHeader, true);
            root.appendChild(header);
            stripWhitespace(header);
            Element ts = Hi1.child(header, Hi1.CORE, "Timestamp").orElseThrow();
            ts.setTextContent(timestamp());
        } else {
            header = Hi1.add(root, Hi1.CORE, "Header");
            for (String side : List.of("SenderIdentifier", "ReceiverIdentifier")) {
                Element e = Hi1.add(header, Hi1.CORE, side);
                Hi1.add(e, Hi1.CORE, "CountryCode", config.receiverCountry());
                Hi1.add(e, Hi1.CORE, "UniqueIdentifier", config.receiverIdentifier());
            }
            Hi1.add(header, Hi1.CORE, "TransactionIdentifier", UUID.randomUUID().toString());
            Hi1.add(header, Hi1.CORE, "Timestamp", timestamp());
            Element v = Hi1.add(header, Hi1.CORE, "Version");
            Hi1.add(v, Hi1.CORE, "ETSIVersion", config.versions().getLast());
            Hi1.add(v, Hi1.CORE, "NationalProfileOwner", config.profileOwner());
            Hi1.add(v, Hi1.CORE, "NationalProfileVersion", config.profileVersion());
        }
        return doc;
    }

    /** Removes the indentation the sender's header came with, so that the answer is indented once, by Habeas. */
    private static void stripWhitespace(Node n) {
        for (Node c = n.getFirstChild(); c != null; ) {
            Node next = c.getNextSibling();
            if (c.getNodeType() == Node.TEXT_NODE && c.getTextContent().isBlank() && c.getParentNode().getChildNodes()
                    .getLength() > 1) {
                n.removeChild(c);
            } else if (c.getNodeType() == Node.COMMENT_NODE) {
                n.removeChild(c);
            } else {
                stripWhitespace(c);
            }
            c = next;
        }
    }

    private static Element payload(Document doc) {
        return Hi1.add(doc.getDocumentElement(), Hi1.CORE, "Payload");
    }

    /** A header can be echoed when it has every member the schema requires, in order, and nothing else. */
    private static boolean echoable(Element h) {
        List<String> names = Hi1.elements(h).stream().map(Node::getLocalName).toList();
        List<String> required = List.of("SenderIdentifier", "ReceiverIdentifier", "TransactionIdentifier", "Timestamp",
                "Version");
        return Hi1.elements(h).stream().allMatch(e -> Hi1.CORE.equals(e.getNamespaceURI()))
                && (names.equals(required) || names.equals(concat(required, "WorkflowIdentifier")));
    }

    private static List<String> concat(List<String> a, String b) {
        List<String> out = new java.util.ArrayList<>(a);
        out.add(b);
        return out;
    }
}
