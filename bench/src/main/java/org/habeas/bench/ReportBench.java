package org.habeas.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.MemoryTree;
import org.habeas.ledger.Note;
import org.habeas.ledger.StaticLog;
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
    private LogVerifier.Fetcher fetcher;
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
                    + ",\"instrument\":\"BUDAPEST\",\"measure\":\"PRODUCTION\",\"nonDisclosure\":" + (n % 9 == 0)
                    + ",\"period\":\"2025-H2\",\"requestedState\":\"IE\","
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
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        StaticLog log = new StaticLog(entries, "bench.example/log", key);
        fetcher = log.fetcher();
        vkey = new Note.Verifier("bench.example/log", Note.ED25519, Note.raw(key.getPublic()));
        MemoryTree tree = log.tree();
        report = json.valueToTree(Reports.document(compute(), "bench.example/log", size,
                java.util.Base64.getEncoder().encodeToString(tree.root())));
    }

    @Benchmark
    public ReportCalculator.Result compute() {
        ReportCalculator calc = new ReportCalculator("2025-H2");
        for (byte[] e : entries) {
            calc.accept(e);
        }
        ReportCalculator.Result r = calc.result();
        if (r.total().requests == 0) {
            throw new IllegalStateException("nothing counted");
        }
        return r;
    }

    @Benchmark
    public List<String> verify() throws Exception {
        List<String> differences = ReportVerifier.verify(report, fetcher, vkey);
        if (!differences.isEmpty()) {
            throw new IllegalStateException(differences.toString());
        }
        return differences;
    }
}
