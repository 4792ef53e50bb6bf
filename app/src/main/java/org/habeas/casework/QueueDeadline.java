package org.habeas.casework;

import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.RequestExtension;
import org.springframework.stereotype.Component;

/**
 * The response deadline the queue shows next to each request: the instrument's, paused while the case waits for the
 * requester, and gone once the case is decided or withdrawn.
 */
@Component
class QueueDeadline implements RequestExtension {

    private final Deadlines deadlines;

    QueueDeadline(Deadlines deadlines) {
        this.deadlines = deadlines;
    }

    @Override
    public String name() {
        return "deadline";
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(java.util.List<org.habeas.intake.ReceivedRequest> requests) {
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        deadlines.clocks(requests).forEach((id, clocks) -> clocks.stream()
                .filter(d -> d.kind().equals("RESPONSE") && !d.done()).findFirst().ifPresent(d -> out.put(id, d)));
        return out;
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        try {
            return deadlines.clocks(requestId).stream().filter(d -> d.kind().equals("RESPONSE") && !d.done())
                    .findFirst().map(d -> d);
        } catch (java.util.NoSuchElementException e) {
            return Optional.empty(); // a request without a case (it is being received)
        }
    }
}
