package org.habeas.accounts;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.mail.MailException;
import org.springframework.mail.javamail.JavaMailSender;
import org.springframework.stereotype.Component;

import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

/**
 * Delivers set-up links to the user's own e-mail address, and to nobody else: through the SMTP server of
 * {@code spring.mail.host} (the same one that sends notices), or, where none is configured and an outbox is
 * ({@code habeas.mail.outbox}; demo mode uses {@code $HABEAS_HOME/outbox}), as one {@code .eml} file per message in
 * that directory. Without either, no link can be issued. The link is never logged, never in a page or an API answer;
 * administrators see only the masked address it went to.
 *
 * <p>The link's address is {@code habeas.base-url} (default {@code http://localhost:PORT}), never the host name of
 * the request that issued it, which an administrator could choose.
 */
@Component
public class SetupLinkMail {

    /** Where a link went, as an administrator may see it. */
    public record Delivery(String sentTo, Instant expiresAt, String via) {
    }

    private static final Logger log = LoggerFactory.getLogger(SetupLinkMail.class);

    private final ObjectProvider<JavaMailSender> smtp;
    private final String from;
    private final String baseUrl;
    private final Optional<Path> outbox;
    private final Environment env;
    private final AtomicLong sequence = new AtomicLong();

    SetupLinkMail(ObjectProvider<JavaMailSender> smtp, Environment env,
            @Value("${habeas.mail.from:${habeas.notices.from:notices@habeas.localhost}}") String from,
            @Value("${habeas.base-url:}") String baseUrl, @Value("${habeas.mail.outbox:}") String outbox,
            @Value("${habeas.demo.enabled:false}") boolean demo, @Value("${habeas.home:./data}") Path home) {
        this.smtp = smtp;
        this.env = env;
        this.from = from;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.outbox = !outbox.isBlank() ? Optional.of(Path.of(outbox).toAbsolutePath().normalize())
                : demo ? Optional.of(home.resolve("outbox").toAbsolutePath().normalize()) : Optional.empty();
    }

    /** The directory mail is written to when no SMTP server is configured, if there is one. */
    public Optional<Path> outbox() {
        return smtp.getIfAvailable() == null ? outbox : Optional.empty();
    }

    /**
     * Sends a user their set-up link. Throws {@link Agencies.Refused} when the user has no address or no way to send
     * exists, and when the mail server refuses it, so that the caller's transaction (which issued the link) is undone.
     */
    Delivery send(Users.Invitation invitation, String why) {
        User u = invitation.user();
        if (u.email() == null) {
            throw new Agencies.Refused("email", "the user has no e-mail address; give them one first");
        }
        JavaMailSender sender = smtp.getIfAvailable();
        if (sender == null && outbox.isEmpty()) {
            throw new Agencies.Refused("mail", "no mail server is configured (spring.mail.host), so the set-up link "
                    + "cannot be sent; links are only ever sent to the user's own address");
        }
        try {
            String via = deliver(u.email(), "Your Habeas set-up link", body(u, invitation, why), u.username());
            if (via.equals("the outbox")) {
                log.info("Wrote the set-up e-mail for {} to the outbox", u.username());
            }
            return new Delivery(EmailAddress.masked(u.email()), invitation.expiresAt(), via);
        } catch (Undelivered e) {
            log.warn("The set-up e-mail for {} could not be sent: {}", u.username(), e.getMessage());
            throw new Agencies.Refused("mail", "the mail server did not take the message; nothing was changed, try again");
        }
    }

    /** No message could be handed over: no way to send is configured, or the server (or the outbox) refused it. */
    public static final class Undelivered extends RuntimeException {
        private final boolean noMailServer;

        Undelivered(String message, boolean noMailServer) {
            super(message);
            this.noMailServer = noMailServer;
        }

        /** True when neither an SMTP server nor an outbox is configured: trying again will not help. */
        public boolean noMailServer() {
            return noMailServer;
        }
    }

    /** Whether an SMTP server is configured ({@code spring.mail.host}). */
    public boolean smtpConfigured() {
        return smtp.getIfAvailable() != null;
    }

    /** The address of a page of Habeas in a message: {@code habeas.base-url} (or localhost) and the path. */
    public String link(String path) {
        return base() + path;
    }

    /**
     * Hands one plain-text message to the SMTP server, or, without one, writes it to the outbox; returns "e-mail" or
     * "the outbox". {@code name} names the outbox file. Throws {@link Undelivered}. The same way set-up links go.
     */
    public String deliver(String to, String subject, String text, String name) {
        JavaMailSender sender = smtp.getIfAvailable();
        if (sender == null && outbox.isEmpty()) {
            throw new Undelivered("not sent: no mail server is configured (spring.mail.host)", true);
        }
        try {
            MimeMessage m = sender != null ? sender.createMimeMessage()
                    : new MimeMessage(Session.getInstance(new Properties()));
            m.setFrom(new InternetAddress(from));
            m.setRecipient(MimeMessage.RecipientType.TO, new InternetAddress(to));
            m.setSubject(subject, "UTF-8");
            m.setText(text, "UTF-8");
            m.setSentDate(java.util.Date.from(Instant.now()));
            if (sender != null) {
                sender.send(m);
                return "e-mail";
            }
            write(m, name);
            return "the outbox";
        } catch (MessagingException | MailException | IOException e) {
            throw new Undelivered("the mail server did not take the message (" + e.getClass().getSimpleName() + ")",
                    false);
        }
    }

    private String body(User u, Users.Invitation invitation, String why) {
        return "Hello " + u.displayName() + ",\n\n"
                + why + "\n\n"
                + "Open this one-time link to choose your password and enrol your authenticator app (user name "
                + u.username() + "):\n\n    " + base() + invitation.path() + "\n\n"
                + "It works once, until " + invitation.expiresAt() + ", and stops working when a newer one is sent. "
                + "Do not forward it: whoever opens it can set up your account. If you did not expect it, tell your "
                + "administrators.\n\n-- Habeas\n";
    }

    private String base() {
        if (!baseUrl.isBlank()) {
            return baseUrl;
        }
        return "http://localhost:" + env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    }

    private Path write(MimeMessage m, String username) throws MessagingException, IOException {
        Path dir = outbox.orElseThrow();
        Files.createDirectories(dir);
        String name = String.format("%013d-%06d-%s.eml", System.currentTimeMillis(), sequence.incrementAndGet(),
                username.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9._-]", "_"));
        Path file = dir.resolve(name);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file, StandardOpenOption.TRUNCATE_EXISTING)) {
            m.writeTo(out);
        }
        return file;
    }

    /** Says at start-up where set-up links go. */
    @EventListener
    void ready(ApplicationReadyEvent event) {
        boolean web = event == null
                || event.getApplicationContext() instanceof org.springframework.web.context.WebApplicationContext;
        if (!web || env.getProperty("habeas.read-only", Boolean.class, false)) {
            return; // the command-line tools send no links
        }
        if (smtp.getIfAvailable() != null) {
            log.info("Set-up links are e-mailed to the users through {}:{}", env.getProperty("spring.mail.host"),
                    env.getProperty("spring.mail.port", "25"));
        } else if (outbox.isPresent()) {
            // printed on standard output, not only logged: this is where a demo user finds the mail
            System.out.println("No SMTP server is configured (spring.mail.host): e-mails with set-up links are written "
                    + "to " + outbox.get() + " (one .eml file per message).");
        } else {
            System.out.println("No SMTP server is configured (spring.mail.host): set-up links cannot be sent to new "
                    + "users until it is (or habeas.mail.outbox names a directory for them).");
        }
    }
}
