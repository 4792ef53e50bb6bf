package org.habeas.ledger;

import java.security.DigestException;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * A Merkle tree held in memory: every complete subtree hash, level by level, appended leaf by leaf, in flat byte
 * arrays (32 bytes per hash) so that a million leaves cost two arrays rather than two million objects. Used to
 * check a downloaded log and in tests; the server keeps the same hashes in its database.
 */
public final class MemoryTree implements Merkle.HashReader {

    private static final int H = Merkle.HASH_SIZE;

    private final byte[][] levels = new byte[64][];
    private final long[] counts = new long[64];
    private final byte[] one = {0x01};
    private final byte[] scratch = new byte[H];
    private final MessageDigest digest = Merkle.sha256();

    public MemoryTree() {
    }

    /** A tree with room for {@code leaves} leaves at every level, so that it never grows while filled. */
    public MemoryTree(long leaves) {
        int level = 0;
        for (long n = leaves; n > 0; n /= 2) {
            levels[level++] = new byte[(int) Math.max(H, Math.min(Integer.MAX_VALUE - 8, n * H))];
        }
    }

    public long size() {
        return count(0);
    }

    /** The number of complete subtree hashes at a level. */
    public long count(int level) {
        return level < counts.length ? counts[level] : 0;
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
            byte[] row = levels[level];
            if (row == null) {
                row = levels[level] = new byte[H * 64];
            }
            long n = counts[level];
            if ((n + 1) * H > row.length) {
                row = levels[level] = Arrays.copyOf(row, (int) Math.min(Integer.MAX_VALUE - 8, row.length * 2L));
            }
            System.arraycopy(from, at, row, (int) (n * H), H);
            counts[level] = n + 1;
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
        digest.update(one);
        digest.update(src, offset, 2 * H);
        try {
            digest.digest(dst, dstOffset, H);
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
        return Arrays.copyOfRange(levels[level], at, at + H);
    }

    /** Whether the hash at (level, index) equals {@code b[offset, offset + 32)}, without copying. */
    public boolean hashEquals(int level, long index, byte[] b, int offset) {
        if (index < 0 || index >= count(level)) {
            return false;
        }
        int at = (int) (index * H);
        return Arrays.equals(levels[level], at, at + H, b, offset, offset + H);
    }

    public byte[] root() {
        return Merkle.root(this, size());
    }

    public byte[] root(long size) {
        return Merkle.root(this, size);
    }
}
