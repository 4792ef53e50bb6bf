package org.habeas.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;

/** The registry of requesting agencies, their signing keys and call-back numbers. */
@Service
public class Agencies {

    private final JdbcClient jdbc;
    private final Clock clock;
    private final org.springframework.context.ApplicationEventPublisher events;

    Agencies(JdbcClient jdbc, Clock clock, org.springframework.context.ApplicationEventPublisher events) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.events = events;
    }

    /** Something about an agency that cannot be done, naming the field at fault. */
    public static final class Refused extends RuntimeException {
        private final String field;

        public Refused(String field, String message) {
            super(message);
            this.field = field;
        }

        public String field() {
            return field;
        }
    }

    @Transactional
    public Agency register(String name, String state, Agency.Kind kind, List<String> emailDomains) {
        if (name == null || name.isBlank() || name.length() > 300) {
            throw new Refused("name", "must be 1 to 300 characters");
        }
        if (state == null || !state.matches("[A-Z]{2}")) {
            throw new Refused("state", "must be an ISO 3166-1 alpha-2 code such as FR");
        }
        if (kind == null) {
            throw new Refused("kind", "must be one of " + Arrays.toString(Agency.Kind.values()));
        }
        List<String> domains = emailDomains == null ? List.of() : emailDomains.stream()
                .map(String::strip).filter(d -> !d.isEmpty()).map(String::toLowerCase).distinct().toList();
        for (String d : domains) {
            if (!d.matches("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+")) {
                throw new Refused("emailDomains", "'" + d + "' is not a domain name");
            }
        }
        Agency a = new Agency(UUID.randomUUID(), name.strip(), state, kind, domains, Agency.Status.ACTIVE,
                clock.instant(), true, null);
        jdbc.sql("""
                insert into accounts_agency (id, name, state, kind, email_domains, status, created_at)
                values (:id, :name, :state, :kind, :domains, :status, :at)""")
                .param("id", a.id()).param("name", a.name()).param("state", a.state())
                .param("kind", a.kind().name()).param("domains", String.join(",", domains))
                .param("status", a.status().name()).param("at", utc(a.createdAt()))
                .update();
        return a;
    }

    public Optional<Agency> find(UUID id) {
        return jdbc.sql("select * from accounts_agency where id = :id").param("id", id)
                .query(Agencies::agency).optional();
    }

    public List<Agency> list() {
        return jdbc.sql("select * from accounts_agency order by state, name").query(Agencies::agency).list();
    }

    /** The agencies' names by id, for showing senders next to requests. */
    public Map<UUID, Agency> byId() {
        return list().stream().collect(Collectors.toMap(Agency::id, a -> a));
    }

    public Agency setStatus(UUID id, Agency.Status status) {
        int n = jdbc.sql("update accounts_agency set status = :status where id = :id")
                .param("status", status.name()).param("id", id).update();
        if (n == 0) {
            throw new Refused("agency", "no such agency");
        }
        return find(id).orElseThrow();
    }

    /** Whether the agency's officers must sign in with a second factor. */
    public Agency setRequesterTwoFactor(UUID id, boolean required) {
        int n = jdbc.sql("update accounts_agency set requester_two_factor = :r where id = :id")
                .param("r", required).param("id", id).update();
        if (n == 0) {
            throw new Refused("agency", "no such agency");
        }
        return find(id).orElseThrow();
    }

    /** The languages an agency's letters can be written in (ISO 639-1). */
    public static final List<String> LETTER_LANGUAGES = List.of("en", "fr", "es");

    /** The language the agency reads its letters in: one of {@link #LETTER_LANGUAGES}, or null for the default. */
    public Agency setLanguage(UUID id, String language) {
        String l = language == null || language.isBlank() ? null : language.strip().toLowerCase(java.util.Locale.ROOT);
        if (l != null && !LETTER_LANGUAGES.contains(l)) {
            throw new Refused("language", "must be one of " + String.join(", ", LETTER_LANGUAGES) + ", or empty for the default");
        }
        int n = jdbc.sql("update accounts_agency set language = :l where id = :id").param("l", l).param("id", id).update();
        if (n == 0) {
            throw new Refused("agency", "no such agency");
        }
        return find(id).orElseThrow();
    }

    /**
     * Registers a public signing key given as a JWK: Ed25519 ({@code "kty":"OKP","crv":"Ed25519"}) or P-256
     * ({@code "kty":"EC","crv":"P-256"}); it must carry a {@code kid} and no private part.
     */
    @Transactional
    public AgencyKey addKey(UUID agencyId, String jwkJson, String addedBy) {
        find(agencyId).orElseThrow(() -> new Refused("agency", "no such agency"));
        JWK jwk;
        try {
            jwk = JWK.parse(jwkJson);
        } catch (ParseException | RuntimeException e) {
            // the parser's own words name its internals; say what a key must be instead
            throw new Refused("jwk", "is not a JSON Web Key: give a JSON object with \"kty\", \"crv\", \"x\" (and \"y\" "
                    + "for P-256) and a \"kid\"");
        }
        if (jwk.isPrivate()) {
            throw new Refused("jwk", "contains a private key; register only the public key");
        }
        String algorithm;
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            algorithm = "EdDSA";
        } else if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            algorithm = "ES256";
        } else {
            throw new Refused("jwk", "must be an Ed25519 (OKP) or P-256 (EC) public key");
        }
        String kid = jwk.getKeyID();
        if (kid == null || kid.isBlank() || kid.length() > 200) {
            throw new Refused("jwk", "needs a \"kid\" of 1 to 200 characters");
        }
        AgencyKey key = new AgencyKey(agencyId, kid, algorithm, jwk.toPublicJWK().toJSONString(), addedBy,
                clock.instant(), null);
        try {
            jdbc.sql("""
                    insert into accounts_agency_key (agency_id, kid, algorithm, jwk, added_by, added_at)
                    values (:agency, :kid, :alg, :jwk, :by, :at)""")
                    .param("agency", agencyId).param("kid", kid).param("alg", algorithm).param("jwk", key.jwk())
                    .param("by", addedBy).param("at", utc(key.addedAt())).update();
        } catch (DuplicateKeyException e) {
            throw new Refused("jwk", "this agency already has a key with kid \"" + kid + "\"");
        }
        return key;
    }

    public void revokeKey(UUID agencyId, String kid) {
        int n = jdbc.sql("""
                update accounts_agency_key set revoked_at = :at
                where agency_id = :agency and kid = :kid and revoked_at is null""")
                .param("at", utc(clock.instant())).param("agency", agencyId).param("kid", kid).update();
        if (n == 0) {
            throw new Refused("kid", "no active key with this kid");
        }
    }

    public List<AgencyKey> keys(UUID agencyId) {
        return jdbc.sql("select * from accounts_agency_key where agency_id = :agency order by added_at")
                .param("agency", agencyId)
                .query((rs, i) -> new AgencyKey(rs.getObject("agency_id", UUID.class), rs.getString("kid"),
                        rs.getString("algorithm"), rs.getString("jwk"), rs.getString("added_by"),
                        instant(rs, "added_at"), instant(rs, "revoked_at")))
                .list();
    }

    public CallbackNumber addCallbackNumber(UUID agencyId, String number, String label, String recordedBy) {
        find(agencyId).orElseThrow(() -> new Refused("agency", "no such agency"));
        if (number == null || !number.strip().matches("\\+?[0-9 ()./-]{3,40}")) {
            throw new Refused("number", "must be a telephone number such as +33 1 23 45 67 89");
        }
        if (label == null || label.isBlank() || label.length() > 200) {
            throw new Refused("label", "must say whose number it is and where it came from (1 to 200 characters)");
        }
        CallbackNumber n = new CallbackNumber(UUID.randomUUID(), agencyId, number.strip(), label.strip(), recordedBy,
                clock.instant());
        jdbc.sql("""
                insert into accounts_callback_number (id, agency_id, number, label, recorded_by, recorded_at)
                values (:id, :agency, :number, :label, :by, :at)""")
                .param("id", n.id()).param("agency", agencyId).param("number", n.number()).param("label", n.label())
                .param("by", recordedBy).param("at", utc(n.recordedAt())).update();
        return n;
    }

    public List<CallbackNumber> callbackNumbers(UUID agencyId) {
        return jdbc.sql("select * from accounts_callback_number where agency_id = :agency order by recorded_at")
                .param("agency", agencyId)
                .query((rs, i) -> new CallbackNumber(rs.getObject("id", UUID.class),
                        rs.getObject("agency_id", UUID.class), rs.getString("number"), rs.getString("label"),
                        rs.getString("recorded_by"), instant(rs, "recorded_at")))
                .list();
    }

    public Optional<CallbackNumber> callbackNumber(UUID id) {
        return jdbc.sql("select agency_id from accounts_callback_number where id = :id").param("id", id)
                .query(UUID.class).optional()
                .flatMap(agency -> callbackNumbers(agency).stream().filter(n -> n.id().equals(id)).findFirst());
    }

    /** Records a signature check that refused a request from this agency at the door. */
    void recordFailure(UUID agencyId, String result, String kid) {
        jdbc.sql("insert into accounts_sender_failure (agency_id, at, result, kid) values (:agency, :at, :result, :kid)")
                .param("agency", agencyId).param("at", utc(clock.instant())).param("result", result)
                .param("kid", kid).update();
        events.publishEvent(new SignatureFailed(agencyId));
    }

    /** Signature checks that refused this agency's requests, by result. */
    public Map<String, Long> failures(UUID agencyId) {
        return jdbc.sql("""
                select result, count(*) n from accounts_sender_failure where agency_id = :agency group by result""")
                .param("agency", agencyId)
                .query((rs, i) -> Map.entry(rs.getString("result"), rs.getLong("n")))
                .list().stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    private static Agency agency(ResultSet rs, int row) throws SQLException {
        String domains = rs.getString("email_domains");
        return new Agency(rs.getObject("id", UUID.class), rs.getString("name"), rs.getString("state"),
                Agency.Kind.valueOf(rs.getString("kind")),
                domains.isEmpty() ? List.of() : List.of(domains.split(",")),
                Agency.Status.valueOf(rs.getString("status")), instant(rs, "created_at"),
                rs.getBoolean("requester_two_factor"), rs.getString("language"));
    }

    static OffsetDateTime utc(Instant t) {
        return t == null ? null : t.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
