package org.habeas.accounts;

import java.util.UUID;

/** Published when a signature check refused a request of the agency at the door (in the call that recorded it). */
public record SignatureFailed(UUID agencyId) {
}
