package org.habeas.safeguards;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.habeas.law.Language;

import com.ibm.icu.lang.UScript;
import com.ibm.icu.util.ULocale;

/**
 * Tells which language a field is written in, from its script and the frequent function words of each language's
 * lexicon ({@code function} in {@code law/lexicons/<code>.yaml}). A script that no language read uses (Hangul when
 * Korean is not read, Ethiopic, Georgian, Tamil, Khmer...) names its language through ICU's likely subtags; text
 * in Latin or Cyrillic script, which write many languages Habeas does not read, is recognised only by its function
 * words, and text with too few of them (at least twelve words, the other field of the charge and facts counted
 * with a short one) is in a language Habeas does not read.
 *
 * <p>Measured against Lingua (restricted to the languages read, low-accuracy mode): Lingua took milliseconds per
 * text and, restricted, names an unread language as the nearest one read; this costs a map look-up per word.
 */
final class Languages {

    /** What a field is written in: a language read ({@code code} set), or one not read (its name, if known). */
    record Detected(String code, String name, boolean read) {
    }

    /** Fewer letters than this say nothing about their language. */
    private static final int MIN_LETTERS = 12;
    /** A script with at least this share of a field's letters is one it is written in. */
    private static final double MAIN_SCRIPT = 0.2;
    /** The share of function words below which Latin-, Cyrillic- or Arabic-script text is not in a language read. */
    private static final double MIN_FUNCTION_SHARE = 0.05;

    private final List<Language> languages;
    /** Each folded function word, with the indices of the languages it belongs to. */
    private final Map<String, BitSet> functionWords = new HashMap<>();
    /** The scripts each language is written in, from its function words. */
    private final List<BitSet> scripts = new ArrayList<>();
    private final Set<String> accepted;

    Languages(List<Language> languages, Set<String> accepted) {
        this.languages = List.copyOf(languages);
        this.accepted = Set.copyOf(accepted);
        for (int i = 0; i < languages.size(); i++) {
            BitSet own = new BitSet();
            for (String w : languages.get(i).function()) {
                Text.Read read = Text.read("", w);
                for (String word : read.words()) {
                    functionWords.computeIfAbsent(word, k -> new BitSet()).set(i);
                }
                int[] s = read.scripts();
                for (int sc = 0; sc < s.length; sc++) {
                    if (s[sc] > 0) {
                        own.set(sc);
                    }
                }
            }
            scripts.add(own);
        }
        functionWords.forEach((w, of) -> functionIn.put(w, of.stream().toArray()));
    }

    /** The same, as the languages' indices in order: what counting a field's words reads. */
    private final Map<String, int[]> functionIn = new HashMap<>();

    /** The languages an operator accepts, in the knowledge base's order, by name. */
    List<String> acceptedNames() {
        return languages.stream().filter(l -> accepted.contains(l.language())).map(Language::name).toList();
    }

    /** Fewer words than this are too few to judge by their function words alone. */
    private static final int MIN_WORDS = 12;

    /**
     * The language of a field, or {@code null} when it is too short or too bare to tell. A field too short or too
     * bare to be recognised by its own function words is judged with {@code context} (the other field of the
     * charge and facts).
     */
    Detected detect(Text.Read field, Text.Read context) {
        return detect(field, hits(field), context, context == null ? null : hits(context));
    }

    /**
     * The languages of two fields, each judged with the other as its context ({@link #detect(Text.Read, Text.Read)}
     * twice), with each field's function words counted once.
     */
    Detected[] detectBoth(Text.Read first, Text.Read second) {
        int[] a = hits(first);
        int[] b = hits(second);
        return new Detected[] {detect(first, a, second, b), detect(second, b, first, a)};
    }

    private Detected detect(Text.Read field, int[] fieldHits, Text.Read context, int[] contextHits) {
        Detected alone = detect(field.scripts(), fieldHits, field.words().length, field.words().length >= MIN_WORDS);
        boolean unrecognised = alone != UNSURE && !alone.read() && alone.name() == null;
        if ((alone != UNSURE && !unrecognised) || context == null) {
            return alone == UNSURE ? null : alone;
        }
        // a charge is often a bare noun phrase: judge it, and short fields, together with the other field
        // an empty field counts no letters, even with its context
        int[] scripts = field.scripts().length == 0 ? field.scripts()
                : java.util.Arrays.copyOf(field.scripts(), Math.max(field.scripts().length, context.scripts().length));
        for (int sc = 0; field.scripts().length > 0 && sc < context.scripts().length; sc++) {
            scripts[sc] += context.scripts()[sc];
        }
        int[] hits = new int[fieldHits.length];
        for (int i = 0; i < hits.length; i++) {
            hits[i] = fieldHits[i] + contextHits[i];
        }
        int words = field.words().length + context.words().length;
        Detected pooled = detect(scripts, hits, words, words >= MIN_WORDS);
        if (pooled != UNSURE && (pooled.read() || pooled.code() != null)) {
            return pooled;
        }
        return unrecognised ? alone : pooled == UNSURE ? null : pooled;
    }

    private static final int[] NOT_FUNCTION = new int[0];

    /** The languages (indices) a folded word is a function word of; empty for none. */
    int[] functionOf(String folded) {
        int[] of = functionIn.get(folded);
        return of == null ? NOT_FUNCTION : of;
    }

    /**
     * How many of a field's words are function words of each language (by the languages' indices): as its
     * vocabulary knows them ({@link Vocabulary.Word#languages}, from {@link #functionOf}), else looked up.
     */
    private int[] hits(Text.Read field) {
        int[] hits = new int[languages.size()];
        String[] words = field.words();
        Vocabulary.Word[] known = field.known();
        for (int k = 0; k < words.length; k++) {
            int[] of = known != null && known[k].languages != null ? known[k].languages : functionIn.get(words[k]);
            if (of != null) {
                for (int i : of) {
                    hits[i]++;
                }
            }
        }
        return hits;
    }

    /** Not enough function words to tell, in text too short to say that is telling. */
    private static final Detected UNSURE = new Detected(null, null, true);

    private Detected detect(int[] letters, int[] hits, int words, boolean judge) {
        int total = 0;
        for (int n : letters) {
            total += n;
        }
        if (total < MIN_LETTERS) {
            return UNSURE;
        }
        BitSet main = new BitSet();
        int top = -1;
        for (int sc = 0; sc < letters.length; sc++) {
            if (letters[sc] >= MAIN_SCRIPT * total) {
                main.set(sc);
                if (top < 0 || letters[sc] > letters[top]) {
                    top = sc;
                }
            }
        }
        // Japanese is written in Han and kana together: kana anywhere in Han text is a strong sign
        if (Text.letters(letters, UScript.HIRAGANA) + Text.letters(letters, UScript.KATAKANA) > 0.05 * total
                && main.get(UScript.HAN)) {
            main.set(UScript.HIRAGANA);
            main.set(UScript.KATAKANA);
        }
        int[] candidates = new int[languages.size()];
        int count = 0;
        for (int i = 0; i < languages.size(); i++) {
            if (scripts.get(i).intersects(main)) {
                candidates[count++] = i;
            }
        }
        if (count == 0) {
            return new Detected(null, languageOf(top), false);
        }
        int best = candidates[0];
        for (int k = 0; k < count; k++) {
            int i = candidates[k];
            if (hits[i] > hits[best] || (hits[i] == hits[best] && overlap(i, letters) > overlap(best, letters))) {
                best = i;
            }
        }
        // Latin and Cyrillic write many languages Habeas does not read: only function words tell them apart
        boolean shared = top == UScript.LATIN || top == UScript.CYRILLIC;
        if (shared && hits[best] < MIN_FUNCTION_SHARE * words) {
            return judge ? new Detected(null, null, false) : UNSURE;
        }
        Language l = languages.get(best);
        return new Detected(l.language(), l.name(), accepted.contains(l.language()));
    }

    /** How many of the text's letters are in the language's scripts (Japanese over Chinese for kana, say). */
    private int overlap(int language, int[] letters) {
        int n = 0;
        BitSet own = scripts.get(language);
        for (int sc = own.nextSetBit(0); sc >= 0; sc = own.nextSetBit(sc + 1)) {
            n += Text.letters(letters, sc);
        }
        return n;
    }

    /** The language a script most likely writes (Hangul: Korean, Ethiopic: Amharic), by ICU's likely subtags. */
    private static String languageOf(int script) {
        if (script < 0) {
            return null;
        }
        String name = SCRIPT_LANGUAGES.get(script);
        if (name == null) {
            name = likelyLanguage(script);
            SCRIPT_LANGUAGES.set(script, name);
        }
        return name;
    }

    /** The language of each script, looked up once (a pure function of the script). */
    private static final java.util.concurrent.atomic.AtomicReferenceArray<String> SCRIPT_LANGUAGES =
            new java.util.concurrent.atomic.AtomicReferenceArray<>(UScript.CODE_LIMIT);

    private static String likelyLanguage(int script) {
        ULocale likely = ULocale.addLikelySubtags(new ULocale("und_" + UScript.getShortName(script)));
        String name = likely.getDisplayLanguage(ULocale.ENGLISH);
        return name.isBlank() || "und".equals(likely.getLanguage()) ? UScript.getName(script) + " script" : name;
    }
}
