package org.habeas.safeguards;

import java.util.List;

/**
 * The Assessment contract: the decision, the conduct the engine found (never the requester's label taken on
 * trust), every finding with its basis, the conditions of execution, the proposed narrowing, and the policy
 * ({@code profile@version}) that produced it.
 *
 * @param conduct      the conduct classes the charged offence shows ({@code UNKNOWN} when none)
 * @param signals      what else the text shows: protected activity, protected roles, security demands
 */
public record Assessment(Decision decision, List<String> conduct, Signals signals, List<Finding> findings,
        List<Condition> conditions, Narrowing narrowing, String policy) {

    /**
     * Classes and roles found in the whole text of the request, with the words that showed them ({@code matched},
     * and the security demands' terms): for staff only, see {@link #forRequester()}.
     */
    public record Signals(List<String> protectedActivity, List<String> roles, List<String> securityDemands,
            List<String> matched) {
    }

    /**
     * What a requester is shown: the rules and their reasons, without the evidence of each finding and without the
     * words that showed each class, role or security demand, so that a requester learns the rule, not the trigger.
     */
    public Assessment forRequester() {
        Signals plain = signals == null ? null
                : new Signals(signals.protectedActivity(), signals.roles(), List.of(), List.of());
        return new Assessment(decision, conduct, plain, findings.stream().map(Finding::withoutEvidence).toList(),
                conditions, narrowing, policy);
    }

    /** What oversight is shown: the evidence read in target values is withheld, like the targets themselves. */
    public Assessment withoutIdentifiers() {
        return new Assessment(decision, conduct, signals, findings.stream().map(f -> new Finding(f.rule(), f.effect(),
                f.reason(), f.basis(), f.unconfirmed(), f.evidence().stream()
                        .map(e -> e.field().startsWith("targets[") ? new Finding.Evidence(e.field(), "(withheld)") : e)
                        .toList())).toList(), conditions, narrowing, policy);
    }

    public List<String> rules() {
        return findings.stream().filter(f -> f.effect() != Effect.NOTE).map(Finding::rule).distinct().toList();
    }
}
