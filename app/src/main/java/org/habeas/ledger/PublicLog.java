package org.habeas.ledger;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Service;

/** The public log as other modules read it: its latest signed checkpoint and its entries. */
@Service
public class PublicLog {

    /** A signed checkpoint: origin, size, root. */
    public record Head(String origin, long size, byte[] root) {
    }

    private final LedgerStore store;
    private final LogKey key;
    private final Sequencer sequencer;
    private final CheckpointSigner signer;

    PublicLog(LedgerStore store, LogKey key, Sequencer sequencer, CheckpointSigner signer) {
        this.store = store;
        this.key = key;
        this.sequencer = sequencer;
        this.signer = signer;
    }

    /** Signs a checkpoint of everything integrated so far and returns it. */
    public Head checkpointNow() {
        sequencer.integrateAll();
        signer.sign();
        return head().orElseThrow();
    }

    /**
     * Appends a public record that belongs to no case (a published report's hash and checkpoint); returns its index
     * once committed.
     */
    public long appendRecord(byte[] canonicalJson, String period, String event) {
        try {
            return sequencer.submit(canonicalJson, period, event, null).get(30, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("the log did not take the " + event + " record", e);
        }
    }

    /** The log's verifier key, {@code name+keyid+base64(key)}, as served at /log/vkey. */
    public String verifierKey() {
        return key.verifier().encoded();
    }

    public Optional<Head> head() {
        return store.latestCheckpoint().map(cp -> new Head(key.name(), cp.size(), cp.root()));
    }

    /**
     * Hands each entry of the first {@code size} that the log publishes as of {@code now} to {@code sink}, in order,
     * without holding them all: exactly the entries anyone can fetch, so that whatever is counted from them can be
     * recounted by anyone.
     */
    public void forEachPublishedEntry(long size, java.time.Instant now, java.util.function.Consumer<byte[]> sink) {
        store.forEachPublishedEntry(size, now, sink);
    }

    /** Whether the log holds an entry of some case's event in the period (records such as REPORT do not count). */
    public boolean hasCaseEntries(String period) {
        return store.hasCaseEntries(period);
    }

    /** The entries [from, from + count), in order. */
    public List<byte[]> entries(long from, int count) {
        return store.leaves(from, count).stream().map(LedgerStore.Leaf::entry).toList();
    }
}
