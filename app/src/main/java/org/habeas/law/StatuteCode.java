package org.habeas.law;

import java.util.List;

/**
 * A code or act of a state in which charged provisions are found (a criminal code, a cybercrime law), with the
 * names requests cite it by ("УК РФ", "Criminal Code", "StGB"). See {@code law/statutes.yaml}.
 *
 * @param state     ISO 3166-1 alpha-2
 * @param id        unique within the state
 * @param names     the names it is cited by, in any language and abbreviation
 * @param primary   a provision cited with no code named is read as this code's (at most one per state)
 */
public record StatuteCode(String state, String id, String title, List<String> names, boolean primary) {

    public StatuteCode {
        Vocabulary.required("state", state);
        Vocabulary.required("id", id);
        Vocabulary.required("title", title);
        Vocabulary.required("names", names);
        if (names.isEmpty() || names.stream().anyMatch(n -> n == null || n.isBlank())) {
            throw new IllegalArgumentException("names: needs at least one name, none empty");
        }
        names = List.copyOf(names);
    }
}
