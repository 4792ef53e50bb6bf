package org.habeas.intake;

import java.util.UUID;

/**
 * Who sent a request, as Habeas established it at the door.
 *
 * @param agencyId     the registered agency the request comes from
 * @param submittedBy  the user or token that submitted it (staff register requests that arrived by other channels)
 * @param verification the signature check's result (VERIFIED, UNSIGNED, UNKNOWN_KEY)
 * @param signatureKid the key the signature named, if any
 * @param signatureJti the verified signature's {@code jti}, if it had one: accepted once per agency
 * @param signedSha256 the SHA-256 of the bytes a verified signature covered: accepted once per agency
 * @param submittedRole the role of whoever submitted it (REQUESTER, or the staff role that registered it)
 */
public record Sender(UUID agencyId, String submittedBy, String verification, String signatureKid, String signatureJti,
        String signedSha256, String submittedRole) {

    public Sender(UUID agencyId, String submittedBy, String verification, String signatureKid) {
        this(agencyId, submittedBy, verification, signatureKid, null, null, null);
    }

    /** Who submitted it as the requesting agency is shown it: its own officer by name, staff by role only. */
    public String submittedByForRequester() {
        if (submittedRole == null) {
            return null;
        }
        if (submittedRole.equals("REQUESTER")) {
            return submittedBy;
        }
        try {
            return org.habeas.accounts.UserRole.valueOf(submittedRole).label();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
