package org.habeas.intake;

import java.util.UUID;

/** The Idempotency-Key was already used for a different request body. */
public final class IdempotencyConflict extends RuntimeException {

    private final UUID existing;

    IdempotencyConflict(UUID existing) {
        super("This Idempotency-Key was already used with a different request body.");
        this.existing = existing;
    }

    public UUID existing() {
        return existing;
    }
}
