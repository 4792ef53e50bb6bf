package org.habeas.intake;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The deadline filter of the queue and of {@code GET /api/v1/requests}: {@code overdue}, or due within N days (1 to
 * 366, not yet overdue), over the requests whose response clock runs.
 */
final class DueFilter {

    private DueFilter() {
    }

    /** "overdue", or the number of days as text; anything else is no deadline filter (null). */
    static String parse(String due) {
        if (due == null || due.isBlank()) {
            return null;
        }
        String d = due.strip();
        if (d.equals("overdue")) {
            return d;
        }
        if (!d.matches("[0-9]{1,3}")) {
            return null;
        }
        int days = Integer.parseInt(d);
        return days >= 1 && days <= 366 ? String.valueOf(days) : null;
    }

    /** The query kept to the requests the filter names, given the running clocks (request id to when it is due). */
    static RequestQuery apply(RequestQuery query, String due, Map<UUID, Instant> running, Clock clock) {
        if (due == null) {
            return query;
        }
        boolean overdue = due.equals("overdue");
        Instant now = Instant.now(clock);
        Instant until = overdue ? null : now.plus(Duration.ofDays(Integer.parseInt(due)));
        return query.within(running.entrySet().stream().filter(e -> overdue ? e.getValue().isBefore(now)
                : !e.getValue().isBefore(now) && e.getValue().isBefore(until)).map(Map.Entry::getKey).toList());
    }
}
