package org.habeas.disclosure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.casework.Cases;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.json.CanonicalJson;
import org.habeas.ledger.LogKey;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;
import org.habeas.trust.SenderTrust;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.nimbusds.jose.jwk.ECKey;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executing a decision: fetches exactly the approved scope from the {@link EvidenceSource}, packs it with a signed
 * manifest, encrypts it for the requesting agency's registered encryption key ({@link EncryptionKeys}), and offers
 * it to the agency's officers until it expires. Nothing is produced while a condition such as an unconfirmed
 * emergency sender is open; {@link #readiness} says beforehand what blocks execution and who can clear it.
 */
@Service
public class Production implements org.habeas.intake.RequestExtension {

    /** Why a decision cannot be executed yet: the field at fault, what is missing and who can fix it. */
    public record Blocker(String field, String text) {
    }

    /**
     * Whether the request has a decision to execute ({@code due}), and if so what, if anything, blocks it. The
     * request page offers Execute only when {@code due} and nothing blocks.
     */
    public record Readiness(boolean due, List<Blocker> blockers, String registerAt) {
        public boolean executable() {
            return due && blockers.isEmpty();
        }
    }

    /** Where an agency's officer registers the agency's encryption key. */
    public static final String REGISTER_PAGE = "/portal/encryption-key";

    /**
     * What one execution produced, published in its transaction before the case moves to EXECUTING, for channels
     * that hand the data over themselves (the e-Evidence {@code outcome}): every file with the target and data
     * category it was fetched for, and the recipient's encryption key. Exactly the approved scope, as packaged.
     */
    public record Packaged(UUID requestId, UUID packageId, Instant at, ECKey recipient, List<Item> items) {
    }

    /** One file of a package, with what it was fetched for. */
    public record Item(String targetType, String targetValue, String category, LocalDate from, LocalDate to,
            EvidenceSource.EvidenceFile file) {
    }

    /** A package as listed: never its content. */
    public record Package(UUID id, UUID requestId, Instant createdAt, String createdBy, Instant expiresAt,
            String recipientKid, String manifest, Instant receivedAt, String receivedBy) {
    }

    private static final List<String> PRODUCING = List.of("PRODUCTION", "PARTIAL_TRAFFIC_DISCLOSURE", "EMERGENCY_DISCLOSURE");

    private final Cases cases;
    private final Intake intake;
    private final Agencies agencies;
    private final SenderTrust trust;
    private final EncryptionKeys keys;
    private final EvidenceSource source;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final AccessRecord access;
    private final Clock clock;
    private final LogKey operator;
    private final Duration offeredFor;
    private final org.springframework.context.ApplicationEventPublisher events;

    Production(Cases cases, Intake intake, Agencies agencies, SenderTrust trust, EncryptionKeys keys, EvidenceSource source,
            JdbcClient jdbc,
            JsonMapper json, AccessRecord access, Clock clock, @Value("${habeas.home}") Path home,
            @Value("${habeas.disclosure.operator-name:habeas-operator}") String operatorName,
            @Value("${habeas.disclosure.package-days:14}") int packageDays,
            org.springframework.context.ApplicationEventPublisher events) throws IOException {
        this.events = events;
        this.cases = cases;
        this.intake = intake;
        this.agencies = agencies;
        this.trust = trust;
        this.keys = keys;
        this.source = source;
        this.jdbc = jdbc;
        this.json = json;
        this.access = access;
        this.clock = clock;
        this.operator = LogKey.loadOrCreate(home.resolve("disclosure").resolve("operator-key"), operatorName);
        this.offeredFor = Duration.ofDays(packageDays);
    }

    /** The operator's verifier key, with which recipients check manifests. */
    public Note.Verifier operatorKey() {
        return operator.verifier();
    }

    @Transactional
    public Package produce(UUID requestId) {
        Caller caller = Caller.require();
        if (!caller.role().casework()) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "role", "staff execute decisions");
        }
        ReceivedRequest r = intake.find(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND,
                "request", "Request " + requestId + " does not exist."));
        Cases.Case c = cases.find(requestId).orElseThrow();
        Cases.Decision d = c.decision();
        if (!due(c)) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "state", "only an accepted or narrowed decision is executed");
        }
        List<Blocker> blockers = blockers(r);
        if (!blockers.isEmpty()) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, blockers.get(0).field(), blockers.get(0).text());
        }
        ECKey recipient = keys.current(r.agencyId()).orElseThrow();

        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        Cases.Scope s = d.scope();
        List<String> categories = s != null && s.dataCategories() != null ? s.dataCategories() : body.dataCategories();
        List<EvidenceRequest.Target> targets = body.targets().stream()
                .filter(t -> s == null || s.targets() == null || s.targets().contains(t.value())).toList();
        LocalDate from = s != null && s.periodFrom() != null ? LocalDate.parse(s.periodFrom())
                : body.period() == null || body.period().from() == null ? null : body.period().from();
        LocalDate to = s != null && s.periodTo() != null ? LocalDate.parse(s.periodTo())
                : body.period() == null || body.period().to() == null ? null : body.period().to();

        Map<String, byte[]> files = new LinkedHashMap<>();
        List<Item> items = new java.util.ArrayList<>();
        for (EvidenceRequest.Target t : targets) {
            for (String category : categories) {
                for (EvidenceSource.EvidenceFile f : source.fetch(t.type(), t.value(), category, from, to)) {
                    files.put(f.name(), f.content());
                    items.add(new Item(t.type(), t.value(), category, from, to, f));
                }
            }
        }
        Instant now = clock.instant();
        ObjectNode m = json.createObjectNode();
        m.put("v", 1);
        m.put("request", r.id().toString());
        m.put("reference", r.reference());
        m.put("agency", String.valueOf(r.agencyId()));
        m.put("decision", d.outcome().name());
        m.put("generatedAt", now.toString());
        ObjectNode scope = m.putObject("scope");
        categories.forEach(scope.putArray("dataCategories")::add);
        ArrayNode ts = scope.putArray("targets");
        targets.forEach(t -> ts.add(t.value()));
        scope.put("from", from == null ? null : from.toString());
        scope.put("to", to == null ? null : to.toString());
        ArrayNode list = m.putArray("files");
        files.forEach((name, content) -> list.addObject().put("name", name).put("size", content.length)
                .put("sha256", HexFormat.of().formatHex(Merkle.sha256().digest(content))));
        byte[] manifest = CanonicalJson.write(m).getBytes(StandardCharsets.UTF_8);
        byte[] zip = Packages.zip(manifest, operator.signRaw(manifest), files);
        String jwe = Packages.encrypt(zip, recipient);

        Package p = new Package(UUID.randomUUID(), requestId, now, caller.name(), now.plus(offeredFor),
                recipient.getKeyID(), new String(manifest, StandardCharsets.UTF_8), null, null);
        jdbc.sql("""
                insert into disclosure_package (id, request_id, created_at, created_by, expires_at, recipient_kid, manifest, jwe)
                values (:id, :r, :at, :by, :exp, :kid, :m, :jwe)""")
                .param("id", p.id()).param("r", requestId).param("at", now.atOffset(ZoneOffset.UTC))
                .param("by", caller.name()).param("exp", p.expiresAt().atOffset(ZoneOffset.UTC))
                .param("kid", p.recipientKid()).param("m", p.manifest()).param("jwe", jwe).update();
        events.publishEvent(new Packaged(requestId, p.id(), now, recipient, List.copyOf(items)));
        cases.executing(requestId, files.size() + " files for " + targets.size() + " accounts, "
                + String.join(", ", categories) + "; offered until " + p.expiresAt());
        return p;
    }

    /** A package as downloaded: the compact JWE and the file name it is saved under. */
    public record Download(String filename, String jwe) {
    }

    /** The file name of a request's package: {@code habeas-package-<reference>.jwe}, the reference made safe. */
    static String filename(String reference) {
        String safe = reference == null ? "" : reference.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[-.]+|-+$", "");
        return "habeas-package-" + (safe.isEmpty() ? "request" : safe) + ".jwe";
    }

    /** The encrypted package, for an officer of the recipient agency, until it expires. Every download is recorded. */
    public Download download(UUID requestId) {
        Caller caller = Caller.require();
        ReceivedRequest r = intake.find(requestId).filter(x -> caller.is(UserRole.REQUESTER)
                && caller.maySeeRequestOf(x.agencyId())).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND,
                "request", "Request " + requestId + " does not exist."));
        if (r.agencyId() == null || agencies.find(r.agencyId()).filter(org.habeas.accounts.Agency::active).isEmpty()) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "agency",
                    "the agency is suspended: its packages are not released while it is");
        }
        var row = jdbc.sql("select id, jwe, expires_at from disclosure_package where request_id = :r order by created_at desc")
                .param("r", r.id()).query((rs, i) -> new Object[] {rs.getObject("id", UUID.class), rs.getString("jwe"),
                        rs.getObject("expires_at", java.time.OffsetDateTime.class).toInstant()})
                .optional().orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "package", "no package"));
        if (row[1] == null || clock.instant().isAfter((Instant) row[2])) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "package", "the package has expired");
        }
        access.record(caller.name(), caller.role().name(), "DOWNLOAD_PACKAGE", requestId.toString(), row[0].toString());
        return new Download(filename(r.reference()), (String) row[1]);
    }

    /** The requester confirms receipt; the case closes. */
    @Transactional
    public void confirmReceipt(UUID requestId) {
        Caller caller = Caller.require();
        intake.find(requestId).filter(x -> caller.is(UserRole.REQUESTER) && caller.maySeeRequestOf(x.agencyId()))
                .orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "request", "no such request"));
        int n = jdbc.sql("update disclosure_package set received_at = :now, received_by = :by where request_id = :r and received_at is null")
                .param("now", clock.instant().atOffset(ZoneOffset.UTC)).param("by", caller.name()).param("r", requestId).update();
        if (n == 0) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "package", "there is no package waiting for receipt");
        }
        cases.closeOnReceipt(requestId);
    }

    public List<Package> packages(UUID requestId) {
        return jdbc.sql("select * from disclosure_package where request_id = :r order by created_at").param("r", requestId)
                .query((rs, i) -> new Package(rs.getObject("id", UUID.class), requestId,
                        rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("created_by"),
                        rs.getObject("expires_at", java.time.OffsetDateTime.class).toInstant(), rs.getString("recipient_kid"),
                        rs.getString("manifest"), Optional.ofNullable(rs.getObject("received_at", java.time.OffsetDateTime.class))
                                .map(java.time.OffsetDateTime::toInstant).orElse(null), rs.getString("received_by")))
                .list();
    }

    /** What blocks executing this request's decision now, and who can clear it; for the request page and the API. */
    public Readiness readiness(UUID requestId) {
        ReceivedRequest r = intake.find(requestId).orElse(null);
        Cases.Case c = r == null ? null : cases.find(requestId).orElse(null);
        // a preservation or a real-time measure is carried out elsewhere: there is no package to produce
        if (c == null || !due(c) || !PRODUCING.contains(r.measure())) {
            return new Readiness(false, List.of(), REGISTER_PAGE);
        }
        return new Readiness(true, blockers(r), REGISTER_PAGE);
    }

    @Override
    public String name() {
        return "execution";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        Readiness r = readiness(requestId);
        return r.due() ? Optional.of(r) : Optional.empty();
    }

    private static boolean due(Cases.Case c) {
        Cases.Decision d = c.decision();
        return d != null && c.state() == org.habeas.casework.CaseState.DECIDED
                && (d.outcome() == org.habeas.casework.Outcome.ACCEPT || d.outcome() == org.habeas.casework.Outcome.NARROW);
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(List<ReceivedRequest> requests) {
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        java.util.Map<UUID, Cases.Case> found = cases.findAll(requests.stream().map(ReceivedRequest::id).toList());
        List<ReceivedRequest> due = requests.stream()
                .filter(r -> found.containsKey(r.id()) && due(found.get(r.id())) && PRODUCING.contains(r.measure())).toList();
        if (due.isEmpty()) {
            return out;
        }
        java.util.Map<UUID, List<String>> open = trust.openConditions(due);
        java.util.Set<UUID> withKey = keys.withKey(due.stream().map(ReceivedRequest::agencyId).toList());
        for (ReceivedRequest r : due) {
            out.put(r.id(), new Readiness(true, blockers(r, open.get(r.id()), withKey.contains(r.agencyId())), REGISTER_PAGE));
        }
        return out;
    }

    private List<Blocker> blockers(ReceivedRequest r) {
        if (!PRODUCING.contains(r.measure())) {
            return blockers(r, List.of(), true);
        }
        return blockers(r, trust.openConditions(r.id()), keys.current(r.agencyId()).isPresent());
    }

    private List<Blocker> blockers(ReceivedRequest r, List<String> openConditions, boolean hasKey) {
        List<Blocker> out = new java.util.ArrayList<>();
        if (!PRODUCING.contains(r.measure())) {
            out.add(new Blocker("measure", r.measure() + " produces no data"));
            return out;
        }
        for (String open : openConditions) {
            out.add(new Blocker("conditions", switch (open) {
                case "ASSESSMENT_MISSING" -> "the request has not been assessed yet";
                case SenderTrust.VERIFY -> "the sender is not verified: call the agency back on a number Habeas holds for it "
                        + "and record a call-back that confirms the request (staff)";
                default -> "a condition is still open: " + open;
            }));
        }
        if (!hasKey) {
            out.add(new Blocker("agencyKey", "the requesting agency has no encryption key to receive the package with: "
                    + "ask its officers to register one at " + REGISTER_PAGE + " (or POST /api/v1/encryption-keys), "
                    + "or an administrator to register the key they send at POST /api/v1/agencies/" + r.agencyId()
                    + "/encryption-keys"));
        }
        return out;
    }
}
