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

    /** Classes and roles found in the whole text of the request, with the words that showed them. */
    public record Signals(List<String> protectedActivity, List<String> roles, List<String> securityDemands,
            List<String> matched) {
    }

    public List<String> rules() {
        return findings.stream().filter(f -> f.effect() != Effect.NOTE).map(Finding::rule).distinct().toList();
    }
}
