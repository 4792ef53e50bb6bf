package org.habeas.notifications;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.accounts.SetupLinkMail;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.casework.Assignments;
import org.habeas.casework.CaseEvents;
import org.habeas.casework.Cases;
import org.habeas.casework.Deadlines;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Service;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Who is told what. Requesters: a question about their request, its decision, its package. Staff: a new emergency
 * (the analysts), the requester's answer (to the case's assignee, else to whoever asked), an assignment by a
 * colleague, an escalation (to the human-rights officers), an overdue case (to its assignee, else to the legal
 * reviewers). A notification is written in
 * the transaction of what it tells, so that it exists exactly when the change does; its e-mail is sent after the
 * commit and its state kept: sent, written to the outbox, failed (tried again up to {@value #MAX_ATTEMPTS} times), or
 * not sent and why. An e-mail names the request by its reference and links to Habeas; what was said stays in Habeas.
 */
@Service
public class Notifications {

    private static final Logger log = LoggerFactory.getLogger(Notifications.class);
    static final int MAX_ATTEMPTS = 5;

    /** One notification, as its recipient sees it. */
    public record Notification(UUID id, UUID requestId, String kind, String subject, String body, String link,
            Instant createdAt, Instant readAt, String mailStatus, String mailDetail) {

        public boolean unread() {
            return readAt == null;
        }
    }

    /** A notification's delivery, as administrators see it: to whom, what kind, and what became of the e-mail. */
    public record Delivery(UUID id, String recipient, String kind, Instant createdAt, String mailStatus,
            String mailDetail, int attempts, Instant mailAt) {
    }

    /** Announced inside the transaction that wrote notifications; their e-mails go out after it commits. */
    record Queued() {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Users users;
    private final Cases cases;
    private final Assignments assignments;
    private final Deadlines deadlines;
    private final SetupLinkMail mail;
    private final ApplicationEventPublisher events;
    private final Clock clock;
    private final org.springframework.context.MessageSource words;

    Notifications(JdbcClient jdbc, Intake intake, Users users, Cases cases, Assignments assignments, Deadlines deadlines,
            SetupLinkMail mail, ApplicationEventPublisher events, Clock clock, org.springframework.context.MessageSource words) {
        this.words = words;
        this.jdbc = jdbc;
        this.intake = intake;
        this.users = users;
        this.cases = cases;
        this.assignments = assignments;
        this.deadlines = deadlines;
        this.mail = mail;
        this.events = events;
        this.clock = clock;
    }

    // ---- what happened, and who is told ------------------------------------------------------------------------

    @EventListener
    void asked(CaseEvents.Asked e) {
        ReceivedRequest r = request(e.requestId());
        toRequesters(r, "QUESTION", r.reference(), e.question());
    }

    @EventListener
    void answered(CaseEvents.Answered e) {
        ReceivedRequest r = request(e.requestId());
        Set<UUID> to = new LinkedHashSet<>();
        assignments.assignee(r.id()).flatMap(users::findByUsername).ifPresent(u -> to.add(u.id()));
        if (to.isEmpty()) {
            cases.find(r.id()).flatMap(c -> c.timeline().stream().filter(ev -> ev.action().equals("ASKED_REQUESTER"))
                    .reduce((a, b) -> b)).flatMap(ev -> users.findByUsername(ev.actor())).ifPresent(u -> to.add(u.id()));
        }
        staff(to, r, "ANSWER", r.reference());
    }

    @EventListener
    void decided(CaseEvents.Decided e) {
        ReceivedRequest r = request(e.requestId());
        String outcome = switch (e.outcome()) {
            case "ACCEPT", "NARROW", "REFUSE" -> e.outcome();
            default -> "OTHER";
        };
        toRequesters(r, "DECISION." + outcome, r.reference());
    }

    @EventListener
    void produced(CaseEvents.Produced e) {
        ReceivedRequest r = request(e.requestId());
        toRequesters(r, "PACKAGE", r.reference());
    }

    @EventListener
    void assigned(CaseEvents.Assigned e) {
        ReceivedRequest r = request(e.requestId());
        String by = users.findByUsername(e.by()).map(User::displayName).orElse(e.by());
        Set<UUID> to = new LinkedHashSet<>();
        users.findByUsername(e.assignee()).ifPresent(u -> to.add(u.id()));
        staff(to, r, "ASSIGNED", r.reference(), by);
    }

    @EventListener
    void escalated(CaseEvents.Escalated e) {
        ReceivedRequest r = request(e.requestId());
        Set<UUID> to = new LinkedHashSet<>();
        users.list().stream().filter(u -> !u.disabled() && u.role() == UserRole.HUMAN_RIGHTS_OFFICER)
                .forEach(u -> to.add(u.id()));
        staff(to, r, "ESCALATED", r.reference());
    }

    @EventListener
    void overdue(CaseEvents.Overdue e) {
        ReceivedRequest r = request(e.requestId());
        Set<UUID> to = new LinkedHashSet<>();
        assignments.assignee(r.id()).flatMap(users::findByUsername).filter(u -> !u.disabled()).ifPresent(u -> to.add(u.id()));
        if (to.isEmpty()) {
            users.list().stream().filter(u -> !u.disabled() && u.role() == UserRole.LEGAL_REVIEWER)
                    .forEach(u -> to.add(u.id()));
        }
        staff(to, r, "OVERDUE", r.reference());
    }

    /** A new emergency request: the analysts, who triage, are told at once. */
    @EventListener
    @org.springframework.core.annotation.Order(50) // after the case is opened
    void received(org.habeas.intake.RequestReceived e) {
        ReceivedRequest r = request(e.requestId());
        if (!r.emergency()) {
            return;
        }
        Set<UUID> to = new LinkedHashSet<>();
        users.list().stream().filter(u -> !u.disabled() && u.role() == UserRole.ANALYST).forEach(u -> to.add(u.id()));
        staff(to, r, "EMERGENCY", r.reference(), r.requestingState());
    }

    private void toRequesters(ReceivedRequest r, String kind, Object... args) {
        if (r.agencyId() == null) {
            return; // a request registered by staff for an agency without accounts: nobody to tell in Habeas
        }
        List<UUID> to = users.list().stream().filter(u -> !u.disabled() && u.role() == UserRole.REQUESTER
                && r.agencyId().equals(u.agencyId())).map(User::id).toList();
        write(to, r, kind, "/portal/requests/" + r.id(), args);
    }

    private void staff(Set<UUID> to, ReceivedRequest r, String kind, Object... args) {
        write(new ArrayList<>(to), r, kind, "/requests/" + r.id(), args);
    }

    /**
     * Writes one notification per recipient, in the recipient's language: {@code notify.KIND.subject}, {@code .body}
     * and {@code .mail} of the messages, with the reference first among the arguments.
     */
    private void write(List<UUID> to, ReceivedRequest r, String message, String link, Object... args) {
        OffsetDateTime now = now();
        String kind = message.contains(".") ? message.substring(0, message.indexOf('.')) : message;
        for (UUID recipient : to) {
            java.util.Locale language = org.habeas.accounts.Languages.of(users.language(recipient));
            String subject = words.getMessage("notify." + message + ".subject", args, language);
            String body = words.getMessage("notify." + message + ".body", args, language);
            String mailText = words.getMessage("notify." + message + ".mail", args, language);
            jdbc.sql("""
                    insert into notification (id, recipient_id, request_id, kind, subject, body, link, created_at,
                        mail_status, mail_text)
                    values (:id, :to, :r, :kind, :subject, :body, :link, :now, 'PENDING', :mail)""")
                    .param("id", UUID.randomUUID()).param("to", recipient).param("r", r.id()).param("kind", kind)
                    .param("subject", cut(subject, 300)).param("body", body).param("link", link).param("now", now)
                    .param("mail", cut(mailText, 300)).update();
        }
        if (!to.isEmpty()) {
            events.publishEvent(new Queued());
        }
    }

    // ---- e-mail --------------------------------------------------------------------------------------------------

    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT, fallbackExecution = true)
    void queued(Queued q) {
        try {
            deliver();
        } catch (RuntimeException e) {
            log.warn("Notification e-mails not sent yet: {}", e.getClass().getSimpleName()); // the job tries again
        }
    }

    @Scheduled(fixedDelayString = "${habeas.casework.job-interval:60s}", initialDelayString = "${habeas.casework.job-interval:60s}")
    void scheduled() {
        try {
            if (deadlines.lease("notifications", Duration.ofMinutes(5))) {
                // a node that stopped while sending: the message is tried again
                jdbc.sql("update notification set mail_status = 'FAILED', mail_detail = :d where mail_status = 'SENDING' "
                        + "and mail_at < :before").param("d", "interrupted while sending; tried again")
                        .param("before", now().minusMinutes(5)).update();
                deliver();
            }
        } catch (RuntimeException e) {
            log.error("Notification job failed", e);
        }
    }

    /** E-mails every notification not sent yet (and those that failed, up to the limit); returns how many went. */
    public int deliver() {
        List<UUID> due = jdbc.sql("""
                select id from notification where mail_status = 'PENDING'
                   or (mail_status = 'FAILED' and mail_attempts < :max) order by created_at""")
                .param("max", MAX_ATTEMPTS).query(UUID.class).list();
        int sent = 0;
        for (UUID id : due) {
            // claim it: only one node sends a message (the conditional update's row count says who)
            int claimed = jdbc.sql("""
                    update notification set mail_status = 'SENDING', mail_attempts = mail_attempts + 1, mail_at = :now
                    where id = :id and (mail_status = 'PENDING' or (mail_status = 'FAILED' and mail_attempts < :max))""")
                    .param("now", now()).param("id", id).param("max", MAX_ATTEMPTS).update();
            if (claimed == 0) {
                continue;
            }
            var row = jdbc.sql("""
                    select n.subject, n.mail_text, n.link, n.mail_attempts, u.email, u.username from notification n
                    join accounts_user u on u.id = n.recipient_id where n.id = :id""").param("id", id)
                    .query((rs, i) -> new Object[] {rs.getString("subject"), rs.getString("mail_text"),
                            rs.getString("link"), rs.getInt("mail_attempts"), rs.getString("email"), rs.getString("username")})
                    .single();
            String status;
            String detail;
            if (row[4] == null) {
                status = "NOT_SENT";
                detail = "not sent: the account has no e-mail address";
            } else {
                try {
                    String via = mail.deliver((String) row[4], "Habeas: " + row[0], row[1] + "\n\n    "
                            + mail.link((String) row[2]) + "\n\n-- Habeas\n", "notification-" + row[5]);
                    status = via.equals("e-mail") ? "SENT" : "OUTBOX";
                    detail = via.equals("e-mail") ? "sent" : "written to the outbox (no mail server is configured)";
                    sent++;
                } catch (SetupLinkMail.Undelivered e) {
                    boolean last = e.noMailServer() || (Integer) row[3] >= MAX_ATTEMPTS;
                    status = last ? "NOT_SENT" : "FAILED";
                    detail = e.noMailServer() ? e.getMessage()
                            : last ? "not sent: given up after " + row[3] + " attempts; " + e.getMessage() : e.getMessage();
                }
            }
            jdbc.sql("update notification set mail_status = :s, mail_detail = :d, mail_at = :now where id = :id "
                    + "and mail_status = 'SENDING'").param("s", status).param("d", cut(detail, 300))
                    .param("now", now()).param("id", id).update();
        }
        return sent;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    /** A person's own notifications, newest first. */
    public List<Notification> of(UUID userId, int limit) {
        java.util.Locale language = org.springframework.context.i18n.LocaleContextHolder.getLocale();
        if (userId == null) {
            return List.of();
        }
        return jdbc.sql("select * from notification where recipient_id = :u order by created_at desc, id limit :n")
                .param("u", userId).param("n", limit)
                .query((rs, i) -> new Notification(rs.getObject("id", UUID.class), rs.getObject("request_id", UUID.class),
                        rs.getString("kind"), rs.getString("subject"), rs.getString("body"), rs.getString("link"),
                        rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        Optional.ofNullable(rs.getObject("read_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null), rs.getString("mail_status"), mailLabel(rs.getString("mail_status"),
                                rs.getString("mail_detail"), language)))
                .list();
    }

    public long unread(UUID userId) {
        return userId == null ? 0 : jdbc.sql("select count(*) from notification where recipient_id = :u and read_at is null")
                .param("u", userId).query(Long.class).single();
    }

    /** Marks one of the person's own notifications read; returns where it points, if it is theirs. */
    public Optional<String> read(UUID userId, UUID id) {
        jdbc.sql("update notification set read_at = :now where id = :id and recipient_id = :u and read_at is null")
                .param("now", now()).param("id", id).param("u", userId).update();
        return jdbc.sql("select link from notification where id = :id and recipient_id = :u").param("id", id)
                .param("u", userId).query(String.class).optional();
    }

    public int readAll(UUID userId) {
        return jdbc.sql("update notification set read_at = :now where recipient_id = :u and read_at is null")
                .param("now", now()).param("u", userId).update();
    }

    /** Every notification's e-mail state, newest first (administrators: no subject, no text). */
    public List<Delivery> deliveries(int limit) {
        return jdbc.sql("""
                select n.id, u.username, n.kind, n.created_at, n.mail_status, n.mail_detail, n.mail_attempts, n.mail_at
                from notification n join accounts_user u on u.id = n.recipient_id
                order by n.created_at desc, n.id limit :n""").param("n", limit)
                .query((rs, i) -> new Delivery(rs.getObject("id", UUID.class), rs.getString("username"),
                        rs.getString("kind"), rs.getObject("created_at", OffsetDateTime.class).toInstant(),
                        rs.getString("mail_status"), rs.getString("mail_detail"), rs.getInt("mail_attempts"),
                        Optional.ofNullable(rs.getObject("mail_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null)))
                .list();
    }

    /** How many notifications' e-mails are in each state. */
    public java.util.Map<String, Long> mailCounts() {
        java.util.Map<String, Long> out = new java.util.TreeMap<>();
        jdbc.sql("select mail_status, count(*) as n from notification group by mail_status")
                .query((rs, i) -> out.put(rs.getString("mail_status"), rs.getLong("n"))).list();
        return out;
    }

    /** How e-mail leaves Habeas, without paths (the health endpoint is public). */
    public String mailMode() {
        return mail.smtpConfigured() ? "SMTP server configured"
                : mail.outbox().isPresent() ? "no mail server configured: e-mails are written to the outbox"
                : "no mail server configured: notifications are shown in Habeas only, their e-mails are not sent";
    }

    /** How e-mail leaves Habeas now, in one sentence. */
    public String mailSetUp() {
        if (mail.smtpConfigured()) {
            return "E-mail goes through the SMTP server of spring.mail.host.";
        }
        return mail.outbox().map(p -> "No mail server is configured (spring.mail.host): e-mails are written to the "
                + "outbox " + p + ", and notifications are shown in Habeas.")
                .orElse("No mail server is configured (spring.mail.host): notifications are shown in Habeas only and "
                        + "their e-mails are marked not sent.");
    }

    /** What became of a notification's e-mail, as its recipient reads it (the detail of a failure stays as sent). */
    private String mailLabel(String status, String detail, java.util.Locale language) {
        return switch (status) {
            case "PENDING", "SENDING", "SENT", "OUTBOX" -> words.getMessage("notify.mail." + status, null, language);
            case "FAILED" -> words.getMessage("notify.mail.FAILED", null, language) + ": " + detail;
            default -> detail == null ? words.getMessage("notify.mail.NOT_SENT", null, language) : detail;
        };
    }

    private ReceivedRequest request(UUID id) {
        return intake.find(id).orElseThrow();
    }

    private OffsetDateTime now() {
        return OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
    }

    private static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
