package org.habeas.bench;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.MemoryTree;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;
import org.habeas.ledger.StaticLog;
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

/**
 * {@code log verify} of a log of {@code size} entries (public records of about 330 bytes), everything published,
 * served from memory so that the figure is the verifier's own work: the checkpoint signature, every tile, the
 * root, every entry against its leaf hash. {@code rawSha256} computes exactly the SHA-256 inputs the verification
 * must hash (one leaf hash per entry, one node hash per interior node) in a bare loop: the machine's raw rate for
 * this work, measured in the same run.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g", "-Xms4g"})
public class LogVerifyBench {

    @Param("1000000")
    int size;

    private LogVerifier.Fetcher fetcher;
    private Note.Verifier vkey;
    private byte[][] leafInputs;
    private byte[][] nodeInputs;

    @Setup
    public void setUp() throws Exception {
        List<byte[]> entries = new ArrayList<>(size);
        leafInputs = new byte[size][];
        for (int i = 0; i < size; i++) {
            byte[] e = entry(i);
            entries.add(e);
            leafInputs[i] = concat(new byte[] {0}, e);
        }
        KeyPair key = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        StaticLog log = new StaticLog(entries, "bench.example/log", key);
        fetcher = log.fetcher();
        vkey = new Note.Verifier("bench.example/log", Note.ED25519, Note.raw(key.getPublic()));
        MemoryTree tree = log.tree();
        List<byte[]> nodes = new ArrayList<>();
        for (int level = 1; tree.count(level) > 0; level++) {
            for (long i = 0; i < tree.count(level); i++) {
                nodes.add(concat(new byte[] {1}, concat(tree.hash(level - 1, 2 * i), tree.hash(level - 1, 2 * i + 1))));
            }
        }
        nodeInputs = nodes.toArray(byte[][]::new);
    }

    static byte[] entry(long n) {
        return ("{\"accounts\":1,\"case\":\"" + new UUID(n, ~n) + "\",\"categories\":[\"SUBSCRIBER\",\"TRAFFIC\"],"
                + "\"commitment\":\"" + java.util.Base64.getEncoder().encodeToString(Merkle.leafHash(Long.toString(n).getBytes()))
                + "\",\"emergency\":false,\"event\":\"RECEIVED\",\"instrument\":\"EU_EEVIDENCE\",\"measure\":\"PRODUCTION\","
                + "\"nonDisclosure\":false,\"outcome\":null,\"period\":\"2025-H2\",\"requestedState\":\"IE\",\"requestingState\":\"FR\",\"v\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    @Benchmark
    public LogVerifier.Summary verify() throws Exception {
        LogVerifier.Summary s = LogVerifier.verify(fetcher, vkey, List.of(), null, p -> { });
        if (s.entriesChecked() != size) {
            throw new IllegalStateException("checked " + s.entriesChecked());
        }
        return s;
    }

    @Benchmark
    public byte[] rawSha256() throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        byte[] out = null;
        for (byte[] in : leafInputs) {
            out = d.digest(in);
        }
        for (byte[] in : nodeInputs) {
            out = d.digest(in);
        }
        return out;
    }
}
