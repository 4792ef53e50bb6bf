package org.habeas.ledger;

import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Signs a checkpoint every few seconds when the tree has grown, and on demand. Before signing it proves to itself
 * that the new tree extends the last signed one (the stored hashes give the old root back); at start-up it checks
 * the stored tree against its last signed checkpoint, and if they disagree it refuses to sign anything.
 */
@Component
public class CheckpointSigner {

    private static final Logger log = LoggerFactory.getLogger(CheckpointSigner.class);

    private final LedgerStore store;
    private final LogKey key;
    private final Clock clock;
    private volatile String refusal;
    private volatile boolean checked;

    CheckpointSigner(LedgerStore store, LogKey key, Clock clock) {
        this.store = store;
        this.key = key;
        this.clock = clock;
    }

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
        sign();
    }

    /** Whether the start-up check has run; nothing is signed before it has. */
    boolean checked() {
        return checked;
    }

    /** Why the stored tree does not extend a signed checkpoint, or null if it does. */
    private String disagreement(LedgerStore.SignedCheckpoint cp) {
        LedgerStore.State state = store.state();
        if (state.size() < cp.size()) {
            return "the stored tree has " + state.size() + " leaves, fewer than the signed checkpoint's " + cp.size();
        }
        try {
            byte[] root = Merkle.root(store, cp.size());
            if (!MessageDigest.isEqual(root, cp.root())) {
                return "the stored tree's first " + cp.size() + " leaves do not give the signed root";
            }
        } catch (IllegalStateException e) {
            return e.getMessage();
        }
        return null;
    }

    @Scheduled(fixedDelayString = "${habeas.ledger.checkpoint-interval:2s}", initialDelayString = "${habeas.ledger.checkpoint-interval:2s}")
    void scheduled() {
        if (!checked) {
            return;
        }
        try {
            sign();
        } catch (RuntimeException e) {
            log.error("Could not sign a checkpoint", e);
        }
    }

    /** Signs a checkpoint of the current tree if it has grown since the last one; returns the latest. */
    public synchronized Optional<String> sign() {
        if (!checked) {
            throw new IllegalStateException("the log has not yet checked its stored tree against its last checkpoint");
        }
        if (refusal != null) {
            throw new IllegalStateException("the log refuses to sign: " + refusal);
        }
        LedgerStore.State state = store.state();
        Optional<LedgerStore.SignedCheckpoint> last = store.latestCheckpoint();
        if (last.isPresent() && last.get().size() >= state.size()) {
            return last.map(LedgerStore.SignedCheckpoint::note);
        }
        if (last.isPresent()) {
            String problem = disagreement(last.get());
            if (problem != null) {
                refusal = problem;
                log.error("The public log will not sign: {}", problem);
                throw new IllegalStateException("the log refuses to sign: " + problem);
            }
        }
        byte[] root = state.size() == 0 ? Merkle.emptyRoot() : Merkle.root(store, state.size());
        if (state.root() != null && !MessageDigest.isEqual(root, state.root())) {
            refusal = "the stored hashes do not give the recorded root of size " + state.size();
            throw new IllegalStateException(refusal);
        }
        Checkpoint cp = new Checkpoint(key.name(), state.size(), root);
        String note = Note.format(cp.body(), List.of(key.sign(cp.body())));
        try {
            store.saveCheckpoint(cp.size(), root, note, clock.instant());
        } catch (DuplicateKeyException e) {
            // another node signed this size first
        }
        return store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::note);
    }

    public Optional<String> refusal() {
        return Optional.ofNullable(refusal);
    }
}
