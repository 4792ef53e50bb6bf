package org.habeas.safeguards;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.habeas.law.Instrument;
import org.habeas.law.KnowledgeBase;
import org.springframework.stereotype.Component;

/**
 * The response deadline the request's instrument sets, counted from Habeas's receipt (EU e-Evidence: 10 days,
 * 8 hours in an emergency), from the knowledge base. Instruments without one have none. "Due soon" is the last
 * quarter of the time allowed.
 */
@Component
public class ResponseDeadline implements RequestExtension {

    /** The deadline, its legal source, and where the request stands against it now. */
    public record Due(Instant dueAt, String basis, boolean overdue, boolean dueSoon) {
    }

    private final Intake intake;
    private final KnowledgeBase kb;
    private final Clock clock;

    ResponseDeadline(Intake intake, KnowledgeBase kb, Clock clock) {
        this.intake = intake;
        this.kb = kb;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "deadline";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        return intake.find(requestId).flatMap(this::due);
    }

    Optional<Object> due(ReceivedRequest r) {
        Optional<Instrument.Deadlines> d = kb.instrument(r.instrument()).map(Instrument::deadlines);
        if (d.isEmpty()) {
            return Optional.empty();
        }
        Duration allowed;
        if (r.emergency() && d.get().emergencyResponseHours() != null) {
            allowed = Duration.ofHours(d.get().emergencyResponseHours());
        } else if (d.get().responseDays() != null) {
            allowed = Duration.ofDays(d.get().responseDays());
        } else {
            return Optional.empty();
        }
        Instant due = r.receivedAt().plus(allowed);
        Instant now = clock.instant();
        return Optional.of(new Due(due, d.get().source(), now.isAfter(due),
                !now.isAfter(due) && now.isAfter(due.minus(allowed.dividedBy(4)))));
    }
}
