package org.habeas.accounts;

import java.time.Instant;
import java.util.UUID;

/** A public key an agency signs requests with, as a JWK (Ed25519 "OKP" or P-256 "EC"). */
public record AgencyKey(UUID agencyId, String kid, String algorithm, String jwk, String addedBy, Instant addedAt,
        Instant revokedAt) {

    public boolean active() {
        return revokedAt == null;
    }
}
