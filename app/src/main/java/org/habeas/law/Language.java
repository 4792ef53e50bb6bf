package org.habeas.law;

import java.util.List;
import java.util.Map;

/**
 * A language Habeas reads, with its lexicon: the terms that show each conduct class and protected role, the
 * victim markers, the security demands, the words that make a target a set of people, and the frequent function
 * words by which a text is recognised as being in it. See {@code law/lexicons/<code>.yaml}.
 *
 * @param language an ISO 639-1 code
 */
public record Language(String language, String name, Map<String, List<String>> conduct, Map<String, List<String>> roles,
        List<String> victimMarkers, List<String> securityDemands, List<String> setWords, List<String> function) {

    public Language {
        Vocabulary.required("language", language);
        if (!language.matches("[a-z]{2}")) {
            throw new IllegalArgumentException("language: '" + language + "' is not an ISO 639-1 code");
        }
        Vocabulary.required("name", name);
        Vocabulary.required("conduct", conduct);
        Vocabulary.required("roles", roles);
        conduct.forEach((id, terms) -> Lexicons.check("conduct." + id, terms));
        roles.forEach((id, terms) -> Lexicons.check("roles." + id, terms));
        Lexicons.check("victimMarkers", victimMarkers);
        Lexicons.check("securityDemands", securityDemands);
        Lexicons.check("setWords", setWords);
        Lexicons.check("function", function);
        conduct = Map.copyOf(conduct);
        roles = Map.copyOf(roles);
        victimMarkers = List.copyOf(victimMarkers);
        securityDemands = List.copyOf(securityDemands);
        setWords = List.copyOf(setWords);
        function = List.copyOf(function);
    }
}
