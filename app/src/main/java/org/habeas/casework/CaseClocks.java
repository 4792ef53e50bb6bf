package org.habeas.casework;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.RequestExtension;
import org.springframework.stereotype.Component;

/**
 * A case's deadlines and its preservation hold as the request page shows them: what falls due, when, how long is
 * left, and on what basis.
 */
@Component
class CaseClocks implements RequestExtension {

    /** One deadline: its label, when it falls due, the time left (negative once passed) and where it stands. */
    public record Clock(String kind, String label, Instant dueAt, String left, boolean overdue, boolean dueSoon,
            boolean done, String basis, Duration paused, boolean internal) {
    }

    /** The deadlines and the hold, if any. */
    public record View(List<Clock> clocks, Deadlines.Hold hold, Long holdDaysLeft) {
    }

    private final Deadlines deadlines;
    private final java.time.Clock clock;

    CaseClocks(Deadlines deadlines, java.time.Clock clock) {
        this.deadlines = deadlines;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "deadlines";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        List<Deadlines.Due> due;
        try {
            due = deadlines.clocks(requestId);
        } catch (NoSuchElementException e) {
            return Optional.empty(); // a request without a case (it is being received)
        }
        return view(due, deadlines.hold(requestId));
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(List<org.habeas.intake.ReceivedRequest> requests) {
        java.util.Map<UUID, Deadlines.Hold> holds = deadlines.holds(requests.stream().map(org.habeas.intake.ReceivedRequest::id).toList());
        java.util.Map<UUID, List<Deadlines.Due>> due = deadlines.clocks(requests, holds);
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        due.forEach((id, d) -> view(d, Optional.ofNullable(holds.get(id))).ifPresent(v -> out.put(id, v)));
        return out;
    }

    private Optional<Object> view(List<Deadlines.Due> due, Optional<Deadlines.Hold> hold) {
        Instant now = clock.instant();
        List<Clock> clocks = due.stream().map(d -> new Clock(d.kind(),
                d.internal() ? "Response due (Habeas's internal target, not treaty law)" : label(d.kind()), d.dueAt(),
                left(now, d.dueAt()), d.overdue(), d.dueSoon(), d.done(), d.basis(), d.paused(), d.internal())).toList();
        Long holdDays = hold.map(h -> java.time.temporal.ChronoUnit.DAYS.between(LocalDate.ofInstant(now, java.time.ZoneOffset.UTC),
                h.expiresOn())).orElse(null);
        return clocks.isEmpty() && hold.isEmpty() ? Optional.empty() : Optional.of(new View(clocks, hold.orElse(null), holdDays));
    }

    private static String label(String kind) {
        return switch (kind) {
            case "RESPONSE" -> "Response due";
            case "FOLLOW_UP_LEGAL_PROCESS" -> "Legal process for the emergency disclosure due";
            case "PRESERVATION_EXPIRY" -> "Preservation hold expires";
            default -> kind;
        };
    }

    /** The time left, to the hour: "3 days 4 hours left", "overdue by 5 hours". */
    static String left(Instant now, Instant due) {
        Duration d = Duration.between(now, due);
        boolean past = d.isNegative();
        Duration abs = d.abs();
        long days = abs.toDays();
        long hours = abs.minusDays(days).toHours();
        String text = days > 0 ? days + (days == 1 ? " day" : " days") + (hours > 0 ? " " + hours + (hours == 1 ? " hour" : " hours") : "")
                : hours > 0 ? hours + (hours == 1 ? " hour" : " hours") : "less than an hour";
        return past ? "overdue by " + text : text + " left";
    }
}
