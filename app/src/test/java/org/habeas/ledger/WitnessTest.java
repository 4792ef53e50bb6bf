package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.HabeasApplication;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Two Habeas instances in one test: one serves a log and submits its checkpoints to the other, running in witness
 * mode. The log's checkpoint is served with the witness's cosignature, which verifies; the witness refuses a
 * checkpoint that is not consistent with what it cosigned (422), a stale old size (409 with its size), an unknown
 * log (404) and a bad signature (403).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WitnessTest {

    private ConfigurableApplicationContext witness;
    private ConfigurableApplicationContext log;
    private LogKey logKey;
    private String witnessUrl;
    private String logUrl;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeAll
    void start() throws Exception {
        Path logHome = Files.createTempDirectory("habeas-log");
        Path witnessHome = Files.createTempDirectory("habeas-witness");
        // the log's key exists before either starts, so that the witness can be told whom it witnesses
        logKey = LogKey.loadOrCreate(logHome.resolve("ledger").resolve("log-key"), "log.example/habeas");

        Map<String, Object> w = common(witnessHome);
        w.put("habeas.witness.enabled", true);
        w.put("habeas.witness.name", "watchdog.example/witness");
        w.put("habeas.witness.logs", logKey.verifier().encoded());
        witness = new SpringApplicationBuilder(HabeasApplication.class).run(args(w));
        witnessUrl = "http://localhost:" + port(witness) + "/witness/";
        String witnessKey = get(witnessUrl + "vkey").body().strip();

        Map<String, Object> l = common(logHome);
        l.put("habeas.ledger.origin", "log.example/habeas");
        l.put("habeas.ledger.witnesses", witnessUrl + " " + witnessKey);
        log = new SpringApplicationBuilder(HabeasApplication.class).run(args(l));
        logUrl = "http://localhost:" + port(log) + "/log/";
    }

    private static Map<String, Object> common(Path home) {
        Map<String, Object> p = new HashMap<>();
        p.put("server.port", 0);
        p.put("habeas.home", home.toString());
        p.put("habeas.demo.enabled", false);
        p.put("habeas.ledger.checkpoint-interval", "1h");
        p.put("spring.datasource.url", "jdbc:h2:mem:witness-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH");
        p.put("logging.level.root", "WARN");
        return p;
    }

    /** As command-line arguments, which take precedence over application.properties. */
    private static String[] args(Map<String, Object> p) {
        return p.entrySet().stream().map(e -> "--" + e.getKey() + "=" + e.getValue()).toArray(String[]::new);
    }

    private static int port(ConfigurableApplicationContext ctx) {
        return ((WebServerApplicationContext) ctx).getWebServer().getPort();
    }

    @AfterAll
    void stop() {
        if (log != null) {
            log.close();
        }
        if (witness != null) {
            witness.close();
        }
    }

    private void grow(int entries) {
        LedgerStore store = log.getBean(LedgerStore.class);
        TransactionTemplate tx = log.getBean(TransactionTemplate.class);
        for (int i = 0; i < entries; i++) {
            byte[] e = ("{\"v\":1,\"w\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            tx.executeWithoutResult(s -> store.addPending(e, "2025-H1", "TEST", null, Instant.now()));
        }
        log.getBean(Sequencer.class).integrateAll();
        log.getBean(CheckpointSigner.class).sign();
    }

    @Test
    void theLogsCheckpointIsServedWithAWitnessCosignatureThatVerifies() throws Exception {
        grow(5);
        assertThat(log.getBean(WitnessClient.class).publish()).isEqualTo(1);
        grow(300);
        assertThat(log.getBean(WitnessClient.class).publish()).isEqualTo(1);

        String checkpoint = get(logUrl + "checkpoint").body();
        assertThat(checkpoint).contains("\u2014 log.example/habeas ").contains("\u2014 watchdog.example/witness ");
        Note.Verifier witnessKey = Note.Verifier.parse(get(witnessUrl + "vkey").body().strip());
        LogVerifier.Summary s = LogVerifier.verify(path -> {
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(logUrl + path)).build(),
                        HttpResponse.BodyHandlers.ofByteArray());
                return new LogVerifier.Response(r.statusCode(), r.body());
            } catch (InterruptedException e) {
                throw new java.io.IOException(e);
            }
        }, logKey.verifier(), List.of(witnessKey), Files.createTempDirectory("state"), p -> { });
        assertThat(s.cosigners()).containsExactly("watchdog.example/witness");
        assertThat(s.size()).isGreaterThanOrEqualTo(305);
    }

    @Test
    void theWitnessRefusesWhatIsNotConsistentWithWhatItCosigned() throws Exception {
        grow(3);
        log.getBean(WitnessClient.class).publish();
        long cosigned = log.getBean(LedgerStore.class).latestCheckpoint().orElseThrow().size();

        // a checkpoint that rewrites history: larger, validly signed by the log's key, but from another tree
        MemoryTree forged = new MemoryTree();
        for (int i = 0; i < cosigned + 2; i++) {
            forged.appendData(("forged " + i).getBytes(StandardCharsets.UTF_8));
        }
        Checkpoint fake = new Checkpoint("log.example/habeas", cosigned + 2, forged.root());
        String note = Note.format(fake.body(), List.of(logKey.sign(fake.body())));
        StringBuilder proof = new StringBuilder();
        Merkle.consistencyProof(forged, cosigned, cosigned + 2)
                .forEach(h -> proof.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        HttpResponse<String> inconsistent = post("old " + cosigned + "\n" + proof + "\n" + note);
        assertThat(inconsistent.statusCode()).isEqualTo(422);
        assertThat(inconsistent.body()).contains("not consistent");

        HttpResponse<String> stale = post("old 0\n\n" + note);
        assertThat(stale.statusCode()).isEqualTo(409);
        assertThat(stale.headers().firstValue("Content-Type")).get().asString().startsWith("text/x.tlog.size");
        assertThat(stale.body().strip()).isEqualTo(Long.toString(cosigned));

        LogKey stranger = LogKey.loadOrCreate(Files.createTempDirectory("k").resolve("key"), "log.example/habeas");
        HttpResponse<String> badSignature = post("old " + cosigned + "\n\n"
                + Note.format(fake.body(), List.of(stranger.sign(fake.body()))));
        assertThat(badSignature.statusCode()).isEqualTo(403);

        Checkpoint other = new Checkpoint("other.example/log", 1, forged.root());
        assertThat(post("old 0\n\n" + Note.format(other.body(), List.of(logKey.sign(other.body())))).statusCode())
                .isEqualTo(404);
        assertThat(post("old 9\n\n" + note.replace("\n\n", "\n")).statusCode()).isEqualTo(400);
        // and what it cosigned stays: the real log still advances
        grow(2);
        assertThat(log.getBean(WitnessClient.class).publish()).isEqualTo(1);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(witnessUrl + "add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
