package org.habeas.intake;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.stereotype.Component;

/**
 * Loads the sample requests in {@code demo/} into an empty database, so that a first run shows a working
 * system. The samples are fictional; they pass through the same validation as any submitted request.
 * Their receipt times are spread ten days apart over the 200 days before start-up, in file order, so that the
 * public log holds events of a closed reporting period (published) and of the open one (not yet). What casework did
 * with each of them ({@link DemoReplay}) is replayed right after its receipt.
 */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
@org.springframework.core.annotation.Order(2) // after the demo agencies exist
class DemoData implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(DemoData.class);

    private final Intake intake;
    private final Clock clock;
    private final org.habeas.accounts.Agencies agencies;
    private final org.springframework.beans.factory.ObjectProvider<DemoReplay> replay;

    DemoData(Intake intake, Clock clock, org.habeas.accounts.Agencies agencies,
            org.springframework.beans.factory.ObjectProvider<DemoReplay> replay) {
        this.intake = intake;
        this.clock = clock;
        this.agencies = agencies;
        this.replay = replay;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (intake.count() > 0) {
            return;
        }
        Resource[] samples = new PathMatchingResourcePatternResolver().getResources("classpath*:demo/*.json");
        Arrays.sort(samples, Comparator.comparing(Resource::getFilename));
        Instant now = clock.instant();
        for (int i = 0; i < samples.length; i++) {
            try (InputStream in = samples[i].getInputStream()) {
                // the last one a minute ago (the open period), the first 200 days earlier (always a closed one)
                Instant receivedAt = now.minus(Duration.ofDays(10L * (samples.length - 1 - i)))
                        .minus(Duration.ofMinutes(samples.length - i));
                byte[] body = in.readAllBytes();
                EvidenceRequest r = intake.parse(body);
                java.util.UUID agency = agencies.list().stream()
                        .filter(a -> a.state().equals(r.requestingState()) && a.name().equals(r.requestingAuthority().name()))
                        .findFirst().orElseThrow(() -> new IllegalStateException("no demo agency for "
                                + r.requestingAuthority().name())).id();
                Intake.Receipt receipt = intake.receive(body, "demo:" + samples[i].getFilename(),
                        new Sender(agency, "demo", "UNSIGNED", null), receivedAt);
                replay.ifAvailable(history -> history.afterReceipt(receipt.request().id(), receivedAt));
            } catch (RequestRejected e) {
                throw new IllegalStateException("demo sample " + samples[i].getFilename() + " is invalid: "
                        + e.errors(), e);
            }
        }
        log.info("Demo mode: loaded {} sample requests (fictional data). Start with --no-demo to skip.", samples.length);
    }
}
