package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which member state a client certificate belongs to: the certificates configured for each state are the issuers
 * of its national system's client certificates (or those certificates themselves). A certificate that chains to
 * one state's issuer speaks for that state only.
 */
final class MemberStates {

    private final Map<String, List<X509Certificate>> byState = new LinkedHashMap<>();
    private final Clock clock;

    MemberStates(Map<String, EevidenceProperties.MemberState> config, Clock clock) {
        this.clock = clock;
        config.forEach((state, ms) -> {
            if (!state.matches("[A-Z]{2}")) {
                throw new IllegalStateException("habeas.eevidence.member-states: " + state
                        + " is not a two-letter country code");
            }
            List<X509Certificate> certs = new ArrayList<>();
            for (Path p : ms.certificates()) {
                certs.addAll(read(p));
            }
            byState.put(state, List.copyOf(certs));
        });
    }

    /** Every configured certificate, as the TLS connector's trust store. */
    KeyStore trustStore() {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Map.Entry<String, List<X509Certificate>> e : byState.entrySet()) {
                for (X509Certificate c : e.getValue()) {
                    ks.setCertificateEntry(e.getKey() + "-" + i++, c);
                }
            }
            return ks;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean isEmpty() {
        return byState.isEmpty();
    }

    /** The member state whose issuer signed this client certificate (or that configured it), if any. */
    Optional<String> stateOf(X509Certificate[] chain) {
        if (chain == null || chain.length == 0) {
            return Optional.empty();
        }
        X509Certificate leaf = chain[0];
        try {
            leaf.checkValidity(java.util.Date.from(clock.instant()));
        } catch (CertificateException e) {
            return Optional.empty();
        }
        for (Map.Entry<String, List<X509Certificate>> e : byState.entrySet()) {
            for (X509Certificate trusted : e.getValue()) {
                if (trusted.equals(leaf) || issued(trusted, chain)) {
                    return Optional.of(e.getKey());
                }
            }
        }
        return Optional.empty();
    }

    /** Whether the chain leads from the leaf to {@code issuer}, each certificate signed by the next. */
    private static boolean issued(X509Certificate issuer, X509Certificate[] chain) {
        for (int i = 0; i < chain.length; i++) {
            X509Certificate c = chain[i];
            if (i > 0 && !signedBy(chain[i - 1], c)) {
                return false;
            }
            if (c.equals(issuer) && i > 0) {
                return true;
            }
            if (signedBy(c, issuer)) {
                return true;
            }
        }
        return false;
    }

    private static boolean signedBy(X509Certificate cert, X509Certificate issuer) {
        if (!cert.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            return false;
        }
        try {
            cert.verify(issuer.getPublicKey());
            return true;
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    static List<X509Certificate> read(Path pem) {
        try (InputStream in = Files.newInputStream(pem)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            if (out.isEmpty()) {
                throw new IllegalStateException("habeas.eevidence.member-states: no certificate in " + pem);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (CertificateException e) {
            throw new IllegalStateException("habeas.eevidence.member-states: " + pem + " is not a PEM certificate", e);
        }
    }
}
