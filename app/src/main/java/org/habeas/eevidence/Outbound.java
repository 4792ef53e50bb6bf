package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.habeas.casework.CaseEvents;
import org.habeas.casework.Cases;
import org.habeas.casework.Deadlines;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.event.EventListener;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Messages from Habeas, as the HI-1 sender, to the member state's system that sent an order (TS 104 144 Table
 * 6.1-1): {@code /datapreserved} when a hold starts, {@code /nonexecution} when the order is refused (the refusal
 * letter as Form 3), {@code /confirmwithdrawal} when the order is withdrawn, {@code /outcome} when data is produced
 * (the tasks Disclosed and a DELIVER of the encrypted package), {@code /correspondence} when staff ask the issuing
 * authority a question from the case (a DELIVER of a RequestAdditionalInformation document), and {@code /nonexecution}
 * again when staff send a Form 3 from the case page with one of its reasons. Each is written to the outbox in the transaction of
 * the case change it reports, so none is lost, and sent afterwards over mutual TLS to the state's configured
 * endpoint, with back-off; every attempt is recorded on the case.
 */
@Component
class Outbound {

    private static final Logger LOG = LoggerFactory.getLogger(Outbound.class);

    /** A message in the outbox. */
    record Queued(UUID id, UUID requestId, String country, String endpoint, String body, int attempts) {
    }

    private final JdbcClient jdbc;
    private final EevidenceProperties config;
    private final Optional<Hi1Schemas> schemas;
    private final Hi1Responses responses;
    private final Cases cases;
    private final Deadlines deadlines;
    private final org.habeas.casework.Letters letters;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Form3Reasons form3;
    private final Map<String, HttpClient> clients = new HashMap<>();

    Outbound(JdbcClient jdbc, EevidenceProperties config, Cases cases, Deadlines deadlines,
            org.habeas.casework.Letters letters, TransactionTemplate tx, Clock clock, Form3Reasons form3) {
        this.form3 = form3;
        this.jdbc = jdbc;
        this.config = config;
        this.schemas = Hi1Schemas.load(config.schemas());
        this.responses = new Hi1Responses(clock, config);
        this.cases = cases;
        this.deadlines = deadlines;
        this.letters = letters;
        this.tx = tx;
        this.clock = clock;
    }

    /** The order's sender and objects, when the request came in over the e-Evidence channel. */
    private record Origin(String country, String identifier, String authorisation, List<String[]> tasks) {
    }

    private Optional<Origin> order(UUID requestId) {
        Optional<String[]> sender = jdbc.sql("""
                select sender_country, sender_identifier from eevidence_message where request_id = :r
                and endpoint in ('production', 'preservation', 'subsequentproduction') order by received_at""")
                .param("r", requestId).query((rs, n) -> new String[] {rs.getString(1).strip(), rs.getString(2)})
                .list().stream().findFirst();
        if (sender.isEmpty()) {
            return Optional.empty();
        }
        List<String[]> objects = jdbc.sql("select object_id, object_type, reference, request_values from eevidence_object "
                + "where request_id = :r order by object_type, object_id").param("r", requestId)
                .query((rs, n) -> new String[] {rs.getString(1).strip(), rs.getString(2), rs.getString(3), rs.getString(4)})
                .list();
        String auth = objects.stream().filter(o -> o[1].equals("AuthorisationObject")).map(o -> o[0]).findFirst()
                .orElse(null);
        List<String[]> tasks = objects.stream().filter(o -> o[1].endsWith("TaskObject")).toList();
        return Optional.of(new Origin(sender.get()[0], sender.get()[1], auth, tasks));
    }

    // --- what is sent, when ---

    @EventListener
    @Order(20)
    void preserved(CaseEvents.Preserved e) {
        order(e.requestId()).ifPresent(o -> {
            String expiry = deadlines.hold(e.requestId()).map(h -> h.expiresOn().atStartOfDay(ZoneOffset.UTC)
                    .toInstant().toString()).orElse(null);
            Message m = new Message(o);
            for (String[] t : o.tasks()) {
                Element task = m.update("task:LPTaskObject", Hi1.TASK, t[0]);
                m.dict(task, Hi1.TASK, "task:Status", "ETSI", "LPTaskStatus", "Preserved");
                if (expiry != null) {
                    Hi1.add(task, Hi1.TASK, "task:PreservationExpiration", expiry);
                }
            }
            m.notification("DataPreserved", "The data is preserved" + (expiry == null ? "." : " until " + expiry + "."),
                    o.tasks().stream().map(t -> new String[] {t[0], "LPTaskStatus", "Preserved"}).toList());
            queue(e.requestId(), o, "datapreserved", m);
        });
    }

    @EventListener
    @Order(20)
    void decided(CaseEvents.Decided e) {
        if (!"REFUSE".equals(e.outcome())) {
            return;
        }
        order(e.requestId()).ifPresent(o -> {
            Message m = new Message(o);
            List<String> rules = cases.decision(e.requestId()).map(d -> d.rules()).orElse(List.of());
            List<Form3Reasons.Reason> reasons = form3.forRules(rules);
            m.notification("NonExecution", "The order cannot be executed; the reasons are in the attached Form 3"
                    + (reasons.isEmpty() ? "." : ". Form 3 reasons: " + String.join("; ", reasons.stream()
                            .map(r -> r.code() + " (" + r.label() + ")").toList()) + "."), invalid(o));
            m.document("CREATE", "Form3", "Form 3: information on the impossibility to execute",
                    letters.pdf(e.requestId()));
            queue(e.requestId(), o, "nonexecution", m);
        });
    }

    private static List<String[]> invalid(Origin o) {
        return o.tasks().stream().map(t -> new String[] {t[0], t[1].equals("LPTaskObject") ? "LPTaskStatus"
                : "LDTaskStatus", "Invalid"}).toList();
    }

    /** A question to the issuing authority from the case: a request for additional information. */
    @EventListener
    @Order(20)
    void asked(CaseEvents.Asked e) {
        order(e.requestId()).ifPresent(o -> {
            Message m = new Message(o);
            byte[] pdf = new org.habeas.web.PdfWriter("Request for additional information", 10.5f, 14f)
                    .heading("Request for additional information")
                    .paragraph("The service provider " + config.receiverCountry() + "/" + config.receiverIdentifier()
                            + " asks for additional information on the order " + o.authorisation() + ".")
                    .paragraph(e.question()).finish();
            m.document("DELIVER", "RequestAdditionalInformation", "Request for additional information", pdf);
            queue(e.requestId(), o, "correspondence", m);
        });
    }

    /**
     * Form 3 from the case page: the provider informs the issuing authority that it cannot execute the order, for
     * one of the form's reasons, with the explanation staff give. The Regulation leaves refusal to the enforcing
     * authority, so the case stays open and says it waits for the grounds-for-refusal decision.
     */
    void nonExecution(UUID requestId, String code, String explanation, String actor) {
        Form3Reasons.Reason reason = form3.find(code == null ? "" : code).orElseThrow(() -> new Cases.Refused(
                Cases.Refused.Kind.INVALID, "reason", "choose one of Form 3's reasons"));
        if (explanation == null || explanation.isBlank()) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "explanation", "say why the order cannot be executed");
        }
        if (explanation.length() > 4000) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "explanation", "at most 4000 characters");
        }
        Origin o = order(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "request",
                "the request did not come in over the e-Evidence channel"));
        Cases.Case c = cases.find(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND,
                "request", "no case for this request"));
        if (!c.state().open()) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "reason", "the case is closed", c.state().name());
        }
        // once the order is decided, Form 3 is what execution finds: the data is not held, or cannot be produced
        boolean atExecution = c.decision() != null;
        if (atExecution && (c.state() != org.habeas.casework.CaseState.DECIDED
                || c.decision().outcome() == org.habeas.casework.Outcome.REFUSE)) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "reason", c.state() == org.habeas.casework.CaseState
                    .EXECUTING ? "the data has been produced" : "the order is not to be executed", c.state().name());
        }
        if (atExecution && !reason.atExecution()) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "reason", "at the execute step Form 3 reports what "
                    + "execution found: " + String.join("; ", form3.atExecution().stream().map(Form3Reasons.Reason::label)
                            .toList()));
        }
        String text = explanation.strip();
        tx.executeWithoutResult(s -> {
            // one Form 3 per order: the key is taken first, so a second submission waits for the first and is refused
            try {
                jdbc.sql("insert into eevidence_form3 (request_id, reason, sent_by, sent_at) values (:r, :c, :a, :t)")
                        .param("r", requestId).param("c", reason.code()).param("a", actor)
                        .param("t", clock.instant().atOffset(ZoneOffset.UTC)).update();
            } catch (org.springframework.dao.DuplicateKeyException taken) {
                throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "reason",
                        "Form 3 has already been sent for this order", c.state().name());
            }
            Message m = new Message(o);
            m.notification("NonExecution", "Form 3 reason: " + reason.code() + " (" + reason.label() + "). " + text,
                    invalid(o));
            byte[] pdf = new org.habeas.web.PdfWriter("Form 3", 10.5f, 14f)
                    .heading("Form 3: information on the impossibility to execute")
                    .paragraph("Order: " + o.authorisation()).paragraph("Reason: " + reason.label() + " ("
                            + reason.code() + "; " + reason.basis() + ")").paragraph(text).finish();
            m.document("CREATE", "Form3", "Form 3: information on the impossibility to execute", pdf);
            queue(requestId, o, "nonexecution", m);
            cases.record(requestId, "FORM3_SENT", actor + " informed the issuing authority " + o.country() + "/"
                    + o.identifier() + (atExecution ? ", at execution," : "") + " that the order cannot be executed: "
                    + reason.label() + " (Form 3, "
                    + reason.code() + "). Refusing is for the enforcing authority (Art 12 of the Regulation): the case "
                    + "waits for its grounds-for-refusal decision or the order's withdrawal.");
        });
    }

    @EventListener
    @Order(20)
    void withdrawn(CaseEvents.Withdrawn e) {
        order(e.requestId()).ifPresent(o -> {
            Message m = new Message(o);
            Element auth = m.update("auth:AuthorisationObject", Hi1.AUTH, o.authorisation());
            m.dict(auth, Hi1.AUTH, "auth:AuthorisationStatus", "ETSI", "AuthorisationStatus", "Cancelled");
            m.notification("ConfirmationOfWithdrawal", "The withdrawal of the order is confirmed.",
                    List.<String[]>of(new String[] {o.authorisation(), "AuthorisationStatus", "Cancelled"}));
            queue(e.requestId(), o, "confirmwithdrawal", m);
        });
    }

    /**
     * Data produced: each LDTask Disclosed (or DisclosureNotAvailable when nothing was produced for its
     * identifiers) with the handover format TS103705, and one DELIVER per task of the TS 103 705 record set of what
     * was produced for it, exactly the package's content; encrypted as Habeas's package is (JWE to the requesting
     * agency's registered key), since the profile's encryption is not known.
     */
    @EventListener
    @Order(20)
    void produced(org.habeas.disclosure.Production.Packaged e) {
        order(e.requestId()).ifPresent(o -> {
            List<String[]> tasks = o.tasks().stream().filter(t -> t[1].equals("LDTaskObject")).toList();
            Map<String, List<org.habeas.disclosure.Production.Item>> byTask = new java.util.LinkedHashMap<>();
            tasks.forEach(t -> byTask.put(t[0], new java.util.ArrayList<>()));
            for (org.habeas.disclosure.Production.Item i : e.items()) {
                String task = tasks.stream().filter(t -> t[3] != null && List.of(t[3].split("\n"))
                        .contains(i.targetValue())).map(t -> t[0]).findFirst()
                        .orElse(tasks.isEmpty() ? null : tasks.getFirst()[0]);
                if (task != null) {
                    byTask.get(task).add(i);
                }
            }
            Message m = new Message(o);
            for (String[] t : tasks) {
                boolean some = !byTask.get(t[0]).isEmpty();
                Element task = m.update("task:LDTaskObject", Hi1.TASK, t[0]);
                m.dict(task, Hi1.TASK, "task:Status", "ETSI", "LDTaskStatus", some ? "Disclosed"
                        : "DisclosureNotAvailable");
                if (some) {
                    Element dest = Hi1.add(Hi1.add(task, Hi1.TASK, "task:DeliveryDetails"), Hi1.TASK,
                            "task:LDDeliveryDestination");
                    Element endpoint = Hi1.add(Hi1.add(dest, Hi1.TASK, "task:DeliveryAddress"), Hi1.TASK,
                            "task:EndpointID");
                    Hi1.add(endpoint, Hi1.CORE, "CountryCode", o.country());
                    Hi1.add(endpoint, Hi1.CORE, "UniqueIdentifier", o.identifier());
                    m.dict(dest, Hi1.TASK, "task:LDHandoverFormat", "ETSI", "LDHandoverFormat", "TS103705");
                }
            }
            for (String[] t : tasks) {
                List<org.habeas.disclosure.Production.Item> items = byTask.get(t[0]);
                if (items.isEmpty()) {
                    continue;
                }
                String ldid = t[2] != null && t[2].matches("[A-Z]{2}-.+-.+") ? t[2] : null;
                byte[] records = RecordSets.write(records().recordSet(ldid, e.at(), items));
                String jwe = org.habeas.disclosure.Packages.encrypt(records, "application/json", e.recipient());
                String delivery = m.deliver(t[0], ldid, jwe.getBytes(StandardCharsets.US_ASCII),
                        "ts103705-" + t[0] + ".json.jwe", e.recipient().getKeyID());
                jdbc.sql("insert into eevidence_object (object_id, request_id, object_type, reference) values (:o, :r, "
                        + "'DeliveryObject', :x)").param("o", delivery).param("r", e.requestId())
                        .param("x", e.packageId().toString()).update();
            }
            queue(e.requestId(), o, "outcome", m);
        });
    }

    private RecordSets recordSets;

    private synchronized RecordSets records() {
        if (recordSets == null) {
            recordSets = RecordSets.load(config.records(), config.receiverIdentifier());
        }
        return recordSets;
    }

    /** Writes the message to the outbox (in the caller's transaction), checked against the schemas if configured. */
    private void queue(UUID requestId, Origin o, String endpoint, Message m) {
        String body = Hi1.write(m.doc);
        schemas.ifPresent(s -> s.validate(Hi1.parse(body.getBytes(StandardCharsets.UTF_8), config.maxDepth())));
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        jdbc.sql("""
                insert into eevidence_outbox (id, request_id, country, endpoint, transaction_id, body, status, attempts,
                    next_at, created_at) values (:id, :r, :c, :e, :t, :b, 'PENDING', 0, :now, :now)""")
                .param("id", UUID.randomUUID()).param("r", requestId).param("c", o.country()).param("e", endpoint)
                .param("t", m.transaction).param("b", body).param("now", now).update();
        EevidenceProperties.MemberState state = config.memberStates().get(o.country());
        cases.record(requestId, "EEVIDENCE_QUEUED", "/eevidence/" + endpoint + " to " + o.country() + "/"
                + o.identifier() + " (transaction " + m.transaction + ")" + (state == null || state.outbound() == null
                        ? "; no endpoint is configured for " + o.country() + " yet, so it waits in the outbox" : ""));
    }

    // --- sending ---

    @Scheduled(fixedDelayString = "${habeas.eevidence.outbound-interval:30s}",
            initialDelayString = "${habeas.eevidence.outbound-interval:30s}")
    void scheduled() {
        try {
            sendDue();
        } catch (RuntimeException e) {
            LOG.error("e-Evidence outbox: a pass failed", e);
        }
    }

    /** Sends every message due whose state has an endpoint; returns how many were delivered. */
    int sendDue() {
        OffsetDateTime now = clock.instant().atOffset(ZoneOffset.UTC);
        List<Queued> due = jdbc.sql("""
                select id, request_id, country, endpoint, body, attempts from eevidence_outbox
                where status = 'PENDING' and next_at <= :now order by created_at""").param("now", now)
                .query((rs, n) -> new Queued(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class),
                        rs.getString(3).strip(), rs.getString(4), rs.getString(5), rs.getInt(6))).list();
        int sent = 0;
        for (Queued q : due) {
            EevidenceProperties.MemberState state = config.memberStates().get(q.country());
            if (state == null || state.outbound() == null) {
                continue;
            }
            // claim the message for one attempt: another node, or a pass still running, leaves it alone
            OffsetDateTime lease = now.plus(Duration.ofMinutes(2));
            int claimed = jdbc.sql("update eevidence_outbox set next_at = :l where id = :id and status = 'PENDING' "
                    + "and attempts = :a and next_at <= :now").param("l", lease).param("id", q.id())
                    .param("a", q.attempts()).param("now", now).update();
            if (claimed != 1) {
                continue;
            }
            sent += attempt(q, state) ? 1 : 0;
        }
        return sent;
    }

    private boolean attempt(Queued q, EevidenceProperties.MemberState state) {
        String url = state.outbound().toString().replaceAll("/+$", "") + "/" + q.endpoint();
        String problem;
        boolean refused = false;
        try {
            HttpResponse<String> r = client(q.country(), state).send(HttpRequest.newBuilder(URI.create(url))
                    .header("Content-Type", "application/xml").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofString(q.body())).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 200 && !r.body().contains("ErrorInformation>")) {
                tx.executeWithoutResult(s -> {
                    jdbc.sql("update eevidence_outbox set status = 'SENT', attempts = attempts + 1, sent_at = :now, "
                            + "last_error = null where id = :id").param("now", clock.instant().atOffset(ZoneOffset.UTC))
                            .param("id", q.id()).update();
                    cases.record(q.requestId(), "EEVIDENCE_SENT", "/eevidence/" + q.endpoint() + " delivered to "
                            + q.country() + " (attempt " + (q.attempts() + 1) + ").");
                });
                return true;
            }
            refused = r.statusCode() == 200;
            problem = r.statusCode() == 200 ? "answered with an error: " + Hi1.brief(errorOf(r.body()))
                    : "HTTP " + r.statusCode();
        } catch (IOException e) {
            problem = "no answer: " + Hi1.brief(String.valueOf(e.getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            problem = "interrupted";
        }
        int attempts = q.attempts() + 1;
        Duration wait = Duration.ofSeconds(Math.min(6 * 3600, 30L << Math.min(attempts, 20)));
        String detail = problem;
        boolean final_ = refused;
        tx.executeWithoutResult(s -> {
            jdbc.sql("update eevidence_outbox set attempts = :a, status = :s, next_at = :n, last_error = :e where id = :id")
                    .param("a", attempts).param("s", final_ ? "REFUSED" : "PENDING")
                    .param("n", clock.instant().plus(wait).atOffset(ZoneOffset.UTC))
                    .param("e", detail.length() > 1000 ? detail.substring(0, 1000) : detail).param("id", q.id()).update();
            cases.record(q.requestId(), "EEVIDENCE_SEND_FAILED", "/eevidence/" + q.endpoint() + " to " + q.country()
                    + ", attempt " + attempts + ": " + detail + (final_ ? "; not sent again" : "; next attempt in "
                            + wait.toMinutes() + " min"));
        });
        return false;
    }

    private static String errorOf(String body) {
        int i = body.indexOf("<ErrorCode>");
        int j = body.indexOf("</ErrorDescription>");
        return i >= 0 && j > i ? body.substring(i, j).replaceAll("<[^>]+>", " ") : body;
    }

    private synchronized HttpClient client(String country, EevidenceProperties.MemberState state) {
        return clients.computeIfAbsent(country, c -> {
            try {
                KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                KeyStore keys = KeyStore.getInstance("PKCS12");
                char[] password = state.clientKeyStorePassword().toCharArray();
                if (state.clientKeyStore() == null) {
                    keys.load(null, null);
                } else {
                    try (InputStream in = Files.newInputStream(state.clientKeyStore())) {
                        keys.load(in, password);
                    }
                }
                kmf.init(keys, password);
                KeyStore trust = KeyStore.getInstance("PKCS12");
                trust.load(null, null);
                int i = 0;
                for (java.nio.file.Path p : state.trust()) {
                    for (X509Certificate cert : MemberStates.read(p)) {
                        trust.setCertificateEntry("trust-" + i++, cert);
                    }
                }
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(i == 0 ? null : trust);
                SSLContext ssl = SSLContext.getInstance("TLS");
                ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
                return HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build();
            } catch (GeneralSecurityException | IOException e) {
                throw new IllegalStateException("habeas.eevidence.member-states." + c + ": the client certificate or "
                        + "trust cannot be read: " + e.getMessage(), e);
            }
        });
    }

    // --- building ---

    /** One HI-1 request from Habeas to the order's sender: Habeas's header, then the actions. */
    private final class Message {

        final Document doc = Hi1.newDocument();
        final String transaction = UUID.randomUUID().toString();
        final Element actions;
        int next;


        Message(Origin o) {
            this.order = o;
            Element root = doc.createElementNS(Hi1.CORE, "HI1Message");
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:xsi", Hi1.XSI);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:common", Hi1.COMMON);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:auth", Hi1.AUTH);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:task", Hi1.TASK);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:doc", Hi1.DOC);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:notification", Hi1.NOTIFICATION);
            root.setAttributeNS("http://www.w3.org/2000/xmlns/", "xmlns:delivery", Hi1.DELIVERY);
            doc.appendChild(root);
            Element h = Hi1.add(root, Hi1.CORE, "Header");
            endpoint(Hi1.add(h, Hi1.CORE, "SenderIdentifier"), config.receiverCountry(), config.receiverIdentifier());
            endpoint(Hi1.add(h, Hi1.CORE, "ReceiverIdentifier"), o.country(), o.identifier());
            Hi1.add(h, Hi1.CORE, "TransactionIdentifier", transaction);
            Hi1.add(h, Hi1.CORE, "Timestamp", responses.timestamp());
            Element v = Hi1.add(h, Hi1.CORE, "Version");
            Hi1.add(v, Hi1.CORE, "ETSIVersion", config.versions().getLast());
            Hi1.add(v, Hi1.CORE, "NationalProfileOwner", config.profileOwner());
            Hi1.add(v, Hi1.CORE, "NationalProfileVersion", config.profileVersion());
            actions = Hi1.add(Hi1.add(Hi1.add(root, Hi1.CORE, "Payload"), Hi1.CORE, "RequestPayload"), Hi1.CORE,
                    "ActionRequests");
        }

        private void endpoint(Element e, String country, String id) {
            Hi1.add(e, Hi1.CORE, "CountryCode", country);
            Hi1.add(e, Hi1.CORE, "UniqueIdentifier", id);
        }

        private Element object(String verb, String type, String id) {
            Element a = Hi1.add(actions, Hi1.CORE, "ActionRequest");
            Hi1.add(a, Hi1.CORE, "ActionIdentifier", String.valueOf(next++));
            Element o = Hi1.add(Hi1.add(a, Hi1.CORE, verb), Hi1.CORE, "HI1Object");
            o.setAttributeNS(Hi1.XSI, "xsi:type", type);
            Hi1.add(o, Hi1.CORE, "ObjectIdentifier", id);
            return o;
        }

        Element update(String type, String ns, String id) {
            return object("UPDATE", type, id);
        }

        void dict(Element parent, String ns, String qname, String owner, String name, String value) {
            Element d = Hi1.add(parent, ns, qname);
            Hi1.add(d, Hi1.COMMON, "common:Owner", owner);
            Hi1.add(d, Hi1.COMMON, "common:Name", name);
            Hi1.add(d, Hi1.COMMON, "common:Value", value);
        }

        private void owned(Element o, Origin order) {
            Hi1.add(o, Hi1.CORE, "CountryCode", config.receiverCountry());
            Hi1.add(o, Hi1.CORE, "OwnerIdentifier", config.receiverIdentifier());
            if (order.authorisation() != null) {
                Hi1.add(Hi1.add(o, Hi1.CORE, "AssociatedObjects"), Hi1.CORE, "AssociatedObject", order.authorisation());
            }
        }

        private final Origin order;

        /** A CREATE of a NotificationObject; its NotificationType only when the profile's dictionary is configured. */
        void notification(String type, String details, List<String[]> statuses) {
            Element n = object("CREATE", "notification:NotificationObject", UUID.randomUUID().toString());
            owned(n, order);
            Hi1.add(n, Hi1.NOTIFICATION, "notification:NotificationDetails", details.length() > 1000
                    ? details.substring(0, 999) + "…" : details);
            if (config.notificationDictionary().contains("/")) {
                String[] d = config.notificationDictionary().split("/", 2);
                dict(n, Hi1.NOTIFICATION, "notification:NotificationType", d[0], d[1], type);
            }
            Hi1.add(n, Hi1.NOTIFICATION, "notification:NewNotification", "true");
            Hi1.add(n, Hi1.NOTIFICATION, "notification:NotificationTimestamp",
                    clock.instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString());
            if (!statuses.isEmpty()) {
                Element list = Hi1.add(n, Hi1.NOTIFICATION, "notification:StatusOfAssociatedObjects");
                for (String[] s : statuses) {
                    Element a = Hi1.add(list, Hi1.NOTIFICATION, "notification:AssociatedObjectStatus");
                    Hi1.add(a, Hi1.NOTIFICATION, "notification:AssociatedObject", s[0]);
                    dict(a, Hi1.NOTIFICATION, "notification:Status", "ETSI", s[1], s[2]);
                }
            }
        }

        /** A CREATE or DELIVER of a DocumentObject carrying a PDF. */
        void document(String verb, String type, String name, byte[] pdf) {
            String id = UUID.randomUUID().toString();
            Element d;
            if (verb.equals("DELIVER")) {
                Element a = Hi1.add(actions, Hi1.CORE, "ActionRequest");
                Hi1.add(a, Hi1.CORE, "ActionIdentifier", String.valueOf(next++));
                Element deliver = Hi1.add(a, Hi1.CORE, "DELIVER");
                Hi1.add(deliver, Hi1.CORE, "Identifier", id);
                d = Hi1.add(deliver, Hi1.CORE, "HI1Object");
                d.setAttributeNS(Hi1.XSI, "xsi:type", "doc:DocumentObject");
                Hi1.add(d, Hi1.CORE, "ObjectIdentifier", id);
            } else {
                d = object(verb, "doc:DocumentObject", id);
            }
            owned(d, order);
            Hi1.add(d, Hi1.DOC, "doc:DocumentName", name);
            dict(d, Hi1.DOC, "doc:DocumentType", "ETSI", "EPOCDocumentType", type);
            Element b = Hi1.add(d, Hi1.DOC, "doc:DocumentBody");
            Hi1.add(b, Hi1.DOC, "doc:Contents", Base64.getEncoder().encodeToString(pdf));
            Hi1.add(b, Hi1.DOC, "doc:ContentType", "application/pdf");
        }

        /**
         * A DELIVER of one DeliveryObject for one task: the TS 103 705 record set, encrypted; returns its identifier.
         */
        String deliver(String taskId, String ldid, byte[] data, String filename, String keyId) {
            String id = UUID.randomUUID().toString();
            Element a = Hi1.add(actions, Hi1.CORE, "ActionRequest");
            Hi1.add(a, Hi1.CORE, "ActionIdentifier", String.valueOf(next++));
            Element deliver = Hi1.add(a, Hi1.CORE, "DELIVER");
            Hi1.add(deliver, Hi1.CORE, "Identifier", id);
            Element d = Hi1.add(deliver, Hi1.CORE, "HI1Object");
            d.setAttributeNS(Hi1.XSI, "xsi:type", "delivery:DeliveryObject");
            Hi1.add(d, Hi1.CORE, "ObjectIdentifier", id);
            Hi1.add(d, Hi1.CORE, "CountryCode", config.receiverCountry());
            Hi1.add(d, Hi1.CORE, "OwnerIdentifier", config.receiverIdentifier());
            Hi1.add(Hi1.add(d, Hi1.CORE, "AssociatedObjects"), Hi1.CORE, "AssociatedObject", taskId);
            if (ldid != null) {
                Hi1.add(Hi1.add(d, Hi1.DELIVERY, "delivery:Reference"), Hi1.DELIVERY, "delivery:LDID", ldid);
            }
            Hi1.add(d, Hi1.DELIVERY, "delivery:DeliveryID", id);
            Hi1.add(d, Hi1.DELIVERY, "delivery:SequenceNumber", "1");
            Hi1.add(d, Hi1.DELIVERY, "delivery:LastSequence", "true");
            dict(Hi1.add(d, Hi1.DELIVERY, "delivery:Manifest"), Hi1.DELIVERY, "delivery:Specification", "ETSI",
                    "ManifestSpecification", "TS103705");
            Element bin = Hi1.add(Hi1.add(d, Hi1.DELIVERY, "delivery:Delivery"), Hi1.DELIVERY, "delivery:BinaryData");
            Hi1.add(bin, Hi1.DELIVERY, "delivery:Data", Base64.getEncoder().encodeToString(data));
            Hi1.add(bin, Hi1.DELIVERY, "delivery:ContentType", "application/jose");
            Hi1.add(bin, Hi1.DELIVERY, "delivery:OriginalFilename", filename);
            Hi1.add(bin, Hi1.DELIVERY, "delivery:ContentLength", String.valueOf(data.length));
            Hi1.add(Hi1.add(d, Hi1.DELIVERY, "delivery:EncryptionDetails"), Hi1.DELIVERY,
                    "delivery:AdditionalInformation", "JWE (ECDH-ES+A256KW, A256GCM) to the requesting agency's "
                            + "registered key " + keyId + "; the plaintext is a TS 103 705 record set (application/json)");
            return id;
        }
    }
}
