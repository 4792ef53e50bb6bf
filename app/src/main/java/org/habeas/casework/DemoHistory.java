package org.habeas.casework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.habeas.accounts.DemoAccounts;
import org.habeas.accounts.UserRole;
import org.habeas.intake.DemoReplay;
import org.habeas.safeguards.Assessor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Demo mode: what staff did with the demo requests, replayed right after each one's receipt so that the log stays
 * in time order. A request received at least {@link #SETTLED} before start-up was dealt with two and three days
 * after receipt: the demo analyst proposed what the safeguards engine found and the demo legal reviewer confirmed
 * it, through the same casework rules as at the screen (four eyes included). Escalated cases stay with the
 * human-rights officer; recent requests wait in the queue. The published demo report thus shows decisions,
 * refusals and the rules behind them.
 */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
class DemoHistory implements DemoReplay {

    static final Duration SETTLED = Duration.ofDays(30);

    private static final Logger log = LoggerFactory.getLogger(DemoHistory.class);

    private final Cases cases;
    private final Assessor assessments;
    private final Clock clock;
    private final DemoAccounts demo;
    private final TransactionTemplate tx;

    DemoHistory(Cases cases, Assessor assessments, Clock clock, DemoAccounts demo,
            PlatformTransactionManager transactions) {
        this.cases = cases;
        this.assessments = assessments;
        this.clock = clock;
        this.demo = demo;
        this.tx = new TransactionTemplate(transactions);
    }

    @Override
    public void afterReceipt(UUID requestId, Instant receivedAt) {
        Instant now = clock.instant();
        if (receivedAt.isAfter(now.minus(SETTLED))) {
            return;
        }
        String engine = assessments.stored(requestId).map(Assessor.Stored::decision).orElse("ESCALATE");
        if (engine.equals("ESCALATE")) {
            return;
        }
        Outcome outcome = Outcome.valueOf(engine);
        try {
            demo.runAs(UserRole.ANALYST, () -> tx.executeWithoutResult(s -> at(receivedAt.plus(Duration.ofDays(2)))
                    .propose(requestId, outcome, null, "As the safeguards engine found; see the assessment.", null)));
            demo.runAs(UserRole.LEGAL_REVIEWER, () -> tx.executeWithoutResult(s -> at(receivedAt.plus(Duration.ofDays(3)))
                    .decide(requestId, true, null, null, "Confirmed after review of the assessment and the request.", null)));
        } catch (Cases.Refused e) {
            log.warn("Demo mode: left request {} undecided: {}", requestId, e.getMessage());
        }
    }

    /** Casework as it was at {@code t}: the same rules, with the clock of that moment. */
    private Cases at(Instant t) {
        return cases.withClock(Clock.fixed(t, ZoneOffset.UTC));
    }
}
