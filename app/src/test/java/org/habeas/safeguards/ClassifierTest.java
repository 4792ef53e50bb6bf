package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.law.Language;
import org.junit.jupiter.api.Test;

class ClassifierTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();

    @Test
    void theTermShownIsTheFirstLanguagesWhenSeveralReadAlike() throws Exception {
        // French "extorsion" and Spanish "extorsión" read alike: the term shown is that of the language listed first
        var request = Requests.from("01-legit-ransomware-traffic-eu.json", tree -> {
            Requests.offence(tree).put("statute", "StGB § 253");
            Requests.offence(tree).put("description", "extorsión");
        });
        String expected = null;
        for (Language l : KB.languages()) {
            List<String> terms = KB.conductClass("EXTORTION").orElseThrow().lexicon().getOrDefault(l.language(), List.of());
            expected = terms.stream().filter(t -> Arrays.equals(Text.words(t), Text.words("extorsión"))).findFirst()
                    .orElse(null);
            if (expected != null) {
                break;
            }
        }
        assertThat(expected).isEqualTo("extorsion");
        for (int run = 0; run < 3; run++) {
            Classifier classifier = new Classifier(KB, Statutes.NONE);
            assertThat(classifier.classify(request).charged().get("EXTORTION").term()).isEqualTo(expected);
        }
    }
}
