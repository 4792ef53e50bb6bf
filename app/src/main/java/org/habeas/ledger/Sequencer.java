package org.habeas.ledger;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives pending entries their indexes, in order, in batches. Each batch is one transaction that holds the lock on
 * the log's state row, so several Habeas nodes sharing the database never hand out the same index. An entry is
 * acknowledged (its waiter released) only after the batch that integrated it has committed.
 */
@Component
class Sequencer implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    static final int BATCH = 4096;

    private final LedgerStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<Long, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Submission> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** An entry handed over in memory (public records that are not part of another transaction). */
    record Submission(byte[] entry, String period, String event, java.util.UUID caseId, CompletableFuture<Long> done) {
    }
    private final Object signal = new Object();
    private volatile boolean running;
    private volatile boolean wake;
    private Thread thread;

    Sequencer(LedgerStore store, TransactionTemplate tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    /**
     * Appends an entry that is not part of another transaction; the future completes with its index once the batch
     * that holds it has committed, or fails if that batch could not be written.
     */
    CompletableFuture<Long> submit(byte[] entry, String period, String event, java.util.UUID caseId) {
        Submission s = new Submission(entry, period, event, caseId, new CompletableFuture<>());
        queue.add(s);
        poke();
        return s.done();
    }

    /** Integrates everything pending now; returns the number of entries integrated. Safe to call from any thread. */
    synchronized int integrateAll() {
        int total = 0;
        while (true) {
            List<Long> done = new ArrayList<>();
            List<Submission> taken = new ArrayList<>();
            long[] first = new long[1];
            Integer n;
            try {
                n = tx.execute(status -> integrateBatch(done, taken, first));
            } catch (RuntimeException e) {
                taken.forEach(s -> s.done().completeExceptionally(e));
                throw e;
            }
            done.forEach(seq -> {
                CompletableFuture<Void> f = waiting.remove(seq);
                if (f != null) {
                    f.complete(null);
                }
            });
            for (int i = 0; i < taken.size(); i++) {
                taken.get(i).done().complete(first[0] + i);
            }
            total += n == null ? 0 : n;
            if (n == null || n < BATCH) {
                return total;
            }
        }
    }

    private int integrateBatch(List<Long> done, List<Submission> taken, long[] firstSubmitted) {
        LedgerStore.State state = store.lockState();
        List<LedgerStore.Pending> batch = new ArrayList<>(store.pending(BATCH));
        firstSubmitted[0] = state.size() + batch.size();
        Submission s;
        while (batch.size() < BATCH && (s = queue.poll()) != null) {
            taken.add(s);
            batch.add(new LedgerStore.Pending(-1, s.entry(), s.period(), s.event(), s.caseId()));
        }
        if (batch.isEmpty()) {
            return 0;
        }
        Map<Long, byte[]> known = new HashMap<>(store.compactRange(state.size()));
        List<long[]> keys = new ArrayList<>();
        List<byte[]> hashes = new ArrayList<>();
        long size = state.size();
        for (LedgerStore.Pending p : batch) {
            long index = size++;
            byte[] h = Merkle.leafHash(p.entry());
            int level = 0;
            long idx = index;
            add(known, keys, hashes, level, idx, h);
            while ((idx & 1) == 1) {
                byte[] left = known.get(LedgerStore.key(level, idx - 1));
                if (left == null) {
                    throw new IllegalStateException("missing left sibling (" + level + ", " + (idx - 1) + ")");
                }
                h = Merkle.nodeHash(left, h);
                level++;
                idx >>= 1;
                add(known, keys, hashes, level, idx, h);
            }
            if (p.seq() >= 0) {
                done.add(p.seq());
            }
        }
        byte[] root = null;
        for (int level = 0; level < 63; level++) {
            if ((size >>> level & 1) == 1) {
                byte[] h = known.get(LedgerStore.key(level, (size >>> level) - 1));
                root = root == null ? h : Merkle.nodeHash(h, root);
            }
        }
        store.integrate(batch, state.size(), keys, hashes, new LedgerStore.State(size, root), clock.instant());
        return batch.size();
    }

    private static void add(Map<Long, byte[]> known, List<long[]> keys, List<byte[]> hashes, int level, long idx,
            byte[] h) {
        known.put(LedgerStore.key(level, idx), h);
        keys.add(new long[] {level, idx});
        hashes.add(h);
    }

    /** Wakes the sequencer and waits until the pending entry {@code seq} has been integrated and committed. */
    void await(long seq, Duration timeout) throws TimeoutException, InterruptedException {
        CompletableFuture<Void> f = waiting.computeIfAbsent(seq, s -> new CompletableFuture<>());
        poke();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try {
                f.get(100, TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                // another node may have integrated it
                if (!store.isPending(seq)) {
                    waiting.remove(seq);
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new TimeoutException("entry " + seq + " not integrated within " + timeout);
                }
                poke();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException(e.getCause());
            }
        }
    }

    void poke() {
        synchronized (signal) {
            wake = true;
            signal.notifyAll();
        }
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("habeas-log-sequencer").daemon().start(() -> {
            while (running) {
                try {
                    integrateAll();
                } catch (RuntimeException e) {
                    if (running) {
                        log.error("Log sequencing failed; retrying", e);
                    }
                }
                synchronized (signal) {
                    if (!wake && running) {
                        try {
                            signal.wait(500);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            return;
                        }
                    }
                    wake = false;
                }
            }
        });
    }

    @Override
    public void stop() {
        running = false;
        poke();
        if (thread != null) {
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // stops after the web server (which drains requests waiting for their entries) and before the data source
        return Integer.MAX_VALUE - 4096;
    }
}
