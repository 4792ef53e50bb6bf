package org.habeas.safeguards;

import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;

import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Wires the engine into the server: the knowledge base (with the operator's {@code habeas.law.dir} applied) and
 * the profile named by {@code habeas.safeguards.profile}. A bad knowledge-base file or profile stops start-up
 * with the file, line and field at fault.
 */
@Configuration(proxyBeanMethods = false)
class SafeguardsConfiguration {

    @Bean
    KnowledgeBase knowledgeBase(@Value("${habeas.law.dir:}") String lawDir) {
        return new LawLoader().load(lawDir.isBlank() ? null : Path.of(lawDir));
    }

    /**
     * The engine; {@code habeas.safeguards.languages} (ISO 639-1 codes, comma-separated) lists the languages the
     * operator accepts requests in, by default every language of {@code law/languages.yaml}.
     */
    @Bean
    Safeguards safeguards(KnowledgeBase kb, @Value("${habeas.safeguards.languages:}") String languages) {
        Set<String> accepted = new LinkedHashSet<>();
        for (String code : languages.split(",")) {
            if (!code.isBlank()) {
                accepted.add(code.strip());
            }
        }
        return new Safeguards(kb, Statutes.NONE, accepted.isEmpty() ? null : accepted);
    }

    @Bean
    Profile profile(@Value("${habeas.safeguards.profile:rights-first}") String profile) {
        return Profiles.load(profile);
    }
}
