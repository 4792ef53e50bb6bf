package org.habeas.accounts;

import java.math.BigDecimal;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Service;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;

import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks the detached JWS (RFC 7515 Appendix F, with the unencoded payload of RFC 7797: {@code "b64":false},
 * {@code "crit":["b64"]}) that an agency may send with a request, over the exact bytes of the request, against the
 * keys it registered. Ed25519 ({@code EdDSA}, or the fully-specified {@code Ed25519} of RFC 9864) and P-256
 * ({@code ES256}).
 *
 * <p>A signature is fresh and used once: its protected header carries {@code iat} (when it was made, seconds since
 * the epoch), no older than {@code habeas.signatures.max-age} and not ahead of Habeas's clock by more than
 * {@code habeas.signatures.clock-skew}, and may carry a {@code jti}. Intake stores the {@code jti} and the SHA-256 of
 * the signed bytes of every verified request under a unique constraint per agency, so that the same signed request
 * is accepted once.
 */
@Service
public class Signatures {

    /** The header a signed request carries its compact detached JWS in: {@code BASE64URL(header)..BASE64URL(sig)}. */
    public static final String HEADER = "X-JWS-Signature";

    /** The header parameters Habeas understands when a sender lists them as critical. */
    private static final Set<String> UNDERSTOOD = Set.of("b64", "iat", "jti");
    private static final Set<String> ALGORITHMS = Set.of("EdDSA", "Ed25519", "ES256");
    private static final Pattern BASE64URL = Pattern.compile("[A-Za-z0-9_-]+");
    private static final JsonMapper HEADER_JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

    /**
     * The outcome of a check, with the key id the signature named (if any) and a sentence for the sender. A verified
     * check also gives the signature's {@code jti} (if it had one) and the SHA-256 (hex) of the signed bytes, which
     * must not have been accepted from the same agency before.
     */
    public record Check(SenderVerification result, String kid, String detail, String jti, String signedSha256) {

        public Check(SenderVerification result, String kid, String detail) {
            this(result, kid, detail, null, null);
        }
    }

    private final Agencies agencies;
    private final Clock clock;
    private final Duration maxAge;
    private final Duration clockSkew;

    Signatures(Agencies agencies, Clock clock,
            @Value("${habeas.signatures.max-age:24h}") Duration maxAge,
            @Value("${habeas.signatures.clock-skew:5m}") Duration clockSkew) {
        this.agencies = agencies;
        this.clock = clock;
        this.maxAge = maxAge;
        this.clockSkew = clockSkew;
    }

    /**
     * Checks a request from {@code agencyId}. {@code jws} is the header's value, or {@code null} when unsigned.
     * Failed checks that refuse the request are counted against the agency.
     */
    public Check check(UUID agencyId, byte[] body, String jws) {
        return check(agencies.find(agencyId).orElseThrow(() -> new Agencies.Refused("agency", "no such agency")), body,
                jws);
    }

    /** As {@link #check(UUID, byte[], String)}, for an agency the caller has read. */
    public Check check(Agency agency, byte[] body, String jws) {
        UUID agencyId = agency.id();
        Check c = agency.active()
                ? verify(body, jws, kid -> agencies.keys(agencyId).stream().filter(k -> k.kid().equals(kid)).findFirst(),
                        clock.instant(), maxAge, clockSkew)
                : new Check(SenderVerification.AGENCY_SUSPENDED, null, "The agency " + agency.name() + " is suspended.");
        if (c.result().refused() || c.result() == SenderVerification.UNKNOWN_KEY) {
            agencies.recordFailure(agencyId, c.result().name(), c.kid());
        }
        return c;
    }

    /** A verified signature that was accepted from the agency before: counted against the agency like a bad one. */
    public void replayed(UUID agencyId, String kid) {
        agencies.recordFailure(agencyId, SenderVerification.BAD_SIGNATURE.name(), kid);
    }

    /**
     * The check itself, without the database: {@code keys} finds the agency's key (active or revoked) by kid,
     * {@code now} is Habeas's clock.
     */
    static Check verify(byte[] body, String jws, Function<String, Optional<AgencyKey>> keys, Instant now,
            Duration maxAge, Duration clockSkew) {
        if (jws == null || jws.isBlank()) {
            return new Check(SenderVerification.UNSIGNED, null, "The request is not signed.");
        }
        String[] parts = jws.strip().split("\\.", -1);
        if (parts.length != 3 || !parts[1].isEmpty() || !BASE64URL.matcher(parts[0]).matches()
                || !BASE64URL.matcher(parts[2]).matches()) {
            return bad(null, "The signature must be a compact JWS with a detached payload: "
                    + "BASE64URL(header)..BASE64URL(signature).");
        }
        JsonNode header;
        try {
            header = HEADER_JSON.readTree(new Base64URL(parts[0]).decodeToString());
        } catch (RuntimeException e) {
            header = null;
        }
        if (header == null || !header.isObject()) {
            return bad(null, "The signature's protected header is not a JSON object.");
        }
        String kid = header.path("kid").isString() ? header.path("kid").stringValue() : null;
        Optional<String> problem = headerProblem(header);
        if (problem.isPresent()) {
            return bad(kid, problem.get());
        }
        Instant iat = numericDate(header.get("iat"));
        if (iat.isBefore(now.minus(maxAge))) {
            return bad(kid, "The signature was made at " + iat + ", more than " + human(maxAge)
                    + " ago; sign the request again.");
        }
        if (iat.isAfter(now.plus(clockSkew))) {
            return bad(kid, "The signature's \"iat\" (" + iat + ") is in the future by more than the allowed clock skew of "
                    + human(clockSkew) + ".");
        }
        String jti = header.has("jti") ? header.get("jti").stringValue() : null;
        Optional<AgencyKey> key = keys.apply(kid);
        if (key.isEmpty()) {
            return new Check(SenderVerification.UNKNOWN_KEY, kid,
                    "The request is signed with key \"" + kid + "\", which is not registered for this agency.");
        }
        if (!key.get().active()) {
            return bad(kid, "Key \"" + kid + "\" was revoked on " + key.get().revokedAt()
                    + "; requests signed with it are refused.");
        }
        String alg = header.get("alg").stringValue();
        if (!key.get().algorithm().equals(alg) && !(key.get().algorithm().equals("EdDSA") && alg.equals("Ed25519"))) {
            return bad(kid, "Key \"" + kid + "\" signs with " + key.get().algorithm() + ", not " + alg + ".");
        }
        boolean valid;
        try {
            JWSObject object = JWSObject.parse(jws.strip(), new Payload(body));
            valid = object.verify(verifier(key.get()));
        } catch (ParseException | JOSEException | RuntimeException e) {
            valid = false;
        }
        if (!valid) {
            return bad(kid, "The signature does not match the request's bytes and key \"" + kid + "\".");
        }
        return new Check(SenderVerification.VERIFIED, kid, "Signed with registered key \"" + kid + "\".", jti,
                sha256(body));
    }

    /** What is wrong with a protected header, if anything: the parameters RFC 7515, RFC 7797 and Habeas require. */
    private static Optional<String> headerProblem(JsonNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isString() || !ALGORITHMS.contains(alg.stringValue())) {
            return Optional.of("The signature's header must name its algorithm: \"alg\" is EdDSA, Ed25519 or ES256.");
        }
        JsonNode b64 = header.get("b64");
        JsonNode crit = header.get("crit");
        if (b64 == null || !b64.isBoolean() || b64.booleanValue() || crit == null || !crit.isArray() || crit.isEmpty()) {
            return Optional.of("The signature must cover the unencoded request bytes: header \"b64\":false, "
                    + "\"crit\":[\"b64\"].");
        }
        Set<String> critical = new HashSet<>();
        for (JsonNode name : crit) {
            if (!name.isString() || !critical.add(name.stringValue())) {
                return Optional.of("The header's \"crit\" must list distinct parameter names.");
            }
            if (!UNDERSTOOD.contains(name.stringValue())) {
                return Optional.of("The header's \"crit\" names \"" + name.stringValue()
                        + "\", which Habeas does not understand (it understands b64, iat and jti).");
            }
            if (!header.has(name.stringValue())) {
                return Optional.of("The header's \"crit\" names \"" + name.stringValue() + "\", which the header lacks.");
            }
        }
        if (!critical.contains("b64")) {
            return Optional.of("The signature must cover the unencoded request bytes: header \"b64\":false, "
                    + "\"crit\":[\"b64\"].");
        }
        JsonNode kid = header.get("kid");
        if (kid == null || !kid.isString() || kid.stringValue().isEmpty() || kid.stringValue().length() > 200) {
            return Optional.of("The signature's header names no key (\"kid\").");
        }
        JsonNode iat = header.get("iat");
        if (iat == null) {
            return Optional.of("The signature's header must say when it was made: \"iat\", in seconds since 1970.");
        }
        if (numericDate(iat) == null) {
            return Optional.of("The signature's \"iat\" must be a number of seconds since 1970.");
        }
        JsonNode jti = header.get("jti");
        if (jti != null && (!jti.isString() || jti.stringValue().isEmpty() || jti.stringValue().length() > 200)) {
            return Optional.of("The signature's \"jti\" must be a string of 1 to 200 characters.");
        }
        return Optional.empty();
    }

    /** A NumericDate (RFC 7519): seconds since the epoch, possibly with a fraction; null if it is not one. */
    private static Instant numericDate(JsonNode n) {
        if (n == null || !n.isNumber()) {
            return null;
        }
        BigDecimal seconds = n.decimalValue();
        if (seconds.signum() < 0 || seconds.compareTo(BigDecimal.valueOf(253402300799L)) > 0) {
            return null;
        }
        return Instant.ofEpochSecond(seconds.longValue(),
                seconds.remainder(BigDecimal.ONE).movePointRight(9).intValue());
    }

    private static String human(Duration d) {
        if (d.toMinutesPart() == 0 && d.toSecondsPart() == 0 && d.toHours() > 0) {
            return d.toHours() + (d.toHours() == 1 ? " hour" : " hours");
        }
        if (d.toSecondsPart() == 0) {
            return d.toMinutes() + (d.toMinutes() == 1 ? " minute" : " minutes");
        }
        return d.toSeconds() + " seconds";
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static Check bad(String kid, String detail) {
        return new Check(SenderVerification.BAD_SIGNATURE, kid, detail);
    }

    private static JWSVerifier verifier(AgencyKey key) throws JOSEException {
        try {
            JWK jwk = JWK.parse(key.jwk());
            if (jwk instanceof ECKey ec) {
                return new ECDSAVerifier(ec.toECPublicKey(), UNDERSTOOD);
            }
            return new Ed25519Verifier((OctetKeyPair) jwk);
        } catch (ParseException e) {
            throw new JOSEException("stored key is not a JWK", e);
        }
    }

    /**
     * Ed25519 signatures through the Java platform's own EdDSA provider (JDK 15+); nimbus's own Ed25519 verifier
     * would need Google Tink for the same operation.
     */
    static final class Ed25519Verifier implements JWSVerifier {

        /** DER prefix of an X.509 SubjectPublicKeyInfo for Ed25519 (RFC 8410), followed by the 32-byte key. */
        private static final byte[] X509_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

        private final PublicKey key;
        private final JCAContext jca = new JCAContext();

        Ed25519Verifier(OctetKeyPair jwk) throws JOSEException {
            byte[] x = jwk.getDecodedX();
            byte[] der = new byte[X509_PREFIX.length + x.length];
            System.arraycopy(X509_PREFIX, 0, der, 0, X509_PREFIX.length);
            System.arraycopy(x, 0, der, X509_PREFIX.length, x.length);
            try {
                key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                throw new JOSEException("not an Ed25519 public key", e);
            }
        }

        @Override
        public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) throws JOSEException {
            if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && !JWSAlgorithm.Ed25519.equals(header.getAlgorithm())) {
                return false;
            }
            try {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(signingInput);
                return s.verify(signature.decode());
            } catch (GeneralSecurityException e) {
                return false;
            }
        }

        @Override
        public Set<JWSAlgorithm> supportedJWSAlgorithms() {
            return Set.of(JWSAlgorithm.EdDSA, JWSAlgorithm.Ed25519);
        }

        @Override
        public JCAContext getJCAContext() {
            return jca;
        }
    }

}
