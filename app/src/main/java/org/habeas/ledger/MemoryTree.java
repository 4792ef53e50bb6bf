package org.habeas.ledger;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Merkle tree held in memory: every complete subtree hash, level by level, appended leaf by leaf, in flat byte
 * arrays (32 bytes per hash) so that a million leaves cost two arrays rather than two million objects. Used to
 * check a downloaded log and in tests; the server keeps the same hashes in its database.
 */
public final class MemoryTree implements Merkle.HashReader {

    private static final int H = Merkle.HASH_SIZE;

    private final List<byte[]> levels = new ArrayList<>();
    private final List<Long> counts = new ArrayList<>();
    private final byte[] one = {0x01};
    private final byte[] scratch = new byte[H];

    public MemoryTree() {
    }

    /** A tree with room for {@code leaves} leaves at every level, so that it never grows while filled. */
    public MemoryTree(long leaves) {
        for (long n = leaves; n > 0; n /= 2) {
            levels.add(new byte[(int) Math.max(H, Math.min(Integer.MAX_VALUE - 8, n * H))]);
            counts.add(0L);
        }
    }

    public long size() {
        return count(0);
    }

    /** The number of complete subtree hashes at a level. */
    public long count(int level) {
        return level < counts.size() ? counts.get(level) : 0;
    }

    public void appendLeafHash(byte[] leafHash) {
        appendLeafHash(leafHash, 0);
    }

    /** Appends the leaf hash found at {@code src[offset, offset + 32)}. */
    public void appendLeafHash(byte[] src, int offset) {
        int level = 0;
        byte[] from = src;
        int at = offset;
        while (true) {
            if (levels.size() == level) {
                levels.add(new byte[H * 64]);
                counts.add(0L);
            }
            long n = counts.get(level);
            byte[] row = levels.get(level);
            if ((n + 1) * H > row.length) {
                row = Arrays.copyOf(row, (int) Math.min(Integer.MAX_VALUE - 8, row.length * 2L));
                levels.set(level, row);
            }
            System.arraycopy(from, at, row, (int) (n * H), H);
            counts.set(level, n + 1);
            if (n % 2 == 0) {
                return;
            }
            // complete a node one level up from the last two hashes of this level
            node(row, (int) ((n - 1) * H), scratch, 0);
            from = scratch;
            at = 0;
            level++;
        }
    }

    private void node(byte[] src, int offset, byte[] dst, int dstOffset) {
        MessageDigest d = Merkle.digest();
        d.update(one);
        d.update(src, offset, 2 * H);
        try {
            d.digest(dst, dstOffset, H);
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    public void appendData(byte[] data) {
        appendLeafHash(Merkle.leafHash(data));
    }

    @Override
    public byte[] hash(int level, long index) {
        if (index < 0 || index >= count(level)) {
            throw new IllegalArgumentException("no complete subtree (" + level + ", " + index + ")");
        }
        int at = (int) (index * H);
        return Arrays.copyOfRange(levels.get(level), at, at + H);
    }

    /** Whether the hash at (level, index) equals {@code b[offset, offset + 32)}, without copying. */
    public boolean hashEquals(int level, long index, byte[] b, int offset) {
        if (index < 0 || index >= count(level)) {
            return false;
        }
        int at = (int) (index * H);
        return Arrays.equals(levels.get(level), at, at + H, b, offset, offset + H);
    }

    public byte[] root() {
        return Merkle.root(this, size());
    }

    public byte[] root(long size) {
        return Merkle.root(this, size);
    }
}
