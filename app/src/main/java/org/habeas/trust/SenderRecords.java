package org.habeas.trust;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.habeas.accounts.AgencyExtension;
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
 * {@code trust_refused_rule}, and the record is one aggregate query over indexes — never a read of past
 * assessments. Within one HTTP call it is counted once per agency (a list of a hundred requests from one agency
 * counts it once).
 */
@Component
class SenderRecords implements AgencyExtension {

    private static final String MEMO = SenderRecords.class.getName() + ".";

    private final JdbcClient jdbc;
    private final Assessor assessments;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batch;

    SenderRecords(JdbcClient jdbc, Assessor assessments,
            org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batch) {
        this.batch = batch;
        this.jdbc = jdbc;
        this.assessments = assessments;
    }

    /** Records the rules that refused a request, in the transaction that stores its assessment. */
    @EventListener
    void assessed(RequestAssessed event) {
        if (event.decision() != Decision.REFUSE) {
            return;
        }
        // the refusing rules in one batch; each row only if the request has an agency
        java.util.List<String> rules = assessments.assessment(event.requestId()).map(a -> a.findings().stream()
                .filter(f -> f.effect() == Effect.REFUSE).map(Finding::rule).distinct().toList())
                .orElse(java.util.List.of());
        if (rules.isEmpty()) {
            return;
        }
        batch.batchUpdate("""
                insert into trust_refused_rule (request_id, agency_id, rule)
                select id, agency_id, :rule from intake_request where id = :id and agency_id is not null""",
                rules.stream().map(rule -> new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                        .addValue("id", event.requestId()).addValue("rule", rule))
                        .toArray(org.springframework.jdbc.core.namedparam.SqlParameterSource[]::new));
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

    /**
     * One aggregate query over indexes: requests by status, refusing rules, refused requests, failed signatures
     * and failed call-backs of the agency.
     */
    private SenderRecord count(UUID agencyId) {
        Map<String, Long> byRule = new TreeMap<>();
        long[] n = new long[4]; // sent, withdrawn, refused, failed verifications
        jdbc.sql("""
                select 'S' k, status v, count(*) n from intake_request where agency_id = :a group by status
                union all
                select 'R', rule, count(*) from trust_refused_rule where agency_id = :a group by rule
                union all
                select 'N', null, count(distinct request_id) from trust_refused_rule where agency_id = :a
                union all
                select 'F', null, count(*) from accounts_sender_failure where agency_id = :a
                union all
                select 'C', null, count(distinct c.request_id) from trust_callback c
                    join intake_request r on r.id = c.request_id where r.agency_id = :a and c.outcome = 'NOT_CONFIRMED'
                """).param("a", agencyId).query(rs -> {
                    long count = rs.getLong("n");
                    switch (rs.getString("k")) {
                        case "S" -> {
                            n[0] += count;
                            if ("WITHDRAWN".equals(rs.getString("v"))) {
                                n[1] += count;
                            }
                        }
                        case "R" -> byRule.put(rs.getString("v"), count);
                        case "N" -> n[2] = count;
                        default -> n[3] += count;
                    }
                });
        return new SenderRecord(n[0], n[2], byRule, n[3], n[1]);
    }
}
