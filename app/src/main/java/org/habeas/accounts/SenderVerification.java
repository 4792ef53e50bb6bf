package org.habeas.accounts;

/** What checking a request's sender found. The last two refuse the request at the door. */
public enum SenderVerification {
    /** Signed with a key the agency registered, over the exact bytes received. */
    VERIFIED,
    /** No signature: accepted, but an emergency cannot be executed before a call-back confirms it. */
    UNSIGNED,
    /** Signed with a key Habeas does not hold for this agency: treated like an unsigned request. */
    UNKNOWN_KEY,
    /** The signature does not match the bytes or the key. Refused. */
    BAD_SIGNATURE,
    /** The agency is suspended. Refused. */
    AGENCY_SUSPENDED;

    public boolean refused() {
        return this == BAD_SIGNATURE || this == AGENCY_SUSPENDED;
    }
}
