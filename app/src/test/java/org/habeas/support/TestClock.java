package org.habeas.support;

import java.time.Instant;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;

/**
 * The application's clock, for tests that move time: a {@link MutableClock} starting at the instant of the property
 * {@code habeas.test.clock-start}. A test lists this class in its {@code @SpringBootTest(classes = ...)}, sets the
 * property and autowires the {@code MutableClock}.
 */
@TestConfiguration(proxyBeanMethods = false)
public class TestClock {

    @Bean
    @Primary
    MutableClock mutableClock(@Value("${habeas.test.clock-start}") Instant start) {
        return new MutableClock(start);
    }
}
