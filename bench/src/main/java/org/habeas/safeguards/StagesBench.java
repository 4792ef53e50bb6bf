package org.habeas.safeguards;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import com.ibm.icu.text.Normalizer2;

/**
 * What each stage of the engine costs, per request of the scenario mix (every scenario under {@code scenarios/},
 * subdirectories included), one thread, in microseconds: NFKC case folding alone, reading every field (the same
 * normalisation, segmentation, confusable skeletons, hidden-character and mixed-script checks), telling the
 * language of the charge and the facts, classifying (reading plus every lexicon), and the whole assessment.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class StagesBench {

    private static final Normalizer2 NFKC_CF = Normalizer2.getNFKCCasefoldInstance();

    private Safeguards engine;
    private Classifier classifier;
    private Languages languages;
    private Profile profile;
    private List<EvidenceRequest> requests;
    private List<List<String>> texts;
    private List<Classifier.Classification> read;
    private int next;

    @Setup
    public void setUp() throws IOException {
        KnowledgeBase kb = LawLoader.builtIn().assumingInForce(Set.of("UNCC"));
        engine = new Safeguards(kb);
        classifier = new Classifier(kb, Statutes.NONE);
        languages = new Languages(kb.languages(), Set.copyOf(Classifier.codes(kb)));
        profile = Profiles.load("rights-first");
        RequestValidator validator = new RequestValidator();
        requests = new ArrayList<>();
        texts = new ArrayList<>();
        read = new ArrayList<>();
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
        System.out.println("scenarios: " + requests.size() + ", languages: " + kb.languages().size());
    }

    private int next() {
        int i = next;
        next = (i + 1) % requests.size();
        return i;
    }

    @Benchmark
    public int normalise() {
        int n = 0;
        for (String s : texts.get(next())) {
            n += NFKC_CF.normalize(s).length();
        }
        return n;
    }

    @Benchmark
    public int readFields() {
        int n = 0;
        for (String s : texts.get(next())) {
            n += Text.read("f", s).words().length;
        }
        return n;
    }

    @Benchmark
    public Object detectLanguage() {
        Classifier.Classification c = read.get(next());
        Text.Read charge = c.field("offence.description");
        Text.Read facts = c.field("facts");
        return new Object[] {languages.detect(charge, facts), languages.detect(facts, charge)};
    }

    @Benchmark
    public Classifier.Classification classify() {
        return classifier.classify(requests.get(next()));
    }

    @Benchmark
    public Assessment assess() {
        EvidenceRequest r = requests.get(next());
        return engine.assess(r, profile, r.receivedAt().toInstant());
    }
}
