package org.habeas.safeguards;

import java.nio.file.Path;

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

    @Bean
    Safeguards safeguards(KnowledgeBase kb) {
        return new Safeguards(kb);
    }

    @Bean
    Profile profile(@Value("${habeas.safeguards.profile:rights-first}") String profile) {
        return Profiles.load(profile);
    }
}
