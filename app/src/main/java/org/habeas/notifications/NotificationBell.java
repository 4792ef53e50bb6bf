package org.habeas.notifications;

import org.habeas.accounts.Caller;
import org.springframework.web.bind.annotation.ControllerAdvice;
import org.springframework.web.bind.annotation.ModelAttribute;

import jakarta.servlet.http.HttpServletRequest;

/** The count of a person's unread notifications, for the bell in every page's header. */
@ControllerAdvice(annotations = org.habeas.web.Pages.class,
        assignableTypes = org.springframework.boot.webmvc.error.ErrorController.class)
class NotificationBell {

    private final Notifications notifications;

    NotificationBell(Notifications notifications) {
        this.notifications = notifications;
    }

    @ModelAttribute("unreadNotifications")
    Long unread(HttpServletRequest request) {
        if (request.getRequestURI().startsWith("/api/") || request.getRequestURI().startsWith("/actuator/")) {
            return null; // API answers have no header
        }
        return Caller.current().filter(c -> c.userId() != null).map(c -> notifications.unread(c.userId())).orElse(null);
    }
}
