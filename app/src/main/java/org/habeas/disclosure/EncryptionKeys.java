package org.habeas.disclosure;

import java.text.ParseException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.AgencyKey;
import org.habeas.accounts.Agencies;
import org.habeas.casework.Cases;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The keys agencies receive production packages with: public P-256 keys for key agreement (ECDH-ES, as the
 * package's JWE uses), registered apart from the keys agencies sign requests with. The newest active key of an
 * agency is the one packages are encrypted for.
 */
@Service
public class EncryptionKeys {

    /** An agency's registered encryption key: its public JWK only. */
    public record EncryptionKey(UUID agencyId, String kid, String jwk, String addedBy, Instant addedAt, Instant revokedAt) {
        public boolean active() {
            return revokedAt == null;
        }
    }

    private final Agencies agencies;
    private final JdbcClient jdbc;
    private final Clock clock;

    EncryptionKeys(Agencies agencies, JdbcClient jdbc, Clock clock) {
        this.agencies = agencies;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    /**
     * Registers a public P-256 key ({@code "kty":"EC","crv":"P-256"}) with a {@code kid}; {@code "use"}, if given,
     * must be {@code "enc"} and {@code "alg"}, if given, an ECDH-ES algorithm. A key the agency already signs with
     * is refused: one key for two purposes is what RFC 7517 §4.2 {@code use} exists to prevent.
     */
    @Transactional
    public EncryptionKey register(UUID agencyId, String jwkJson, String addedBy) {
        agencies.find(agencyId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "agency", "no such agency"));
        JWK jwk;
        try {
            jwk = JWK.parse(jwkJson == null ? "" : jwkJson);
        } catch (ParseException | RuntimeException e) {
            throw invalid("is not a JSON Web Key: give a JSON object with \"kty\":\"EC\", \"crv\":\"P-256\", \"x\", \"y\" and a \"kid\"");
        }
        if (jwk.isPrivate()) {
            throw invalid("contains a private key; register only the public key and keep the private one to open packages");
        }
        if (!(jwk instanceof ECKey ec) || !Curve.P_256.equals(ec.getCurve())) {
            throw invalid("must be a P-256 (\"kty\":\"EC\", \"crv\":\"P-256\") public key");
        }
        if (jwk.getKeyUse() != null && !KeyUse.ENCRYPTION.equals(jwk.getKeyUse())) {
            throw invalid("has \"use\":\"" + jwk.getKeyUse().identifier() + "\"; an encryption key has \"use\":\"enc\"");
        }
        if (jwk.getAlgorithm() != null && !JWEAlgorithm.Family.ECDH_ES.contains(JWEAlgorithm.parse(jwk.getAlgorithm().getName()))) {
            throw invalid("has \"alg\":\"" + jwk.getAlgorithm().getName() + "\"; packages use ECDH-ES+A256KW");
        }
        String kid = jwk.getKeyID();
        if (kid == null || kid.isBlank() || kid.length() > 200) {
            throw invalid("needs a \"kid\" of 1 to 200 characters");
        }
        String thumbprint = thumbprint(jwk);
        for (AgencyKey signing : agencies.keys(agencyId)) {
            if (signing.active() && thumbprint.equals(thumbprintOf(signing.jwk()))) {
                throw invalid("is one of the agency's signing keys; register a separate key for encryption");
            }
        }
        EncryptionKey key = new EncryptionKey(agencyId, kid, ec.toPublicJWK().toJSONString(), addedBy, clock.instant(), null);
        try {
            jdbc.sql("""
                    insert into disclosure_encryption_key (agency_id, kid, jwk, added_by, added_at)
                    values (:agency, :kid, :jwk, :by, :at)""")
                    .param("agency", agencyId).param("kid", kid).param("jwk", key.jwk()).param("by", addedBy)
                    .param("at", key.addedAt().atOffset(ZoneOffset.UTC)).update();
        } catch (DuplicateKeyException e) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "jwk", "this agency already has an encryption key with kid \"" + kid + "\"");
        }
        return key;
    }

    public void revoke(UUID agencyId, String kid) {
        int n = jdbc.sql("""
                update disclosure_encryption_key set revoked_at = :at
                where agency_id = :agency and kid = :kid and revoked_at is null""")
                .param("at", clock.instant().atOffset(ZoneOffset.UTC)).param("agency", agencyId).param("kid", kid).update();
        if (n == 0) {
            throw new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "kid", "no active encryption key with this kid");
        }
    }

    public List<EncryptionKey> list(UUID agencyId) {
        return jdbc.sql("select * from disclosure_encryption_key where agency_id = :agency order by added_at")
                .param("agency", agencyId)
                .query((rs, i) -> new EncryptionKey(rs.getObject("agency_id", UUID.class), rs.getString("kid"),
                        rs.getString("jwk"), rs.getString("added_by"),
                        rs.getObject("added_at", OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("revoked_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null)))
                .list();
    }

    /** The key a package for this agency is encrypted for: its newest active encryption key. */
    public Optional<ECKey> current(UUID agencyId) {
        if (agencyId == null) {
            return Optional.empty();
        }
        List<EncryptionKey> active = list(agencyId).stream().filter(EncryptionKey::active).toList();
        for (int i = active.size() - 1; i >= 0; i--) {
            try {
                return Optional.of(ECKey.parse(active.get(i).jwk()));
            } catch (ParseException e) {
                // stored only after parsing; an unreadable row is skipped rather than used
            }
        }
        return Optional.empty();
    }

    /** Of these agencies, those with an active encryption key that can be read, in one query. */
    public java.util.Set<UUID> withKey(java.util.Collection<UUID> agencyIds) {
        java.util.Set<UUID> out = new java.util.HashSet<>();
        List<UUID> ids = agencyIds.stream().filter(java.util.Objects::nonNull).distinct().toList();
        if (ids.isEmpty()) {
            return out;
        }
        jdbc.sql("select agency_id, jwk from disclosure_encryption_key where agency_id in (:agencies) and revoked_at is null")
                .param("agencies", ids)
                .query((rs, i) -> {
                    try {
                        ECKey.parse(rs.getString("jwk"));
                        out.add(rs.getObject("agency_id", UUID.class));
                    } catch (ParseException e) {
                        // stored only after parsing; an unreadable row is skipped rather than used (as current does)
                    }
                    return null;
                }).list();
        return out;
    }

    private static String thumbprint(JWK jwk) {
        try {
            return jwk.computeThumbprint().toString();
        } catch (JOSEException e) {
            throw invalid("cannot be read as a key");
        }
    }

    private static String thumbprintOf(String json) {
        try {
            return JWK.parse(json).computeThumbprint().toString();
        } catch (ParseException | JOSEException e) {
            return "";
        }
    }

    private static Cases.Refused invalid(String message) {
        return new Cases.Refused(Cases.Refused.Kind.INVALID, "jwk", message);
    }
}
