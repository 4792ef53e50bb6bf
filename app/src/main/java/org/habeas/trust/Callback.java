package org.habeas.trust;

import java.time.Instant;
import java.util.UUID;

/** A call a staff member made to a registered number of the sending agency to confirm a request. */
public record Callback(UUID id, UUID requestId, UUID numberId, String number, String calledBy, Instant calledAt,
        Outcome outcome, String note, Instant recordedAt) {

    public enum Outcome {
        /** The agency confirmed it sent this request. */
        CONFIRMED,
        /** The agency did not recognise the request: a likely forgery. */
        NOT_CONFIRMED,
        /** Nobody answered; try again. */
        NO_ANSWER
    }
}
