package org.habeas.ledger;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.springframework.stereotype.Component;

/**
 * The log's load driver, for the figures in docs/benchmarks.md: appends from many concurrent clients, each append
 * acknowledged only after the batch holding it has committed; then, on a log of the requested size, the time to
 * build an inclusion proof (with its root) from the stored hashes. It writes synthetic entries: run it against a
 * scratch database only.
 */
@Component
public class LoadDriver {

    /** Sustained appends, and proof latencies in microseconds. */
    public record Result(long appended, double seconds, double perSecond, long logSize, long proofs, double p50, double p99,
            double max) {
    }

    private final Sequencer sequencer;
    private final LedgerStore store;

    LoadDriver(Sequencer sequencer, LedgerStore store) {
        this.sequencer = sequencer;
        this.store = store;
    }

    /** A public record of the usual size (about 330 bytes). */
    static byte[] entry(long n) {
        return ("{\"accounts\":1,\"case\":\"" + new java.util.UUID(n, ~n) + "\",\"categories\":[\"SUBSCRIBER\",\"TRAFFIC\"],"
                + "\"commitment\":\"" + java.util.Base64.getEncoder().encodeToString(Merkle.leafHash(Long.toString(n).getBytes()))
                + "\",\"emergency\":false,\"event\":\"RECEIVED\",\"instrument\":\"EU_EEVIDENCE\",\"measure\":\"PRODUCTION\","
                + "\"nonDisclosure\":false,\"outcome\":null,\"period\":\"2025-H2\",\"requestedState\":\"IE\",\"requestingState\":\"FR\",\"v\":1}")
                .getBytes(StandardCharsets.UTF_8);
    }

    public Result run(int clients, int seconds, long fillTo, int proofs, Consumer<String> progress) throws Exception {
        // warm-up
        appendFor(clients, 3, n -> { });
        long[] counted = appendFor(clients, seconds, n -> progress.accept(n + " appended"));
        long appended = counted[0];
        double elapsed = counted[1] / 1e9;

        // fill up to the requested size, many entries in flight
        long size = store.state().size();
        List<CompletableFuture<Long>> window = new ArrayList<>();
        for (long n = size; n < fillTo; n++) {
            window.add(sequencer.submit(entry(n), "2025-H2", "LOAD", null));
            if (window.size() == 20_000) {
                CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
                window.clear();
                progress.accept("filled to " + (n + 1));
            }
        }
        CompletableFuture.allOf(window.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        long logSize = store.state().size();

        // inclusion proofs with their root, from the stored hashes
        Random random = new Random(42);
        double[] micros = new double[proofs];
        for (int i = -200; i < proofs; i++) {
            long index = (long) (random.nextDouble() * logSize);
            long t0 = System.nanoTime();
            Merkle.HashReader h = store.prefetch(r -> {
                r.hash(0, index);
                Merkle.inclusionProof(r, index, logSize);
            });
            List<byte[]> proof = Merkle.inclusionProof(h, index, logSize);
            byte[] root = store.root(logSize);
            long t1 = System.nanoTime();
            Merkle.verifyInclusion(index, logSize, h.hash(0, index), proof, root);
            if (i >= 0) {
                micros[i] = (t1 - t0) / 1000.0;
            }
        }
        Arrays.sort(micros);
        return new Result(appended, elapsed, appended / elapsed, logSize, proofs,
                proofs == 0 ? 0 : micros[proofs / 2], proofs == 0 ? 0 : micros[(int) (proofs * 0.99)],
                proofs == 0 ? 0 : micros[proofs - 1]);
    }

    /** Clients append one entry at a time, each waiting for its acknowledgement; returns {count, nanos}. */
    private long[] appendFor(int clients, int seconds, Consumer<Long> progress) throws InterruptedException {
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong count = new AtomicLong();
        AtomicLong next = new AtomicLong(store.state().size() + 1_000_000_000L);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        for (int c = 0; c < clients; c++) {
            pool.submit(() -> {
                while (running.get()) {
                    sequencer.submit(entry(next.getAndIncrement()), "2025-H2", "LOAD", null).get(1, TimeUnit.MINUTES);
                    count.incrementAndGet();
                }
                return null;
            });
        }
        long start = System.nanoTime();
        long before = count.get();
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            progress.accept(count.get() - before);
        }
        long done = count.get() - before;
        long nanos = System.nanoTime() - start;
        running.set(false);
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.MINUTES);
        return new long[] {done, nanos};
    }
}
