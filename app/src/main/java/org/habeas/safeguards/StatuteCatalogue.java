package org.habeas.safeguards;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.Statute;
import org.habeas.law.StatuteCode;

/**
 * The statute catalogue of the knowledge base ({@code law/statutes.yaml}). Recognises its provisions in a request's
 * statute field, however they are written:
 * "art. 207.3 УК РФ", "Article 207.3 of the Criminal Code", "ст. 207.3", "§ 184b StGB", "StGB § 303b, § 253",
 * "s. 4(3) Misuse of Drugs Act 1971", "刑法第二百九十三条". A number belongs to the code named nearest to it;
 * with no code named, to the state's primary code. Numbers in parentheses are subsections and belong to the
 * number before them. Only the requesting state's catalogue is read.
 */
final class StatuteCatalogue implements Statutes {

    /** A catalogued provision found in the text, and how it was cited. */
    record Match(Statute statute, String cited) {
    }

    record Token(String text, boolean number, boolean subsection) {
    }

    /** A code of a state, its names as tokens, and its catalogued provisions by their numbers' canonical form. */
    private record Code(StatuteCode code, List<String[]> names, Map<String, Statute> numbers) {
    }

    /** The words of the forms of articles inserted after another ("bis", "ter"...), as the forms below name them. */
    private static final List<String> INSERTED = List.of("bis", "ter", "quinquies", "sexies", "septies", "octies");
    private static final Pattern NUMBER = Pattern.compile(
            "\\d+(?:[a-z]{1,9}(?!\\p{L}))?(?:[.\\-/:](?:\\d+(?:[a-z]{1,9}(?!\\p{L}))?|[a-z]{1,3}(?!\\p{L})))*");
    /** Ways of writing one number that the codes of some states use, folded into the catalogue's form. */
    private static final List<Map.Entry<Pattern, String>> FORMS = List.of(
            // "9 kap. 1 §" (Swedish), "36 luku 1 §" (Finnish): chapter and section
            Map.entry(Pattern.compile("(\\d+)\\s*(?:kap|luku)\\.?\\s*(\\d+)\\s?([a-z]?)\\s*§"), "$1:$2$3"),
            // "第246条の2" (Japanese), "제347조의2" (Korean): an article inserted after another
            Map.entry(Pattern.compile("(\\d+)\\s*(?:条の|조의)\\s*(\\d+)"), "$1-$2"),
            // "144 bis", "640-ter", "366 quinquies": an article inserted after another
            Map.entry(Pattern.compile("(\\d+)[\\s\\-]*(bis|ter|quater|quinquies|sexies|septies|octies)(?!\\p{L})"), "$1$2"),
            // "144 bis 2": the second article inserted after 144 bis
            Map.entry(Pattern.compile("(\\d+(?:bis|ter|quater))\\s+(\\d{1,2})(?![\\d.\\-/])"), "$1-$2"));
    private static final String HAN_NUMERALS = "零〇一二两三四五六七八九十百千";

    private final Map<String, List<Code>> codesByState = new HashMap<>();
    private final Map<String, Statute> byKey = new HashMap<>();
    /** Each state's primary code (the first marked so). */
    private final Map<String, Code> primaryByState = new HashMap<>();

    StatuteCatalogue(KnowledgeBase kb) {
        for (StatuteCode c : kb.statuteCodes()) {
            List<String[]> names = new ArrayList<>();
            for (String n : c.names()) {
                List<Token> t = tokens(n);
                names.add(t.stream().map(Token::text).toArray(String[]::new));
            }
            Code code = new Code(c, names, new HashMap<>());
            codesByState.computeIfAbsent(c.state(), k -> new ArrayList<>()).add(code);
            if (c.primary()) {
                primaryByState.putIfAbsent(c.state(), code);
            }
        }
        for (Statute s : kb.statutes()) {
            byKey.put(s.state() + "/" + s.code() + "/" + canonical(s.number()), s);
        }
        byKey.forEach((key, s) -> {
            for (Code code : codesByState.getOrDefault(s.state(), List.of())) {
                if (code.code().id().equals(s.code())) {
                    code.numbers().put(key.substring(s.state().length() + s.code().length() + 2), s);
                }
            }
        });
    }

    /**
     * What each (state, statute text) cites, kept once computed: it is a pure function of the two, and requests of
     * a state cite the same few provisions again and again. Bounded: past {@link #CACHED} texts, new ones are read
     * each time.
     */
    private final Map<String, Cited> cited = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 20_000;

    @Override
    public Cited cite(String requestingState, String statute) {
        if (requestingState == null || statute == null) {
            return citeNow(requestingState, statute);
        }
        String key = requestingState + '\u0000' + statute;
        Cited known = cited.get(key);
        if (known != null) {
            return known;
        }
        Cited now = citeNow(requestingState, statute);
        if (cited.size() < CACHED) {
            cited.put(key, now);
        }
        return now;
    }

    private Cited citeNow(String requestingState, String statute) {
        List<Match> found = find(requestingState, statute);
        if (found.isEmpty()) {
            return Cited.NOTHING;
        }
        java.util.Set<String> classes = new java.util.LinkedHashSet<>();
        java.util.Set<String> usedAgainst = new java.util.LinkedHashSet<>();
        for (Match m : found) {
            classes.addAll(m.statute().conduct());
            usedAgainst.addAll(m.statute().usedAgainst());
        }
        return new Cited(List.copyOf(classes), List.copyOf(usedAgainst));
    }

    /** The catalogued provisions of the state that the text cites, in order, each once. */
    List<Match> find(String state, String text) {
        List<Code> codes = codesByState.get(state);
        if (codes == null || text == null || text.isBlank()) {
            return List.of();
        }
        List<Token> tokens = tokens(text);
        // where each code is named: token positions covered, and the code at each name's start
        boolean[] inName = new boolean[tokens.size()];
        List<int[]> named = new ArrayList<>(); // {start, end, code index}
        for (int ci = 0; ci < codes.size(); ci++) {
            for (String[] name : codes.get(ci).names()) {
                for (int i = 0; i + name.length <= tokens.size(); i++) {
                    if (matchesAt(tokens, i, name)) {
                        named.add(new int[] {i, i + name.length, ci});
                        for (int k = i; k < i + name.length; k++) {
                            inName[k] = true;
                        }
                    }
                }
            }
        }
        Code primary = primaryByState.get(state);
        Map<String, Match> found = new LinkedHashMap<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token t = tokens.get(i);
            if (!t.number() || t.subsection() || inName[i]) {
                continue;
            }
            Code code = nearest(named, codes, i);
            if (code == null) {
                code = primary;
            }
            if (code == null) {
                continue;
            }
            Statute s = code.numbers().get(t.text());
            if (s != null) {
                found.putIfAbsent(s.state() + "/" + s.code() + "/" + s.number(),
                        new Match(s, s.number() + " " + code.code().title() + " (" + state + ")"));
            }
        }
        return List.copyOf(found.values());
    }

    /** A catalogue number in the form the text's numbers take ("640-ter" and "640 ter" both as "640ter"). */
    private static String canonical(String number) {
        List<Token> t = tokens(number);
        return t.size() == 1 && t.get(0).number() ? t.get(0).text() : number.strip().toLowerCase(Locale.ROOT);
    }

    /** The code named nearest to a token, by token distance; a name after the number wins a tie. */
    private static Code nearest(List<int[]> named, List<Code> codes, int at) {
        int best = Integer.MAX_VALUE;
        Code code = null;
        for (int[] n : named) {
            int distance = n[0] > at ? n[0] - at : at - n[1] + 1;
            boolean after = n[0] > at;
            if (distance < best || (distance == best && after)) {
                best = distance;
                code = codes.get(n[2]);
            }
        }
        return code;
    }

    private static boolean matchesAt(List<Token> tokens, int at, String[] name) {
        for (int k = 0; k < name.length; k++) {
            if (!tokens.get(at + k).text().equals(name[k])) {
                return false;
            }
        }
        return name.length > 0;
    }

    /**
     * Folds the text (compatibility forms, case, accents, any script's digits) and splits it into numbers and
     * words; Han, kana and Thai letters are single tokens, since those scripts do not space their words.
     */
    static List<Token> tokens(String text) {
        return split(folded(text), new ArrayList<>());
    }

    /**
     * The text folded (compatibility forms, case, accents, any script's digits, Han numerals) and its numbers in
     * the catalogue's forms ("9 kap. 1 §" as "9:1", "144 bis" as "144bis").
     */
    static String folded(String text) {
        String folded = fold(text);
        if (folded.indexOf('第') >= 0) {
            folded = hanNumbers(folded);
        }
        if (!ascii(folded)) {
            folded = asciiDigits(folded);
        }
        // each form needs a digit and its own word or sign: texts without them are not matched against it
        if (digit(folded)) {
            if (folded.indexOf('§') >= 0 && (folded.contains("kap") || folded.contains("luku"))) {
                folded = FORMS.get(0).getKey().matcher(folded).replaceAll(FORMS.get(0).getValue());
            }
            if (folded.contains("条の") || folded.contains("조의")) {
                folded = FORMS.get(1).getKey().matcher(folded).replaceAll(FORMS.get(1).getValue());
            }
            if (inserted(folded)) {
                for (int f = 2; f < FORMS.size(); f++) {
                    folded = FORMS.get(f).getKey().matcher(folded).replaceAll(FORMS.get(f).getValue());
                }
            }
        }
        return folded;
    }

    private static boolean inserted(String folded) {
        for (String word : INSERTED) {
            if (folded.contains(word)) {
                return true;
            }
        }
        return false;
    }

    /** Tokens of the folded text. */
    private static List<Token> split(String folded, List<Token> out) {
        int i = 0;
        int n = folded.length();
        Matcher m = null;
        while (i < n) {
            int cp = folded.codePointAt(i);
            int len = Character.charCount(cp);
            if (Character.isDigit(cp)) {
                m = m == null ? NUMBER.matcher(folded) : m;
                m.region(i, n);
                m.lookingAt();
                out.add(new Token(m.group(), true, openParenthesis(folded, i)));
                i = m.end();
            } else if (Character.isLetter(cp)) {
                if (unspaced(cp)) {
                    out.add(new Token(folded.substring(i, i + len), false, false));
                    i += len;
                } else {
                    int start = i;
                    while (i < n && Character.isLetter(folded.codePointAt(i)) && !unspaced(folded.codePointAt(i))) {
                        i += Character.charCount(folded.codePointAt(i));
                    }
                    out.add(new Token(folded.substring(start, i), false, false));
                }
            } else {
                i += len;
            }
        }
        return out;
    }

    /**
     * Compatibility forms, case and accents folded: NFKD without marks, composed again (Hangul syllables decompose
     * into letters, not marks), in lower case. ASCII text only needs its case folded.
     */
    static String fold(String text) {
        if (ascii(text)) {
            return text.toLowerCase(Locale.ROOT);
        }
        if (charWise(text)) {
            StringBuilder b = new StringBuilder(text.length());
            for (int k = 0; k < text.length(); k++) {
                char c = text.charAt(k);
                if (c < 0x80) {
                    b.append(c >= 'A' && c <= 'Z' ? (char) (c + 32) : c);
                } else {
                    b.append(FOLDED[c]);
                }
            }
            return b.toString();
        }
        return foldWhole(text);
    }

    /**
     * Latin and Cyrillic letters, their combining marks, and the signs of the Latin-1 block (§) fold one by one:
     * their decompositions hold no Hangul letters (the only letters, not marks, that composition joins) and their
     * case has no context (unlike Greek's final sigma), so the text folds as its characters do.
     */
    private static boolean charWise(String text) {
        for (int k = 0; k < text.length(); k++) {
            char c = text.charAt(k);
            if (c >= 0x80 && (c >= FOLDED.length || FOLDED[c] == null)) {
                return false;
            }
        }
        return true;
    }

    /** The folded form of each character that folds on its own ({@link #charWise}); {@code null} for the others. */
    private static final String[] FOLDED = new String[0x530];

    static {
        for (char c = 0x80; c < 0x530; c++) {
            if (c < 0x250 || (c >= 0x300 && c < 0x370) || c >= 0x400) {
                FOLDED[c] = foldWhole(String.valueOf(c));
            }
        }
    }

    /** The whole text folded at once, as {@link #fold} does. */
    static String foldWhole(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFKD);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int k = 0; k < decomposed.length(); ) {
            int cp = decomposed.codePointAt(k);
            k += Character.charCount(cp);
            int type = Character.getType(cp);
            if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK
                    && type != Character.ENCLOSING_MARK) {
                b.appendCodePoint(cp);
            }
        }
        return Normalizer.normalize(b, Normalizer.Form.NFC).toLowerCase(Locale.ROOT);
    }

    private static boolean ascii(String s) {
        for (int k = 0; k < s.length(); k++) {
            if (s.charAt(k) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    private static boolean digit(String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c >= '0' && c <= '9') {
                return true;
            }
        }
        return false;
    }

    private static boolean openParenthesis(String s, int at) {
        for (int k = at - 1; k >= 0; k--) {
            char c = s.charAt(k);
            if (c == '(') {
                return true;
            }
            if (!Character.isWhitespace(c)) {
                return false;
            }
        }
        return false;
    }

    private static boolean unspaced(int cp) {
        Character.UnicodeScript s = Character.UnicodeScript.of(cp);
        return s == Character.UnicodeScript.HAN || s == Character.UnicodeScript.HIRAGANA
                || s == Character.UnicodeScript.KATAKANA || s == Character.UnicodeScript.THAI;
    }

    static String asciiDigits(String s) {
        boolean other = false;
        for (int k = 0; k < s.length() && !other; k++) {
            char c = s.charAt(k);
            other = c >= 0x80 && (Character.isDigit(c) || Character.isSurrogate(c));
        }
        if (!other) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        s.codePoints().forEach(cp -> {
            if (Character.isDigit(cp) && (cp < '0' || cp > '9')) {
                b.append((char) ('0' + Character.digit(cp, 10)));
            } else {
                b.appendCodePoint(cp);
            }
        });
        return b.toString();
    }

    /** "第二百九十三条" becomes "第293条": Chinese and Japanese articles are often numbered in Han numerals. */
    static String hanNumbers(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (HAN_NUMERALS.indexOf(c) >= 0 && i > 0 && s.charAt(i - 1) == '第') {
                int j = i;
                while (j < s.length() && HAN_NUMERALS.indexOf(s.charAt(j)) >= 0) {
                    j++;
                }
                long value = hanValue(s.substring(i, j));
                b.append(value >= 0 ? Long.toString(value) : s.substring(i, j));
                i = j;
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    private static long hanValue(String numerals) {
        long total = 0;
        long digit = -1;
        boolean positional = numerals.chars().noneMatch(c -> c == '十' || c == '百' || c == '千');
        if (positional) { // 二九三 or 二〇二三
            long v = 0;
            for (char c : numerals.toCharArray()) {
                v = v * 10 + digitOf(c);
            }
            return v;
        }
        for (char c : numerals.toCharArray()) {
            switch (c) {
                case '十' -> { total += (digit < 0 ? 1 : digit) * 10; digit = -1; }
                case '百' -> { total += (digit < 0 ? 1 : digit) * 100; digit = -1; }
                case '千' -> { total += (digit < 0 ? 1 : digit) * 1000; digit = -1; }
                default -> digit = digitOf(c) == 0 ? -1 : digitOf(c);
            }
        }
        return total + (digit < 0 ? 0 : digit);
    }

    private static int digitOf(char c) {
        return switch (c) {
            case '一' -> 1;
            case '二', '两' -> 2;
            case '三' -> 3;
            case '四' -> 4;
            case '五' -> 5;
            case '六' -> 6;
            case '七' -> 7;
            case '八' -> 8;
            case '九' -> 9;
            default -> 0;
        };
    }
}
