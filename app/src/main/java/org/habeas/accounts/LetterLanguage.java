package org.habeas.accounts;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * The language of a requesting agency's letters: the agency's own setting; else the language of its state, where
 * Habeas writes that language ({@code habeas.letters.state-languages}, such as {@code FR=fr}); else the operator's
 * default ({@code habeas.letters.default-language}). Never the browser of whoever sent the request.
 */
@Component
public class LetterLanguage {

    private final String fallback;
    private final Map<String, String> byState = new HashMap<>();

    LetterLanguage(@Value("${habeas.letters.default-language:en}") String fallback,
            @Value("${habeas.letters.state-languages:}") String stateLanguages) {
        this.fallback = written(fallback) ? fallback.strip().toLowerCase(Locale.ROOT) : "en";
        for (String pair : stateLanguages.split(",")) {
            String[] kv = pair.strip().split("=");
            if (kv.length == 2 && written(kv[1])) {
                byState.put(kv[0].strip().toUpperCase(Locale.ROOT), kv[1].strip().toLowerCase(Locale.ROOT));
            }
        }
    }

    private static boolean written(String language) {
        return language != null && Agencies.LETTER_LANGUAGES.contains(language.strip().toLowerCase(Locale.ROOT));
    }

    /** The language of the agency's letters; the operator's default for a request that came from no agency. */
    public Locale of(Agency agency) {
        if (agency == null) {
            return Locale.forLanguageTag(fallback);
        }
        if (written(agency.language())) {
            return Locale.forLanguageTag(agency.language());
        }
        return Locale.forLanguageTag(byState.getOrDefault(agency.state(), fallback));
    }
}
