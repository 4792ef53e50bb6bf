package org.habeas.ledger;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * RFC 9162 §2.1 Merkle trees over SHA-256: leaf hash {@code SHA-256(0x00 || d)}, node hash
 * {@code SHA-256(0x01 || left || right)}, the empty tree {@code SHA-256("")}; inclusion and consistency proofs,
 * generated from a {@link HashReader} and verified from nothing but the proof. Pure: no I/O, no state.
 */
public final class Merkle {

    public static final int HASH_SIZE = 32;

    /**
     * The hash of a complete subtree: {@code level} 0 is a leaf hash; at level l, index i covers the leaves
     * {@code [i * 2^l, (i + 1) * 2^l)}.
     */
    @FunctionalInterface
    public interface HashReader {
        byte[] hash(int level, long index);
    }

    /** A proof that does not hold, with the reason. */
    public static final class ProofException extends Exception {
        public ProofException(String message) {
            super(message);
        }
    }

    private Merkle() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /** One digest per thread: looking a provider up for every hash would cost more than the hash. */
    private static final ThreadLocal<MessageDigest> DIGEST = ThreadLocal.withInitial(Merkle::sha256);

    static MessageDigest digest() {
        MessageDigest d = DIGEST.get();
        d.reset();
        return d;
    }

    public static byte[] leafHash(byte[] data) {
        return leafHash(data, 0, data.length);
    }

    /** The leaf hash of {@code data[offset, offset + length)}. */
    public static byte[] leafHash(byte[] data, int offset, int length) {
        MessageDigest d = digest();
        d.update((byte) 0x00);
        d.update(data, offset, length);
        return d.digest();
    }

    /** The leaf hash of {@code data[offset, offset + length)}, written into {@code out[0, 32)}. */
    public static void leafHash(byte[] data, int offset, int length, byte[] out) {
        MessageDigest d = digest();
        d.update((byte) 0x00);
        d.update(data, offset, length);
        try {
            d.digest(out, 0, HASH_SIZE);
        } catch (java.security.DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    public static byte[] nodeHash(byte[] left, byte[] right) {
        MessageDigest d = digest();
        d.update((byte) 0x01);
        d.update(left);
        d.update(right);
        return d.digest();
    }

    /** The largest power of two smaller than n (n > 1). */
    static long split(long n) {
        return Long.highestOneBit(n - 1);
    }

    /** The root of a tree given all its leaf hashes (RFC 9162 MTH), without recursion. */
    public static byte[] root(List<byte[]> leafHashes) {
        if (leafHashes.isEmpty()) {
            return emptyRoot();
        }
        // the complete subtrees of the right edge, smallest last: the same fold the log uses when appending
        List<byte[]> stack = new ArrayList<>();
        List<Integer> levels = new ArrayList<>();
        for (byte[] leaf : leafHashes) {
            byte[] h = leaf;
            int level = 0;
            while (!levels.isEmpty() && levels.get(levels.size() - 1) == level) {
                h = nodeHash(stack.remove(stack.size() - 1), h);
                levels.remove(levels.size() - 1);
                level++;
            }
            stack.add(h);
            levels.add(level);
        }
        byte[] root = stack.get(stack.size() - 1);
        for (int i = stack.size() - 2; i >= 0; i--) {
            root = nodeHash(stack.get(i), root);
        }
        return root;
    }

    /** MTH over the leaves [start, end), from complete subtree hashes. */
    public static byte[] subtree(HashReader reader, long start, long end) {
        long n = end - start;
        if (n <= 0) {
            throw new IllegalArgumentException("empty range");
        }
        if (Long.bitCount(n) == 1 && start % n == 0) {
            int level = Long.numberOfTrailingZeros(n);
            return reader.hash(level, start >> level);
        }
        long k = split(n);
        return nodeHash(subtree(reader, start, start + k), subtree(reader, start + k, end));
    }

    /** The root of the tree of the first {@code size} leaves. */
    public static byte[] root(HashReader reader, long size) {
        return size == 0 ? emptyRoot() : subtree(reader, 0, size);
    }

    /** RFC 9162 §2.1.3.1: the audit path of leaf {@code index} in the tree of {@code size} leaves. */
    public static List<byte[]> inclusionProof(HashReader reader, long index, long size) {
        if (index < 0 || index >= size) {
            throw new IllegalArgumentException("index " + index + " is not in a tree of size " + size);
        }
        List<byte[]> proof = new ArrayList<>();
        path(reader, index, 0, size, proof);
        return proof;
    }

    private static void path(HashReader reader, long m, long start, long end, List<byte[]> proof) {
        long n = end - start;
        if (n == 1) {
            return;
        }
        long k = split(n);
        if (m < k) {
            path(reader, m, start, start + k, proof);
            proof.add(subtree(reader, start + k, end));
        } else {
            path(reader, m - k, start + k, end, proof);
            proof.add(subtree(reader, start, start + k));
        }
    }

    /** RFC 9162 §2.1.4.1: the proof that the tree of {@code size1} leaves is a prefix of that of {@code size2}. */
    public static List<byte[]> consistencyProof(HashReader reader, long size1, long size2) {
        if (size1 < 0 || size2 < size1) {
            throw new IllegalArgumentException("sizes " + size1 + ", " + size2);
        }
        List<byte[]> proof = new ArrayList<>();
        if (size1 == 0 || size1 == size2) {
            return proof;
        }
        subproof(reader, size1, 0, size2, true, proof);
        return proof;
    }

    private static void subproof(HashReader reader, long m, long start, long end, boolean b, List<byte[]> proof) {
        long n = end - start;
        if (m == n) {
            if (!b) {
                proof.add(subtree(reader, start, end));
            }
            return;
        }
        long k = split(n);
        if (m <= k) {
            subproof(reader, m, start, start + k, b, proof);
            proof.add(subtree(reader, start + k, end));
        } else {
            subproof(reader, m - k, start + k, end, false, proof);
            proof.add(subtree(reader, start, start + k));
        }
    }

    /** RFC 9162 §2.1.3.2: the root an inclusion proof leads to. */
    public static byte[] rootFromInclusionProof(long index, long size, byte[] leafHash, List<byte[]> proof)
            throws ProofException {
        if (index < 0 || index >= size) {
            throw new ProofException("index " + index + " is beyond the tree size " + size);
        }
        if (leafHash == null || leafHash.length != HASH_SIZE) {
            throw new ProofException("the leaf hash is not 32 bytes");
        }
        checkHashes(proof);
        long fn = index;
        long sn = size - 1;
        byte[] r = leafHash;
        for (byte[] p : proof) {
            if (sn == 0) {
                throw new ProofException("the proof is longer than the path (" + proof.size() + " hashes)");
            }
            if ((fn & 1) == 1 || fn == sn) {
                r = nodeHash(p, r);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                r = nodeHash(r, p);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("the proof is shorter than the path (" + proof.size() + " hashes)");
        }
        return r;
    }

    public static void verifyInclusion(long index, long size, byte[] leafHash, List<byte[]> proof, byte[] root)
            throws ProofException {
        byte[] computed = rootFromInclusionProof(index, size, leafHash, proof);
        if (!MessageDigest.isEqual(computed, root)) {
            throw new ProofException("the proof leads to a different root");
        }
    }

    /** RFC 9162 §2.1.4.2: checks that {@code root1} of {@code size1} leaves is a prefix of {@code root2}. */
    public static void verifyConsistency(long size1, long size2, byte[] root1, byte[] root2, List<byte[]> proof)
            throws ProofException {
        if (root1 == null || root1.length != HASH_SIZE || root2 == null || root2.length != HASH_SIZE) {
            throw new ProofException("a root is not 32 bytes");
        }
        checkHashes(proof);
        if (size2 < size1 || size1 < 0) {
            throw new ProofException("size2 " + size2 + " is smaller than size1 " + size1);
        }
        if (size1 == size2) {
            if (!proof.isEmpty()) {
                throw new ProofException("equal sizes take an empty proof");
            }
            if (!MessageDigest.isEqual(root1, root2)) {
                throw new ProofException("equal sizes but different roots");
            }
            return;
        }
        if (size1 == 0) {
            if (!proof.isEmpty()) {
                throw new ProofException("a proof from the empty tree is empty");
            }
            return;
        }
        if (proof.isEmpty()) {
            throw new ProofException("the proof is empty");
        }
        List<byte[]> path = new ArrayList<>(proof);
        if (Long.bitCount(size1) == 1) {
            path.add(0, root1);
        }
        long fn = size1 - 1;
        long sn = size2 - 1;
        while ((fn & 1) == 1) {
            fn >>= 1;
            sn >>= 1;
        }
        byte[] fr = path.get(0);
        byte[] sr = path.get(0);
        for (int i = 1; i < path.size(); i++) {
            byte[] c = path.get(i);
            if (sn == 0) {
                throw new ProofException("the proof is longer than needed");
            }
            if ((fn & 1) == 1 || fn == sn) {
                fr = nodeHash(c, fr);
                sr = nodeHash(c, sr);
                if ((fn & 1) == 0) {
                    while ((fn & 1) == 0 && fn != 0) {
                        fn >>= 1;
                        sn >>= 1;
                    }
                }
            } else {
                sr = nodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        if (sn != 0) {
            throw new ProofException("the proof is shorter than needed");
        }
        if (!MessageDigest.isEqual(fr, root1)) {
            throw new ProofException("the proof does not lead to the first root");
        }
        if (!MessageDigest.isEqual(sr, root2)) {
            throw new ProofException("the proof does not lead to the second root");
        }
    }

    private static void checkHashes(List<byte[]> proof) throws ProofException {
        if (proof == null) {
            throw new ProofException("no proof");
        }
        for (int i = 0; i < proof.size(); i++) {
            if (proof.get(i) == null || proof.get(i).length != HASH_SIZE) {
                throw new ProofException("proof[" + i + "] is not 32 bytes");
            }
        }
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
