package org.habeas.transparency;

import java.time.Clock;
import java.time.Duration;

import org.habeas.ledger.Periods;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;

/** Demo mode: publishes the report of the closed half-year the demo requests reach back into, once. */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
@Order(3) // after the demo requests
class DemoReport implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoReport.class);

    private final Publications publications;
    private final Clock clock;

    DemoReport(Publications publications, Clock clock) {
        this.publications = publications;
        this.clock = clock;
    }

    @Override
    public void run(ApplicationArguments args) {
        String period = Periods.of(clock.instant().minus(Duration.ofDays(200)));
        if (publications.find(period).isEmpty() && Periods.closed(period, clock.instant())) {
            publications.publish(period, "demo");
            log.info("Demo mode: published the transparency report of {} at /transparency/{}", period, period);
        }
    }
}
