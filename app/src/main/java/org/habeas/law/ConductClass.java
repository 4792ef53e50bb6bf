package org.habeas.law;

import java.util.List;
import java.util.Map;

/** A class of conduct, with the words that show it. See {@code law/conduct.yaml}. */
public record ConductClass(String id, String group, String article, Map<String, List<String>> lexicon) {

    public ConductClass {
        Vocabulary.required("id", id);
        Vocabulary.check("group", group, Vocabulary.CONDUCT_GROUPS);
        Lexicons.check("lexicon", lexicon);
        lexicon = Map.copyOf(lexicon);
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
