package org.habeas.safeguards;

import java.util.List;

/**
 * A catalogue of statutes: the conduct classes a cited provision of a state's law shows. The engine counts them as
 * charged conduct, as strongly as a lexicon match in the offence's description.
 */
@FunctionalInterface
public interface Statutes {

    /** No catalogue: the charge is read from the words of the statute and description alone. */
    Statutes NONE = (state, statute) -> List.of();

    /** The conduct class ids the statute, as the request cites it, shows in the requesting state's law. */
    List<String> classes(String requestingState, String statute);
}
