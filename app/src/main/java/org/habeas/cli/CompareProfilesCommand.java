package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.LawDataException;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Decision;
import org.habeas.safeguards.Profile;
import org.habeas.safeguards.Profiles;
import org.habeas.safeguards.Safeguards;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code habeas compare-profiles}: what changes when the same requests are assessed under two profiles. */
@Command(name = "compare-profiles", description = "Assess every request in a directory under two profiles "
        + "(default: rights-first and treaty-minimum) and show where and why their decisions differ.")
final class CompareProfilesCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR|FILE", description = "Request v1 files or directories of them.")
    List<Path> inputs;

    @Option(names = "--profile", paramLabel = "NAME|FILE", description = "A profile; give it twice (default: rights-first, treaty-minimum).")
    List<String> profiles = new ArrayList<>();

    @CommandLine.Mixin
    LawOptions law = new LawOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        List<String> names = profiles.isEmpty() ? List.of("rights-first", "treaty-minimum") : profiles;
        if (names.size() != 2) {
            err.println("--profile: give exactly two profiles, or none for rights-first and treaty-minimum");
            return HabeasCommand.BAD_INPUT;
        }
        Safeguards engine;
        Profile a;
        Profile b;
        List<Path> files;
        try {
            engine = law.engine();
            a = Profiles.load(names.get(0));
            b = Profiles.load(names.get(1));
            files = RequestFiles.expand(inputs);
        } catch (LawDataException | IllegalArgumentException | IOException e) {
            err.println(e.getMessage());
            return HabeasCommand.BAD_INPUT;
        }
        if (RequestFiles.none(files, inputs, err)) {
            return HabeasCommand.BAD_INPUT;
        }
        RequestFiles reader = new RequestFiles(err);
        Map<String, Integer> matrix = new TreeMap<>();
        Map<String, Integer> causes = new TreeMap<>();
        List<String> aOnlyRefuses = new ArrayList<>();
        List<String> bOnlyRefuses = new ArrayList<>();
        int total = 0;
        int differ = 0;
        int bad = 0;
        for (Path file : files) {
            EvidenceRequest r = reader.read(file);
            if (r == null) {
                bad++;
                continue;
            }
            Instant asOf = r.receivedAt() != null ? r.receivedAt().toInstant() : Clock.systemUTC().instant();
            Assessment x = engine.assess(r, a, asOf);
            Assessment y = engine.assess(r, b, asOf);
            total++;
            matrix.merge(x.decision() + " -> " + y.decision(), 1, Integer::sum);
            if (x.decision() != y.decision()) {
                differ++;
                Set<String> only = new LinkedHashSet<>(x.rules());
                only.removeAll(y.rules());
                Set<String> other = new LinkedHashSet<>(y.rules());
                other.removeAll(x.rules());
                only.forEach(rule -> causes.merge(rule + " (" + a.policy() + " only)", 1, Integer::sum));
                other.forEach(rule -> causes.merge(rule + " (" + b.policy() + " only)", 1, Integer::sum));
                String line = r.reference() + "  " + file.getFileName();
                if (x.decision() == Decision.REFUSE && y.decision() == Decision.ACCEPT) {
                    aOnlyRefuses.add(line);
                } else if (y.decision() == Decision.REFUSE && x.decision() == Decision.ACCEPT) {
                    bOnlyRefuses.add(line);
                }
            }
        }
        out.printf("%d requests assessed under %s and %s: %d decided alike, %d differently%n", total, a.policy(),
                b.policy(), total - differ, differ);
        out.printf("%n%-26s %8s%n", a.policy() + " -> " + b.policy(), "requests");
        matrix.forEach((k, v) -> out.printf("%-26s %8d%n", k, v));
        out.printf("%n%-52s %8s%n", "rules behind the differences", "requests");
        causes.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .forEach(e -> out.printf("%-52s %8d%n", e.getKey(), e.getValue()));
        out.printf("%n%s refuses, %s accepts (%d):%n", a.policy(), b.policy(), aOnlyRefuses.size());
        aOnlyRefuses.forEach(l -> out.println("  " + l));
        out.printf("%n%s refuses, %s accepts (%d):%n", b.policy(), a.policy(), bOnlyRefuses.size());
        bOnlyRefuses.forEach(l -> out.println("  " + l));
        out.flush();
        return bad == 0 ? 0 : HabeasCommand.BAD_INPUT;
    }
}
