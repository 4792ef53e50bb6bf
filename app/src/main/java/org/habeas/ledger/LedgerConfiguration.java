package org.habeas.ledger;

import java.io.IOException;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The log's identity: its origin (also its key's name) and its signing key. */
@Configuration(proxyBeanMethods = false)
class LedgerConfiguration {

    /** The scheduled jobs (signing, witnesses, clocks, retention) run unless Habeas only reads (habeas audit). */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(name = "habeas.read-only",
            havingValue = false, matchIfMissing = true)
    static class Scheduling {
    }

    private static final Logger log = LoggerFactory.getLogger(LedgerConfiguration.class);

    /**
     * The application's transaction manager: after each outermost commit, with the connection back in the pool,
     * the thread waits for the log entries that transaction wrote.
     */
    @Bean
    Acknowledgements transactionManager(javax.sql.DataSource dataSource, Sequencer sequencer,
            @Value("${habeas.ledger.acknowledge-timeout:10s}") java.time.Duration timeout) {
        return new Acknowledgements(dataSource, sequencer, timeout);
    }

    @Bean
    LogKey logKey(@Value("${habeas.home}") Path home,
            @Value("${habeas.ledger.origin:habeas.localhost/log}") String origin) throws IOException {
        LogKey key = LogKey.loadOrCreate(home.resolve("ledger").resolve("log-key"), origin);
        log.info("Public log {}: verifier key {}", origin, key.verifier().encoded());
        return key;
    }
}
