package org.habeas.ledger;

import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the stored leaves say about the tree: every index of [0, size) stored once and nothing beyond, and each entry
 * hashing (RFC 9162 §2.1.1) to the leaf hash stored for it. A checkpoint covers the hashes; this covers what they are
 * hashes of. Problems are reported, never thrown.
 */
final class LeafCheck {

    private static final int BLOCK = 1024;

    private LeafCheck() {
    }

    /**
     * Whether exactly the leaves [0, size) are stored, and none beyond the tree as it stands when this returns; null
     * if so. Leaves the log integrates meanwhile, with the state that covers them, are not a problem.
     */
    static String count(LedgerStore store, long size) {
        LedgerStore.LeafCount c = store.leafCount(size);
        if (c.below() != size) {
            return "the tree has " + size + " leaves but " + c.below() + " are stored below index " + size
                    + (c.below() < size ? " (a leaf was deleted)" : "");
        }
        if (c.negative()) {
            return "a leaf is stored at an index outside the tree of size " + size;
        }
        if (c.highest() >= size) {
            // The sequencer commits new leaves together with the state that covers them, so a leaf the query above
            // saw beyond the tree it was given is legitimate if the state read now covers it.
            long now = store.state().size();
            if (c.highest() >= now) {
                return "a leaf is stored at an index outside the tree of size " + now;
            }
        }
        return null;
    }

    /** The problems of the leaves [from, to), at most {@code limit} of them. */
    static List<String> range(LedgerStore store, long from, long to, int limit) {
        List<String> problems = new ArrayList<>();
        for (long at = from; at < to && problems.size() < limit; at += BLOCK) {
            int n = (int) Math.min(BLOCK, to - at);
            List<LedgerStore.Leaf> leaves = store.leaves(at, n);
            Map<Long, byte[]> hashes = store.leafHashes(at, n);
            long expected = at;
            for (LedgerStore.Leaf leaf : leaves) {
                if (leaf.index() > expected) {
                    problems.add(missing(expected, leaf.index()));
                }
                expected = leaf.index() + 1;
                byte[] stored = hashes.get(leaf.index());
                if (stored == null) {
                    problems.add("the leaf hash of entry " + leaf.index() + " is missing");
                } else if (!MessageDigest.isEqual(Merkle.leafHash(leaf.entry()), stored)) {
                    problems.add("entry " + leaf.index() + " does not match its stored leaf hash");
                }
            }
            if (expected < at + n) {
                problems.add(missing(expected, at + n));
            }
        }
        return problems.size() > limit ? problems.subList(0, limit) : problems;
    }

    private static String missing(long from, long to) {
        return to - from == 1 ? "leaf " + from + " is missing" : "leaves " + from + " to " + (to - 1) + " are missing";
    }
}
