package org.habeas.safeguards;

/** The outcome of an assessment: the most severe effect among the findings (REFUSE > ESCALATE > NARROW > ACCEPT). */
public enum Decision {
    ACCEPT, NARROW, ESCALATE, REFUSE;

    static Decision of(Effect mostSevere) {
        return switch (mostSevere) {
            case REFUSE -> REFUSE;
            case ESCALATE -> ESCALATE;
            case NARROW -> NARROW;
            case NOTE -> ACCEPT;
        };
    }
}
