package org.habeas.casework;

/** What a proposal or decision does with a request. ESCALATE hands it to a human-rights officer. */
public enum Outcome {
    ACCEPT, NARROW, ESCALATE, REFUSE;

    /** How far the outcome lets the request go: REFUSE gives nothing, ACCEPT everything asked. */
    int reach() {
        return switch (this) {
            case REFUSE -> 0;
            case ESCALATE -> 1;
            case NARROW -> 2;
            case ACCEPT -> 3;
        };
    }
}
