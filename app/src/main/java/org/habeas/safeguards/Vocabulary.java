package org.habeas.safeguards;

import java.util.function.Function;

/**
 * The words an engine has read before, looked up by the characters of the text they were read from, without
 * copying them: each word once read keeps its folded form ({@link Text}) and what the engine's lexicons and
 * languages make of it, so that reading a known word again is one look-up in one table, with nothing allocated.
 *
 * <p>Safe for any number of threads: entries are immutable and published through an array; a reader that misses an
 * entry being added reads the word again, and adds it under the lock. Bounded: past {@link #MAX} entries, new words
 * are read each time and not kept.
 */
final class Vocabulary {

    /**
     * A word as read: its folded form (what the lexicons match), and, for an engine's vocabulary, the terms it
     * could start in the conduct and role lexicons ({@link Lexicon#lookUp}) and the languages it is a function word
     * of (indices of {@link Languages}); {@code null} where the vocabulary attaches nothing.
     */
    static final class Word {
        final String text;
        final Lexicon.Term[] conduct;
        final Lexicon.Term[] roles;
        final int[] languages;

        Word(String text, Lexicon.Term[] conduct, Lexicon.Term[] roles, int[] languages) {
            this.text = text;
            this.conduct = conduct;
            this.roles = roles;
            this.languages = languages;
        }
    }

    /** What a stretch of text was read as, by kind of reading (a word of ASCII text, a chunk, a segmented word). */
    static final int ASCII = 0;
    static final int CHUNK = 1;
    static final int SEGMENT = 2;

    private static final int MAX = 50_000;

    private record Entry(char[] key, int kind, Object value) {
    }

    /**
     * The entries, and beside them their hashes (never 0; 0: a free slot), so that a probe compares hashes in one
     * array and reads an entry only when its hash is the one looked for.
     */
    private record Table(int[] hashes, Entry[] entries) {
        Table(int size) {
            this(new int[size], new Entry[size]);
        }
    }

    private final Function<String, Word> maker;
    private volatile Table table = new Table(1 << 12);
    private int size; // guarded by this

    /** A vocabulary whose words are made from their folded form by {@code maker}. */
    Vocabulary(Function<String, Word> maker) {
        this.maker = maker;
    }

    /** A vocabulary that attaches nothing to its words. */
    static Vocabulary plain() {
        return new Vocabulary(folded -> new Word(folded, null, null, null));
    }

    /** The word with this folded form, as this vocabulary makes it (not kept). */
    Word make(String folded) {
        return maker.apply(folded);
    }

    private static int hash(CharSequence s, int from, int to, int kind, boolean lower) {
        int h = kind;
        for (int k = from; k < to; k++) {
            h = 31 * h + at(s, k, lower);
        }
        return h == 0 ? 1 : h;
    }

    /** A character of the text, in lower case if asked (ASCII capitals only: the keys of ASCII words). */
    private static char at(CharSequence s, int k, boolean lower) {
        char ch = s.charAt(k);
        return lower && ch >= 'A' && ch <= 'Z' ? (char) (ch + ('a' - 'A')) : ch;
    }

    private static int slot(int hash, int mask) {
        return (hash * 0x9E3779B9) >>> 7 & mask;
    }

    /** What the characters {@code from}–{@code to} of {@code s} were read as, by that kind of reading; or {@code null}. */
    Object get(CharSequence s, int from, int to, int kind) {
        return get(s, from, to, kind, false);
    }

    /** The same, with the characters in lower case if {@code lower} (ASCII capitals to small letters). */
    Object get(CharSequence s, int from, int to, int kind, boolean lower) {
        int h = hash(s, from, to, kind, lower);
        Table t = table;
        int[] hashes = t.hashes();
        int mask = hashes.length - 1;
        for (int i = slot(h, mask); ; i = (i + 1) & mask) {
            int found = hashes[i];
            if (found == h) {
                Entry e = t.entries()[i];
                if (e != null && e.kind == kind && same(e.key, s, from, to, lower)) {
                    return e.value;
                }
            } else if (found == 0) {
                return null;
            }
        }
    }

    private static boolean same(char[] key, CharSequence s, int from, int to, boolean lower) {
        if (key.length != to - from) {
            return false;
        }
        for (int k = 0; k < key.length; k++) {
            if (key[k] != at(s, from + k, lower)) {
                return false;
            }
        }
        return true;
    }

    /** Keeps what the characters were read as (unless the vocabulary is full, or holds them already). */
    synchronized void put(CharSequence s, int from, int to, int kind, Object value) {
        put(s, from, to, kind, false, value);
    }

    /** The same, with the characters in lower case if {@code lower}. */
    synchronized void put(CharSequence s, int from, int to, int kind, boolean lower, Object value) {
        if (size >= MAX || get(s, from, to, kind, lower) != null) {
            return;
        }
        Table t = table;
        if (2 * (size + 1) > t.hashes().length) {
            Table grown = new Table(t.hashes().length * 2);
            for (int i = 0; i < t.hashes().length; i++) {
                if (t.entries()[i] != null) {
                    insert(grown, t.hashes()[i], t.entries()[i]);
                }
            }
            t = grown;
        }
        char[] key = new char[to - from];
        for (int k = 0; k < key.length; k++) {
            key[k] = at(s, from + k, lower);
        }
        insert(t, hash(s, from, to, kind, lower), new Entry(key, kind, value));
        size++;
        table = t;
    }

    /** The entry first, then its hash; a reader that sees the hash before the entry finds nothing and reads the word again. */
    private static void insert(Table t, int hash, Entry e) {
        int mask = t.hashes().length - 1;
        int i = slot(hash, mask);
        while (t.hashes()[i] != 0) {
            i = (i + 1) & mask;
        }
        t.entries()[i] = e;
        t.hashes()[i] = hash;
    }
}
