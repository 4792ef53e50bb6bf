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

    /** A case was assigned to a colleague by someone else. */
    public record Assigned(UUID requestId, String assignee, String by) {
    }

    /** Staff asked the requester a question; the case waits for the answer. */
    public record Asked(UUID requestId, String question) {
    }

    /** The requester answered; the case is back in review. */
    public record Answered(UUID requestId, String by) {
    }

    /** The response deadline of a case passed without a decision (announced once). */
    public record Overdue(UUID requestId) {
    }

    /** A case was escalated to a human-rights officer. */
    public record Escalated(UUID requestId) {
    }
}
