package org.habeas.safeguards;

/** What a finding does to the decision, from most to least severe. */
public enum Effect {
    REFUSE, ESCALATE, NARROW, NOTE;

    public boolean moreSevereThan(Effect other) {
        return ordinal() < other.ordinal();
    }
}
