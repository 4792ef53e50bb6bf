package org.habeas.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.habeas.ledger.Checkpoint;
import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.MemoryTree;
import org.habeas.ledger.Note;
import org.habeas.ledger.Tiles;
import org.habeas.transparency.ReportCalculator;
import org.habeas.transparency.ReportVerifier;
import org.habeas.transparency.Reports;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A transparency report over {@code size} logged events (a third each RECEIVED, ASSESSED and DECIDED, over 40
 * states, one closed period): {@code compute} parses every entry and computes the report, as the server does;
 * {@code verify} is {@code habeas report verify} against the same log served from memory — the log check (signature,
 * tiles, root, every entry) and the recount.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class ReportBench {

    @Param("1000000")
    int size;

    private List<byte[]> entries;
    private Map<String, byte[]> files;
    private Note.Verifier vkey;
    private JsonNode report;
    private final JsonMapper json = JsonMapper.builder().build();

    @Setup
    public void setUp() throws Exception {
        String[] states = new String[40];
        for (int i = 0; i < states.length; i++) {
            states[i] = "" + (char) ('A' + i / 26) + (char) ('A' + i % 26);
        }
        entries = new ArrayList<>(size);
        for (int n = 0; entries.size() < size; n++) {
            String c = new UUID(n, ~n).toString();
            String state = states[n % states.length];
            String common = "\"categories\":[\"SUBSCRIBER\"],\"commitment\":\"x\",\"emergency\":" + (n % 50 == 0)
                    + ",\"instrument\":\"BUDAPEST\",\"measure\":\"PRODUCTION\",\"period\":\"2025-H2\",\"requestedState\":\"IE\","
                    + "\"requestingState\":\"" + state + "\",\"v\":1";
            entries.add(("{\"accounts\":1,\"case\":\"" + c + "\"," + common + ",\"event\":\"RECEIVED\",\"outcome\":null}").getBytes(StandardCharsets.UTF_8));
            if (entries.size() < size) {
                entries.add(("{\"accounts\":1,\"case\":\"" + c + "\"," + common + ",\"event\":\"ASSESSED\",\"outcome\":\""
                        + (n % 7 == 0 ? "REFUSE" : "ACCEPT") + "\"}").getBytes(StandardCharsets.UTF_8));
            }
            if (entries.size() < size) {
                entries.add(("{\"accounts\":1,\"case\":\"" + c + "\"," + common + ",\"event\":\"DECIDED\",\"outcome\":\""
                        + (n % 7 == 0 ? "REFUSE\",\"rules\":[\"PROTECTED_CONDUCT\"]" : "ACCEPT\",\"rules\":[]") + "}")
                        .getBytes(StandardCharsets.UTF_8));
            }
        }
        files = new HashMap<>();
        MemoryTree tree = new MemoryTree(size);
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        for (int i = 0; i < size; i++) {
            byte[] e = entries.get(i);
            tree.appendData(e);
            bundle.write(e.length >>> 8);
            bundle.write(e.length & 0xff);
            bundle.writeBytes(e);
            if ((i + 1) % Tiles.WIDTH == 0 || i == size - 1) {
                files.put(new Tiles.Tile(0, i / Tiles.WIDTH, i % Tiles.WIDTH + 1).entriesPath(), bundle.toByteArray());
                bundle.reset();
            }
        }
        for (Tiles.Tile t : Tiles.all(size)) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (int i = 0; i < t.width(); i++) {
                data.writeBytes(tree.hash(t.hashLevel(), t.index() * Tiles.WIDTH + i));
            }
            files.put(t.path(), data.toByteArray());
        }
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        Checkpoint cp = new Checkpoint("bench.example/log", size, tree.root());
        files.put("checkpoint", Note.format(cp.body(), List.of(Note.sign(cp.body(), "bench.example/log",
                key.getPrivate(), key.getPublic()))).getBytes(StandardCharsets.UTF_8));
        vkey = new Note.Verifier("bench.example/log", Note.ED25519, Note.raw(key.getPublic()));
        report = json.valueToTree(Reports.document(compute(), "bench.example/log", size,
                java.util.Base64.getEncoder().encodeToString(tree.root())));
    }

    @Benchmark
    public ReportCalculator.Result compute() {
        ReportCalculator calc = new ReportCalculator("2025-H2");
        for (byte[] e : entries) {
            calc.accept(json.readTree(new String(e, StandardCharsets.UTF_8)));
        }
        ReportCalculator.Result r = calc.result();
        if (r.total().requests == 0) {
            throw new IllegalStateException("nothing counted");
        }
        return r;
    }

    @Benchmark
    public List<String> verify() throws Exception {
        List<String> differences = ReportVerifier.verify(report, path -> {
            byte[] b = files.get(path);
            return b == null ? new LogVerifier.Response(404, new byte[0]) : new LogVerifier.Response(200, b);
        }, vkey);
        if (!differences.isEmpty()) {
            throw new IllegalStateException(differences.toString());
        }
        return differences;
    }
}
