package org.habeas.law;

import java.util.List;

/** Checks on the term lists of a lexicon. */
final class Lexicons {

    private Lexicons() {
    }

    static void check(String field, List<String> terms) {
        if (terms == null || terms.isEmpty()) {
            throw new IllegalArgumentException(field + ": needs at least one term");
        }
        for (String term : terms) {
            if (term == null || term.isBlank() || term.strip().equals("*")) {
                throw new IllegalArgumentException(field + ": empty term");
            }
        }
    }
}
