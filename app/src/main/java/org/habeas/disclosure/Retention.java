package org.habeas.disclosure;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.habeas.casework.Cases;
import org.habeas.casework.Deadlines;
import org.habeas.intake.Intake;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Retention: a configurable time after a case is closed or withdrawn ({@code habeas.retention.days}, default 365),
 * its personal data is purged — the targets' identifiers and the facts in the request, attached documents,
 * produced packages, notices' addresses and texts. The decision, the assessment's rules and the public log's
 * entries, which the transparency figures come from, stay. Each run reports what it removed.
 */
@Component
public class Retention {

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    /** What a purge run removed. */
    public record Report(List<UUID> cases, int documents, int packages, int notices) {
    }

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Cases cases;
    private final Deadlines deadlines;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration keep;

    Retention(JdbcClient jdbc, Intake intake, Cases cases, Deadlines deadlines, TransactionTemplate tx, Clock clock,
            @Value("${habeas.retention.days:365}") int days) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.cases = cases;
        this.deadlines = deadlines;
        this.tx = tx;
        this.clock = clock;
        this.keep = Duration.ofDays(days);
    }

    @Scheduled(fixedDelayString = "${habeas.retention.interval:6h}", initialDelayString = "${habeas.retention.interval:6h}")
    void scheduled() {
        if (deadlines.lease("retention", Duration.ofHours(1))) {
            Report r = purge();
            if (!r.cases().isEmpty()) {
                log.info("Retention: purged {} cases ({} documents, {} packages, {} notices)", r.cases().size(),
                        r.documents(), r.packages(), r.notices());
            }
        }
    }

    public Report purge() {
        OffsetDateTime before = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).minus(keep);
        List<UUID> due = jdbc.sql("""
                select request_id from casework_case
                where state in ('CLOSED', 'WITHDRAWN') and purged_at is null and updated_at < :before""")
                .param("before", before).query(UUID.class).list();
        List<UUID> purged = new ArrayList<>();
        int[] totals = new int[3];
        for (UUID id : due) {
            tx.executeWithoutResult(s -> {
                int documents = intake.purge(id);
                int packages = jdbc.sql("update disclosure_package set jwe = null where request_id = :r and jwe is not null")
                        .param("r", id).update();
                int notices = jdbc.sql("""
                        update disclosure_notice set recipient = null, body = '(purged)' where request_id = :r and body <> '(purged)'""")
                        .param("r", id).update();
                jdbc.sql("update casework_case set purged_at = :now where request_id = :r")
                        .param("now", OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC)).param("r", id).update();
                cases.record(id, "PURGED", "Personal data removed after the retention period: " + documents
                        + " documents, " + packages + " packages, " + notices + " notices; the decision stays.");
                totals[0] += documents;
                totals[1] += packages;
                totals[2] += notices;
                purged.add(id);
            });
        }
        return new Report(purged, totals[0], totals[1], totals[2]);
    }
}
