package org.habeas.transparency;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * How a company writes the names of countries in its transparency report ({@code transparency/google-countries.yaml},
 * {@code transparency/meta-countries.yaml}), with the source of those names. A state the file does not list takes
 * the name Habeas knows it by, and a state Habeas does not know its English ISO 3166 name, never a bare code.
 */
public record CountryNames(String source, String confidence, Map<String, String> names) {

    public static CountryNames load(String company) {
        try (InputStream in = CountryNames.class.getResourceAsStream("/transparency/" + company + "-countries.yaml")) {
            if (in == null) {
                throw new IllegalStateException("no country names for " + company);
            }
            return YAMLMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build()
                    .readValue(in, CountryNames.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The company's name for a state; else Habeas's name for it; else its English ISO 3166 name. */
    public String of(String code, Optional<String> known) {
        String name = names == null ? null : names.get(code);
        if (name != null) {
            return name;
        }
        return known.orElseGet(() -> iso(code));
    }

    /** The English ISO 3166 name of a code; the code itself only when it is not an ISO 3166 code at all. */
    static String iso(String code) {
        String name = Locale.of("", code).getDisplayCountry(Locale.ENGLISH);
        return name.isBlank() ? code : name;
    }
}
