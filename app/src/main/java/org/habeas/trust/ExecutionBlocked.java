package org.habeas.trust;

import java.util.List;
import java.util.UUID;

/** A request cannot be executed while conditions are open. */
public final class ExecutionBlocked extends RuntimeException {

    private final List<String> open;

    ExecutionBlocked(UUID requestId, List<String> open) {
        super("Request " + requestId + " cannot be executed while these conditions are open: " + String.join(", ", open));
        this.open = List.copyOf(open);
    }

    public List<String> open() {
        return open;
    }
}
