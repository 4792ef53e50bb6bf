package org.habeas.eevidence;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The demo's EPOC: once, into a database that has received none, the fictional German national system sends a
 * European Production Order over mutual TLS with the certificates {@link DemoPki} made, so a newcomer finds one in
 * the queue, received exactly as a member state's would be.
 */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
@Order(3) // after the demo agencies and requests
class DemoEpoc implements ApplicationRunner {

    static final String SENDER = "issuing-authority-1";
    static final String AGENCY = "Staatsanwaltschaft Beispielstadt";

    private static final Logger LOG = LoggerFactory.getLogger(DemoEpoc.class);

    private final Path home;
    private final EevidenceConfiguration.MutualTlsConnector connector;
    private final EevidenceReceiver receiver;
    private final EevidenceStore store;
    private final Agencies agencies;
    private final JdbcClient jdbc;
    private final Clock clock;

    DemoEpoc(@Value("${habeas.home}") Path home, EevidenceConfiguration.MutualTlsConnector connector,
            EevidenceReceiver receiver, EevidenceStore store, Agencies agencies, JdbcClient jdbc, Clock clock) {
        this.home = home;
        this.connector = connector;
        this.receiver = receiver;
        this.store = store;
        this.agencies = agencies;
        this.jdbc = jdbc;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) throws Exception {
        Path dir = home.resolve(DemoPki.DIR);
        if (connector.port() <= 0 || !Files.isRegularFile(dir.resolve(DemoPki.STATE_CLIENT))
                || jdbc.sql("select count(*) from eevidence_message").query(Long.class).single() > 0) {
            return;
        }
        if (store.agencyOf("DE", SENDER).isEmpty()) {
            Agency agency = agencies.list().stream().filter(a -> a.name().equals(AGENCY)).findFirst()
                    .orElseGet(() -> agencies.register(AGENCY, "DE", Agency.Kind.PROSECUTOR, List.of()));
            receiver.bind("DE", SENDER, agency.id());
        }
        String answer = send(dir, "production", message());
        if (answer.contains("ErrorInformation")) {
            LOG.warn("Demo mode: the demo EPOC was refused: {}", Hi1.brief(answer));
        } else {
            LOG.info("Demo mode: an EPOC from the German demo system arrived over mutual TLS on port {} "
                    + "(certificates in {}); it is in the queue.", connector.port(), dir);
        }
    }

    /** The demo message, with fresh identifiers and the current time. */
    static byte[] message(Clock clock) {
        try (InputStream in = DemoEpoc.class.getResourceAsStream("/eevidence/demo-epoc.xml")) {
            String xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> values = Map.of("TX", UUID.randomUUID().toString(), "AUTH", UUID.randomUUID()
                    .toString(), "TASK1", UUID.randomUUID().toString(), "TASK2", UUID.randomUUID().toString(), "DOC",
                    UUID.randomUUID().toString(), "REF", "DEMO-" + UUID.randomUUID().toString().substring(0, 8),
                    "TS", Hi1Responses.MICROSECONDS.format(clock.instant().atOffset(ZoneOffset.UTC)));
            for (Map.Entry<String, String> v : values.entrySet()) {
                xml = xml.replace("{{" + v.getKey() + "}}", v.getValue());
            }
            if (xml.contains("{{")) {
                throw new IllegalStateException("the demo EPOC has a placeholder without a value");
            }
            return xml.getBytes(StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private byte[] message() {
        return message(clock);
    }

    /** Plays the German system: posts the message with its client certificate, trusting Habeas's demo CA. */
    private String send(Path dir, String endpoint, byte[] body) throws Exception {
        char[] password = DemoPki.password(home).toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve(DemoPki.STATE_CLIENT))) {
            keys.load(in, password);
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        int i = 0;
        for (java.security.cert.X509Certificate c : MemberStates.read(dir.resolve(DemoPki.SERVER_CA))) {
            trust.setCertificateEntry("ca-" + i++, c);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + connector.port() + "/eevidence/"
                    + endpoint)).header("Content-Type", "application/xml").timeout(Duration.ofSeconds(30))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
        }
    }
}
