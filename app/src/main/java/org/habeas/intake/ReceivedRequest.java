package org.habeas.intake;

import java.time.Instant;
import java.util.UUID;

/**
 * A request as Habeas received and stored it.
 *
 * @param receivedAt       Habeas's own clock at receipt; rules and deadlines run from it
 * @param senderReceivedAt the {@code receivedAt} the sender put in the document, kept only as its claim
 * @param body             the submitted document in RFC 8785 canonical form, unchanged
 * @param bodySha256       hex SHA-256 of {@code body}
 * @param sender           who sent it, as established at receipt
 */
public record ReceivedRequest(
        UUID id,
        String reference,
        String status,
        Instant receivedAt,
        Instant senderReceivedAt,
        String instrument,
        String channel,
        String measure,
        String requestingState,
        String requestedState,
        boolean emergency,
        int targetCount,
        String body,
        String bodySha256,
        Sender sender) {

    /** The agency the request comes from. */
    public java.util.UUID agencyId() {
        return sender.agencyId();
    }
}
