package org.habeas.ledger;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Runs the log's start-up check ({@link CheckpointSigner#checkOnStart}) before the web server takes requests, and
 * keeps trying while the database does not answer: start-up waits, it never dies. If the database is still away
 * after {@code habeas.ledger.start-check-wait}, the server starts anyway, the check goes on in the background, the
 * log signs nothing until it has passed, and health says why ({@link LogHealth}). Not when Habeas only reads
 * (habeas audit), which reports a database it cannot open at once.
 */
@Component
@org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty(name = "habeas.read-only",
        havingValue = false, matchIfMissing = true)
class LogStartup implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(LogStartup.class);

    private final CheckpointSigner signer;
    private final Duration wait;
    private volatile boolean running;
    private volatile String lastError;
    private Thread thread;

    LogStartup(CheckpointSigner signer, @Value("${habeas.ledger.start-check-wait:60s}") Duration wait) {
        this.signer = signer;
        this.wait = wait;
    }

    /** Why the check has not run yet (the database's last answer), or null. */
    String lastError() {
        return lastError;
    }

    @Override
    public void start() {
        running = true;
        thread = Thread.ofPlatform().name("habeas-log-start-check").daemon().start(() -> {
            long backoff = 250;
            while (running && !signer.checked()) {
                try {
                    signer.checkOnStart();
                    lastError = null;
                } catch (RuntimeException e) {
                    lastError = "the database did not answer (" + e.getClass().getSimpleName() + ")";
                    log.warn("The public log's start-up check could not run yet, retrying: {}", e.toString());
                    try {
                        Thread.sleep(backoff);
                    } catch (InterruptedException ie) {
                        return;
                    }
                    backoff = Math.min(5_000, backoff * 2);
                }
            }
        });
        try {
            thread.join(wait);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!signer.checked()) {
            log.error("The public log's start-up check has not run within {}; starting anyway, the check goes on", wait);
        }
    }

    @Override
    public void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public int getPhase() {
        // after the sequencer (Integer.MAX_VALUE - 4096), before the web server starts taking requests
        return Integer.MAX_VALUE - 3072;
    }
}
