package org.habeas.safeguards;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;

import com.ibm.icu.text.Normalizer2;

/**
 * The stages of {@link StagesBench}, measured in the thread's own CPU time rather than wall-clock time, which a
 * shared machine's other load inflates far more: per request of the scenario mix (every scenario under
 * {@code scenarios/}), one thread, five rounds of 1.5 seconds per stage
 * ({@code -Dstages.rounds}, {@code -Dstages.round}), the best of the last three. Run from the
 * repository root: {@code java -cp bench/target/benchmarks.jar org.habeas.safeguards.StagesCpu}.
 */
public final class StagesCpu {

    private static final Normalizer2 NFKC_CF = Normalizer2.getNFKCCasefoldInstance();
    private static final int ROUNDS = Integer.getInteger("stages.rounds", 5);
    private static final long ROUND_NANOS = (long) (Double.parseDouble(System.getProperty("stages.round", "1.5")) * 1e9);

    private StagesCpu() {
    }

    public static void main(String[] args) throws IOException {
        KnowledgeBase kb = LawLoader.builtIn().assumingInForce(Set.of("UNCC"));
        Safeguards engine = new Safeguards(kb);
        Classifier classifier = new Classifier(kb, Statutes.NONE);
        Languages languages = new Languages(kb.languages(), Set.copyOf(Classifier.codes(kb)));
        Profile profile = Profiles.load("rights-first");
        RequestValidator validator = new RequestValidator();
        List<EvidenceRequest> requests = new ArrayList<>();
        List<List<String>> texts = new ArrayList<>();
        List<Classifier.Classification> read = new ArrayList<>();
        Path dir = Path.of(System.getProperty("habeas.scenarios", "scenarios"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (validator.validate(Files.readAllBytes(f)) instanceof Validation.Valid v) {
                    EvidenceRequest r = validator.mapper().treeToValue(v.request(), EvidenceRequest.class);
                    requests.add(r);
                    List<String> t = new ArrayList<>();
                    if (r.offence() != null) {
                        t.add(r.offence().statute());
                        t.add(r.offence().description());
                    }
                    t.add(r.facts());
                    r.targets().forEach(x -> t.add(x.value()));
                    t.removeIf(s -> s == null);
                    texts.add(t);
                    read.add(classifier.classify(r));
                }
            }
        }
        Map<String, IntFunction<Object>> stages = new LinkedHashMap<>();
        stages.put("NFKC case folding of every field and target (alone)", i -> {
            int n = 0;
            for (String s : texts.get(i)) {
                n += NFKC_CF.normalize(s).length();
            }
            return n;
        });
        stages.put("reading every field and target", i -> {
            int n = 0;
            for (String s : texts.get(i)) {
                n += Text.read("f", s).words().length;
            }
            return n;
        });
        stages.put("telling the language of the charge and the facts", i -> {
            Classifier.Classification c = read.get(i);
            Text.Read charge = c.field("offence.description");
            Text.Read facts = c.field("facts");
            return new Object[] {languages.detect(charge, facts), languages.detect(facts, charge)};
        });
        stages.put("classifying: reading plus every lexicon", i -> classifier.classify(requests.get(i)));
        stages.put("the whole assessment", i -> {
            EvidenceRequest r = requests.get(i);
            return engine.assess(r, profile, r.receivedAt().toInstant());
        });
        if (args.length > 0) {
            stages.keySet().retainAll(stages.keySet().stream().filter(k -> k.contains(args[0])).toList());
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        System.out.printf(Locale.ROOT, "scenarios: %d, languages: %d%n", requests.size(), kb.languages().size());
        int[] sink = {0};
        for (var stage : stages.entrySet()) {
            double[] perOp = new double[ROUNDS];
            for (int round = 0; round < ROUNDS; round++) {
                long wall = System.nanoTime();
                long cpu = threads.getCurrentThreadCpuTime();
                long ops = 0;
                int i = 0;
                while (System.nanoTime() - wall < ROUND_NANOS) {
                    for (int k = 0; k < 64; k++) {
                        sink[0] += stage.getValue().apply(i).hashCode();
                        i = (i + 1) % requests.size();
                        ops++;
                    }
                }
                perOp[round] = (threads.getCurrentThreadCpuTime() - cpu) / 1000.0 / ops;
            }
            double best = Double.MAX_VALUE;
            StringBuilder rounds = new StringBuilder();
            for (int round = 0; round < ROUNDS; round++) {
                if (round >= ROUNDS - 3) {
                    best = Math.min(best, perOp[round]);
                }
                rounds.append(String.format(Locale.ROOT, " %.1f", perOp[round]));
            }
            System.out.printf(Locale.ROOT, "%8.1f CPU µs  %s   (rounds:%s)%n", best, stage.getKey(), rounds);
        }
        System.out.println(sink[0] == 42 ? "" : "load average: "
                + String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    }
}
