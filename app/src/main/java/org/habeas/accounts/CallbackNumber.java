package org.habeas.accounts;

import java.time.Instant;
import java.util.UUID;

/** A telephone number staff recorded for calling an agency back; never one taken from a request. */
public record CallbackNumber(UUID id, UUID agencyId, String number, String label, String recordedBy,
        Instant recordedAt) {
}
