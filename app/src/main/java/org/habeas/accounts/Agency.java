package org.habeas.accounts;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A registered requesting agency.
 *
 * @param requesterTwoFactor whether its officers must sign in with a second factor (the default; an operator can
 *                           turn it off)
 * @param language           the language it reads its letters in (ISO 639-1), or null for the default: its state's
 *                           language where Habeas writes it, else the operator's
 */
public record Agency(UUID id, String name, String state, Kind kind, List<String> emailDomains, Status status,
        Instant createdAt, boolean requesterTwoFactor, String language) {

    public enum Kind { COURT, PROSECUTOR, POLICE, CENTRAL_AUTHORITY, CONTACT_POINT_24_7 }

    public enum Status { ACTIVE, SUSPENDED }

    public boolean active() {
        return status == Status.ACTIVE;
    }
}
