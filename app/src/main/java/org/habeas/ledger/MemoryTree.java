package org.habeas.ledger;

import java.util.ArrayList;
import java.util.List;

/**
 * A Merkle tree held in memory: every complete subtree hash, level by level, appended leaf by leaf. Used to check a
 * downloaded log and in tests; the server keeps the same hashes in its database.
 */
public final class MemoryTree implements Merkle.HashReader {

    private final List<List<byte[]>> levels = new ArrayList<>();

    public long size() {
        return levels.isEmpty() ? 0 : levels.get(0).size();
    }

    public void appendLeafHash(byte[] leafHash) {
        byte[] h = leafHash;
        int level = 0;
        while (true) {
            if (levels.size() == level) {
                levels.add(new ArrayList<>());
            }
            List<byte[]> row = levels.get(level);
            row.add(h);
            if (row.size() % 2 == 1) {
                return;
            }
            h = Merkle.nodeHash(row.get(row.size() - 2), h);
            level++;
        }
    }

    public void appendData(byte[] data) {
        appendLeafHash(Merkle.leafHash(data));
    }

    @Override
    public byte[] hash(int level, long index) {
        if (level >= levels.size() || index >= levels.get(level).size()) {
            throw new IllegalArgumentException("no complete subtree (" + level + ", " + index + ")");
        }
        return levels.get(level).get((int) index);
    }

    /** The number of complete subtree hashes at a level. */
    public long count(int level) {
        return level < levels.size() ? levels.get(level).size() : 0;
    }

    public byte[] root() {
        return Merkle.root(this, size());
    }

    public byte[] root(long size) {
        return Merkle.root(this, size);
    }
}
