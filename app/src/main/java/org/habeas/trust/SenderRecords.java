package org.habeas.trust;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;

import org.habeas.accounts.AgencyExtension;
import org.habeas.accounts.SignatureFailed;
import org.habeas.casework.CaseEvents;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestReceived;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.Decision;
import org.habeas.safeguards.Effect;
import org.habeas.safeguards.Finding;
import org.habeas.safeguards.RequestAssessed;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;
import org.springframework.web.context.request.RequestAttributes;
import org.springframework.web.context.request.RequestContextHolder;

/**
 * Each agency's record as a sender, on its page and with each of its requests. The record costs the same whatever
 * the agency's history: it is a few counted columns ({@link SenderCounts}), added to in the transaction of each
 * write that changes them (a request stored, refused with its rules, withdrawn; a signature check that failed; a
 * call-back that did not confirm), and read by summing a few rows — never a count over past requests. Within one HTTP call it is counted once per agency (a list of a hundred requests from one agency
 * counts it once).
 */
@Component
class SenderRecords implements AgencyExtension {

    private static final String MEMO = SenderRecords.class.getName() + ".";

    private final Assessor assessments;
    private final org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batch;
    private final Intake intake;
    private final SenderCounts counts;

    SenderRecords(Assessor assessments, org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate batch,
            Intake intake, SenderCounts counts) {
        this.batch = batch;
        this.assessments = assessments;
        this.intake = intake;
        this.counts = counts;
    }

    /** Counts a request the agency sent, in the transaction that stores it. */
    @EventListener
    void received(RequestReceived event) {
        intake.find(event.requestId()).ifPresent(r -> counts.add(r.agencyId(), SenderCounts.SENT));
    }

    /** Counts a request the agency withdrew (a withdrawn case stays withdrawn), in the transaction that withdraws it. */
    @EventListener
    void withdrawn(CaseEvents.Withdrawn event) {
        intake.find(event.requestId()).ifPresent(r -> counts.add(r.agencyId(), SenderCounts.WITHDRAWN));
    }

    /** Counts a signature check that refused a request of the agency at the door. */
    @EventListener
    void signatureFailed(SignatureFailed event) {
        counts.add(event.agencyId(), SenderCounts.SIGNATURE_FAILED);
    }

    /**
     * Records the rules that refused a request, and counts them, in the transaction that stores its assessment.
     */
    @EventListener
    void assessed(RequestAssessed event) {
        if (event.decision() != Decision.REFUSE) {
            return;
        }
        UUID agency = intake.find(event.requestId()).map(ReceivedRequest::agencyId).orElse(null);
        // the refusing rules in one batch; each row only if the request has an agency
        java.util.List<String> rules = assessments.assessment(event.requestId()).map(a -> a.findings().stream()
                .filter(f -> f.effect() == Effect.REFUSE).map(Finding::rule).distinct().toList())
                .orElse(java.util.List.of());
        if (rules.isEmpty() || agency == null) {
            return;
        }
        int[] written = batch.batchUpdate("""
                insert into trust_refused_rule (request_id, agency_id, rule)
                select id, agency_id, :rule from intake_request where id = :id and agency_id is not null""",
                rules.stream().map(rule -> new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                        .addValue("id", event.requestId()).addValue("rule", rule))
                        .toArray(org.springframework.jdbc.core.namedparam.SqlParameterSource[]::new));
        for (int k = 0; k < written.length; k++) {
            if (written[k] > 0) {
                counts.add(agency, SenderCounts.RULE + rules.get(k));
            }
        }
        counts.add(agency, SenderCounts.REFUSED);
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

    /** The agency's counted columns, summed over their shards: a few rows, whatever the agency's history. */
    private SenderRecord count(UUID agencyId) {
        Map<String, Long> byRule = new TreeMap<>();
        Map<String, Long> n = counts.counts(agencyId);
        n.forEach((item, count) -> {
            if (item.startsWith(SenderCounts.RULE) && count > 0) {
                byRule.put(item.substring(SenderCounts.RULE.length()), count);
            }
        });
        return new SenderRecord(n.getOrDefault(SenderCounts.SENT, 0L), n.getOrDefault(SenderCounts.REFUSED, 0L), byRule,
                n.getOrDefault(SenderCounts.SIGNATURE_FAILED, 0L) + n.getOrDefault(SenderCounts.CALLBACK_FAILED, 0L),
                n.getOrDefault(SenderCounts.WITHDRAWN, 0L));
    }
}
