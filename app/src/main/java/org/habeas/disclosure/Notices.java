package org.habeas.disclosure;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.casework.CaseEvents;
import org.habeas.casework.Cases;
import org.habeas.casework.Deadlines;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionPhase;
import org.springframework.transaction.event.TransactionalEventListener;

/**
 * Telling the account holder. When data is produced, a notice is scheduled for each target: at once, or — with a
 * non-disclosure order still running — on the day it expires. Oversight sees notices waiting. A notice says which
 * authority asked, under what law, what was disclosed, and what remedies exist.
 */
@Component
public class Notices {

    private static final Logger log = LoggerFactory.getLogger(Notices.class);

    /** A notice as listed. */
    public record Notice(UUID id, UUID requestId, String recipient, Instant dueAt, String status, String subject,
            Instant sentAt, int attempts, String lastError, Instant lastTryAt) {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Cases cases;
    private final Agencies agencies;
    private final Deadlines deadlines;
    private final ObjectProvider<Notifier> notifier;
    private final tools.jackson.databind.json.JsonMapper json;
    private final Clock clock;
    private final String remedies;
    private final org.springframework.context.ApplicationEventPublisher events;
    private final org.springframework.transaction.support.TransactionTemplate own;

    Notices(JdbcClient jdbc, Intake intake, Cases cases, Agencies agencies, Deadlines deadlines,
            ObjectProvider<Notifier> notifier, tools.jackson.databind.json.JsonMapper json, Clock clock,
            org.springframework.context.ApplicationEventPublisher events,
            org.springframework.transaction.PlatformTransactionManager transactions,
            @Value("${habeas.notices.remedies:You may ask us for the decision and its grounds, complain to your data "
                    + "protection authority, and challenge the disclosure before the courts of the requested state.}")
            String remedies) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.cases = cases;
        this.agencies = agencies;
        this.deadlines = deadlines;
        this.notifier = notifier;
        this.json = json;
        this.clock = clock;
        this.remedies = remedies;
        this.events = events;
        // each sent notice is recorded in a transaction of its own, also when sending follows a commit
        this.own = new org.springframework.transaction.support.TransactionTemplate(transactions);
        this.own.setPropagationBehavior(org.springframework.transaction.TransactionDefinition.PROPAGATION_REQUIRES_NEW);
    }

    @EventListener
    void produced(CaseEvents.Produced e) {
        ReceivedRequest r = intake.find(e.requestId()).orElseThrow();
        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        Cases.Decision d = cases.decision(r.id()).orElseThrow();
        Instant now = clock.instant();
        Instant due = now;
        if (body.confidentiality() != null && body.confidentiality().nonDisclosureUntil() != null) {
            Instant gag = body.confidentiality().nonDisclosureUntil().atStartOfDay(ZoneOffset.UTC).toInstant();
            if (gag.isAfter(now)) {
                due = gag;
            }
        }
        String agency = r.agencyId() == null ? body.requestingAuthority().name()
                : agencies.find(r.agencyId()).map(a -> a.name()).orElse(body.requestingAuthority().name());
        List<String> categories = d.scope() != null && d.scope().dataCategories() != null ? d.scope().dataCategories()
                : body.dataCategories();
        for (EvidenceRequest.Target t : body.targets()) {
            if (d.scope() != null && d.scope().targets() != null && !d.scope().targets().contains(t.value())) {
                continue;
            }
            String to = t.type().equals("EMAIL") ? t.value() : null;
            String subject = "Your data was disclosed to " + agency;
            String text = "We disclosed data about your account " + t.value() + " to " + agency + " ("
                    + r.requestingState() + "), who asked under " + r.instrument() + " in an investigation of: "
                    + body.offence().statute() + ".\n\nWhat was disclosed: " + String.join(", ", categories)
                    + (d.scope() != null && d.scope().periodFrom() != null ? ", from " + d.scope().periodFrom() + " to "
                    + d.scope().periodTo() : "") + ".\nOur reference: " + r.id() + ".\n\n" + remedies + "\n";
            jdbc.sql("""
                    insert into disclosure_notice (id, request_id, recipient, due_at, status, subject, body)
                    values (:id, :r, :to, :due, :status, :subject, :body)""")
                    .param("id", UUID.randomUUID()).param("r", r.id()).param("to", to)
                    .param("due", due.atOffset(ZoneOffset.UTC)).param("status", to == null ? "UNDELIVERABLE" : "PENDING")
                    .param("subject", subject).param("body", text).update();
        }
        cases.record(r.id(), "NOTICE_SCHEDULED", due.equals(now) ? "Notices go out now."
                : "Notices wait for the non-disclosure order to expire on " + due);
    }

    /** Notices due now are sent once the production is committed. */
    @TransactionalEventListener(phase = TransactionPhase.AFTER_COMMIT)
    void afterProduction(CaseEvents.Produced e) {
        sendDue();
    }

    @Scheduled(fixedDelayString = "${habeas.casework.job-interval:60s}", initialDelayString = "${habeas.casework.job-interval:60s}")
    void scheduled() {
        if (deadlines.lease("notices", java.time.Duration.ofMinutes(5))) {
            sendDue();
        }
    }

    /** Sends every pending notice that is due; returns how many went out. */
    public int sendDue() {
        Notifier n = notifier.getIfAvailable();
        if (n == null) {
            return 0;
        }
        int sent = 0;
        for (Notice notice : list("PENDING")) {
            if (notice.dueAt().isAfter(clock.instant())) {
                continue;
            }
            String body = jdbc.sql("select body from disclosure_notice where id = :id").param("id", notice.id())
                    .query(String.class).single();
            try {
                n.send(notice.recipient(), notice.subject(), body);
            } catch (RuntimeException ex) {
                log.warn("Notice {} not sent yet: {}", notice.id(), ex.getMessage());
                // kept PENDING (the notice is still owed), with the attempt and its reason for staff and oversight
                String why = "not sent: " + String.valueOf(ex.getMessage());
                own.executeWithoutResult(s -> jdbc.sql("""
                        update disclosure_notice set attempts = attempts + 1, last_error = :e, last_try_at = :now
                        where id = :id and status = 'PENDING'""")
                        .param("e", why.length() > 300 ? why.substring(0, 300) : why)
                        .param("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC))
                        .param("id", notice.id()).update());
                continue;
            }
            Boolean recorded = own.execute(s -> {
                int u = jdbc.sql("update disclosure_notice set status = 'SENT', sent_at = :now where id = :id and status = 'PENDING'")
                        .param("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).param("id", notice.id())
                        .update();
                if (u > 0) {
                    cases.record(notice.requestId(), "NOTIFIED", "Notice sent to the account holder.");
                    events.publishEvent(new CaseEvents.Notified(notice.requestId(), notice.id()));
                }
                return u > 0;
            });
            if (Boolean.TRUE.equals(recorded)) {
                sent++;
            }
        }
        return sent;
    }

    public List<Notice> list(String status) {
        var q = status == null ? jdbc.sql("select * from disclosure_notice order by due_at")
                : jdbc.sql("select * from disclosure_notice where status = :s order by due_at").param("s", status);
        return q.query((rs, i) -> new Notice(rs.getObject("id", UUID.class), rs.getObject("request_id", UUID.class),
                        rs.getString("recipient"), rs.getObject("due_at", OffsetDateTime.class).toInstant(),
                        rs.getString("status"), rs.getString("subject"),
                        Optional.ofNullable(rs.getObject("sent_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null), rs.getInt("attempts"), rs.getString("last_error"),
                        Optional.ofNullable(rs.getObject("last_try_at", OffsetDateTime.class)).map(OffsetDateTime::toInstant)
                                .orElse(null)))
                .list();
    }
}
