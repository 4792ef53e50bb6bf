package org.habeas.law;

import java.util.List;

/**
 * A provision a safeguard rule cites. {@code instrument} is null for general principles, cited whatever the
 * instrument.
 */
public record Provision(String id, String instrument, String cite, String text, List<String> rules, String source,
        Confidence confidence) {

    public Provision {
        Vocabulary.required("id", id);
        if (instrument != null) {
            Vocabulary.check("instrument", instrument, Vocabulary.INSTRUMENTS);
        }
        Vocabulary.required("cite", cite);
        Vocabulary.required("rules", rules);
        rules = List.copyOf(rules);
        Vocabulary.required("source", source);
        Vocabulary.required("confidence", confidence);
    }
}
