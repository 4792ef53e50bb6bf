package org.habeas.law;

import java.util.List;
import java.util.Map;

/**
 * A protected role (journalist, security researcher...), with the words that describe it in each language Habeas
 * reads (from {@code law/lexicons/}).
 */
public record Role(String id, Map<String, List<String>> lexicon) {

    public Role {
        Vocabulary.required("id", id);
        lexicon = lexicon == null ? Map.of() : Map.copyOf(lexicon);
    }

    /** The same role with its terms by language. */
    Role withLexicon(Map<String, List<String>> byLanguage) {
        return new Role(id, byLanguage);
    }
}
