package org.habeas.accounts;

import java.time.Instant;
import java.util.UUID;

/** A person who signs in to Habeas. Secrets (password hash, TOTP secret) never leave the accounts module. */
public record User(UUID id, String username, String displayName, UserRole role, UUID agencyId, boolean hasPassword,
        boolean hasSecondFactor, int failedAttempts, Instant lockedUntil, boolean disabled, Instant createdAt) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public Caller caller() {
        return new Caller(id, username, displayName, role, agencyId);
    }
}
