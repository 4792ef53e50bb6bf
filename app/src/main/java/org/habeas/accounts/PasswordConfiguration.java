package org.habeas.accounts;

import java.util.Map;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.password.DelegatingPasswordEncoder;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * Passwords are hashed with bcrypt at the cost {@code habeas.accounts.bcrypt-cost} (log2 of the rounds; 10 by
 * default, 4 to 31). Each hash stores the algorithm's id and its cost, so hashes made at an earlier cost still
 * verify and the algorithm can be upgraded later.
 */
@Configuration(proxyBeanMethods = false)
class PasswordConfiguration {

    @Bean
    PasswordEncoder passwordEncoder(@Value("${habeas.accounts.bcrypt-cost:10}") int cost) {
        if (cost < 4 || cost > 31) {
            throw new IllegalArgumentException("habeas.accounts.bcrypt-cost must be between 4 and 31, not " + cost);
        }
        // hashes are stored as "{bcrypt}$2a$COST$...": the id names the algorithm, the hash carries its cost
        return new DelegatingPasswordEncoder("bcrypt", Map.of("bcrypt", new BCryptPasswordEncoder(cost)));
    }
}
