package org.habeas.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.safeguards.Profile;
import org.habeas.safeguards.Profiles;
import org.habeas.safeguards.Safeguards;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every assessment of the scenarios ({@code scenarios/} and its subdirectories), each also in six disguises (upper
 * case, Cyrillic and Greek look-alikes, zero-width spaces, soft hyphens and bidi controls, fullwidth forms, NFD),
 * under every built-in profile, with and without the UNCC assumed in force, one line of JSON each (findings,
 * reasons and evidence included), then the SHA-256 of all the lines. Run with one build's engine and with
 * another's and compare: a change to the engine that is meant to be faster must not change a byte.
 *
 * <pre>java -cp bench/target/benchmarks.jar org.habeas.bench.AssessmentDump [out.jsonl]</pre>
 */
public final class AssessmentDump {

    private static final Map<Character, Character> LOOK_ALIKES = Map.ofEntries(
            Map.entry('a', 'а'), Map.entry('e', 'е'), Map.entry('o', 'о'), Map.entry('p', 'р'), Map.entry('c', 'с'),
            Map.entry('x', 'х'), Map.entry('y', 'у'), Map.entry('i', 'і'), Map.entry('A', 'Α'), Map.entry('O', 'Ο'),
            Map.entry('T', 'Т'), Map.entry('H', 'Н'), Map.entry('K', 'К'), Map.entry('M', 'М'));

    private static final Map<String, UnaryOperator<String>> DISGUISES = new java.util.LinkedHashMap<>();

    static {
        DISGUISES.put("original", s -> s);
        DISGUISES.put("upper case", s -> s.toUpperCase(Locale.ROOT));
        DISGUISES.put("look-alikes", s -> {
            StringBuilder b = new StringBuilder(s.length());
            for (char ch : s.toCharArray()) {
                b.append(LOOK_ALIKES.getOrDefault(ch, ch));
            }
            return b.toString();
        });
        DISGUISES.put("zero-width", s -> {
            StringBuilder b = new StringBuilder(s.length() * 2);
            for (int i = 0; i < s.length(); i++) {
                b.append(s.charAt(i));
                if (i % 3 == 1 && Character.isLetter(s.charAt(i))) {
                    b.append('\u200B');
                }
            }
            return b.toString();
        });
        DISGUISES.put("soft hyphens", s -> s.replace(" ", " \u00AD\u202A"));
        DISGUISES.put("fullwidth", s -> {
            StringBuilder b = new StringBuilder(s.length());
            for (char ch : s.toCharArray()) {
                b.append(ch > ' ' && ch < 0x7F ? (char) (ch - 0x21 + 0xFF01) : ch);
            }
            return b.toString();
        });
        DISGUISES.put("NFD", s -> Normalizer.normalize(s, Normalizer.Form.NFD));
    }

    private AssessmentDump() {
    }

    public static void main(String[] args) throws Exception {
        RequestValidator validator = new RequestValidator();
        KnowledgeBase kb = LawLoader.builtIn();
        List<Safeguards> engines = List.of(new Safeguards(kb), new Safeguards(kb.assumingInForce(Set.of("UNCC"))));
        List<Profile> profiles = new ArrayList<>();
        for (String name : Profiles.BUILT_IN) {
            profiles.add(Profiles.load(name));
        }
        Path dir = Path.of(System.getProperty("habeas.scenarios", "scenarios"));
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        int count = 0;
        try (PrintStream out = args.length > 0 ? new PrintStream(Files.newOutputStream(Path.of(args[0])), false,
                StandardCharsets.UTF_8) : null) {
            for (Path f : files) {
                JsonNode original;
                try {
                    original = validator.mapper().readTree(Files.readAllBytes(f));
                } catch (RuntimeException e) {
                    continue;
                }
                if (!(original instanceof ObjectNode)) {
                    continue;
                }
                for (var d : DISGUISES.entrySet()) {
                    ObjectNode tree = ((ObjectNode) original).deepCopy();
                    disguise(tree, d.getValue());
                    EvidenceRequest r;
                    try {
                        r = validator.mapper().treeToValue(tree, EvidenceRequest.class);
                    } catch (RuntimeException e) {
                        continue;
                    }
                    if (r.receivedAt() == null) {
                        continue;
                    }
                    for (int e = 0; e < engines.size(); e++) {
                        for (Profile p : profiles) {
                            String line = dir.relativize(f) + "\t" + d.getKey() + "\t" + e + "\t" + p.policy() + "\t"
                                    + validator.mapper().writeValueAsString(
                                            engines.get(e).assess(r, p, r.receivedAt().toInstant()));
                            sha.update(line.getBytes(StandardCharsets.UTF_8));
                            sha.update((byte) '\n');
                            if (out != null) {
                                out.println(line);
                            }
                            count++;
                        }
                    }
                }
            }
        }
        System.out.println(count + " assessments, SHA-256 " + HexFormat.of().formatHex(sha.digest()));
    }

    private static void disguise(ObjectNode tree, UnaryOperator<String> f) {
        if (tree.get("offence") instanceof ObjectNode o) {
            for (String field : List.of("statute", "description")) {
                if (o.hasNonNull(field)) {
                    o.put(field, f.apply(o.get(field).stringValue()));
                }
            }
        }
        if (tree.hasNonNull("facts")) {
            tree.put("facts", f.apply(tree.get("facts").stringValue()));
        }
        if (tree.get("demands") instanceof ArrayNode demands) {
            for (int i = 0; i < demands.size(); i++) {
                demands.set(i, f.apply(demands.get(i).stringValue()));
            }
        }
        for (String[] path : List.of(new String[] {"emergency", "justification"}, new String[] {"onwardTransfer", "purpose"})) {
            if (tree.get(path[0]) instanceof ObjectNode o && o.hasNonNull(path[1])) {
                o.put(path[1], f.apply(o.get(path[1]).stringValue()));
            }
        }
        if (tree.get("targets") instanceof ArrayNode targets) {
            for (JsonNode t : targets) {
                if (t instanceof ObjectNode o && o.hasNonNull("value")) {
                    o.put("value", f.apply(o.get("value").stringValue()));
                }
            }
        }
    }
}
