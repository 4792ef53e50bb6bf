package org.habeas.law;

import java.util.List;

/**
 * One provision of a state's law that requests charge: what conduct it criminalises and, where it is documented,
 * the protected activity it is used against. A provision used against protected activity counts as evidence of
 * that activity as strongly as the words of the request do. See {@code law/statutes.yaml}.
 *
 * @param number      as the code numbers it ("207.3", "184b", "313-1", "7/2", "4", "144bis"; chapter and section
 *                    as "9:1", as Swedish and Finnish codes number them; 246条の2 as "246-2")
 * @param conduct     conduct classes the provision criminalises
 * @param usedAgainst protected-activity classes it is documented as used against (empty: none known)
 */
public record Statute(String state, String code, String number, String title, List<String> conduct,
        List<String> usedAgainst, String source, Confidence confidence) {

    public Statute {
        Vocabulary.required("state", state);
        Vocabulary.required("code", code);
        Vocabulary.required("number", number);
        if (!number.strip().toLowerCase(java.util.Locale.ROOT).matches("\\d+[a-z]{0,9}(?:[.\\-/:](?:\\d+[a-z]{0,9}|[a-z]{1,9}))*")) {
            throw new IllegalArgumentException("number: '" + number + "' is not a provision number such as 207.3, 184b, 313-1 or 7/2");
        }
        Vocabulary.required("title", title);
        Vocabulary.required("conduct", conduct);
        if (conduct.isEmpty()) {
            throw new IllegalArgumentException("conduct: needs at least one conduct class");
        }
        conduct = List.copyOf(conduct);
        usedAgainst = usedAgainst == null ? List.of() : List.copyOf(usedAgainst);
        Vocabulary.required("source", source);
        Vocabulary.required("confidence", confidence);
    }

    /** Known to be used against protected activity. */
    public boolean usedAgainstProtectedActivity() {
        return !usedAgainst.isEmpty();
    }
}
