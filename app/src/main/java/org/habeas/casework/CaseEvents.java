package org.habeas.casework;

import java.util.UUID;

/** What the casework module announces; the public log records them. */
public final class CaseEvents {

    private CaseEvents() {
    }

    /** A decision was taken (with four eyes): ACCEPT, NARROW or REFUSE. */
    public record Decided(UUID requestId, String outcome) {
    }

    /** A preservation hold started. */
    public record Preserved(UUID requestId) {
    }

    /** The approved data was produced and offered to the requester. */
    public record Produced(UUID requestId) {
    }

    /** The case is closed (for instance the requester confirmed receipt). */
    public record Closed(UUID requestId) {
    }

    /** The account holder was notified. */
    public record Notified(UUID requestId, UUID noticeId) {
    }

    /** The requester withdrew the request. */
    public record Withdrawn(UUID requestId) {
    }
}
