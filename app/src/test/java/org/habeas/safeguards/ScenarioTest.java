package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The scenario suite in {@code scenarios/}: documented patterns of abusive and legitimate requests, each with the
 * decision and rules the engine must produce.
 */
class ScenarioTest {

    static final Path DIR = Path.of("..", "scenarios");
    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final RequestValidator VALIDATOR = new RequestValidator();
    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");
    private static final Profile TREATY_MINIMUM = Profiles.load("treaty-minimum");

    /**
     * One scenario. {@code file} is relative to the scenarios directory; {@code kind} is ABUSIVE, LEGITIMATE or
     * BOUNDARY; {@code language} the ISO 639-1 code of the language its charge and facts are written in;
     * {@code rules}, when given, every rule with an effect other than NOTE.
     */
    record Scenario(String file, String pattern, String kind, String language, String decision, List<String> rules,
            List<String> assumeInForce, String treatyMinimum) {
        @Override
        public String toString() {
            return file + " (" + pattern + ")";
        }

        Scenario in(String dir) {
            return dir.isEmpty() ? this : new Scenario(dir + "/" + file, pattern, kind, language, decision, rules,
                    assumeInForce, treatyMinimum);
        }
    }

    record Index(List<Scenario> scenarios) {
    }

    /** The scenarios of {@code scenarios/scenarios.yaml} and of every {@code scenarios/<dir>/scenarios.yaml}. */
    static List<Scenario> scenarios() throws IOException {
        YAMLMapper yaml = YAMLMapper.builder().build();
        List<Scenario> all = new java.util.ArrayList<>(yaml.readValue(DIR.resolve("scenarios.yaml").toFile(), Index.class)
                .scenarios());
        try (Stream<Path> dirs = Files.list(DIR)) {
            for (Path d : dirs.filter(Files::isDirectory).sorted().toList()) {
                Path index = d.resolve("scenarios.yaml");
                if (Files.exists(index)) {
                    String name = d.getFileName().toString();
                    yaml.readValue(index.toFile(), Index.class).scenarios().forEach(sc -> all.add(sc.in(name)));
                }
            }
        }
        return all;
    }

    static EvidenceRequest request(String file) throws IOException {
        Validation v = VALIDATOR.validate(Files.readAllBytes(DIR.resolve(file)));
        assertThat(v).as(file).isInstanceOf(Validation.Valid.class);
        return VALIDATOR.mapper().treeToValue(((Validation.Valid) v).request(), EvidenceRequest.class);
    }

    /** One engine per set of instruments assumed in force: building one reads every lexicon. */
    private static final java.util.Map<String, Safeguards> ENGINES = new java.util.concurrent.ConcurrentHashMap<>();

    static Assessment assess(Scenario s, Profile profile) throws IOException {
        EvidenceRequest r = request(s.file());
        Safeguards engine = ENGINES.computeIfAbsent(String.valueOf(s.assumeInForce()), k -> new Safeguards(
                s.assumeInForce() == null ? KB : KB.assumingInForce(Set.copyOf(s.assumeInForce()))));
        return engine.assess(r, profile, r.receivedAt().toInstant());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void decidesAsExpected(Scenario s) throws IOException {
        Assessment a = assess(s, RIGHTS_FIRST);
        if ("ABUSIVE".equals(s.kind())) {
            assertThat(a.decision().name()).as(s.file() + ": an abusive request is never accepted or narrowed")
                    .isIn("ESCALATE", "REFUSE");
        }
        if ("LEGITIMATE".equals(s.kind())) {
            assertThat(a.decision().name()).as(s.file() + ": a legitimate request is never refused").isNotEqualTo("REFUSE");
        }
        if (s.rules() != null) {
            // a scenario that names its rules is exact; the others count towards the agreement figure below
            assertThat(new TreeSet<>(a.rules())).as(s.file() + " rules").isEqualTo(new TreeSet<>(s.rules()));
            assertThat(a.decision().name()).as(s.file() + " decision").isEqualTo(s.decision());
        }
        for (Finding f : a.findings()) {
            assertThat(f.reason()).as(s.file() + " " + f.rule()).isNotBlank();
            assertThat(f.basis()).as(s.file() + " " + f.rule() + " cites the law").isNotEmpty();
        }
        if (s.treatyMinimum() != null) {
            assertThat(assess(s, TREATY_MINIMUM).decision().name()).as(s.file() + " under treaty-minimum")
                    .isEqualTo(s.treatyMinimum());
        }
    }

    @Test
    void theSuiteIsBigAndCoversEveryRule() throws IOException {
        List<Scenario> all = scenarios();
        assertThat(all).hasSizeGreaterThanOrEqualTo(60);
        assertThat(all.stream().filter(s -> s.file().contains("legit") && s.decision().equals("ACCEPT"))).hasSizeGreaterThanOrEqualTo(20);
        Set<String> covered = new TreeSet<>();
        all.forEach(s -> covered.addAll(s.rules() == null ? List.of() : s.rules()));
        assertThat(covered).containsAll(Rules.IDS);
        try (Stream<Path> files = Files.walk(DIR)) {
            assertThat(files.filter(f -> f.toString().endsWith(".json")).count()).isEqualTo(all.size());
        }
        for (Scenario s : all) {
            assertThat(s.kind()).as(s.file() + " kind").isIn(null, "ABUSIVE", "LEGITIMATE", "BOUNDARY");
        }
    }

    /**
     * At least 95 % of the scenarios, in every language together, get exactly the expected decision; the figures per
     * language go to {@code target/scenario-agreement.txt}.
     */
    @Test
    void agreementWithTheExpectedDecisions() throws IOException {
        java.util.Map<String, int[]> byLanguage = new java.util.TreeMap<>();
        List<String> differ = new java.util.ArrayList<>();
        int agree = 0;
        List<Scenario> all = scenarios();
        for (Scenario s : all) {
            String got = assess(s, RIGHTS_FIRST).decision().name();
            int[] n = byLanguage.computeIfAbsent(s.language() == null ? "en" : s.language(), k -> new int[2]);
            n[0]++;
            if (got.equals(s.decision())) {
                n[1]++;
                agree++;
            } else {
                differ.add(s.file() + ": expected " + s.decision() + ", got " + got);
            }
        }
        StringBuilder report = new StringBuilder("language scenarios agree\n");
        byLanguage.forEach((l, n) -> report.append(l).append(' ').append(n[0]).append(' ').append(n[1]).append('\n'));
        report.append("all ").append(all.size()).append(' ').append(agree).append('\n');
        differ.forEach(d -> report.append("# ").append(d).append('\n'));
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target", "scenario-agreement.txt"), report);
        assertThat(agree * 100.0 / all.size()).as(String.join("\n", differ)).isGreaterThanOrEqualTo(95.0);
    }

    @Test
    void everyAssessmentIsDeterministic() throws IOException {
        for (Scenario s : scenarios()) {
            assertThat(assess(s, RIGHTS_FIRST)).as(s.file()).isEqualTo(assess(s, RIGHTS_FIRST));
        }
    }
}
