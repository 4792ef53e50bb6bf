package org.habeas.casework;

/** Where a case is in its life. */
public enum CaseState {
    RECEIVED, ASSESSED, IN_REVIEW, AWAITING_REQUESTER, DECIDED, EXECUTING, CLOSED, WITHDRAWN;

    public boolean open() {
        return this != CLOSED && this != WITHDRAWN;
    }
}
