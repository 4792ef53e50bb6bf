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
 * log (404) and a bad signature (403). Then each case of C2SP tlog-witness add-checkpoint on its own log (the
 * {@code spec…} tests), the size-0 checkpoint, and a checkpoint with extension lines.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WitnessTest {

    private ConfigurableApplicationContext witness;
    private ConfigurableApplicationContext log;
    private LogKey logKey;
    private String witnessUrl;
    private String logUrl;
    private final HttpClient http = HttpClient.newHttpClient();
    private static final List<String> CASES = List.of("ok", "unknownsig", "badold", "stale", "proof", "fork",
            "emptyroot", "emptyfork", "ext", "badreq");
    private final Map<String, LogKey> caseKeys = new HashMap<>();

    @BeforeAll
    void start() throws Exception {
        Path logHome = Files.createTempDirectory("habeas-log");
        Path witnessHome = Files.createTempDirectory("habeas-witness");
        // the log's key exists before either starts, so that the witness can be told whom it witnesses
        logKey = LogKey.loadOrCreate(logHome.resolve("ledger").resolve("log-key"), "log.example/habeas");
        // one log per spec case below, so that the cases do not share the witness's record
        StringBuilder witnessed = new StringBuilder(logKey.verifier().encoded());
        for (String c : CASES) {
            LogKey k = LogKey.loadOrCreate(witnessHome.resolve("case-keys").resolve(c), c + ".example/log");
            caseKeys.put(c, k);
            witnessed.append(',').append(k.verifier().encoded());
        }

        Map<String, Object> w = common(witnessHome);
        w.put("habeas.witness.enabled", true);
        w.put("habeas.witness.name", "watchdog.example/witness");
        w.put("habeas.witness.logs", witnessed.toString());
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

    // ---- C2SP tlog-witness add-checkpoint, one test per case the spec names ----

    private static final String EMPTY_ROOT = Base64.getEncoder().encodeToString(Merkle.emptyRoot());

    /** A tree of {@code n} leaves named after {@code seed}. */
    private static MemoryTree tree(String seed, long n) {
        MemoryTree t = new MemoryTree();
        for (int i = 0; i < n; i++) {
            t.appendData((seed + " " + i).getBytes(StandardCharsets.UTF_8));
        }
        return t;
    }

    private String body(String c, long size, byte[] root) {
        return c + ".example/log\n" + size + "\n" + Base64.getEncoder().encodeToString(root) + "\n";
    }

    private String signed(String c, String body) {
        return Note.format(body, List.of(caseKeys.get(c).sign(body)));
    }

    private static String proof(MemoryTree t, long from, long to) {
        StringBuilder p = new StringBuilder();
        Merkle.consistencyProof(t, from, to).forEach(h -> p.append(Base64.getEncoder().encodeToString(h)).append('\n'));
        return p.toString();
    }

    /** The cosignature lines of a 200 answer, each checked against the witness's key on {@code body}. */
    private List<Long> cosignatureTimes(HttpResponse<String> r, String body) throws Exception {
        assertThat(r.statusCode()).isEqualTo(200);
        Note.Verifier w = Note.Verifier.parse(get(witnessUrl + "vkey").body().strip());
        Note.Parsed parsed = Note.parse(body + "\n" + r.body());
        assertThat(parsed.signatures()).isNotEmpty();
        List<Long> times = new java.util.ArrayList<>();
        for (Note.Sig s : parsed.signatures()) {
            times.add(Cosignature.verify(body, s, w));
        }
        return times;
    }

    private static void assertConflict(HttpResponse<String> r, long size) {
        assertThat(r.statusCode()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).get().asString().startsWith("text/x.tlog.size");
        assertThat(r.body()).isEqualTo(size + "\n");
    }

    @Test
    void spec200CosignsAConsistentCheckpointAndRecordsIt() throws Exception {
        MemoryTree t = tree("ok", 9);
        String first = body("ok", 4, t.root(4));
        long before = Instant.now().getEpochSecond();
        assertThat(cosignatureTimes(post("old 0\n\n" + signed("ok", first)), first))
                .allSatisfy(time -> assertThat(time).isBetween(before - 1, Instant.now().getEpochSecond() + 1));
        String second = body("ok", 9, t.root());
        cosignatureTimes(post("old 4\n" + proof(t, 4, 9) + "\n" + signed("ok", second)), second);
        // the record moved to 9: the old size 4 is now stale
        assertConflict(post("old 4\n" + proof(t, 4, 9) + "\n" + signed("ok", second)), 9);
        // resubmitting the recorded checkpoint itself is cosigned again
        cosignatureTimes(post("old 9\n\n" + signed("ok", second)), second);
    }

    @Test
    void spec200IgnoresSignaturesFromUnknownKeys() throws Exception {
        String b = body("unknownsig", 3, tree("unknownsig", 3).root());
        LogKey stranger = LogKey.loadOrCreate(Files.createTempDirectory("k").resolve("key"), "someone.example/else");
        String note = Note.format(b, List.of(stranger.sign(b), caseKeys.get("unknownsig").sign(b)));
        cosignatureTimes(post("old 0\n\n" + note), b);
    }

    @Test
    void spec404ForAnUnknownOrigin() throws Exception {
        LogKey unknown = LogKey.loadOrCreate(Files.createTempDirectory("k").resolve("key"), "unknown.example/log");
        String b = "unknown.example/log\n1\n" + Base64.getEncoder().encodeToString(tree("u", 1).root()) + "\n";
        HttpResponse<String> r = post("old 0\n\n" + Note.format(b, List.of(unknown.sign(b))));
        assertThat(r.statusCode()).isEqualTo(404);
    }

    @Test
    void spec403WhenNoSignatureVerifiesAgainstTheTrustedKey() throws Exception {
        String b = body("ok", 2, tree("forbidden", 2).root());
        LogKey impostor = LogKey.loadOrCreate(Files.createTempDirectory("k").resolve("key"), "ok.example/log");
        LogKey stranger = LogKey.loadOrCreate(Files.createTempDirectory("k").resolve("key"), "someone.example/else");
        assertThat(post("old 0\n\n" + Note.format(b, List.of(impostor.sign(b)))).statusCode()).isEqualTo(403);
        assertThat(post("old 0\n\n" + Note.format(b, List.of(stranger.sign(b)))).statusCode()).isEqualTo(403);
    }

    @Test
    void spec400WhenTheOldSizeIsLargerThanTheCheckpoint() throws Exception {
        String b = body("badold", 2, tree("badold", 2).root());
        assertThat(post("old 3\n\n" + signed("badold", b)).statusCode()).isEqualTo(400);
        // and nothing was recorded: the log is still at 0
        cosignatureTimes(post("old 0\n\n" + signed("badold", b)), b);
    }

    @Test
    void spec400ForARequestThatIsNotOldSizeProofBlankLineCheckpoint() throws Exception {
        String b = body("badreq", 2, tree("badreq", 2).root());
        String note = signed("badreq", b);
        assertThat(post("old 0\n" + note).statusCode()).isEqualTo(400); // no blank line after the old size
        assertThat(post("old 00\n\n" + note).statusCode()).isEqualTo(400); // leading zero
        assertThat(post("old 0\nnot base64!\n\n" + note).statusCode()).isEqualTo(400);
        StringBuilder tooLong = new StringBuilder("old 0\n");
        for (int i = 0; i < 64; i++) {
            tooLong.append(EMPTY_ROOT).append('\n');
        }
        assertThat(post(tooLong + "\n" + note).statusCode()).isEqualTo(400); // more than 63 proof lines
    }

    @Test
    void spec409WithTheRecordedSizeWhenTheOldSizeIsNotIt() throws Exception {
        MemoryTree t = tree("stale", 7);
        String five = body("stale", 5, t.root(5));
        cosignatureTimes(post("old 0\n\n" + signed("stale", five)), five);
        String seven = body("stale", 7, t.root());
        assertConflict(post("old 0\n\n" + signed("stale", seven)), 5);
        assertConflict(post("old 3\n" + proof(t, 3, 7) + "\n" + signed("stale", seven)), 5);
    }

    @Test
    void spec422WhenTheConsistencyProofDoesNotVerify() throws Exception {
        MemoryTree t = tree("proof", 6);
        String three = body("proof", 3, t.root(3));
        cosignatureTimes(post("old 0\n\n" + signed("proof", three)), three);
        MemoryTree other = tree("another history", 6);
        String forged = body("proof", 6, other.root());
        HttpResponse<String> r = post("old 3\n" + proof(other, 3, 6) + "\n" + signed("proof", forged));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("not consistent");
        // the proof from the empty tree must be empty
        String fresh = body("proof", 6, t.root());
        assertThat(post("old 3\n\n" + signed("proof", fresh)).statusCode()).isEqualTo(422);
        // the record is unchanged: the real history still advances from 3
        cosignatureTimes(post("old 3\n" + proof(t, 3, 6) + "\n" + signed("proof", fresh)), fresh);
    }

    @Test
    void spec409WhenTheSizeIsTheRecordedOneButTheRootDiffers() throws Exception {
        String four = body("fork", 4, tree("fork", 4).root());
        cosignatureTimes(post("old 0\n\n" + signed("fork", four)), four);
        String fork = body("fork", 4, tree("a fork", 4).root());
        assertConflict(post("old 4\n\n" + signed("fork", fork)), 4);
    }

    @Test
    void aSizeZeroCheckpointMustCarryTheEmptyTreesRoot() throws Exception {
        String wrong = body("emptyroot", 0, tree("x", 1).root());
        HttpResponse<String> r = post("old 0\n\n" + signed("emptyroot", wrong));
        assertThat(r.statusCode()).isEqualTo(422);
        assertThat(r.body()).contains("empty tree");
        String right = "emptyroot.example/log\n0\n" + EMPTY_ROOT + "\n";
        cosignatureTimes(post("old 0\n\n" + signed("emptyroot", right)), right);
    }

    @Test
    void afterASizeZeroCheckpointAnotherSizeZeroRootIsAConflict() throws Exception {
        String empty = "emptyfork.example/log\n0\n" + EMPTY_ROOT + "\n";
        cosignatureTimes(post("old 0\n\n" + signed("emptyfork", empty)), empty);
        String other = body("emptyfork", 0, tree("y", 1).root());
        HttpResponse<String> r = post("old 0\n\n" + signed("emptyfork", other));
        assertConflict(r, 0);
        // the empty tree's checkpoint is still the record, and the log grows from it
        MemoryTree t = tree("emptyfork", 2);
        String two = body("emptyfork", 2, t.root());
        cosignatureTimes(post("old 0\n\n" + signed("emptyfork", two)), two);
    }

    @Test
    void aCheckpointWithExtensionLinesIsCosignedWithThem() throws Exception {
        String b = body("ext", 3, tree("ext", 3).root()) + "first extension\n+ another one\n";
        cosignatureTimes(post("old 0\n\n" + signed("ext", b)), b);
        // the cosignature covers the extension lines: without them it does not verify
        HttpResponse<String> again = post("old 3\n\n" + signed("ext", b));
        Note.Verifier w = Note.Verifier.parse(get(witnessUrl + "vkey").body().strip());
        Note.Sig sig = Note.parse(b + "\n" + again.body()).signatures().getFirst();
        String without = body("ext", 3, tree("ext", 3).root());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Cosignature.verify(without, sig, w))
                .isInstanceOf(Merkle.ProofException.class);
        // an empty extension line is not a checkpoint
        String bad = body("ext", 3, tree("ext", 3).root()) + "x\n\ny\n";
        assertThat(post("old 3\n\n" + signed("ext", bad)).statusCode()).isEqualTo(400);
    }

    private HttpResponse<String> post(String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(witnessUrl + "add-checkpoint"))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String url) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
