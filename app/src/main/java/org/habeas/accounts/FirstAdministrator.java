package org.habeas.accounts;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * On a fresh installation (no administrator who has set a password), prints a one-time link that creates the first
 * administrator: whoever opens it chooses the password and enrols the second factor of the user {@code admin}.
 * The link is valid for 24 hours; every start without an administrator prints a new one.
 */
@Component
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class FirstAdministrator {

    private static final Logger log = LoggerFactory.getLogger(FirstAdministrator.class);

    private final Users users;
    private final String baseUrl;

    FirstAdministrator(Users users, @Value("${habeas.base-url:}") String baseUrl) {
        this.users = users;
        this.baseUrl = baseUrl;
    }

    @EventListener
    void ready(ApplicationReadyEvent event) {
        if (event.getApplicationContext().getEnvironment().getProperty("habeas.read-only", Boolean.class, false)) {
            return; // habeas audit only reads
        }
        boolean ready = users.list().stream().anyMatch(u -> u.role() == UserRole.ADMIN && u.hasPassword() && !u.disabled());
        if (ready) {
            return;
        }
        User admin = users.findByUsername("admin").orElseGet(() -> users.invite("admin", "Administrator",
                UserRole.ADMIN, null, null, "habeas").user());
        Users.Invitation link = users.newLink(admin, Duration.ofHours(24));
        String base = baseUrl.isBlank() ? "http://localhost:"
                + event.getApplicationContext().getEnvironment().getProperty("local.server.port", "8080") : baseUrl;
        // printed on standard output, not only logged: this is how the operator gets in
        String message = "No administrator yet. Open this one-time link within 24 hours to create the first one "
                + "(user 'admin'):\n    " + base.replaceAll("/$", "") + link.path();
        System.out.println(message);
        log.info("Printed a one-time link for the first administrator (valid until {}).", link.expiresAt());
    }
}
