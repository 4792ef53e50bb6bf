package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The reasons a provider gives on Form 3 ({@code law/eevidence-form3.yaml}, or the operator's copy in
 * {@code habeas.law.dir}): each with the profile's code, a label for the case page, the provision it rests on with
 * its source and confidence, and the safeguard rules whose refusal it reports. Templates read it as
 * {@code @form3Reasons}.
 */
@Component("form3Reasons")
public class Form3Reasons {

    static final String FILE = "eevidence-form3.yaml";

    /**
     * One reason of Form 3; {@code atExecution}: a reason execution itself can find (the data is not held, or cannot
     * be produced), which staff may send from the execute step once the order is decided.
     */
    public record Reason(String code, String label, String basis, String confidence, List<String> rules,
            boolean atExecution) {
    }

    private final List<Reason> reasons;
    private final String codeSource;

    @org.springframework.beans.factory.annotation.Autowired
    Form3Reasons(@Value("${habeas.law.dir:}") String lawDir) {
        this(read(lawDir == null || lawDir.isBlank() ? null : Path.of(lawDir).resolve(FILE)));
    }

    private Form3Reasons(JsonNode file) {
        List<Reason> out = new ArrayList<>();
        Set<String> codes = new LinkedHashSet<>();
        for (JsonNode r : file.path("reasons")) {
            List<String> rules = new ArrayList<>();
            r.path("rules").forEach(x -> rules.add(x.stringValue()));
            Reason reason = new Reason(required(r, "code"), required(r, "label"), required(r, "basis"),
                    required(r, "confidence"), List.copyOf(rules), r.path("atExecution").asBoolean(false));
            if (!codes.add(reason.code())) {
                throw new IllegalStateException(FILE + ": the reason " + reason.code() + " is listed twice");
            }
            out.add(reason);
        }
        if (out.isEmpty()) {
            throw new IllegalStateException(FILE + ": no reasons");
        }
        this.reasons = List.copyOf(out);
        this.codeSource = required(file, "codeSource");
    }

    static Form3Reasons bundled() {
        return new Form3Reasons(read(null));
    }

    private static JsonNode read(Path operators) {
        try (InputStream in = operators != null && Files.isRegularFile(operators) ? Files.newInputStream(operators)
                : Form3Reasons.class.getResourceAsStream("/law/" + FILE)) {
            return YAMLMapper.builder().build().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String required(JsonNode n, String field) {
        String v = n.path(field).stringValue("");
        if (v.isBlank()) {
            throw new IllegalStateException(FILE + ": " + field + " is missing in " + n);
        }
        return v;
    }

    public List<Reason> reasons() {
        return reasons;
    }

    /** The reasons execution can find, offered at the execute step. */
    public List<Reason> atExecution() {
        return reasons.stream().filter(Reason::atExecution).toList();
    }

    /** Where the codes come from. */
    public String codeSource() {
        return codeSource;
    }

    public Optional<Reason> find(String code) {
        return reasons.stream().filter(r -> r.code().equals(code)).findFirst();
    }

    /** The reasons that report a refusal on these safeguard rules, in the file's order. */
    public List<Reason> forRules(List<String> rules) {
        return reasons.stream().filter(r -> r.rules().stream().anyMatch(rules::contains)).toList();
    }
}
