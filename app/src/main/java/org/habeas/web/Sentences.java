package org.habeas.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;

import org.habeas.law.KnowledgeBase;
import org.springframework.context.MessageSource;
import org.springframework.context.i18n.LocaleContextHolder;
import org.springframework.stereotype.Component;

/**
 * Sentences Habeas writes in English and shows in the reader's language: the engine's (findings' reasons, conditions,
 * the facts a finding relies on), the refusals of commands and what blocks an execution.
 *
 * <p>The engine writes its reasons in English, and that text is what is stored, hashed and logged: it never changes
 * here. Each sentence the engine can write is a message key under {@code reason.} in {@code messages.properties},
 * whose English text is the sentence with its variable parts as arguments ({@code {0}}); the parts that are
 * sentences of their own (a list of missing items, why an instrument does not apply) are keys under
 * {@code reason.part.<kind>.}. At display time the stored English sentence is read back against these keys, which
 * gives the key and its arguments, and the sentence is written again from the reader's language's text of the same
 * key, with codes (measures, categories, instruments, states, languages) in that language's words. A sentence no key
 * matches is shown as the engine wrote it. The refusals of casework commands ({@code refused.}) and what blocks an
 * execution ({@code blocker.}) are read the same way: their English stays what the API answers.
 */
@Component("sentences")
public class Sentences {

    /**
     * How each argument of a key is read and written again; an argument not listed is a value kept as it is ({@code V}).
     * {@code I}: an instrument's name, written as its label; {@code S}: a state's name, written in the reader's
     * language; {@code G}: a language's English name, likewise; {@code G*}: a list of those, comma-separated;
     * {@code C:prefix}: a code, written as its label under the prefix ({@code measure.}); {@code LC:prefix:sep}: a list
     * of such codes; {@code P:kind}: a part, read against the keys under {@code reason.part.<kind>.}; {@code
     * L:kind:sep}: a list of parts. A list's separator ({@code comma}, {@code semi}, {@code and}, {@code or}) is written
     * in the reader's language ({@code reason.sep.}).
     */
    private static final Map<String, String> SLOTS = slots();

    private static Map<String, String> slots() {
        Map<String, String> s = new HashMap<>();
        s.put("reason.wrap.advice", "P:verb P:top");
        s.put("reason.wrap.unconfirmed", "P:top");
        s.put("reason.LEGAL_BASIS.voluntary", "C:measure.");
        s.put("reason.LEGAL_BASIS.assumed", "I V V");
        s.put("reason.LEGAL_BASIS.notInForce", "I V V P:why");
        s.put("reason.LEGAL_BASIS.unconfirmedDates", "I V V");
        s.put("reason.MEASURE_AVAILABLE.measure", "I C:measure. LC:measure.:comma");
        s.put("reason.MEASURE_AVAILABLE.categories", "I LC:category.:comma C:measure. LC:category.:comma");
        s.put("reason.MEASURE_AVAILABLE.categoriesDirect", "I LC:category.:comma C:measure. LC:category.:comma");
        s.put("reason.REQUEST_COMPLETE.incomplete", "L:missing:semi");
        s.put("reason.LANGUAGE.named", "L:language:or G*");
        s.put("reason.LANGUAGE.unnamed", "L:field:and G*");
        s.put("reason.LANGUAGE.both", "L:language:or L:field:and G*");
        s.put("reason.part.language.in", "G L:field:and");
        s.put("reason.PROTECTED_PERSON.listed", "L:listed:comma");
        s.put("reason.part.listed.target", "V P:targetType V");
        s.put("reason.DUAL_CRIMINALITY.notCrime", "V S");
        s.put("reason.SERIOUSNESS.noPenalty", "I V");
        s.put("reason.SERIOUSNESS.below", "V I V");
        s.put("reason.SERIOUSNESS.belowFor", "V I V LC:category.:comma");
        s.put("reason.JUDICIAL_AUTHORIZATION.needsJudge", "P:auth");
        s.put("reason.JUDICIAL_AUTHORIZATION.needsOrder", "P:auth");
        s.put("reason.JUDICIAL_AUTHORIZATION.notIndependent", "S");
        s.put("reason.TARGET_SPECIFICITY.sets", "L:set:semi");
        s.put("reason.part.set.wildcard", "V P:targetType");
        s.put("reason.part.set.people", "V P:targetType");
        s.put("reason.OBFUSCATED_TEXT.disguised", "L:disguise:semi");
        s.put("reason.part.disguise.where", "P:field L:how:and");
        s.put("reason.PRESERVATION_LIMIT.noPeriod", "V I");
        s.put("reason.PRESERVATION_LIMIT.tooLong", "I V V V");
        s.put("reason.PRESERVATION_LIMIT.tooLongExtendable", "I V V V V");
        s.put("reason.DEATH_PENALTY.capital", "S V");
        s.put("reason.STATE_RISK.high", "S L:rating:semi");
        s.put("reason.part.rating.score", "V P:freedom V");
        s.put("reason.part.rating.plain", "V P:freedom");
        s.put("reason.part.rating.laterScore", "V P:freedom V V");
        s.put("reason.part.rating.later", "V P:freedom V");
        for (String k : List.of("noProposal", "noDecision", "cannotWait", "noMessage", "notWithdrawn", "changedNow")) {
            s.put("refused." + k, "P:case");
        }
        s.put("reason.part.case.inState", "C:state.");
        s.put("refused.categoryNotRequested", "C:category.");
        s.put("refused.onlyRole", "P:role");
        s.put("refused.assignChanged", "P:assigned");
        s.put("refused.fileProblem", "V P:document");
        s.put("blocker.measure", "C:measure.");
        s.put("refused.pending", "P:role C:decision. P:role");
        return Map.copyOf(s);
    }

    private static final Map<String, String[]> SEPARATORS = Map.of("comma", new String[] {", ", "reason.sep.comma"},
            "semi", new String[] {"; ", "reason.sep.semi"}, "and", new String[] {" and ", "reason.sep.and"},
            "or", new String[] {" or ", "reason.sep.or"});

    /** A piece of a sentence: literal text, or argument {@code index}. */
    private record Token(String literal, int index) {
    }

    /** One key's English sentence, cut into tokens. */
    private record Entry(String key, List<Token> tokens, int literalLength) {
    }

    /** What a sentence was read as: its key and its arguments, each a value or a part (or a list of parts). */
    record Read(String key, List<Object> arguments) {
    }

    private record Value(String kind, String text) {
    }

    private record Many(String separator, List<Object> items) {
    }

    private final MessageSource messages;
    private final KnowledgeBase kb;
    private final Map<String, List<Entry>> groups = new LinkedHashMap<>();
    private final Map<String, String> instruments = new HashMap<>();
    private final Map<String, String> states = new HashMap<>();
    private final Map<String, Locale> languages = new HashMap<>();
    private final Map<String, Optional<Read>> read = new ConcurrentHashMap<>();

    public Sentences(MessageSource messages, KnowledgeBase kb) {
        this.messages = messages;
        this.kb = kb;
        Properties english = new Properties();
        try (InputStream in = Sentences.class.getResourceAsStream("/messages.properties")) {
            english.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties labels = new Properties();
        try (InputStream in = Sentences.class.getResourceAsStream("/labels.properties")) {
            labels.load(new InputStreamReader(in, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        for (String key : english.stringPropertyNames()) {
            String group;
            if (key.startsWith("reason.part.")) {
                group = key.substring(12, key.indexOf('.', 12));
            } else if (key.startsWith("reason.") && !key.startsWith("reason.sep.")) {
                group = "top";
            } else if (key.startsWith("refused.") || key.startsWith("blocker.")) {
                group = key.substring(0, key.indexOf('.'));
            } else {
                continue;
            }
            groups.computeIfAbsent(group, g -> new ArrayList<>()).add(entry(key, english.getProperty(key)));
        }
        // the wrappers first (their fixed start or end can be nothing else), then the most literal text first: "a
        // judicial order from {0} that is not independent" before any sentence with fewer fixed words
        groups.values().forEach(l -> l.sort(Comparator.comparing((Entry e) -> !e.key().startsWith("reason.wrap."))
                .thenComparing(Comparator.comparingInt(Entry::literalLength).reversed()).thenComparing(Entry::key)));
        for (String key : labels.stringPropertyNames()) {
            if (key.startsWith("instrument.")) {
                String id = key.substring(11);
                instruments.put(id, id);
                kb.instrument(id).ifPresent(i -> {
                    if (i.shortTitle() != null) {
                        instruments.put(i.shortTitle(), id);
                    }
                    if (i.title() != null) {
                        instruments.put(i.title(), id);
                    }
                });
            }
        }
        for (String code : Locale.getISOCountries()) {
            kb.state(code).ifPresent(p -> {
                if (p.name() != null) {
                    states.put(p.name(), code);
                }
            });
        }
        for (String code : Locale.getISOLanguages()) {
            Locale l = Locale.of(code);
            languages.putIfAbsent(l.getDisplayLanguage(Locale.ENGLISH), l);
        }
    }

    private static Entry entry(String key, String pattern) {
        List<Token> tokens = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        int length = 0;
        String p = pattern.replace("''", "'");
        for (int i = 0; i < p.length(); i++) {
            char ch = p.charAt(i);
            int close = ch == '{' ? p.indexOf('}', i) : -1;
            if (close > i + 1 && p.substring(i + 1, close).chars().allMatch(Character::isDigit)) {
                if (!literal.isEmpty()) {
                    tokens.add(new Token(literal.toString(), -1));
                    length += literal.length();
                    literal.setLength(0);
                }
                tokens.add(new Token(null, Integer.parseInt(p.substring(i + 1, close))));
                i = close;
            } else {
                literal.append(ch);
            }
        }
        if (!literal.isEmpty()) {
            tokens.add(new Token(literal.toString(), -1));
            length += literal.length();
        }
        return new Entry(key, List.copyOf(tokens), length);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** A finding's reason in the current language. */
    public String reason(String english) {
        return reason(english, LocaleContextHolder.getLocale());
    }

    /** A finding's reason in a language: the engine's English sentence if the language is English or no key fits. */
    public String reason(String english, Locale language) {
        return say(english, "top", language);
    }

    /** A condition of execution (its text) in the current language. */
    public String condition(String english) {
        return condition(english, LocaleContextHolder.getLocale());
    }

    /** A condition of execution (its text) in a language. */
    public String condition(String english, Locale language) {
        return say(english, "condition", language);
    }

    /** One of the facts a finding relies on that Habeas has not confirmed, in the current language. */
    public String unconfirmed(String english) {
        return say(english, "unconfirmed", LocaleContextHolder.getLocale());
    }

    /** The facts a finding relies on, in a language, joined as the page shows them. */
    public String unconfirmed(List<String> english, Locale language) {
        return String.join(word("reason.sep.semi", language, "; "), english.stream()
                .map(u -> say(u, "unconfirmed", language)).toList());
    }

    /** {@link #unconfirmed(List, Locale)} in the current language. */
    public String unconfirmed(List<String> english) {
        return unconfirmed(english, LocaleContextHolder.getLocale());
    }

    /** What set a finding off, where Habeas wrote it rather than quoting the request ("hidden characters"). */
    public String evidence(String english) {
        Locale language = LocaleContextHolder.getLocale();
        if (english == null || english(language)) {
            return english;
        }
        String said = say(english, "evidence", language);
        if (!said.equals(english)) {
            return said;
        }
        said = say(english, "how", language);
        if (!said.equals(english)) {
            return said;
        }
        Locale named = languages.get(english);
        return named == null ? english : named.getDisplayLanguage(language);
    }

    /** Why a command on a case was refused ({@code Cases.Refused}'s message), in the current language. */
    public String refused(String english) {
        Locale language = LocaleContextHolder.getLocale();
        String said = say(english, "refused", language);
        return said == null || !said.equals(english) ? said : say(english, "blocker", language);
    }

    /**
     * A refusal as a page shows it, "field: why": in English as the API gives it, in another language with the field
     * by its name ({@code refused.field.}) and the reason in that language.
     */
    public String refusal(String field, String english) {
        return refusal(field, english, ": ");
    }

    /** {@link #refusal(String, String)} with the English separator between field and reason (the admin pages' " "). */
    public String refusal(String field, String english, String separator) {
        Locale language = LocaleContextHolder.getLocale();
        if (english(language)) {
            return field + separator + english;
        }
        String name = field == null ? null : messages.getMessage("refused.field." + field, null, null, language);
        String colon = messages.getMessage("refused.colon", null, ": ", language).replace("''", "'");
        return (name != null ? name : field) + colon + refused(english);
    }

    /** What blocks a case's execution, in the current language. */
    public String blocker(String english) {
        return say(english, "blocker", LocaleContextHolder.getLocale());
    }

    /** Whether a sentence of the engine is known to a key (for the tests that run the engine over every scenario). */
    boolean knows(String english, String group) {
        return match(english, group).isPresent();
    }

    /** The sentence written again in English from what it was read as: the engine's sentence, byte for byte. */
    String again(String english, String group) {
        return match(english, group).map(r -> write(r, Locale.ENGLISH)).orElse(null);
    }

    private static boolean english(Locale language) {
        return language == null || "en".equals(language.getLanguage()) || language.getLanguage().isEmpty();
    }

    private String say(String english, String group, Locale language) {
        if (english == null || english(language)) {
            return english;
        }
        return match(english, group).map(r -> write(r, language)).orElse(english);
    }

    private Optional<Read> match(String text, String group) {
        String cacheKey = group + '\u0000' + text;
        Optional<Read> known = read.get(cacheKey);
        if (known != null) {
            return known;
        }
        Optional<Read> found = Optional.ofNullable(readAs(text, group));
        if (read.size() < 10_000) {
            read.put(cacheKey, found);
        }
        return found;
    }

    private Read readAs(String text, String group) {
        for (Entry e : groups.getOrDefault(group, List.of())) {
            Object[] args = new Object[e.tokens().size()];
            if (tokens(text, 0, e, 0, args)) {
                List<Object> arguments = new ArrayList<>();
                for (Token t : e.tokens()) {
                    if (t.literal() == null) {
                        while (arguments.size() <= t.index()) {
                            arguments.add(null);
                        }
                    }
                }
                for (int k = 0; k < e.tokens().size(); k++) {
                    Token t = e.tokens().get(k);
                    if (t.literal() == null) {
                        arguments.set(t.index(), args[k]);
                    }
                }
                return new Read(e.key(), arguments);
            }
        }
        return null;
    }

    /** Whether {@code text} from {@code at} matches the entry's tokens from {@code k}, filling {@code args}. */
    private boolean tokens(String text, int at, Entry e, int k, Object[] args) {
        if (k == e.tokens().size()) {
            return at == text.length();
        }
        Token t = e.tokens().get(k);
        if (t.literal() != null) {
            return text.startsWith(t.literal(), at) && tokens(text, at + t.literal().length(), e, k + 1, args);
        }
        String kind = kind(e.key(), t.index());
        String next = k + 1 < e.tokens().size() ? e.tokens().get(k + 1).literal() : null;
        if (next == null) {
            Object v = argument(text.substring(at), kind);
            if (v != null) {
                args[k] = v;
                return true;
            }
            return false;
        }
        for (int end = text.indexOf(next, at + 1); end >= 0; end = text.indexOf(next, end + 1)) {
            Object v = argument(text.substring(at, end), kind);
            if (v != null) {
                args[k] = v;
                if (tokens(text, end, e, k + 1, args)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String kind(String key, int index) {
        String spec = SLOTS.get(key);
        if (spec == null) {
            return "V";
        }
        String[] kinds = spec.split(" ");
        return index < kinds.length ? kinds[index] : "V";
    }

    /** An argument read as its kind, or null when the text cannot be one. */
    private Object argument(String text, String kind) {
        if (text.isEmpty()) {
            return null;
        }
        String[] k = kind.split(":");
        return switch (k[0]) {
            case "P" -> readAs(text, k[1]);
            case "L" -> list(text, SEPARATORS.get(k[2])[0], item -> readAs(item, k[1]), k[2]);
            case "LC" -> list(text, SEPARATORS.get(k[2])[0], item -> code(item) ? new Value("C:" + k[1], item) : null, k[2]);
            case "G*" -> list(text, ", ", item -> new Value("G", item), "comma");
            case "C" -> code(text) ? new Value(kind, text) : null;
            case "I" -> instruments.containsKey(text) ? new Value(kind, text) : null;
            case "S" -> states.containsKey(text) ? new Value(kind, text) : null;
            default -> new Value(kind, text);
        };
    }

    private static boolean code(String text) {
        return !text.isEmpty() && text.chars().allMatch(ch -> ch == '_' || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9'));
    }

    /** A list of items joined by a separator, each read by {@code item}: the split into the most, shortest items first. */
    private Many list(String text, String separator, java.util.function.Function<String, Object> item, String name) {
        List<Object> items = new ArrayList<>();
        return items(text, 0, separator, item, items) ? new Many(name, items) : null;
    }

    private boolean items(String text, int at, String separator, java.util.function.Function<String, Object> item,
            List<Object> items) {
        for (int end = text.indexOf(separator, at + 1); end >= 0; end = text.indexOf(separator, end + 1)) {
            Object first = item.apply(text.substring(at, end));
            if (first != null) {
                items.add(first);
                if (items(text, end + separator.length(), separator, item, items)) {
                    return true;
                }
                items.remove(items.size() - 1);
            }
        }
        Object whole = item.apply(text.substring(at));
        if (whole != null) {
            items.add(whole);
            return true;
        }
        return false;
    }

    // ---------------------------------------------------------------------------------------------------------

    private String write(Read r, Locale language) {
        String pattern = messages.getMessage(r.key(), null, null, language);
        if (pattern == null) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        for (Token t : entry(r.key(), pattern).tokens()) {
            if (t.literal() != null) {
                out.append(t.literal());
            } else {
                out.append(write(r.arguments().get(t.index()), language));
            }
        }
        return out.toString();
    }

    private String write(Object argument, Locale language) {
        if (argument instanceof Read part) {
            return write(part, language);
        }
        if (argument instanceof Many many) {
            String separator = word(SEPARATORS.get(many.separator())[1], language, SEPARATORS.get(many.separator())[0]);
            return String.join(separator, many.items().stream().map(i -> write(i, language)).toList());
        }
        Value v = (Value) argument;
        if (english(language)) {
            return v.text();
        }
        String kind = v.kind();
        if (kind.startsWith("C:")) {
            return label(kind.substring(2) + v.text(), language, v.text());
        }
        return switch (kind) {
            case "I" -> {
                String id = instruments.get(v.text());
                yield id == null ? v.text() : label("instrument." + id, language, v.text());
            }
            case "S" -> {
                String code = states.get(v.text());
                yield code == null ? v.text() : Locale.of("", code).getDisplayCountry(language);
            }
            case "G" -> {
                Locale named = languages.get(v.text());
                yield named == null ? v.text() : named.getDisplayLanguage(language);
            }
            default -> v.text();
        };
    }

    private String label(String key, Locale language, String otherwise) {
        return messages.getMessage(key, null, otherwise, language);
    }

    private String word(String key, Locale language, String otherwise) {
        String w = messages.getMessage(key, null, null, language);
        return w == null ? otherwise : w.replace("''", "'");
    }
}
