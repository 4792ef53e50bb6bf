package org.habeas.intake;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
class IntakeConfiguration {

    @Bean
    RequestValidator requestValidator() {
        return new RequestValidator();
    }
}
