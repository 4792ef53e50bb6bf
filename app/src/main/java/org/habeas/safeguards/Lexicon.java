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

    private record Term(String label, String[] words, boolean[] prefix, String text) {
    }

    /**
     * Terms by their first word; terms whose first word is a prefix, by that prefix's first four letters (or two,
     * for a shorter prefix), so that a word is compared only with the prefixes it could start with.
     */
    private final Map<String, List<Term>> byFirstWord = new HashMap<>();
    private final Map<String, List<Term>> prefixFirst = new HashMap<>();
    private final Map<String, List<Term>> longPrefixFirst = new HashMap<>();
    private final List<Term> shortPrefixFirst = new ArrayList<>();
    private static final int LONG = 4;

    Lexicon(Map<String, ? extends Iterable<String>> termsByLabel) {
        termsByLabel.forEach((label, terms) -> {
            for (String term : terms) {
                add(label, term);
            }
        });
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
        Term t = new Term(label, words.toArray(String[]::new), flags, term);
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
        Map<String, String> found = new LinkedHashMap<>();
        for (int i = 0; i < words.length; i++) {
            List<Term> candidates = byFirstWord.get(words[i]);
            if (candidates != null) {
                for (Term t : candidates) {
                    if (!found.containsKey(t.label()) && matchesAt(t, words, i)) {
                        found.put(t.label(), t.text());
                    }
                }
            }
            if (words[i].length() >= 2) {
                match(prefixFirst.get(words[i].substring(0, 2)), words, i, found);
            }
            if (words[i].length() >= LONG) {
                match(longPrefixFirst.get(words[i].substring(0, LONG)), words, i, found);
            }
            match(shortPrefixFirst, words, i, found);
        }
        return found;
    }

    private static void match(List<Term> candidates, String[] words, int at, Map<String, String> found) {
        if (candidates == null) {
            return;
        }
        for (Term t : candidates) {
            if (!found.containsKey(t.label()) && matchesAt(t, words, at)) {
                found.put(t.label(), t.text());
            }
        }
    }

    private static boolean matchesAt(Term t, String[] words, int at) {
        String[] w = t.words();
        if (at + w.length > words.length) {
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
