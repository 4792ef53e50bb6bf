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

import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives pending entries their indexes, in order, in batches. Each batch is one transaction that holds the lock on
 * the log's state row, so several Habeas nodes sharing the database never hand out the same index. An entry is
 * acknowledged (its waiter released) only after the batch that integrated it has committed.
 *
 * <p>The sequencer works on its own connection ({@link LogDatabase}), never one of the pool the request threads
 * share: however many requests wait for their entries, the sequencer can always write. A waiter is registered
 * when its entry is written ({@link #expect}), before that transaction commits, so the batch that integrates the
 * entry always finds it — there is no window in which a wake-up can be lost. Entries integrated by another node
 * are found by one query over the committed waiters after each batch.
 */
@Component
class Sequencer implements SmartLifecycle {

    /** How long one batch takes, from taking the lock to its commit ({@code habeas_log_sequencer_batch_seconds}). */
    private static final Timer BATCH_TIMER = Timer.builder("habeas.log.sequencer.batch")
            .description("Time to integrate one batch of pending entries into the public log, commit included")
            .register(Metrics.globalRegistry);

    private static final Logger log = LoggerFactory.getLogger(Sequencer.class);
    static final int BATCH = 4096;
    /** At most this many waiters are looked up in one query for entries another node integrated. */
    private static final int SETTLE = 1000;

    private final LedgerStore store;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Map<Long, Waiter> waiting = new ConcurrentHashMap<>();
    private final java.util.concurrent.ConcurrentLinkedQueue<Submission> queue = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** An entry handed over in memory (public records that are not part of another transaction). */
    record Submission(byte[] entry, String period, String event, java.util.UUID caseId, CompletableFuture<Long> done) {
    }

    /** Someone waiting for a pending entry; {@code committed} once the transaction that wrote the entry has. */
    private static final class Waiter {
        final CompletableFuture<Void> done = new CompletableFuture<>();
        final long since = System.nanoTime();
        volatile boolean committed;
    }

    private final Object signal = new Object();
    private volatile boolean running;
    private volatile boolean wake;
    private volatile long lastSuccess = System.nanoTime();
    private volatile long lastFailure;
    private Thread thread;
    /** The hashes of the tree's compact range after this node's last committed batch, and that tree's size. */
    private Map<Long, byte[]> range;
    private long rangeSize = -1;
    private Map<Long, byte[]> pendingRange;
    private long pendingRangeSize;

    Sequencer(LogDatabase db, Clock clock) {
        this.store = db.store();
        this.tx = db.tx();
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

    /** Registers a waiter for the pending entry {@code seq}, written in a transaction that has not committed yet. */
    void expect(long seq) {
        waiting.computeIfAbsent(seq, s -> new Waiter());
    }

    /** The transaction that wrote {@code seq} has committed: the entry can be integrated now. */
    void committed(long seq) {
        waiting.computeIfAbsent(seq, s -> new Waiter()).committed = true;
        poke();
    }

    /** The transaction that wrote {@code seq} rolled back: nobody waits for it. */
    void forget(long seq) {
        waiting.remove(seq);
    }

    /**
     * Whether the log is falling behind: an entry has waited longer than {@code limit} for its index, or the last
     * batch failed while entries wait. New events are then refused rather than left waiting.
     */
    boolean behind(Duration limit) {
        if (waiting.isEmpty()) {
            return false;
        }
        long now = System.nanoTime();
        if (lastFailure - lastSuccess > 0 && now - lastSuccess > Duration.ofSeconds(1).toNanos()) {
            return true;
        }
        long oldest = Long.MAX_VALUE;
        for (Waiter w : waiting.values()) {
            if (w.committed) {
                oldest = Math.min(oldest, w.since);
            }
        }
        return oldest != Long.MAX_VALUE && now - oldest > limit.toNanos();
    }

    /** Integrates everything pending now; returns the number of entries integrated. Safe to call from any thread. */
    synchronized int integrateAll() {
        int total = 0;
        while (true) {
            List<Long> done = new ArrayList<>();
            List<Submission> taken = new ArrayList<>();
            long[] first = new long[1];
            Integer n;
            pendingRange = null;
            try {
                Timer.Sample sample = Timer.start();
                n = tx.execute(status -> integrateBatch(done, taken, first));
                if (n != null && n > 0) {
                    sample.stop(BATCH_TIMER);
                }
            } catch (RuntimeException e) {
                range = null;
                taken.forEach(s -> s.done().completeExceptionally(e));
                throw e;
            }
            if (pendingRange != null) {
                range = pendingRange;
                rangeSize = pendingRangeSize;
            }
            done.forEach(seq -> {
                Waiter w = waiting.remove(seq);
                if (w != null) {
                    w.done.complete(null);
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
        // the compact range left by this node's last batch, unless another node has written since
        Map<Long, byte[]> known = new HashMap<>(range != null && rangeSize == state.size() ? range
                : store.compactRange(state.size()));
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
        Map<Long, byte[]> next = new HashMap<>();
        for (int level = 0; level < 63; level++) {
            if ((size >>> level & 1) == 1) {
                long k = LedgerStore.key(level, (size >>> level) - 1);
                next.put(k, known.get(k));
            }
        }
        // kept only once the batch has committed (see integrateAll)
        pendingRange = next;
        pendingRangeSize = size;
        return batch.size();
    }

    private static void add(Map<Long, byte[]> known, List<long[]> keys, List<byte[]> hashes, int level, long idx,
            byte[] h) {
        known.put(LedgerStore.key(level, idx), h);
        keys.add(new long[] {level, idx});
        hashes.add(h);
    }

    /**
     * Waits until the pending entry {@code seq}, already committed, has been integrated and that batch committed.
     * The caller holds no connection while it waits: it is woken by the batch that integrates the entry.
     */
    void await(long seq, Duration timeout) throws TimeoutException, InterruptedException {
        Waiter w = waiting.computeIfAbsent(seq, s -> new Waiter());
        w.committed = true;
        poke();
        try {
            w.done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            waiting.remove(seq, w);
            throw new TimeoutException("entry " + seq + " not integrated within " + timeout);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Releases the committed waiters whose entries are no longer pending: another node integrated them (or this
     * one did before the waiter was registered).
     */
    private synchronized void settle() {
        // a waiter whose transaction never reported back (its thread died) is dropped after a while
        long stale = System.nanoTime() - Duration.ofMinutes(10).toNanos();
        waiting.values().removeIf(w -> !w.committed && w.since - stale < 0);
        List<Long> seqs = new ArrayList<>();
        for (Map.Entry<Long, Waiter> e : waiting.entrySet()) {
            if (e.getValue().committed && !e.getValue().done.isDone()) {
                seqs.add(e.getKey());
                if (seqs.size() == SETTLE) {
                    break;
                }
            }
        }
        if (seqs.isEmpty()) {
            return;
        }
        java.util.Set<Long> pending = new java.util.HashSet<>(store.stillPending(seqs));
        for (Long seq : seqs) {
            if (!pending.contains(seq)) {
                Waiter w = waiting.remove(seq);
                if (w != null) {
                    w.done.complete(null);
                }
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
            long backoff = 0;
            while (running) {
                try {
                    integrateAll();
                    settle();
                    lastSuccess = System.nanoTime();
                    backoff = 0;
                } catch (RuntimeException e) {
                    lastFailure = System.nanoTime();
                    if (running) {
                        // once per failure streak in full, then briefly: an outage must not flood the log
                        if (backoff == 0) {
                            log.error("Log sequencing failed; retrying", e);
                        } else {
                            log.warn("Log sequencing failed again; retrying: {}", e.toString());
                        }
                    }
                    backoff = Math.min(2000, Math.max(50, backoff * 2));
                }
                synchronized (signal) {
                    if ((!wake || backoff > 0) && running) {
                        try {
                            // with waiters, look again soon: another node may have integrated their entries
                            signal.wait(backoff > 0 ? backoff : waiting.isEmpty() ? 500 : 50);
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
