package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A property that cannot regress: for every scenario, variants derived from it by the tricks that defeat a naive
 * reader — look-alike letters from other scripts, zero-width characters, fullwidth forms, other case, other
 * notations of its IP targets — never get a more permissive decision than the original
 * (ACCEPT &lt; NARROW &lt; ESCALATE &lt; REFUSE).
 */
class DisguiseTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final RequestValidator VALIDATOR = new RequestValidator();
    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");

    /** Latin letters and their Cyrillic and Greek look-alikes, both ways. */
    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            Map.entry('a', 'а'), Map.entry('e', 'е'), Map.entry('o', 'о'), Map.entry('p', 'р'), Map.entry('c', 'с'),
            Map.entry('x', 'х'), Map.entry('y', 'у'), Map.entry('i', 'і'), Map.entry('A', 'Α'), Map.entry('O', 'Ο'),
            Map.entry('T', 'Т'), Map.entry('H', 'Н'), Map.entry('K', 'К'), Map.entry('M', 'М'),
            Map.entry('а', 'a'), Map.entry('е', 'e'), Map.entry('о', 'o'), Map.entry('р', 'p'), Map.entry('с', 'c'),
            Map.entry('х', 'x'), Map.entry('у', 'y'), Map.entry('ο', 'o'), Map.entry('α', 'a'));

    private static final List<String> TEXT_FIELDS = List.of("statute", "description");

    record Variant(String name, UnaryOperator<String> text, boolean ipNotations) {
    }

    /** The text disguises; each is applied to every text field and target value. */
    private static final List<Variant> VARIANTS = List.of(
            new Variant("look-alike letters", DisguiseTest::lookAlikes, false),
            new Variant("zero-width characters", DisguiseTest::zeroWidth, false),
            new Variant("fullwidth forms", DisguiseTest::fullwidth, false),
            new Variant("upper case", s -> s.toUpperCase(Locale.ROOT), false),
            new Variant("lower case", s -> s.toLowerCase(Locale.ROOT), false),
            new Variant("soft hyphens and bidi controls", s -> s.replace(" ", " \u00AD\u202A"), false));

    static String lookAlikes(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            b.append(LOOK_ALIKES.getOrDefault(ch, ch));
        }
        return b.toString();
    }

    static String zeroWidth(String s) {
        StringBuilder b = new StringBuilder(s.length() * 2);
        for (int i = 0; i < s.length(); i++) {
            b.append(s.charAt(i));
            if (i % 3 == 1 && Character.isLetter(s.charAt(i))) {
                b.append('\u200B');
            }
        }
        return b.toString();
    }

    static String fullwidth(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            b.append(ch > ' ' && ch < 0x7F ? (char) (ch - 0x21 + 0xFF01) : ch);
        }
        return b.toString();
    }

    /** Other notations of an IP address or block: netmask, dash range, IPv4-mapped IPv6, hexadecimal octets. */
    static List<String> notations(String value) {
        IPAddress a = new IPAddressString(value.strip()).getAddress();
        List<String> out = new ArrayList<>();
        if (a == null) {
            return out;
        }
        IPAddress block = a.isPrefixed() ? a.toPrefixBlock() : a;
        out.add(block.getLower().withoutPrefixLength() + "-" + block.getUpper().withoutPrefixLength());
        if (a.isIPv4()) {
            if (a.isPrefixed()) {
                out.add(block.getLower().withoutPrefixLength() + "/" + a.getNetworkMask().withoutPrefixLength());
            }
            int bits = a.isPrefixed() ? a.getNetworkPrefixLength() : 32;
            out.add("::ffff:" + block.getLower().withoutPrefixLength() + (a.isPrefixed() ? "/" + (96 + bits) : ""));
            StringBuilder hex = new StringBuilder();
            for (int k = 0; k < 4; k++) {
                hex.append(k == 0 ? "" : ".").append("0x").append(Integer.toHexString(block.getLower().getSegment(k).getSegmentValue()));
            }
            out.add(hex + (a.isPrefixed() ? "/" + bits : ""));
        }
        return out;
    }

    private static ObjectNode tree(String file) throws IOException {
        return (ObjectNode) VALIDATOR.mapper().readTree(Files.readAllBytes(ScenarioTest.DIR.resolve(file)));
    }

    private static void disguise(ObjectNode tree, UnaryOperator<String> f) {
        JsonNode offence = tree.get("offence");
        if (offence instanceof ObjectNode o) {
            for (String field : TEXT_FIELDS) {
                if (o.hasNonNull(field)) {
                    o.put(field, f.apply(o.get(field).stringValue()));
                }
            }
        }
        if (tree.hasNonNull("facts")) {
            tree.put("facts", f.apply(tree.get("facts").stringValue()));
        }
        if (tree.get("demands") instanceof tools.jackson.databind.node.ArrayNode demands) {
            for (int i = 0; i < demands.size(); i++) {
                demands.set(i, f.apply(demands.get(i).stringValue()));
            }
        }
        for (String[] path : List.of(new String[] {"emergency", "justification"}, new String[] {"onwardTransfer", "purpose"})) {
            if (tree.get(path[0]) instanceof ObjectNode o && o.hasNonNull(path[1])) {
                o.put(path[1], f.apply(o.get(path[1]).stringValue()));
            }
        }
        for (JsonNode t : tree.get("targets")) {
            ((ObjectNode) t).put("value", f.apply(t.get("value").stringValue()));
        }
    }

    private static final Map<String, Safeguards> ENGINES = new java.util.concurrent.ConcurrentHashMap<>();

    private static Decision assess(ScenarioTest.Scenario s, ObjectNode tree) {
        // the variants are valid requests (checked below for one scenario); read them as intake maps them
        EvidenceRequest r = VALIDATOR.mapper().treeToValue(tree, EvidenceRequest.class);
        Safeguards engine = ENGINES.computeIfAbsent(String.valueOf(s.assumeInForce()), k -> new Safeguards(
                s.assumeInForce() == null ? KB : KB.assumingInForce(Set.copyOf(s.assumeInForce()))));
        return engine.assess(r, RIGHTS_FIRST, r.receivedAt().toInstant()).decision();
    }

    @TestFactory
    Stream<DynamicTest> noDisguiseMakesADecisionMorePermissive() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (ScenarioTest.Scenario s : ScenarioTest.scenarios()) {
            Decision original = assess(s, tree(s.file()));
            for (Variant v : VARIANTS) {
                tests.add(DynamicTest.dynamicTest(s.file() + ": " + v.name(), () -> {
                    ObjectNode tree = tree(s.file());
                    disguise(tree, v.text());
                    assertThat(assess(s, tree)).as(s.file() + " with " + v.name() + " (original " + original + ")")
                            .isGreaterThanOrEqualTo(original);
                }));
            }
            ObjectNode base = tree(s.file());
            for (int i = 0; i < base.get("targets").size(); i++) {
                JsonNode t = base.get("targets").get(i);
                if (!"IP".equals(t.get("type").stringValue())) {
                    continue;
                }
                int index = i;
                for (String notation : notations(t.get("value").stringValue())) {
                    tests.add(DynamicTest.dynamicTest(s.file() + ": target " + (i + 1) + " as " + notation, () -> {
                        ObjectNode tree = tree(s.file());
                        ((ObjectNode) tree.get("targets").get(index)).put("value", notation);
                        assertThat(assess(s, tree)).as(s.file() + " with " + notation + " (original " + original + ")")
                                .isGreaterThanOrEqualTo(original);
                    }));
                }
            }
        }
        assertThat(tests).hasSizeGreaterThan(6 * 100);
        return tests.stream();
    }

    @org.junit.jupiter.api.Test
    void theVariantsAreValidRequests() throws IOException {
        for (Variant v : VARIANTS) {
            ObjectNode tree = tree("27-gap-journalist-false-news.json");
            disguise(tree, v.text());
            assertThat(VALIDATOR.validate(VALIDATOR.mapper().writeValueAsBytes(tree))).as(v.name())
                    .isInstanceOf(Validation.Valid.class);
        }
    }

    @org.junit.jupiter.api.Test
    void theVariantsReallyDisguise() {
        assertThat(lookAlikes("every account")).isNotEqualTo("every account").hasSize(13);
        assertThat(Text.words(lookAlikes("every account"))).containsExactly(Text.words("every account"));
        assertThat(zeroWidth("all users")).contains("\u200B");
        assertThat(fullwidth("ALL")).isEqualTo("ＡＬＬ");
        assertThat(notations("198.51.100.0/23")).contains("198.51.100.0/255.255.254.0", "198.51.100.0-198.51.101.255",
                "::ffff:198.51.100.0/119", "0xc6.0x33.0x64.0x0/23");
    }
}
