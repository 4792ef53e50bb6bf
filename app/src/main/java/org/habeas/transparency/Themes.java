package org.habeas.transparency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * How the accountability register groups refusals into rights themes (protected conduct, protected persons, no
 * judge, dragnets, other rights grounds), read from {@code transparency/themes.yaml}. A refusal on any themed rule is
 * a refusal for a rights reason; one only on other rules is formal.
 */
public record Themes(List<Theme> themes) {

    public record Theme(String id, String label, List<String> rules) {
    }

    public static Themes load() {
        try (InputStream in = Themes.class.getResourceAsStream("/transparency/themes.yaml")) {
            return YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, Themes.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The themes a refusal on these rules counts under, in the file's order; empty for a formal refusal. */
    public Set<String> of(Collection<String> rules) {
        Set<String> out = new LinkedHashSet<>();
        for (Theme t : themes) {
            if (t.rules().stream().anyMatch(rules::contains)) {
                out.add(t.id());
            }
        }
        return out;
    }
}
