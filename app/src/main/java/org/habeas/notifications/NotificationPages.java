package org.habeas.notifications;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * A person's own notifications (page and API), and, for administrators, what became of every notification's
 * e-mail. Nobody reads another person's notifications: staff never see a requester's, requesters never see staff's.
 */
@Controller
@org.habeas.web.Pages
class NotificationPages {

    private final Notifications notifications;

    NotificationPages(Notifications notifications) {
        this.notifications = notifications;
    }

    @GetMapping("/notifications")
    String list(Model model) {
        Caller caller = Caller.require();
        model.addAttribute("notifications", notifications.of(caller.userId(), 200));
        return "notifications/list";
    }

    @PostMapping("/notifications/{id}/read")
    String open(@PathVariable UUID id) {
        String link = notifications.read(Caller.require().userId(), id).orElse("/notifications");
        return "redirect:" + (link.startsWith("/") && !link.startsWith("//") ? link : "/notifications");
    }

    @PostMapping("/notifications/read")
    String readAll() {
        notifications.readAll(Caller.require().userId());
        return "redirect:/notifications";
    }

    @io.swagger.v3.oas.annotations.Operation(summary = "My notifications", operationId = "myNotifications",
            tags = "Accounts", description = "The caller's newest 200 notifications, and how many of them are unread.")
    @GetMapping(path = "/api/v1/notifications", produces = "application/json")
    @ResponseBody
    Map<String, Object> api() {
        Caller caller = Caller.require();
        List<Notifications.Notification> mine = notifications.of(caller.userId(), 200);
        return Map.of("unread", mine.stream().filter(Notifications.Notification::unread).count(), "items", mine);
    }

    @GetMapping("/admin/notifications")
    String deliveries(Model model) {
        model.addAttribute("deliveries", notifications.deliveries(500));
        model.addAttribute("counts", notifications.mailCounts());
        model.addAttribute("mailSetUp", notifications.mailSetUp());
        return "notifications/deliveries";
    }
}
