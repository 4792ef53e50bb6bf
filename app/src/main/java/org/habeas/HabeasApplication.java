package org.habeas;

import java.time.Clock;

import org.habeas.cli.HabeasCommand;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * Habeas: receives cross-border requests for electronic evidence, assesses them against named safeguards,
 * and makes the receiver's conduct publicly verifiable.
 *
 * <p>{@code main} is the command line; only {@code serve} starts Spring, so every other command answers
 * without a web server or a database.
 */
@SpringBootApplication
public class HabeasApplication {

    public static void main(String[] args) {
        HabeasCommand.run(HabeasApplication.class, args);
    }

    /** The one clock every module reads time from; tests replace it. */
    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
