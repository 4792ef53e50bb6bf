package org.habeas.notifications;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Says in {@code /actuator/health} how e-mail leaves Habeas, and how many notifications' e-mails were not sent. It
 * stays UP without a mail server: notifications are still shown in Habeas, and their state says what happened.
 *
 * <p>A health call never touches the database: the counts are taken by a job and shown with the time they were taken,
 * so health answers at once while the database is down (the database's own indicator says so) and costs the same
 * whatever the number of notifications.
 */
@Component("notificationsHealthIndicator")
class NotificationHealth implements HealthIndicator {

    private record Counted(Map<String, Long> counts, Instant at) {
    }

    private final Notifications notifications;
    private final Clock clock;
    private volatile Counted counted;

    NotificationHealth(Notifications notifications, Clock clock) {
        this.notifications = notifications;
        this.clock = clock;
    }

    @Scheduled(fixedDelayString = "${habeas.notifications.health-interval:30s}", initialDelay = 0)
    void count() {
        try {
            counted = new Counted(notifications.mailCounts(), clock.instant());
        } catch (DataAccessException e) {
            // the database is away: the last counts stay, with their time
        }
    }

    @Override
    public Health health() {
        Health.Builder health = Health.up().withDetail("mail", notifications.mailMode());
        Counted c = counted;
        if (c == null) {
            return health.withDetail("counts", "not taken yet").build();
        }
        return health.withDetail("notSent", c.counts().getOrDefault("NOT_SENT", 0L))
                .withDetail("failed", c.counts().getOrDefault("FAILED", 0L))
                .withDetail("pending", c.counts().getOrDefault("PENDING", 0L) + c.counts().getOrDefault("SENDING", 0L))
                .withDetail("countedAt", c.at().toString())
                .build();
    }
}
