package org.habeas.law;

import java.util.List;
import java.util.Map;

/**
 * A class of conduct, with the words that show it in each language Habeas reads (from {@code law/lexicons/}). See
 * {@code law/conduct.yaml}.
 */
public record ConductClass(String id, String group, String article, Map<String, List<String>> lexicon) {

    public ConductClass {
        Vocabulary.required("id", id);
        Vocabulary.check("group", group, Vocabulary.CONDUCT_GROUPS);
        lexicon = lexicon == null ? Map.of() : Map.copyOf(lexicon);
    }

    /** The same class with its terms by language. */
    ConductClass withLexicon(Map<String, List<String>> byLanguage) {
        return new ConductClass(id, group, article, byLanguage);
    }

    public boolean protectedActivity() {
        return "PROTECTED_ACTIVITY".equals(group);
    }

    public boolean vague() {
        return "VAGUE".equals(group);
    }

    /** A crime class: anything but protected activity and vague offences. */
    public boolean crime() {
        return !protectedActivity() && !vague();
    }
}
