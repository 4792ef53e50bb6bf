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
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The demo's certificates for the e-Evidence channel, made at the first start into {@code <home>/eevidence-demo/}
 * and kept there (never in the repository): a CA and a client certificate for a fictional German national system,
 * and Habeas's own server certificate. With them the demo's mutual-TLS connector runs as a real one would, and the
 * demo sends one EPOC through it.
 */
public final class DemoPki {

    /** The files, in {@code <home>/eevidence-demo/}. */
    public static final String DIR = "eevidence-demo";
    static final String SERVER = "habeas-server.p12";
    static final String SERVER_CA = "habeas-server-ca.pem";
    static final String STATE_CA = "de-system-ca.pem";
    static final String STATE_CLIENT = "de-system.p12";
    static final String PASSWORD = "password";

    private static final SecureRandom RANDOM = new SecureRandom();

    private DemoPki() {
    }

    /**
     * Makes the certificates unless they exist, and returns the settings of the demo's e-Evidence channel: a
     * connector on a free port that takes the German demo system's certificates.
     */
    public static Map<String, Object> prepare(Path home) {
        Path dir = home.resolve(DIR);
        try {
            Files.createDirectories(dir);
            if (!Files.exists(dir.resolve(PASSWORD)) || !Files.exists(dir.resolve(SERVER))
                    || !Files.exists(dir.resolve(STATE_CLIENT))) {
                byte[] secret = new byte[18];
                RANDOM.nextBytes(secret);
                char[] password = HexFormat.of().formatHex(secret).toCharArray();
                KeyPair serverCaKeys = keys();
                X509Certificate serverCa = sign("CN=Habeas demo server CA", serverCaKeys, "CN=Habeas demo server CA",
                        serverCaKeys, true, null);
                KeyPair serverKeys = keys();
                X509Certificate server = sign("CN=localhost", serverKeys, "CN=Habeas demo server CA", serverCaKeys,
                        false, "localhost");
                KeyPair stateCaKeys = keys();
                X509Certificate stateCa = sign("CN=DE demo e-Evidence system CA", stateCaKeys,
                        "CN=DE demo e-Evidence system CA", stateCaKeys, true, null);
                KeyPair clientKeys = keys();
                X509Certificate client = sign("CN=de-demo-national-system", clientKeys,
                        "CN=DE demo e-Evidence system CA", stateCaKeys, false, null);
                pkcs12(dir.resolve(SERVER), serverKeys, password, server, serverCa);
                pkcs12(dir.resolve(STATE_CLIENT), clientKeys, password, client, stateCa);
                pem(dir.resolve(SERVER_CA), serverCa);
                pem(dir.resolve(STATE_CA), stateCa);
                Files.writeString(dir.resolve(PASSWORD), new String(password));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the demo's e-Evidence certificates cannot be made", e);
        }
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("habeas.eevidence.port", "0");
        settings.put("habeas.eevidence.key-store", dir.resolve(SERVER).toString());
        settings.put("habeas.eevidence.key-store-password", password(home));
        settings.put("habeas.eevidence.member-states.DE.certificates", dir.resolve(STATE_CA).toString());
        settings.put("habeas.eevidence.receiver-country", "IE");
        settings.put("habeas.eevidence.receiver-identifier", "habeas-demo");
        return settings;
    }

    static String password(Path home) {
        try {
            return Files.readString(home.resolve(DIR).resolve(PASSWORD)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void pkcs12(Path file, KeyPair keys, char[] password, X509Certificate leaf, X509Certificate issuer)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("key", keys.getPrivate(), password, new Certificate[] {leaf, issuer});
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, password);
        }
    }

    private static void pem(Path file, X509Certificate c) throws IOException, GeneralSecurityException {
        Files.writeString(file, "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes())
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    }

    private static KeyPair keys() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    private static X509Certificate sign(String subject, KeyPair subjectKeys, String issuer, KeyPair issuerKeys,
            boolean ca, String dnsName) throws GeneralSecurityException {
        try {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, RANDOM), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(Duration.ofDays(3650))), new X500Name(subject), subjectKeys.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (dnsName != null) {
                b.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress,
                                "127.0.0.1")}));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                    "SHA256withECDSA").build(issuerKeys.getPrivate())));
        } catch (org.bouncycastle.operator.OperatorCreationException | org.bouncycastle.cert.CertIOException e) {
            throw new GeneralSecurityException(e);
        }
    }
}
