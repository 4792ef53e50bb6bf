package org.habeas.law;

import java.util.List;
import java.util.Map;

/** A protected role (journalist, security researcher...), with the words that describe it. */
public record Role(String id, Map<String, List<String>> lexicon) {

    public Role {
        Vocabulary.required("id", id);
        Lexicons.check("lexicon", lexicon);
        lexicon = Map.copyOf(lexicon);
    }
}
