package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.habeas.law.ConductClass;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.law.Role;
import org.junit.jupiter.api.Test;

import com.ibm.icu.lang.UCharacter;
import com.ibm.icu.text.Normalizer2;
import com.ibm.icu.text.SpoofChecker;

/**
 * The lexicon's indexed matching finds exactly what the plainest reading finds: at each word, every term compared
 * in turn (exact first words, then prefixes of two or three letters, of four or more, of one), over the words
 * and sentences of every scenario's text and every lexicon of the knowledge base. And the short cuts of reading
 * ASCII text give what ICU gives.
 */
class LexiconEquivalenceTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();

    /** A term as the reference reads it. */
    private record Term(String label, String[] words, boolean[] prefix, String text) {

        int rank() {
            if (!prefix[0]) {
                return 0;
            }
            return words[0].length() < 2 ? 3 : words[0].length() >= 4 ? 2 : 1;
        }
    }

    /**
     * Every term compared at every word (those whose first letter is the word's: no other can match), in the order
     * of {@link Term#rank}, then the lexicon's.
     */
    private static final class Reference {
        private final List<Term> terms = new ArrayList<>();
        private final Map<Character, List<Term>> byFirstLetter = new java.util.HashMap<>();

        Reference(Map<String, List<String>> byLabel) {
            byLabel.forEach((label, list) -> {
                for (String term : list) {
                    List<String> words = new ArrayList<>();
                    List<Boolean> prefix = new ArrayList<>();
                    for (String chunk : term.strip().split("\\s+")) {
                        boolean star = chunk.endsWith("*");
                        String[] w = Text.words(star ? chunk.substring(0, chunk.length() - 1) : chunk);
                        for (int k = 0; k < w.length; k++) {
                            words.add(w[k]);
                            prefix.add(star && k == w.length - 1);
                        }
                    }
                    if (!words.isEmpty()) {
                        boolean[] flags = new boolean[prefix.size()];
                        for (int k = 0; k < flags.length; k++) {
                            flags[k] = prefix.get(k);
                        }
                        terms.add(new Term(label, words.toArray(String[]::new), flags, term));
                    }
                }
            });
            terms.forEach(t -> byFirstLetter.computeIfAbsent(t.words()[0].charAt(0), k -> new ArrayList<>()).add(t));
            byFirstLetter.values().forEach(list -> list.sort(java.util.Comparator.comparingInt(Term::rank))); // stable
        }

        Map<String, String> find(String[] text) {
            Map<String, String> found = new LinkedHashMap<>();
            for (int i = 0; i < text.length; i++) {
                List<Term> candidates = byFirstLetter.getOrDefault(text[i].charAt(0), List.of());
                for (Term t : candidates) {
                    if (!found.containsKey(t.label()) && matches(t, text, i)) {
                        found.put(t.label(), t.text());
                    }
                }
            }
            return found;
        }

        private static boolean matches(Term t, String[] text, int at) {
            if (at + t.words().length > text.length) {
                return false;
            }
            for (int k = 0; k < t.words().length; k++) {
                String w = text[at + k];
                if (t.prefix()[k] ? !w.startsWith(t.words()[k]) : !w.equals(t.words()[k])) {
                    return false;
                }
            }
            return true;
        }
    }

    private static Map<String, Map<String, List<String>>> lexicons() {
        Map<String, List<String>> conduct = new LinkedHashMap<>();
        for (ConductClass c : KB.conduct()) {
            conduct.put(c.id(), c.lexicon().values().stream().flatMap(List::stream).toList());
        }
        conduct.put("SECURITY_WEAKENING", KB.securityDemands().values().stream().flatMap(List::stream).toList());
        Map<String, List<String>> roles = new LinkedHashMap<>();
        for (Role r : KB.roles()) {
            roles.put(r.id(), r.lexicon().values().stream().flatMap(List::stream).toList());
        }
        Map<String, List<String>> victims = Map.of("VICTIM", KB.victimMarkers().values().stream().flatMap(List::stream).toList());
        Map<String, List<String>> sets = Map.of("SET", KB.languages().stream().flatMap(l -> l.setWords().stream()).toList());
        return Map.of("conduct", conduct, "roles", roles, "victims", victims, "sets", sets);
    }

    /** The text of every scenario (its JSON, all of it: every field and target, and the keys besides). */
    private static List<String> texts() throws IOException {
        try (Stream<Path> files = Files.walk(ScenarioTest.DIR)) {
            List<String> texts = new ArrayList<>();
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                texts.add(Files.readString(f));
            }
            return texts;
        }
    }

    @Test
    void theIndexedLexiconFindsWhatComparingEveryTermFinds() throws IOException {
        List<String> texts = texts();
        assertThat(texts).hasSizeGreaterThanOrEqualTo(200);
        int compared = 0;
        int found = 0;
        for (var lexicon : lexicons().entrySet()) {
            Lexicon indexed = new Lexicon(lexicon.getValue());
            Reference reference = new Reference(lexicon.getValue());
            for (String text : texts) {
                Text.Read read = Text.read("", text);
                List<String[]> parts = new ArrayList<>(read.sentences());
                parts.add(read.words());
                for (String[] words : parts) {
                    Map<String, String> expected = reference.find(words);
                    assertThat(indexed.find(words)).as(lexicon.getKey() + " in " + String.join(" ", words))
                            .containsExactlyEntriesOf(expected);
                    compared++;
                    found += expected.size();
                }
            }
        }
        assertThat(compared).isGreaterThan(1000);
        assertThat(found).as("matches in the scenarios").isGreaterThan(500);
    }

    /**
     * Taking each word's terms in the conduct and role lexicons from the vocabulary it was read with, and matching
     * each sentence as a stretch of the field's words, finds what each lexicon finds in the whole text and in each
     * sentence on its own.
     */
    @Test
    void theJointLookUpFindsWhatEachLexiconFinds() throws IOException {
        var all = lexicons();
        Lexicon conduct = new Lexicon(all.get("conduct"));
        Lexicon roles = new Lexicon(all.get("roles"));
        Vocabulary vocabulary = new Vocabulary(w -> new Vocabulary.Word(w, conduct.lookUp(w), roles.lookUp(w), null));
        int found = 0;
        for (String text : texts()) {
            Text.Read read = Text.read("", text, vocabulary);
            String[] words = read.words();
            Lexicon.Term[][][] candidates = new Lexicon.Term[2][words.length][];
            for (int k = 0; k < words.length; k++) {
                candidates[0][k] = read.known()[k].conduct;
                candidates[1][k] = read.known()[k].roles;
            }
            assertThat(conduct.find(words, 0, words.length, candidates[0])).containsExactlyEntriesOf(conduct.find(words));
            int from = 0;
            for (String[] sentence : read.sentences()) {
                assertThat(java.util.Arrays.copyOfRange(words, from, from + sentence.length)).isEqualTo(sentence);
                Map<String, String> expected = roles.find(sentence);
                assertThat(roles.find(words, from, from + sentence.length, candidates[1])).as(String.join(" ", sentence))
                        .containsExactlyEntriesOf(expected);
                found += expected.size();
                from += sentence.length;
            }
            assertThat(from).isEqualTo(words.length);
        }
        assertThat(found).as("roles found in the scenarios' sentences").isGreaterThan(50);
    }

    @Test
    void theLexiconsOwnTermsAreFoundAsTheReferenceFindsThem() {
        // every term's words as a text, and those words with a letter added (prefixes) or taken away
        for (var lexicon : lexicons().entrySet()) {
            Lexicon indexed = new Lexicon(lexicon.getValue());
            Reference reference = new Reference(lexicon.getValue());
            for (List<String> terms : lexicon.getValue().values()) {
                for (String term : terms) {
                    String plain = term.replace("*", "");
                    for (String text : List.of(plain, plain + "s", plain + "ing x", plain.substring(0, Math.max(1, plain.length() - 1)))) {
                        String[] words = Text.words(text);
                        assertThat(indexed.find(words)).as(text).containsExactlyEntriesOf(reference.find(words));
                    }
                }
            }
        }
    }

    /**
     * The shortcut for ASCII text reads what the general way reads: the scenarios' texts that are ASCII, and
     * generated ASCII texts of words, digits, capitals, punctuation that ends sentences and every other character.
     */
    @Test
    void asciiTextReadsAsTheGeneralWayReadsIt() throws IOException {
        List<String> texts = new ArrayList<>();
        for (String text : texts()) {
            if (text.chars().allMatch(ch -> ch < 0x80)) {
                texts.add(text);
            }
        }
        assertThat(texts).as("ASCII scenarios").isNotEmpty();
        String[] pieces = {"All", "users", "m0dem", "l1ke", "IN", "Paris", "10.0.0.0/8", ".", "!", "?", ";", "\n", " ", "  ",
                ",", "*", "%", "-", "_", "@", "x", "9", "rn", "MM", "\t", "(", ")"};
        Random random = new Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            if (n < 128) {
                b.append((char) n);
            } else {
                for (int k = random.nextInt(1, 30); k > 0; k--) {
                    b.append(random.nextInt(4) == 0 ? String.valueOf((char) random.nextInt(128))
                            : pieces[random.nextInt(pieces.length)]);
                }
            }
            texts.add(b.toString());
        }
        for (String s : texts) {
            Text.Read fast = Text.read("f", s, true);
            Text.Read general = Text.read("f", s, false);
            assertThat(fast.normalised()).as(s).isEqualTo(general.normalised());
            assertThat(fast.words()).as(s).containsExactly(general.words());
            assertThat(fast.sentences()).as(s).hasSameSizeAs(general.sentences());
            for (int k = 0; k < fast.sentences().size(); k++) {
                assertThat(fast.sentences().get(k)).as(s).containsExactly(general.sentences().get(k));
            }
            assertThat(fast.scripts()).as(s).containsExactly(general.scripts());
            assertThat(fast.hidden()).as(s).isEqualTo(general.hidden());
            assertThat(fast.mixed()).as(s).isEqualTo(general.mixed());
        }
    }

    @Test
    void asciiTextReadsAsIcuReadsIt() {
        Normalizer2 nfkcCf = Normalizer2.getNFKCCasefoldInstance();
        SpoofChecker skeleton = new SpoofChecker.Builder().build();
        Random random = new Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = n < 128 ? 1 : 1 + random.nextInt(24);
            for (int k = 0; k < length; k++) {
                b.append(n < 128 ? (char) n : (char) random.nextInt(128));
            }
            String s = b.toString();
            assertThat(Text.skeleton(s)).as("skeleton of %s", s)
                    .isEqualTo(UCharacter.foldCase(skeleton.getSkeleton(nfkcCf.normalize(s)), true));
            assertThat(Text.read("", s).normalised()).as("normalised %s", s).isEqualTo(nfkcCf.normalize(s));
        }
    }
}
