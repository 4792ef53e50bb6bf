package org.habeas.accounts;

import java.time.Instant;
import java.util.UUID;

/**
 * A person who signs in to Habeas. Secrets (password hash, TOTP secret) never leave the accounts module. The e-mail
 * address (lower case) is where set-up links go; users made with known credentials (demo, tests) may have none.
 */
public record User(UUID id, String username, String displayName, UserRole role, UUID agencyId, boolean hasPassword,
        boolean hasSecondFactor, int failedAttempts, Instant lockedUntil, boolean disabled, Instant createdAt, String email) {

    public boolean lockedAt(Instant now) {
        return lockedUntil != null && lockedUntil.isAfter(now);
    }

    public Caller caller() {
        return new Caller(id, username, displayName, role, agencyId);
    }
}
