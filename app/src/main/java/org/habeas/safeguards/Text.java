package org.habeas.safeguards;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.lang.UProperty;
import com.ibm.icu.lang.UScript;
import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;
import com.ibm.icu.util.ULocale;

/**
 * How Habeas reads text, the same for a request's fields, its target values and the lexicons' terms, so that a
 * term matches whatever letters, widths or hidden characters the text is written with:
 * <ol>
 * <li>Unicode NFKC with case folding, which also drops default-ignorable characters (zero-width characters,
 * bidirectional controls, soft hyphens, variation selectors) — {@code NFKC_Casefold};</li>
 * <li>word segmentation: runs of letters, digits and marks, and within runs of a script written without spaces
 * (Chinese, Japanese, Thai, Lao, Khmer, Burmese) ICU's dictionary-based word {@link BreakIterator};</li>
 * <li>each word folded to its confusable skeleton (Unicode UTS #39, ICU's {@link SpoofChecker}), without
 * combining marks (accents, Arabic vowel signs), in lower case; lower-case letters whose capital is a look-alike of
 * a Latin capital (Cyrillic т, Greek ρ) count as that Latin letter, so that case does not hide a look-alike.</li>
 * </ol>
 * Reading also reports what an honest writer never needs: characters hidden in the text, and words that mix
 * scripts beyond what UTS #39's moderately restrictive level allows (Latin with Japanese is fine; Latin with
 * Cyrillic within one word is not).
 */
final class Text {

    /**
     * One field read: its name, its text in NFKC case-folded form, its words sentence by sentence and all of them,
     * whether it carries hidden (default-ignorable) characters where no script needs them, the words that mix
     * scripts (as written, after NFKC), the count of letters per script ({@link UScript} codes, for telling the
     * language: as long as the highest script counted needs, scripts beyond it count none; empty only for an empty
     * text), and the words as a vocabulary holds them ({@code null}: read without one; else at the same indices as
     * the words).
     *
     * <p>The normalised text of a field read chunk by chunk is made only when asked for (the rules ask it of target
     * values alone): it is the raw text's NFKC case folding, what the chunks' normalised forms make together.
     */
    static final class Read {
        private final String field;
        private final String raw;
        private String normalised;
        private final List<String[]> sentences;
        private final String[] words;
        private final boolean hidden;
        private final List<String> mixed;
        private final int[] scripts;
        private final Vocabulary.Word[] known;

        Read(String field, String normalised, List<String[]> sentences, String[] words, boolean hidden,
                List<String> mixed, int[] scripts, Vocabulary.Word[] known) {
            this(field, null, normalised, sentences, words, hidden, mixed, scripts, known);
        }

        /** A field read without a vocabulary. */
        Read(String field, String normalised, List<String[]> sentences, String[] words, boolean hidden,
                List<String> mixed, int[] scripts) {
            this(field, null, normalised, sentences, words, hidden, mixed, scripts, null);
        }

        /** A field whose normalised text is made from {@code raw} when asked for ({@code normalised} {@code null}). */
        Read(String field, String raw, String normalised, List<String[]> sentences, String[] words, boolean hidden,
                List<String> mixed, int[] scripts, Vocabulary.Word[] known) {
            this.field = field;
            this.raw = raw;
            this.normalised = normalised;
            this.sentences = sentences;
            this.words = words;
            this.hidden = hidden;
            this.mixed = mixed;
            this.scripts = scripts;
            this.known = known;
        }

        String field() {
            return field;
        }

        String normalised() {
            String n = normalised;
            if (n == null) {
                n = NFKC_CF.normalize(raw);
                normalised = n; // the same string whichever thread makes it
            }
            return n;
        }

        List<String[]> sentences() {
            return sentences;
        }

        String[] words() {
            return words;
        }

        boolean hidden() {
            return hidden;
        }

        List<String> mixed() {
            return mixed;
        }

        int[] scripts() {
            return scripts;
        }

        Vocabulary.Word[] known() {
            return known;
        }

        boolean disguised() {
            return hidden || !mixed.isEmpty();
        }
    }

    /**
     * For each character of the Basic Multilingual Plane, looked up once: its script ({@link #SCRIPT} bits) and
     * whether it belongs in a word ({@link #WORD}), the two questions reading asks of every character.
     */
    private static final short[] BMP = new short[0x10000];
    private static final int WORD = 0x4000;
    private static final int SCRIPT = 0x3FFF;

    static {
        if (UScript.CODE_LIMIT > SCRIPT) {
            throw new IllegalStateException("more scripts than the table holds: " + UScript.CODE_LIMIT);
        }
        for (int cp = 0; cp < 0x10000; cp++) {
            BMP[cp] = (short) (UScript.getScript(cp) | (wordCharNow(cp) ? WORD : 0));
        }
    }

    private static final Normalizer2 NFKC_CF = Normalizer2.getNFKCCasefoldInstance();
    private static final SpoofChecker SKELETON = new SpoofChecker.Builder().build();
    private static final SpoofChecker MIXED = new SpoofChecker.Builder()
            .setChecks(SpoofChecker.RESTRICTION_LEVEL)
            .setRestrictionLevel(SpoofChecker.RestrictionLevel.MODERATELY_RESTRICTIVE)
            .build();
    private static final BreakIterator WORDS = BreakIterator.getWordInstance(ULocale.ROOT);
    private static final ThreadLocal<BreakIterator> BREAKER = ThreadLocal.withInitial(() -> (BreakIterator) WORDS.clone());

    /** The folded form of each ASCII character (its skeleton in lower case): the common case without ICU calls. */
    private static final String[] ASCII = new String[128];

    /**
     * Lower-case letters of other scripts whose capital is a look-alike of a Latin letter (Cyrillic т, whose capital
     * Т looks like T), to that Latin letter: text is case-folded before its skeleton is taken, and the skeleton of
     * a lower-case letter does not see what its capital looked like. Taken from ICU's own confusables.
     */
    private static final Map<Integer, String> CAPITAL_LOOK_ALIKES = new HashMap<>();

    static {
        for (int cp = 0x80; cp < 0x20000; cp++) {
            if (!Character.isUpperCase(cp)) {
                continue;
            }
            int script = UScript.getScript(cp);
            if (script == UScript.LATIN || script == UScript.COMMON || script == UScript.INHERITED) {
                continue;
            }
            String capital = new String(Character.toChars(cp));
            String skeleton = SKELETON.getSkeleton(capital);
            String lower = UCharacter.foldCase(capital, true);
            if (!skeleton.equals(capital) && lower.codePointCount(0, lower.length()) == 1
                    && UScript.getScript(skeleton.codePointAt(0)) == UScript.LATIN
                    && !ascii(SKELETON.getSkeleton(lower))) {
                CAPITAL_LOOK_ALIKES.putIfAbsent(lower.codePointAt(0), UCharacter.foldCase(skeleton, true));
            }
        }
        for (char ch = 0; ch < 128; ch++) {
            ASCII[ch] = UCharacter.foldCase(SKELETON.getSkeleton(UCharacter.foldCase(String.valueOf(ch), true)), true);
        }
    }

    private static final int SCRIPTS = UScript.CODE_LIMIT;

    private Text() {
    }

    /** A field's text read; {@code null} reads as empty. */
    static Read read(String field, String raw) {
        return read(field, raw, PLAIN);
    }

    /**
     * {@link #read(String, String)}, with or without the shortcuts ({@code false}: every text the general way, the
     * whole text at once, which the shortcuts must agree with).
     */
    static Read read(String field, String raw, boolean shortcut) {
        return shortcut ? read(field, raw, PLAIN) : readWhole(field, raw);
    }

    /** The vocabulary of reading outside an engine, which attaches nothing to its words. */
    private static final Vocabulary PLAIN = Vocabulary.plain();

    /**
     * A field's text read with a vocabulary of the words read before ({@link Read#known()} holds each word as the
     * vocabulary has it). ASCII text is read word by word; other text chunk by chunk, a chunk being what lies
     * between characters that NFKC case folding neither changes nor combines with their neighbours (spaces and most
     * punctuation: {@link Normalizer2#isInert}), so that each chunk normalises on its own to what it is in the
     * normalised whole. A chunk read once is kept, unless it holds a script written without spaces: there a chunk
     * is a phrase, not a word, and it is segmented each time (its words are kept).
     */
    static Read read(String field, String raw, Vocabulary vocabulary) {
        if (raw == null || raw.isEmpty()) {
            return new Read(field, "", List.of(), NO_WORDS, false, List.of(), NO_SCRIPTS, NO_KNOWN);
        }
        if (ascii(raw)) {
            return readAscii(field, raw, vocabulary);
        }
        boolean hidden = hides(raw);
        Collected out = new Collected(raw.length());
        List<String> mixed = null;
        int[] scripts = SCRATCH.get();
        int highest = 0;
        int n = raw.length();
        int i = 0;
        try {
            while (i < n) {
                char ch = raw.charAt(i);
                if (SEPARATOR[ch]) {
                    if (ends(ch)) {
                        out.end();
                    }
                    i++;
                    continue;
                }
                int start = i;
                do {
                    i++;
                } while (i < n && !SEPARATOR[raw.charAt(i)]);
                Chunk chunk = (Chunk) vocabulary.get(raw, start, i, Vocabulary.CHUNK);
                if (chunk == null) {
                    chunk = chunk(raw.substring(start, i), vocabulary);
                    if (chunk.keep()) {
                        vocabulary.put(raw, start, i, Vocabulary.CHUNK, chunk);
                    }
                }
                for (Vocabulary.Word w : chunk.tokens()) {
                    if (w == END) {
                        out.end();
                    } else {
                        out.add(w);
                    }
                }
                int[] counted = chunk.scripts();
                for (int sc = 0; sc < counted.length; sc++) {
                    scripts[sc] += counted[sc];
                }
                highest = Math.max(highest, counted.length - 1);
                if (chunk.mixed().length > 0) {
                    if (mixed == null) {
                        mixed = new ArrayList<>();
                    }
                    mixed.addAll(java.util.Arrays.asList(chunk.mixed()));
                }
            }
        } catch (RuntimeException | Error e) {
            java.util.Arrays.fill(scripts, 0); // the counters are each thread's own: leave them cleared
            throw e;
        }
        int[] counted = java.util.Arrays.copyOf(scripts, highest + 1);
        java.util.Arrays.fill(scripts, 0, highest + 1, 0);
        return out.read(field, raw, null, hidden, mixed == null ? List.of() : List.copyOf(mixed), counted);
    }

    /**
     * A chunk of text read: its words and the ends of sentences within it ({@link #END}) in order, the words that
     * mix scripts, and its letters per script (as long as its highest script needs; empty when it has no letters).
     * {@code keep}: no run of a script written without spaces.
     */
    private record Chunk(Vocabulary.Word[] tokens, String[] mixed, int[] scripts, boolean keep) {
    }

    /** Where a sentence ends, among a chunk's words. */
    private static final Vocabulary.Word END = new Vocabulary.Word("", null, null, null);
    /** The longest chunk kept: longer ones are not words. */
    private static final int LONGEST_KEPT = 64;

    /** One chunk read, as {@link #readWhole} reads the same characters in the whole normalised text. */
    private static Chunk chunk(String raw, Vocabulary vocabulary) {
        String text = NFKC_CF.normalize(raw);
        List<Vocabulary.Word> tokens = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        int[] scripts = new int[SCRIPTS];
        WordScan word = new WordScan(scripts, -1);
        boolean keep = raw.length() <= LONGEST_KEPT;
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cp = text.codePointAt(i);
            if (!wordChar(cp)) {
                if (ends(cp)) {
                    tokens.add(END);
                }
                i += Character.charCount(cp);
                continue;
            }
            int start = i;
            word.scan(text, start);
            i = word.end;
            if (word.several) {
                String run = text.substring(start, i);
                if (MIXED.failsChecks(run)) {
                    mixed.add(run);
                }
            }
            if (word.ascii) {
                addWord(tokens, word(text, start, i, Vocabulary.ASCII, vocabulary));
            } else if (word.spaceless) {
                keep = false;
                String run = text.substring(start, i);
                BreakIterator b = BREAKER.get();
                b.setText(run);
                int s = b.first();
                for (int e = b.next(); e != BreakIterator.DONE; s = e, e = b.next()) {
                    addWord(tokens, word(text, start + s, start + e, Vocabulary.SEGMENT, vocabulary));
                }
            } else {
                addWord(tokens, word(text, start, i, Vocabulary.SEGMENT, vocabulary));
            }
        }
        return new Chunk(tokens.toArray(Vocabulary.Word[]::new), mixed.toArray(String[]::new),
                java.util.Arrays.copyOf(scripts, word.highest + 1), keep);
    }

    /**
     * Reads one word of a text from where it starts to its end, counting its letters per script into {@code scripts}
     * (and the highest script counted, over all the words scanned); what it found stays in the fields until the
     * next word.
     */
    private static final class WordScan {

        final int[] scripts;
        int highest;
        /** Where the word ends. */
        int end;
        /** Its letters are of more than one script. */
        boolean several;
        /** Some of its letters are of a script written without spaces between words. */
        boolean spaceless;
        /** It is ASCII only. */
        boolean ascii;

        WordScan(int[] scripts, int highest) {
            this.scripts = scripts;
            this.highest = highest;
        }

        void scan(String text, int start) {
            int n = text.length();
            int i = start;
            int first = -1;
            several = false;
            spaceless = false;
            ascii = true;
            while (i < n) {
                int cp = text.codePointAt(i);
                if (!wordChar(cp)) {
                    break;
                }
                if (cp >= 128) {
                    ascii = false;
                    int sc = script(cp);
                    if (sc != UScript.COMMON && sc != UScript.INHERITED) {
                        scripts[sc]++;
                        highest = Math.max(highest, sc);
                        if (first < 0) {
                            first = sc;
                        } else if (sc != first) {
                            several = true;
                        }
                        spaceless |= spaceless(sc);
                    }
                } else if (cp >= 'a' && cp <= 'z') {
                    scripts[UScript.LATIN]++;
                    highest = Math.max(highest, UScript.LATIN);
                    if (first < 0) {
                        first = UScript.LATIN;
                    } else if (first != UScript.LATIN) {
                        several = true;
                    }
                }
                i += Character.charCount(cp);
            }
            end = i;
        }
    }

    private static void addWord(List<Vocabulary.Word> tokens, Vocabulary.Word w) {
        if (!w.text.isEmpty()) {
            tokens.add(w);
        }
    }

    /**
     * The word the characters {@code from}–{@code to} of a normalised text read as: folded character by character
     * ({@link Vocabulary#ASCII}, {@link #foldAscii}) or as a whole ({@link Vocabulary#SEGMENT}, {@link #fold}).
     */
    private static Vocabulary.Word word(String text, int from, int to, int kind, Vocabulary vocabulary) {
        Vocabulary.Word w = (Vocabulary.Word) vocabulary.get(text, from, to, kind);
        if (w == null) {
            String s = text.substring(from, to);
            w = vocabulary.make(kind == Vocabulary.ASCII ? foldAscii(s) : fold(s));
            vocabulary.put(text, from, to, kind, w);
        }
        return w;
    }

    /** The words of a field and where its sentences end, as they are read. */
    private static final class Collected {
        private Vocabulary.Word[] words;
        private int count;
        private int[] ends = new int[8];
        private int sentences;

        Collected(int length) {
            words = new Vocabulary.Word[Math.max(8, Math.min(length / 4, 4096))];
        }

        void add(Vocabulary.Word w) {
            if (count == words.length) {
                words = java.util.Arrays.copyOf(words, count * 2);
            }
            words[count++] = w;
        }

        /** A sentence ends here, if it has words. */
        void end() {
            if (count > (sentences == 0 ? 0 : ends[sentences - 1])) {
                if (sentences == ends.length) {
                    ends = java.util.Arrays.copyOf(ends, sentences * 2);
                }
                ends[sentences++] = count;
            }
        }

        Read read(String field, String raw, String normalised, boolean hidden, List<String> mixed, int[] scripts) {
            end();
            String[] all = new String[count];
            for (int k = 0; k < count; k++) {
                all[k] = words[k].text;
            }
            List<String[]> split = new ArrayList<>(sentences);
            for (int s = 0, from = 0; s < sentences; from = ends[s++]) {
                split.add(java.util.Arrays.copyOfRange(all, from, ends[s]));
            }
            return new Read(field, raw, normalised, split, all, hidden, mixed, scripts, java.util.Arrays.copyOf(words, count));
        }
    }

    /** Characters that NFKC case folding leaves as they are and never combines with a neighbour, and not in words. */
    private static final boolean[] SEPARATOR = new boolean[0x10000];

    static {
        Normalizer2 nfkcCf = Normalizer2.getNFKCCasefoldInstance();
        for (int cp = 0; cp < 0x10000; cp++) {
            SEPARATOR[cp] = !Character.isSurrogate((char) cp) && nfkcCf.isInert(cp) && !wordCharNow(cp);
        }
    }

    /** A text read the general way, all at once: what reading by words and chunks must agree with. */
    static Read readWhole(String field, String raw) {
        if (raw == null || raw.isEmpty()) {
            return new Read(field, "", List.of(), NO_WORDS, false, List.of(), NO_SCRIPTS);
        }
        // NFKC case folding leaves ASCII as it is, but for its capitals; ASCII hides nothing
        boolean plain = ascii(raw);
        boolean hidden = !plain && hides(raw);
        String text = plain ? raw.toLowerCase(java.util.Locale.ROOT) : NFKC_CF.normalize(raw);
        List<String[]> sentences = new ArrayList<>();
        List<String> sentence = new ArrayList<>();
        List<String> all = new ArrayList<>();
        List<String> mixed = new ArrayList<>();
        int[] scripts = SCRATCH.get();
        WordScan word = new WordScan(scripts, 0);
        int n = text.length();
        int i = 0;
        try {
            while (i < n) {
                int cp = text.codePointAt(i);
                if (!wordChar(cp)) {
                    if (ends(cp) && !sentence.isEmpty()) {
                        sentences.add(sentence.toArray(String[]::new));
                        sentence.clear();
                    }
                    i += Character.charCount(cp);
                    continue;
                }
                int start = i;
                word.scan(text, start);
                i = word.end;
                String run = text.substring(start, i);
                if (word.several && MIXED.failsChecks(run)) {
                    mixed.add(run);
                }
                if (word.ascii) {
                    add(foldAscii(run), sentence, all);
                } else if (word.spaceless) {
                    BreakIterator b = BREAKER.get();
                    b.setText(run);
                    int s = b.first();
                    for (int e = b.next(); e != BreakIterator.DONE; s = e, e = b.next()) {
                        add(fold(run.substring(s, e)), sentence, all);
                    }
                } else {
                    add(fold(run), sentence, all);
                }
            }
        } catch (RuntimeException | Error e) {
            java.util.Arrays.fill(scripts, 0); // the counters are each thread's own: leave them cleared
            throw e;
        }
        if (!sentence.isEmpty()) {
            sentences.add(sentence.toArray(String[]::new));
        }
        int[] counted = java.util.Arrays.copyOf(scripts, word.highest + 1);
        java.util.Arrays.fill(scripts, 0, word.highest + 1, 0);
        return new Read(field, text, sentences, all.toArray(String[]::new), hidden, List.copyOf(mixed), counted);
    }

    /**
     * An ASCII text read: its words are runs of ASCII letters and digits, all of one script (Latin), so no word mixes
     * scripts or needs segmenting, and each folds character by character in lower case ({@link #foldAscii}). The
     * words are looked up in lower case without the text being copied; its normalised form (its lower case) is
     * made only when asked for.
     */
    private static Read readAscii(String field, String raw, Vocabulary vocabulary) {
        Collected out = new Collected(raw.length());
        int latin = 0;
        int n = raw.length();
        int i = 0;
        while (i < n) {
            char ch = raw.charAt(i);
            if (!ASCII_WORD[ch]) {
                if (ends(ch)) {
                    out.end();
                }
                i++;
                continue;
            }
            int start = i;
            do {
                if (ch >= 'A') { // the word characters above '9' are letters
                    latin++;
                }
                i++;
            } while (i < n && ASCII_WORD[ch = raw.charAt(i)]);
            Vocabulary.Word w = (Vocabulary.Word) vocabulary.get(raw, start, i, Vocabulary.ASCII, true);
            if (w == null) {
                w = vocabulary.make(foldAscii(raw.substring(start, i).toLowerCase(java.util.Locale.ROOT)));
                vocabulary.put(raw, start, i, Vocabulary.ASCII, true, w);
            }
            if (!w.text.isEmpty()) {
                out.add(w);
            }
        }
        int[] scripts = latin == 0 ? new int[1] : new int[UScript.LATIN + 1];
        if (latin > 0) {
            scripts[UScript.LATIN] = latin;
        }
        return out.read(field, raw, null, false, List.of(), scripts);
    }

    /** The ASCII characters that belong in a word: letters and digits. */
    private static final boolean[] ASCII_WORD = new boolean[128];

    static {
        for (char ch = 0; ch < 128; ch++) {
            ASCII_WORD[ch] = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z');
        }
    }

    private static final String[] NO_WORDS = new String[0];
    private static final int[] NO_SCRIPTS = new int[0];
    private static final Vocabulary.Word[] NO_KNOWN = new Vocabulary.Word[0];
    /** Each thread's count of letters per script while it reads a field (cleared after each). */
    private static final ThreadLocal<int[]> SCRATCH = ThreadLocal.withInitial(() -> new int[SCRIPTS]);

    /** The letters of a script a field counted ({@link Read#scripts()} ends after the highest script counted). */
    static int letters(int[] scripts, int script) {
        return script < scripts.length ? scripts[script] : 0;
    }

    private static void add(String word, List<String> sentence, List<String> all) {
        if (!word.isEmpty()) {
            sentence.add(word);
            all.add(word);
        }
    }

    /** The words of a text (or of a lexicon term), read as {@link #read} reads them. */
    static String[] words(String text) {
        return read("", text).words();
    }

    /** A text's skeleton as a whole, for looking for characters (wildcards) whatever form they are written in. */
    static String skeleton(String text) {
        if (ASCII_CLOSED && ascii(text)) {
            return foldAscii(text);
        }
        return UCharacter.foldCase(SKELETON.getSkeleton(NFKC_CF.normalize(text)), true);
    }

    /** {@link #skeleton} of a text already in NFKC case-folded form (NFKC case folding is idempotent). */
    static String skeletonOfNormalised(String normalised) {
        if (ASCII_CLOSED && ascii(normalised)) {
            return foldAscii(normalised);
        }
        return UCharacter.foldCase(SKELETON.getSkeleton(normalised), true);
    }

    /**
     * Whether every ASCII character folds to ASCII: then the skeleton of ASCII text is its characters' folded forms
     * put together (NFKC case folding and UTS #39's mapping go character by character, and ASCII is unchanged by
     * decomposition).
     */
    private static final boolean ASCII_CLOSED = java.util.Arrays.stream(ASCII).allMatch(Text::ascii);

    private static boolean ascii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static String foldAscii(String word) {
        int k = 0;
        while (k < word.length() && SAME[word.charAt(k)]) {
            k++;
        }
        if (k == word.length()) {
            return word;
        }
        StringBuilder b = new StringBuilder(word.length() + 2).append(word, 0, k);
        for (; k < word.length(); k++) {
            b.append(ASCII[word.charAt(k)]);
        }
        return b.toString();
    }

    /** The ASCII characters that fold to themselves. */
    private static final boolean[] SAME = new boolean[128];

    static {
        for (char ch = 0; ch < 128; ch++) {
            SAME[ch] = ASCII[ch].equals(String.valueOf(ch));
        }
    }

    /**
     * Folded words, kept once computed (folding is a pure function of the word): the vocabulary of requests repeats,
     * and the skeleton is the dearest step of reading. Bounded: past {@link #CACHED} words, new ones are folded
     * each time.
     */
    private static final Map<String, String> FOLDED = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 50_000;

    /** One (case-folded) word's skeleton, without combining marks, in lower case. */
    private static String fold(String word) {
        String done = FOLDED.get(word);
        if (done != null) {
            return done;
        }
        String folded = foldNow(word);
        if (FOLDED.size() < CACHED) {
            FOLDED.put(word, folded);
        }
        return folded;
    }

    private static String foldNow(String word) {
        StringBuilder mapped = null;
        for (int k = 0; k < word.length(); ) {
            int cp = word.codePointAt(k);
            String latin = cp >= 0x80 ? CAPITAL_LOOK_ALIKES.get(cp) : null;
            if (latin != null && mapped == null) {
                mapped = new StringBuilder(word.length()).append(word, 0, k);
            }
            if (mapped != null) {
                if (latin != null) {
                    mapped.append(latin);
                } else {
                    mapped.appendCodePoint(cp);
                }
            }
            k += Character.charCount(cp);
        }
        String skeleton = SKELETON.getSkeleton(mapped == null ? word : mapped.toString());
        StringBuilder b = new StringBuilder(skeleton.length());
        for (int k = 0; k < skeleton.length(); ) {
            int cp = skeleton.codePointAt(k);
            k += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK
                    && type != Character.ENCLOSING_MARK && wordChar(cp)) {
                b.appendCodePoint(cp);
            }
        }
        return UCharacter.foldCase(b.toString(), true);
    }

    private static boolean wordChar(int cp) {
        if (cp < 128) {
            return (cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') || (cp >= 'A' && cp <= 'Z');
        }
        return cp < 0x10000 ? (BMP[cp] & WORD) != 0 : wordCharNow(cp);
    }

    private static boolean wordCharNow(int cp) {
        return Character.isLetterOrDigit(cp) || switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK, Character.COMBINING_SPACING_MARK, Character.ENCLOSING_MARK -> true;
            default -> false;
        };
    }

    /** A character's script ({@link UScript} code), from the table for the Basic Multilingual Plane. */
    private static int script(int cp) {
        return cp < 0x10000 ? BMP[cp] & SCRIPT : UScript.getScript(cp);
    }

    /** Punctuation that ends a sentence, in the scripts Habeas reads (after NFKC, so fullwidth forms included). */
    private static boolean ends(int cp) {
        return switch (cp) {
            case '.', '!', '?', ';', '\n', '\u3002', '\uff61', '\u061f', '\u061b', '\u06d4', '\u0964', '\u0965', '\u104b',
                    '\u17d4', '\u0e2f' -> true;
            default -> false;
        };
    }

    /** Scripts written without spaces between words, segmented with ICU's dictionaries. */
    private static boolean spaceless(int script) {
        return switch (script) {
            case UScript.HAN, UScript.HIRAGANA, UScript.KATAKANA, UScript.THAI, UScript.LAO, UScript.KHMER,
                    UScript.MYANMAR -> true;
            default -> false;
        };
    }

    /**
     * Whether the raw text hides characters: default-ignorable code points, except the joiners (ZWJ, ZWNJ) that
     * Persian, Urdu and the Indic scripts need between their letters, and variation selectors after a symbol or
     * an ideograph (emoji, ideographic variants).
     */
    static boolean hides(String raw) {
        // only a default-ignorable character (or one beyond the plane, from a surrogate) can hide: most texts have none
        for (int k = 0; k < raw.length(); k++) {
            char ch = raw.charAt(k);
            if (ch >= 0xAD && (BMP_IGNORABLE.get(ch) || Character.isSurrogate(ch))) {
                return hidesAny(raw);
            }
        }
        return false;
    }

    /** {@link #hides}, going through every character: what the shortcut must agree with. */
    static boolean hidesAny(String raw) {
        int prev = -1;
        for (int k = 0; k < raw.length(); ) {
            int cp = raw.codePointAt(k);
            k += Character.charCount(cp);
            if (ignorable(cp)) {
                int next = k < raw.length() ? raw.codePointAt(k) : -1;
                boolean joiner = (cp == 0x200C || cp == 0x200D) && prev >= 0 && next >= 0 && joins(prev) && joins(next);
                boolean variation = (cp >= 0xFE00 && cp <= 0xFE0F) || (cp >= 0xE0100 && cp <= 0xE01EF);
                boolean selector = variation && prev >= 0
                        && (!Character.isLetterOrDigit(prev) || UScript.getScript(prev) == UScript.HAN);
                if (!joiner && !selector) {
                    return true;
                }
            }
            prev = cp;
        }
        return false;
    }

    /** The default-ignorable code points of the Basic Multilingual Plane, looked up once. */
    private static final java.util.BitSet BMP_IGNORABLE = new java.util.BitSet(0x10000);

    static {
        for (int cp = 0; cp < 0x10000; cp++) {
            if (UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT)) {
                BMP_IGNORABLE.set(cp);
            }
        }
    }

    private static boolean ignorable(int cp) {
        if (cp < 0xAD) {
            return false;
        }
        return cp < 0x10000 ? BMP_IGNORABLE.get(cp) : UCharacter.hasBinaryProperty(cp, UProperty.DEFAULT_IGNORABLE_CODE_POINT);
    }

    /** A letter or mark of a script that uses joiners within words (not Latin, Greek or Cyrillic). */
    private static boolean joins(int cp) {
        if (!Character.isLetter(cp) && Character.getType(cp) != Character.NON_SPACING_MARK
                && Character.getType(cp) != Character.COMBINING_SPACING_MARK) {
            return false;
        }
        int sc = UScript.getScript(cp);
        return sc != UScript.LATIN && sc != UScript.GREEK && sc != UScript.CYRILLIC && sc != UScript.COMMON;
    }
}
