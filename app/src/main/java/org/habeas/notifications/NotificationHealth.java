package org.habeas.notifications;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Says in {@code /actuator/health} how e-mail leaves Habeas, and how many notifications' e-mails were not sent. It
 * stays UP without a mail server: notifications are still shown in Habeas, and their state says what happened.
 */
@Component("notificationsHealthIndicator")
class NotificationHealth implements HealthIndicator {

    private final Notifications notifications;

    NotificationHealth(Notifications notifications) {
        this.notifications = notifications;
    }

    @Override
    public Health health() {
        var counts = notifications.mailCounts();
        return Health.up().withDetail("mail", notifications.mailMode())
                .withDetail("notSent", counts.getOrDefault("NOT_SENT", 0L))
                .withDetail("failed", counts.getOrDefault("FAILED", 0L))
                .withDetail("pending", counts.getOrDefault("PENDING", 0L) + counts.getOrDefault("SENDING", 0L))
                .build();
    }
}
