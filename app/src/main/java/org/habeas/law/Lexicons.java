package org.habeas.law;

import java.util.List;
import java.util.Map;

/** Checks on the lexicons of conduct classes, roles and demands. */
final class Lexicons {

    private Lexicons() {
    }

    static void check(String field, Map<String, List<String>> lexicon) {
        Vocabulary.required(field, lexicon);
        for (String language : Vocabulary.LANGUAGES) {
            List<String> terms = lexicon.get(language);
            if (terms == null || terms.isEmpty()) {
                throw new IllegalArgumentException(field + "." + language + ": needs at least one term");
            }
        }
        lexicon.forEach((language, terms) -> {
            for (String term : terms) {
                if (term == null || term.isBlank() || term.strip().equals("*")) {
                    throw new IllegalArgumentException(field + "." + language + ": empty term");
                }
            }
        });
    }
}
