package org.habeas.accounts;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

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

/**
 * Checks the detached JWS (RFC 7515 Appendix F, with the unencoded payload of RFC 7797: {@code "b64":false},
 * {@code "crit":["b64"]}) that an agency may send with a request, over the exact bytes of the request, against the
 * keys it registered. Ed25519 ({@code EdDSA}) and P-256 ({@code ES256}).
 */
@Service
public class Signatures {

    /** The header a signed request carries its compact detached JWS in: {@code BASE64URL(header)..BASE64URL(sig)}. */
    public static final String HEADER = "X-JWS-Signature";

    /** The outcome of a check, with the key id the signature named (if any) and a sentence for the sender. */
    public record Check(SenderVerification result, String kid, String detail) {
    }

    private final Agencies agencies;

    Signatures(Agencies agencies) {
        this.agencies = agencies;
    }

    /**
     * Checks a request from {@code agencyId}. {@code jws} is the header's value, or {@code null} when unsigned.
     * Failed checks that refuse the request are counted against the agency.
     */
    public Check check(UUID agencyId, byte[] body, String jws) {
        Agency agency = agencies.find(agencyId).orElseThrow(() -> new Agencies.Refused("agency", "no such agency"));
        Check c = agency.active() ? verify(agencyId, body, jws)
                : new Check(SenderVerification.AGENCY_SUSPENDED, null, "The agency " + agency.name() + " is suspended.");
        if (c.result().refused() || c.result() == SenderVerification.UNKNOWN_KEY) {
            agencies.recordFailure(agencyId, c.result().name(), c.kid());
        }
        return c;
    }

    private Check verify(UUID agencyId, byte[] body, String jws) {
        if (jws == null || jws.isBlank()) {
            return new Check(SenderVerification.UNSIGNED, null, "The request is not signed.");
        }
        JWSObject object;
        try {
            String[] parts = jws.strip().split("\\.", -1);
            if (parts.length != 3 || !parts[1].isEmpty()) {
                return bad(null, "The signature must be a compact JWS with a detached payload (header..signature).");
            }
            object = JWSObject.parse(jws.strip(), new Payload(body));
        } catch (ParseException e) {
            return bad(null, "The signature is not a JWS: " + e.getMessage());
        }
        JWSHeader header = object.getHeader();
        String kid = header.getKeyID();
        if (header.isBase64URLEncodePayload() || header.getCriticalParams() == null
                || !header.getCriticalParams().equals(Set.of("b64"))) {
            return bad(kid, "The signature must cover the unencoded request bytes: header \"b64\":false, \"crit\":[\"b64\"].");
        }
        if (kid == null) {
            return bad(null, "The signature's header names no key (\"kid\").");
        }
        Optional<AgencyKey> key = agencies.keys(agencyId).stream()
                .filter(k -> k.kid().equals(kid) && k.active()).findFirst();
        if (key.isEmpty()) {
            return new Check(SenderVerification.UNKNOWN_KEY, kid,
                    "The request is signed with key \"" + kid + "\", which is not registered for this agency.");
        }
        if (!key.get().algorithm().equals(header.getAlgorithm().getName())) {
            return bad(kid, "Key \"" + kid + "\" signs with " + key.get().algorithm() + ", not "
                    + header.getAlgorithm().getName() + ".");
        }
        try {
            if (object.verify(verifier(key.get()))) {
                return new Check(SenderVerification.VERIFIED, kid, "Signed with registered key \"" + kid + "\".");
            }
        } catch (JOSEException e) {
            // reported as a bad signature below
        }
        return bad(kid, "The signature does not match the request's bytes and key \"" + kid + "\".");
    }

    private static Check bad(String kid, String detail) {
        return new Check(SenderVerification.BAD_SIGNATURE, kid, detail);
    }

    private static JWSVerifier verifier(AgencyKey key) throws JOSEException {
        try {
            JWK jwk = JWK.parse(key.jwk());
            if (jwk instanceof ECKey ec) {
                return new ECDSAVerifier(ec.toECPublicKey(), Set.of("b64"));
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
