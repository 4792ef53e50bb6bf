package org.habeas.trust;

import java.time.Instant;
import java.util.UUID;

/** A call a staff member made to a registered number of the sending agency to confirm a request. */
public record Callback(UUID id, UUID requestId, UUID numberId, String number, String calledBy, String calledRole,
        Instant calledAt, Outcome outcome, String note, Instant recordedAt) {

    /** The call as the requesting agency is shown it: who called by role, not by name, and no internal note. */
    public Callback forRequester() {
        String role;
        try {
            role = calledRole == null ? "Staff" : org.habeas.accounts.UserRole.valueOf(calledRole).label();
        } catch (IllegalArgumentException e) {
            role = "Staff";
        }
        return new Callback(id, requestId, numberId, number, role, calledRole, calledAt, outcome, null, recordedAt);
    }

    public enum Outcome {
        /** The agency confirmed it sent this request. */
        CONFIRMED,
        /** The agency did not recognise the request: a likely forgery. */
        NOT_CONFIRMED,
        /** Nobody answered; try again. */
        NO_ANSWER
    }
}
