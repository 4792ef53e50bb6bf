package org.habeas.ledger;

import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.habeas.nodes.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signs a checkpoint every few seconds when the tree has grown, and on demand. Before signing it proves to itself
 * that the new tree extends the last signed one (the stored hashes give the old root back); at start-up it checks
 * the stored tree against its last signed checkpoint, and if they disagree it refuses to sign anything. When several
 * nodes share the database, only the node that holds the lease {@value #LEASE} signs on schedule; it renews the lease
 * at each run, and when it dies another node takes over once the lease has run out
 * ({@code habeas.ledger.signer-lease}). A checkpoint asked for on demand (a published report) is signed by the node
 * asked; each checkpoint records which node signed it.
 */
@Component
public class CheckpointSigner {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

    private final LedgerStore store;
    private final LogKey key;
    private final Clock clock;
    private final Leases leases;
    private final Duration lease;
    private volatile String refusal;
    private volatile boolean checked;

    /** The lease that keeps signing on schedule to one node. */
    public static final String LEASE = "checkpoint-signer";

    CheckpointSigner(LedgerStore store, LogKey key, Clock clock,
            @org.springframework.beans.factory.annotation.Value("${habeas.read-only:false}") boolean readOnly,
            Leases leases,
            @org.springframework.beans.factory.annotation.Value("${habeas.ledger.signer-lease:10s}") Duration lease) {
        this.leases = leases;
        this.lease = lease;
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.readOnly = readOnly;
    }

    /** Set when Habeas only reads (habeas audit): nothing is signed, the latest checkpoint is as stored. */
    private final boolean readOnly;

    /** Run by {@link LogStartup} before the web server takes requests, again until the database answers. */
    void checkOnStart() {
        refusal = null;
        Optional<LedgerStore.SignedCheckpoint> last = store.latestCheckpoint();
        if (last.isPresent()) {
            String problem = disagreement(last.get());
            if (problem != null) {
                refusal = problem;
                checked = true;
                log.error("The public log will not sign: {}", problem);
                return;
            }
        }
        checked = true;
        if (readOnly || leases.hold(LEASE, lease)) {
            sign();
        }
    }

    /** Whether the start-up check has run; nothing is signed before it has. */
    boolean checked() {
        return checked;
    }

    /** Why the stored tree does not extend a signed checkpoint, or null if it does. */
    private String disagreement(LedgerStore.SignedCheckpoint cp) {
        return problem(cp, store.state(), false);
    }

    /** Leaves re-checked per signing besides the new ones: every stored leaf is checked again in turn. */
    static final int SWEEP = 4096;
    private long swept;

    /**
     * Why the stored tree may not be signed: leaves missing or beyond it, a new leaf (or, in turn, an old one; all of
     * them when {@code full}) that does not hash to its stored leaf hash, or hashes that no longer give the last
     * signed root. Null if none.
     */
    private String problem(LedgerStore.SignedCheckpoint cp, LedgerStore.State state, boolean full) {
        long signed = cp == null ? 0 : cp.size();
        if (state.size() < signed) {
            return "the stored tree has " + state.size() + " leaves, fewer than the signed checkpoint's " + signed;
        }
        try {
            String count = LeafCheck.count(store, state.size());
            if (count != null) {
                return count;
            }
            List<String> leaves = new java.util.ArrayList<>(LeafCheck.range(store, full ? 0 : signed, state.size(), 1));
            if (!full && signed > 0) {
                // the next SWEEP signed leaves in turn, wrapping round: a small tree is checked whole every time
                long budget = Math.min(SWEEP, signed);
                long from = swept % signed;
                long first = Math.min(signed - from, budget);
                leaves.addAll(LeafCheck.range(store, from, from + first, 1));
                if (first < budget) {
                    leaves.addAll(LeafCheck.range(store, 0, budget - first, 1));
                }
                swept = (from + budget) % signed;
            }
            if (!leaves.isEmpty()) {
                return leaves.get(0);
            }
            if (cp != null && !MessageDigest.isEqual(Merkle.root(store, cp.size()), cp.root())) {
                return "the stored tree's first " + cp.size() + " leaves do not give the signed root";
            }
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return null;
    }

    @Scheduled(fixedDelayString = "${habeas.ledger.checkpoint-interval:2s}", initialDelayString = "${habeas.ledger.checkpoint-interval:2s}")
    void scheduled() {
        if (!checked || readOnly || !leases.hold(LEASE, lease)) {
            return;
        }
        try {
            sign();
        } catch (RuntimeException e) {
            log.error("Could not sign a checkpoint", e);
        }
    }

    /**
     * Signs a checkpoint of the current tree if it has grown since the last one; returns the latest. While it refuses,
     * each call checks the whole stored tree again, and signs again once the damage is undone.
     */
    public synchronized Optional<String> sign() {
        if (!checked && !readOnly) {
            throw new IllegalStateException("the log has not yet checked its stored tree against its last checkpoint");
        }
        Optional<LedgerStore.SignedCheckpoint> last = store.latestCheckpoint();
        if (readOnly) {
            return last.map(LedgerStore.SignedCheckpoint::note);
        }
        LedgerStore.State state = store.state();
        if (refusal != null) {
            String still = problem(last.orElse(null), state, true);
            if (still != null) {
                refusal = still;
                throw new IllegalStateException("the log refuses to sign: " + refusal);
            }
            log.warn("The public log signs again: the stored tree checks out (it refused: {})", refusal);
            refusal = null;
        }
        if (last.isPresent() && last.get().size() >= state.size()) {
            publish();
            return last.map(LedgerStore.SignedCheckpoint::note);
        }
        String problem = problem(last.orElse(null), state, false);
        if (problem != null) {
            refusal = problem;
            log.error("The public log will not sign: {}", problem);
            throw new IllegalStateException("the log refuses to sign: " + problem);
        }
        byte[] root;
        try {
            root = state.size() == 0 ? Merkle.emptyRoot() : Merkle.root(store, state.size());
        } catch (IllegalStateException e) {
            refusal = e.getMessage();
            throw new IllegalStateException("the log refuses to sign: " + refusal, e);
        }
        if (state.root() != null && !MessageDigest.isEqual(root, state.root())) {
            refusal = "the stored hashes do not give the recorded root of size " + state.size();
            throw new IllegalStateException(refusal);
        }
        Checkpoint cp = new Checkpoint(key.name(), state.size(), root);
        String note = Note.format(cp.body(), List.of(key.sign(cp.body())));
        try {
            store.saveCheckpoint(cp.size(), root, note, clock.instant(), leases.node());
        } catch (DuplicateKeyException e) {
            // another node signed this size first
        }
        publish();
        return store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::note);
    }

    /**
     * Gives the log's published prefix — its leaves, in log order, before the first one of a reporting period that is
     * still open — a signed checkpoint of exactly that size, marked as published: the latest such one is served at
     * {@code /log/published/checkpoint}, so that a standard tlog-tiles client, which reads the entry bundles up to the
     * size of the checkpoint it has, reads exactly the published entries ({@code tile/entries/N.p/W} at the prefix's
     * edge). The prefix only grows, within the latest signed checkpoint; nothing beyond that is signed here.
     */
    synchronized void publish() {
        try {
            Optional<LedgerStore.SignedCheckpoint> latest = store.latestCheckpoint();
            if (readOnly || refusal != null || latest.isEmpty()) {
                return;
            }
            long from = store.latestPublishedCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
            long size = store.firstOpenLeaf(from, latest.get().size(), Periods.of(clock.instant()));
            if (size == from || store.markPublished(size)) {
                return;
            }
            byte[] root = store.root(size);
            Checkpoint cp = new Checkpoint(key.name(), size, root);
            try {
                store.saveCheckpoint(size, root, Note.format(cp.body(), List.of(key.sign(cp.body()))), clock.instant(),
                        leases.node(), true);
            } catch (DuplicateKeyException e) {
                store.markPublished(size); // another node signed this size first
            }
        } catch (RuntimeException e) {
            log.warn("Could not sign the checkpoint of the log's published prefix", e);
        }
    }

    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }
}
