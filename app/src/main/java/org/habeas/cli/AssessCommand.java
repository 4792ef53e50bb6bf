package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.LawDataException;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Effect;
import org.habeas.safeguards.Finding;
import org.habeas.safeguards.Profile;
import org.habeas.safeguards.Profiles;
import org.habeas.safeguards.Safeguards;

import com.fasterxml.jackson.annotation.JsonInclude;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** {@code habeas assess}: the safeguards engine on request files, without a server. */
@Command(name = "assess", description = "Assess Request v1 files against the safeguard rules. One file: the Assessment "
        + "JSON. Several files or a directory: one JSON line per request, with its reference. Rules are evaluated as "
        + "of the request's receivedAt, or now if it has none.")
final class AssessCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Request v1 files, or directories of *.json files.")
    List<Path> inputs;

    @Option(names = "--profile", defaultValue = Profiles.DEFAULT, paramLabel = "NAME|FILE",
            description = "rights-first (default), treaty-minimum, or a profile YAML file.")
    String profile;

    @CommandLine.Mixin
    LawOptions law = new LawOptions();

    @Option(names = "--format", defaultValue = "json", description = "json (default) or text.")
    String format;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    static final JsonMapper JSON = JsonMapper.builder()
            .changeDefaultPropertyInclusion(i -> i.withValueInclusion(JsonInclude.Include.NON_NULL))
            .build();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!format.equals("json") && !format.equals("text")) {
            err.println("--format: must be json or text, not '" + format + "'");
            return HabeasCommand.BAD_INPUT;
        }
        Safeguards engine;
        Profile policy;
        try {
            engine = law.engine();
            policy = Profiles.load(profile);
        } catch (LawDataException | IllegalArgumentException e) {
            err.println(e.getMessage());
            return HabeasCommand.BAD_INPUT;
        }
        List<Path> files;
        try {
            files = RequestFiles.expand(inputs);
        } catch (IOException e) {
            err.println("cannot read: " + e.getMessage());
            return HabeasCommand.BAD_INPUT;
        }
        if (RequestFiles.none(files, inputs, err)) {
            return HabeasCommand.BAD_INPUT;
        }
        boolean single = files.size() == 1 && !Files.isDirectory(inputs.get(0));
        RequestFiles reader = new RequestFiles(err);
        int bad = 0;
        for (Path file : files) {
            EvidenceRequest request = reader.read(file);
            if (request == null) {
                bad++;
                continue;
            }
            Instant asOf = request.receivedAt() != null ? request.receivedAt().toInstant() : Clock.systemUTC().instant();
            Assessment a;
            try {
                a = engine.assess(request, policy, asOf);
            } catch (RuntimeException e) {
                err.println(file + ": cannot be assessed: " + e);
                bad++;
                continue;
            }
            if (format.equals("text")) {
                out.println(text(file, request, a));
            } else if (single) {
                out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(a));
            } else {
                ObjectNode line = JSON.createObjectNode();
                line.put("reference", request.reference());
                line.put("file", file.toString());
                line.setAll((ObjectNode) JSON.valueToTree(a));
                out.println(JSON.writeValueAsString(line));
            }
        }
        out.flush();
        err.flush();
        return bad == 0 ? 0 : HabeasCommand.BAD_INPUT;
    }

    static String text(Path file, EvidenceRequest r, Assessment a) {
        StringBuilder b = new StringBuilder();
        b.append(r.reference()).append(" (").append(file.getFileName()).append("): ").append(a.decision())
                .append(" under ").append(a.policy()).append('\n');
        b.append("  conduct: ").append(String.join(", ", a.conduct())).append('\n');
        for (Finding f : a.findings()) {
            b.append("  ").append(f.effect() == Effect.NOTE ? "note" : f.effect().name()).append(' ')
                    .append(f.rule()).append(": ").append(f.reason()).append('\n');
            if (!f.basis().isEmpty()) {
                b.append("      basis: ").append(String.join("; ", f.basis())).append('\n');
            }
            if (!f.unconfirmed().isEmpty()) {
                b.append("      unconfirmed: ").append(String.join("; ", f.unconfirmed())).append('\n');
            }
        }
        a.conditions().forEach(c -> b.append("  condition ").append(c.code()).append(": ").append(c.text()).append('\n'));
        if (a.narrowing() != null) {
            b.append("  proposed scope: ").append(JSON.writeValueAsString(a.narrowing())).append('\n');
        }
        return b.toString();
    }
}
