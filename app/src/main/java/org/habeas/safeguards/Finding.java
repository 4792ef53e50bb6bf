package org.habeas.safeguards;

import java.util.List;

/**
 * One rule's verdict on a request: the rule, its effect, a reason a requester can read and act on, and the
 * provisions it rests on. {@code unconfirmed} lists the facts the finding relies on that Habeas has not
 * confirmed (empty when every fact is verified or from a secondary source).
 *
 * <p>The reason names the rule's ground and refers to targets by position and type, never by the words or values
 * that set it off; those are in {@code evidence}, for staff only: a requester who saw them would learn how to
 * reword a request around the rule. Assessments stored before evidence existed read with an empty list.
 */
public record Finding(String rule, Effect effect, String reason, List<String> basis, List<String> unconfirmed,
        List<Evidence> evidence) {

    /**
     * What set a finding off, for staff: the request field ({@code facts}, {@code offence.description},
     * {@code targets[1].value}...) and the term matched or the value read there.
     */
    public record Evidence(String field, String text) {
    }

    public Finding {
        basis = List.copyOf(basis);
        unconfirmed = List.copyOf(unconfirmed);
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public Finding(String rule, Effect effect, String reason, List<String> basis, List<String> unconfirmed) {
        this(rule, effect, reason, basis, unconfirmed, List.of());
    }

    /** The same finding without its evidence: what a requester is shown. */
    public Finding withoutEvidence() {
        return evidence.isEmpty() ? this : new Finding(rule, effect, reason, basis, unconfirmed, List.of());
    }
}
