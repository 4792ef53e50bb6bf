package org.habeas.safeguards;

import java.util.List;

/**
 * A catalogue of statutes: what the provisions a request cites show in the requesting state's law. Their conduct
 * classes count as charged conduct, as strongly as a lexicon match in the offence's description; the protected
 * activity they are documented as used against counts as found in the request, though not as charged.
 */
@FunctionalInterface
public interface Statutes {

    /** What a cited statute shows: the conduct it charges, and the protected activity it is used against. */
    record Cited(List<String> classes, List<String> usedAgainst) {
        public static final Cited NOTHING = new Cited(List.of(), List.of());
    }

    /** No catalogue: the charge is read from the words of the statute and description alone. */
    Statutes NONE = (state, statute) -> Cited.NOTHING;

    /** What the statute, as the request cites it, shows in the requesting state's law. */
    Cited cite(String requestingState, String statute);
}
