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

    PublicLog(LedgerStore store, LogKey key) {
        this.store = store;
        this.key = key;
    }

    public Optional<Head> head() {
        return store.latestCheckpoint().map(cp -> new Head(key.name(), cp.size(), cp.root()));
    }

    /** The entries [from, from + count), in order. */
    public List<byte[]> entries(long from, int count) {
        return store.leaves(from, count).stream().map(LedgerStore.Leaf::entry).toList();
    }
}
