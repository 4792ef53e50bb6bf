package org.habeas.ledger;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * C2SP tlog-tiles arithmetic: a tile at level L, index N holds up to 256 hashes of Merkle level 8·L, those of the
 * subtrees {@code [256·N, 256·N + W)}; full tiles hold 256, partial ones W = floor(size / 256^L) mod 256 at the
 * right edge. Paths encode N in groups of three digits, all but the last prefixed with {@code x}:
 * {@code tile/1/x001/x234/067.p/8}. Entry bundles ({@code tile/entries/...}) follow the level-0 tiles.
 */
public final class Tiles {

    public static final int WIDTH = 256;
    public static final int HEIGHT = 8;

    /** A tile: level, index, and width (1..256; 256 is a full tile). */
    public record Tile(int level, long index, int width) {
        public boolean full() {
            return width == WIDTH;
        }

        /** The Merkle level of the hashes it holds. */
        public int hashLevel() {
            return level * HEIGHT;
        }

        /** The path under the log's prefix: {@code tile/L/N[.p/W]}. */
        public String path() {
            return "tile/" + level + "/" + encode(index) + (full() ? "" : ".p/" + width);
        }

        /** The entry bundle that goes with a level-0 tile. */
        public String entriesPath() {
            return "tile/entries/" + encode(index) + (full() ? "" : ".p/" + width);
        }
    }

    private static final Pattern PATH = Pattern.compile("(\\d{1,2})/((?:x\\d{3}/)*\\d{3})(?:\\.p/(\\d{1,3}))?");

    private Tiles() {
    }

    /** {@code 1234067} → {@code x001/x234/067}. */
    public static String encode(long n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative tile index");
        }
        String digits = Long.toString(n);
        int pad = (3 - digits.length() % 3) % 3;
        digits = "0".repeat(pad) + digits;
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 3) {
            if (i > 0) {
                out.append('/');
            }
            if (i + 3 < digits.length()) {
                out.append('x');
            }
            out.append(digits, i, i + 3);
        }
        return out.toString();
    }

    /**
     * Reads {@code L/N[.p/W]} (the part after {@code tile/}, or after {@code tile/entries/} with level -1 given
     * by the caller), refusing anything that is not the canonical encoding.
     */
    public static Tile parse(String path) {
        Matcher m = PATH.matcher(path);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a tile path: " + path);
        }
        int level = Integer.parseInt(m.group(1));
        if (level > 63 || !m.group(1).equals(Integer.toString(level))) {
            throw new IllegalArgumentException("bad tile level: " + m.group(1));
        }
        long index = Long.parseLong(m.group(2).replace("x", "").replace("/", ""));
        if (!encode(index).equals(m.group(2))) {
            throw new IllegalArgumentException("not the canonical index encoding: " + m.group(2));
        }
        int width = WIDTH;
        if (m.group(3) != null) {
            width = Integer.parseInt(m.group(3));
            if (width < 1 || width > 255 || !m.group(3).equals(Integer.toString(width))) {
                throw new IllegalArgumentException("a partial tile's width is 1 to 255: " + m.group(3));
            }
        }
        return new Tile(level, index, width);
    }

    /** The number of hashes at tile level {@code level} in a tree of {@code size} leaves. */
    public static long hashesAt(int level, long size) {
        return size >>> (HEIGHT * level);
    }

    /** The tiles of a tree of {@code size} leaves at one level: full ones, then the partial one if any. */
    public static List<Tile> tilesAt(int level, long size) {
        long n = hashesAt(level, size);
        List<Tile> out = new ArrayList<>();
        for (long i = 0; i < n / WIDTH; i++) {
            out.add(new Tile(level, i, WIDTH));
        }
        if (n % WIDTH != 0) {
            out.add(new Tile(level, n / WIDTH, (int) (n % WIDTH)));
        }
        return out;
    }

    /** Every tile of a tree of {@code size} leaves, level by level. */
    public static List<Tile> all(long size) {
        List<Tile> out = new ArrayList<>();
        for (int level = 0; hashesAt(level, size) > 0; level++) {
            out.addAll(tilesAt(level, size));
        }
        return out;
    }

    /** The tile that holds the complete-subtree hash (hashLevel, index), as the tree of {@code size} has it. */
    public static Tile tileFor(int hashLevel, long index, long size) {
        int level = hashLevel / HEIGHT;
        int sub = hashLevel % HEIGHT;
        // the hash is computed from the 2^sub hashes of level 8·L below it
        long first = index << sub;
        long tileIndex = first / WIDTH;
        long available = hashesAt(level, size);
        long width = Math.min(WIDTH, available - tileIndex * WIDTH);
        if (width <= 0) {
            throw new IllegalArgumentException("hash (" + hashLevel + ", " + index + ") is not in a tree of size " + size);
        }
        return new Tile(level, tileIndex, (int) width);
    }
}
