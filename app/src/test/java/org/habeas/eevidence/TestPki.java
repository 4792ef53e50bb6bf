package org.habeas.eevidence;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Certificates made in the test: member-state CAs, their systems' client certificates, Habeas's server certificate. */
final class TestPki {

    static final char[] PASSWORD = "changeit".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    record Issued(KeyPair keys, X509Certificate certificate, Issued issuer) {
    }

    private TestPki() {
    }

    static Issued ca(String name) {
        KeyPair k = keys();
        return new Issued(k, sign(new X500Name("CN=" + name), k, new X500Name("CN=" + name), k, true, null), null);
    }

    static Issued issue(Issued ca, String name, String dnsName) {
        KeyPair k = keys();
        X500Name issuer = new X500Name(ca.certificate().getSubjectX500Principal().getName());
        return new Issued(k, sign(new X500Name("CN=" + name), k, issuer, ca.keys(), false, dnsName), ca);
    }

    /** The certificate as a PEM file. */
    static Path pem(Path dir, String file, X509Certificate c) {
        try {
            Path p = dir.resolve(file);
            Files.writeString(p, "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n");
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The key and its chain as a PKCS #12 file. */
    static Path pkcs12(Path dir, String file, Issued leaf) {
        try (OutputStream out = Files.newOutputStream(dir.resolve(file))) {
            keyStore(leaf).store(out, PASSWORD);
            return dir.resolve(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A client that presents {@code client} (or no certificate) and trusts servers issued by {@code serverCa}. */
    static SSLContext client(Issued client, Issued serverCa) {
        try {
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            if (client == null) {
                KeyStore empty = KeyStore.getInstance("PKCS12");
                empty.load(null, null);
                kmf.init(empty, PASSWORD);
            } else {
                kmf.init(keyStore(client), PASSWORD);
            }
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("server-ca", serverCa.certificate());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), RANDOM);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore keyStore(Issued leaf) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        Certificate[] chain = leaf.issuer() == null ? new Certificate[] {leaf.certificate()}
                : new Certificate[] {leaf.certificate(), leaf.issuer().certificate()};
        ks.setKeyEntry("key", leaf.keys().getPrivate(), PASSWORD, chain);
        return ks;
    }

    private static KeyPair keys() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate sign(X500Name subject, KeyPair subjectKeys, X500Name issuer, KeyPair issuerKeys,
            boolean ca, String dnsName) {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), subject,
                    subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsName != null) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, "127.0.0.1")}));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
