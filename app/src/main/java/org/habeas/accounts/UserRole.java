package org.habeas.accounts;

import java.util.EnumSet;
import java.util.Set;

/** What a person (or an agency's token) may do in Habeas. Enforced on the server for every page and API call. */
public enum UserRole {
    /** Triage, propose decisions; registers requests that arrived by another channel. */
    ANALYST,
    /** Approves or refuses. */
    LEGAL_REVIEWER,
    /** Decides escalated cases. */
    HUMAN_RIGHTS_OFFICER,
    /** Users, agencies, keys, configuration; not casework. */
    ADMIN,
    /** Reads every case's assessment, decision and history; never produced data or targets' identifiers. */
    OVERSIGHT,
    /** An officer of a registered agency: sees only that agency's requests. */
    REQUESTER;

    /** The roles that work on cases: triage, review, decide, and register requests received by other channels. */
    public static final Set<UserRole> CASEWORK = EnumSet.of(ANALYST, LEGAL_REVIEWER, HUMAN_RIGHTS_OFFICER);

    /** The Spring Security authority for this role. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** Staff roles always sign in with a second factor; requesters unless their agency opted out. */
    public boolean staff() {
        return this != REQUESTER;
    }

    /**
     * Granting this role needs a second administrator's approval (four eyes for access): it reaches case data or
     * administration.
     */
    public boolean grantNeedsApproval() {
        return casework() || this == ADMIN;
    }

    public boolean casework() {
        return CASEWORK.contains(this);
    }

    /** How the role is shown to people. */
    public String label() {
        return switch (this) {
            case ANALYST -> "Analyst";
            case LEGAL_REVIEWER -> "Legal reviewer";
            case HUMAN_RIGHTS_OFFICER -> "Human-rights officer";
            case ADMIN -> "Administrator";
            case OVERSIGHT -> "Oversight";
            case REQUESTER -> "Requester";
        };
    }
}
