package org.habeas.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;
import org.habeas.law.LawLoader;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Profile;
import org.habeas.safeguards.Profiles;
import org.habeas.safeguards.Safeguards;
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

/**
 * Assessments per second on the scenario mix ({@code scenarios/} and its subdirectories, read from the working
 * directory or the {@code habeas.scenarios} system property), under rights-first with the UNCC assumed in force,
 * one thread. Requests are parsed beforehand: this measures the engine (reading the text, telling its language,
 * classification and the rules).
 *
 * <p>The defaults are the settings {@code docs/benchmarks.md} reports: a warm-up long enough for the JIT compiler to
 * finish with every script and rule (10 × 3 s), then 15 measured iterations of 2 s. JMH's error is the 99.9 %
 * confidence interval, Student's t times the standard error: with 5 iterations t is 8.6, with 15 it is 4.1, so
 * the same spread from one iteration to the next gives a bar 3.6 times narrower (8.6/√5 against 4.1/√15). Each call assesses the next
 * request of the mix, whose result JMH consumes; nothing else is done per call.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 10, time = 3)
@Measurement(iterations = 15, time = 2)
@Fork(1)
@Threads(1)
public class AssessmentBench {

    private Safeguards engine;
    private Profile profile;
    private List<EvidenceRequest> requests;
    private List<Instant> times;
    private int next;

    @Setup
    public void setUp() throws IOException {
        engine = new Safeguards(LawLoader.builtIn().assumingInForce(Set.of("UNCC")));
        profile = Profiles.load("rights-first");
        RequestValidator validator = new RequestValidator();
        requests = new ArrayList<>();
        times = new ArrayList<>();
        Path dir = Path.of(System.getProperty("habeas.scenarios", "scenarios"));
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).sorted().toList()) {
                if (validator.validate(Files.readAllBytes(f)) instanceof Validation.Valid v) {
                    EvidenceRequest r = validator.mapper().treeToValue(v.request(), EvidenceRequest.class);
                    requests.add(r);
                    times.add(r.receivedAt().toInstant());
                }
            }
        }
        if (requests.size() < 60) {
            throw new IllegalStateException("expected the scenario suite in " + dir.toAbsolutePath());
        }
    }

    @Benchmark
    public Assessment assess() {
        int i = next;
        next = (i + 1) % requests.size();
        return engine.assess(requests.get(i), profile, times.get(i));
    }
}
