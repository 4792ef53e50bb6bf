package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;

/** The demo's e-Evidence certificates are made once into the data directory, and its EPOC is one Habeas reads. */
class DemoPkiTest {

    @Test
    void theCertificatesAreMadeOnceAndTheGermanSystemsClientCertificateIsIssuedByItsCa() throws Exception {
        Path home = TestDatabases.home("eevidence-demo-pki");
        Map<String, Object> settings = DemoPki.prepare(home);
        Path dir = home.resolve(DemoPki.DIR);
        assertThat(settings).containsEntry("habeas.eevidence.port", "0")
                .containsEntry("habeas.eevidence.member-states.DE.certificates", dir.resolve(DemoPki.STATE_CA).toString());
        byte[] client = Files.readAllBytes(dir.resolve(DemoPki.STATE_CLIENT));
        String password = DemoPki.password(home);
        assertThat(password).hasSizeGreaterThanOrEqualTo(32);
        // a second start keeps what the first made
        assertThat(DemoPki.prepare(home)).isEqualTo(settings);
        assertThat(Files.readAllBytes(dir.resolve(DemoPki.STATE_CLIENT))).isEqualTo(client);
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dir.resolve(DemoPki.STATE_CLIENT))) {
            ks.load(in, password.toCharArray());
        }
        java.security.cert.X509Certificate cert = (java.security.cert.X509Certificate) ks.getCertificate("key");
        java.security.cert.X509Certificate ca = MemberStates.read(dir.resolve(DemoPki.STATE_CA)).getFirst();
        cert.verify(ca.getPublicKey());
        assertThat(new MemberStates(Map.of("DE", new EevidenceProperties.MemberState(List.of(dir.resolve(
                DemoPki.STATE_CA)), null, null, "", List.of(), false, List.of())), java.time.Clock.systemUTC())
                .stateOf(new java.security.cert.X509Certificate[] {cert})).contains("DE");
    }

    @Test
    void theDemoEpocIsAnOrderHabeasReads() {
        EevidenceProperties config = new EevidenceProperties(null, null, "", "PKCS12", Map.of(), "IE", "habeas-demo",
                List.of("V1.18.1", "V1.20.1", "V1.21.1", "V1.22.1", "V1.23.1"), "EU", "v1.2.1", null, 1 << 20, 64, "", null);
        byte[] message = DemoEpoc.message(java.time.Clock.systemUTC());
        Epoc epoc = new EpocReader(Dictionaries.bundled(), 60).read(Hi1Message.read(Hi1.parse(message, 64), config),
                Epoc.Kind.PRODUCTION);
        assertThat(epoc.created()).hasSize(4);
        assertThat(epoc.request().path("instrument").stringValue()).isEqualTo("EU_EEVIDENCE");
        assertThat(DemoEpoc.message(java.time.Clock.systemUTC())).isNotEqualTo(message);
    }
}
