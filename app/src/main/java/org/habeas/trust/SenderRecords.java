package org.habeas.trust;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.habeas.accounts.AgencyExtension;
import org.habeas.accounts.Agencies;
import org.habeas.intake.Intake;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.Decision;
import org.habeas.safeguards.Effect;
import org.habeas.safeguards.Finding;
import org.habeas.safeguards.RequestAssessed;
import org.springframework.context.event.EventListener;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Each agency's record as a sender, on its page and with each of its requests. The record costs the same whatever
 * the agency's history: the rules that refused each request are written once, with its assessment, into
 * {@code trust_refused_rule}, and the record is four counting queries over indexes — never a read of past
 * assessments. Within one HTTP call it is counted once per agency (a list of a hundred requests from one agency
 * counts it once).
 */
@Component
class SenderRecords implements AgencyExtension {

    private static final String MEMO = SenderRecords.class.getName() + ".";

    private final JdbcClient jdbc;
    private final Intake intake;
    private final Agencies agencies;
    private final Assessor assessments;

    SenderRecords(JdbcClient jdbc, Intake intake, Agencies agencies, Assessor assessments) {
        this.jdbc = jdbc;
        this.intake = intake;
        this.agencies = agencies;
        this.assessments = assessments;
    }

    /** Records the rules that refused a request, in the transaction that stores its assessment. */
    @EventListener
    void assessed(RequestAssessed event) {
        if (event.decision() != Decision.REFUSE) {
            return;
        }
        assessments.assessment(event.requestId()).ifPresent(a -> a.findings().stream()
                .filter(f -> f.effect() == Effect.REFUSE).map(Finding::rule).distinct()
                .forEach(rule -> jdbc.sql("""
                        insert into trust_refused_rule (request_id, agency_id, rule)
                        select id, agency_id, :rule from intake_request where id = :id and agency_id is not null""")
                        .param("id", event.requestId()).param("rule", rule).update()));
    }

    @Override
    public String name() {
        return "senderRecord";
    }

    @Override
    public Optional<Object> forAgency(UUID agencyId) {
        return Optional.of(record(agencyId));
    }

    /** The agency's record as a sender. */
    SenderRecord record(UUID agencyId) {
        RequestAttributes call = RequestContextHolder.getRequestAttributes();
        if (call != null && call.getAttribute(MEMO + agencyId, RequestAttributes.SCOPE_REQUEST) instanceof SenderRecord r) {
            return r;
        }
        SenderRecord r = count(agencyId);
        if (call != null) {
            call.setAttribute(MEMO + agencyId, r, RequestAttributes.SCOPE_REQUEST);
        }
        return r;
    }

    private SenderRecord count(UUID agencyId) {
        Map<String, Long> statuses = intake.countByStatus(agencyId);
        long sent = statuses.values().stream().mapToLong(Long::longValue).sum();
        Map<String, Long> byRule = new TreeMap<>();
        jdbc.sql("select rule, count(*) n from trust_refused_rule where agency_id = :a group by rule")
                .param("a", agencyId)
                .query(rs -> {
                    byRule.put(rs.getString("rule"), rs.getLong("n"));
                });
        long refused = jdbc.sql("select count(distinct request_id) from trust_refused_rule where agency_id = :a")
                .param("a", agencyId).query(Long.class).single();
        long failedSignatures = agencies.failures(agencyId).values().stream().mapToLong(Long::longValue).sum();
        long failedCallbacks = jdbc.sql("""
                select count(distinct c.request_id) from trust_callback c join intake_request r on r.id = c.request_id
                where r.agency_id = :a and c.outcome = 'NOT_CONFIRMED'""").param("a", agencyId)
                .query(Long.class).single();
        long withdrawn = statuses.getOrDefault("WITHDRAWN", 0L);
        return new SenderRecord(sent, refused, byRule, failedSignatures + failedCallbacks, withdrawn);
    }
}
