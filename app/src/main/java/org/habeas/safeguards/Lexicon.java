package org.habeas.safeguards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds terms in text on word boundaries, ignoring case, accents, widths and look-alike letters ({@link Text}). A term is a phrase of one or more words;
 * a final {@code *} makes its last word a prefix ("insult*" matches insult, insulting, insulted). Terms are
 * grouped under labels (conduct class ids, role ids); {@link #find} says which labels occur, and by which term.
 */
final class Lexicon {

    /** A term: its label, its words (the last may be a prefix), as written, and its label's place in the lexicon. */
    record Term(String label, String[] words, boolean[] prefix, String text, int index) {
    }

    /** The labels, in the order they were given: a term's {@link Term#index} is its label's place here. */
    private final Map<String, Integer> labels = new HashMap<>();

    /**
     * Terms by their first word; terms whose first word is a prefix, by that prefix's first four letters (or two,
     * for a shorter prefix), so that a word is compared only with the prefixes it could start with.
     */
    private final Map<String, List<Term>> byFirstWord = new HashMap<>();
    private final Map<String, List<Term>> prefixFirst = new HashMap<>();
    private final Map<String, List<Term>> longPrefixFirst = new HashMap<>();
    private final List<Term> shortPrefixFirst = new ArrayList<>();
    private static final int LONG = 4;

    /** The same, as arrays, and the prefixes in tables looked up by a word's first letters without copying them. */
    private final Map<String, Term[]> exact = new HashMap<>();
    private final Prefixes prefixes;
    private final Prefixes longPrefixes;
    private final Term[] shortPrefixes;

    Lexicon(Map<String, ? extends Iterable<String>> termsByLabel) {
        termsByLabel.forEach((label, terms) -> {
            for (String term : terms) {
                add(label, term);
            }
        });
        byFirstWord.forEach((w, terms) -> exact.put(w, terms.toArray(Term[]::new)));
        prefixes = new Prefixes(prefixFirst, 2);
        longPrefixes = new Prefixes(longPrefixFirst, LONG);
        shortPrefixes = shortPrefixFirst.toArray(Term[]::new);
    }

    /**
     * Terms by the first letters of their first word (all keys of one length): an open-addressing table that
     * hashes the first letters of a word in place, so that looking a word up allocates nothing.
     */
    private static final class Prefixes {
        private final int length;
        private final String[] keys;
        private final Term[][] terms;
        private final int mask;
        private final int shift;

        Prefixes(Map<String, List<Term>> byPrefix, int length) {
            this.length = length;
            int size = Integer.highestOneBit(Math.max(4, byPrefix.size() * 2)) * 2;
            keys = new String[size];
            terms = new Term[size][];
            mask = size - 1;
            shift = Integer.numberOfLeadingZeros(size) + 1;
            byPrefix.forEach((key, list) -> {
                int i = slot(key);
                while (keys[i] != null) {
                    i = (i + 1) & mask;
                }
                keys[i] = key;
                terms[i] = list.toArray(Term[]::new);
            });
        }

        /** The first slot of a word's first letters: their hash spread by Fibonacci hashing (letters are close). */
        private int slot(String s) {
            int h = 0;
            for (int k = 0; k < length; k++) {
                h = 31 * h + s.charAt(k);
            }
            return (h * 0x9E3779B9) >>> shift;
        }

        /** The terms whose first word starts as the word does ({@code null}: none); the word is long enough. */
        Term[] get(String word) {
            for (int i = slot(word); keys[i] != null; i = (i + 1) & mask) {
                if (word.startsWith(keys[i])) {
                    return terms[i];
                }
            }
            return null;
        }
    }

    private void add(String label, String term) {
        List<String> words = new ArrayList<>();
        List<Boolean> prefix = new ArrayList<>();
        for (String chunk : term.strip().split("\\s+")) {
            boolean star = chunk.endsWith("*");
            String[] w = words(star ? chunk.substring(0, chunk.length() - 1) : chunk);
            for (int k = 0; k < w.length; k++) {
                words.add(w[k]);
                prefix.add(star && k == w.length - 1);
            }
        }
        if (words.isEmpty()) {
            return;
        }
        boolean[] flags = new boolean[prefix.size()];
        for (int k = 0; k < flags.length; k++) {
            flags[k] = prefix.get(k);
        }
        Integer index = labels.computeIfAbsent(label, k -> labels.size());
        Term t = new Term(label, words.toArray(String[]::new), flags, term, index);
        if (flags[0] && t.words()[0].length() < 2) {
            shortPrefixFirst.add(t);
        } else if (flags[0] && t.words()[0].length() >= LONG) {
            longPrefixFirst.computeIfAbsent(t.words()[0].substring(0, LONG), k -> new ArrayList<>()).add(t);
        } else if (flags[0]) {
            prefixFirst.computeIfAbsent(t.words()[0].substring(0, 2), k -> new ArrayList<>()).add(t);
        } else {
            byFirstWord.computeIfAbsent(t.words()[0], k -> new ArrayList<>()).add(t);
        }
    }

    /** The words of a text, read as requests are read ({@link Text}): the same for terms and for text. */
    static String[] words(String text) {
        return Text.words(text);
    }

    /** The labels whose terms occur in the words, each with the first term that matched. */
    Map<String, String> find(String[] words) {
        Found found = null;
        for (int i = 0; i < words.length; i++) {
            Term[] candidates = candidates(words[i]);
            if (candidates.length > 0) {
                found = match(candidates, words, i, words.length, found);
            }
        }
        return found == null ? Map.of() : found.map;
    }

    /**
     * {@link #find} over the words from {@code from} to {@code to} (a sentence of a field's words), with the terms
     * each word could start already looked up ({@link #lookUp}, at the same indices as the words).
     */
    Map<String, String> find(String[] words, int from, int to, Term[][] candidates) {
        Found found = null;
        for (int i = from; i < to; i++) {
            if (candidates[i].length > 0) {
                found = match(candidates[i], words, i, to, found);
            }
        }
        return found == null ? Map.of() : found.map;
    }

    /**
     * The terms a word could start, in the order they are tried (exact first words, then two- and four-letter
     * prefixes, then shorter ones), kept once looked up: which terms a word could start depends on the word alone,
     * and the vocabulary of requests repeats. Bounded: past {@link #CACHED} words, new ones are looked up each time.
     */
    private final Map<String, Term[]> candidates = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 50_000;
    private static final Term[] NONE = new Term[0];

    private Term[] candidates(String w) {
        Term[] known = candidates.get(w);
        if (known != null) {
            return known;
        }
        Term[] found = lookUp(w);
        if (candidates.size() < CACHED) {
            candidates.put(w, found);
        }
        return found;
    }

    /**
     * The terms a word could start, looked up in the tables (not kept): those whose first word is the word, or a
     * prefix of it. Only these can match at the word, and they keep the order in which they are tried, so that
     * leaving the others out changes nothing that is found.
     */
    Term[] lookUp(String w) {
        List<Term> all = new ArrayList<>();
        addAll(all, exact.get(w), w);
        if (w.length() >= 2) {
            addAll(all, prefixes.get(w), w);
        }
        if (w.length() >= LONG) {
            addAll(all, longPrefixes.get(w), w);
        }
        addAll(all, shortPrefixes, w);
        return all.isEmpty() ? NONE : all.toArray(Term[]::new);
    }

    private static void addAll(List<Term> to, Term[] terms, String w) {
        if (terms != null) {
            for (Term t : terms) {
                if (t.prefix()[0] ? w.startsWith(t.words()[0]) : w.equals(t.words()[0])) {
                    to.add(t);
                }
            }
        }
    }

    /** The labels found so far, and the first 64 of them as bits by {@link Term#index}, looked up without hashing. */
    private static final class Found {
        final Map<String, String> map = new LinkedHashMap<>();
        long seen;

        boolean has(Term t) {
            return t.index() < 64 ? (seen & 1L << t.index()) != 0 : map.containsKey(t.label());
        }

        void add(Term t) {
            map.put(t.label(), t.text());
            if (t.index() < 64) {
                seen |= 1L << t.index();
            }
        }
    }

    private static Found match(Term[] candidates, String[] words, int at, int end, Found found) {
        if (candidates == null) {
            return found;
        }
        for (Term t : candidates) {
            if ((found == null || !found.has(t)) && matchesAt(t, words, at, end)) {
                if (found == null) {
                    found = new Found();
                }
                found.add(t);
            }
        }
        return found;
    }

    private static boolean matchesAt(Term t, String[] words, int at, int end) {
        String[] w = t.words();
        if (at + w.length > end) {
            return false;
        }
        for (int k = 0; k < w.length; k++) {
            if (t.prefix()[k] ? !words[at + k].startsWith(w[k]) : !words[at + k].equals(w[k])) {
                return false;
            }
        }
        return true;
    }
}
