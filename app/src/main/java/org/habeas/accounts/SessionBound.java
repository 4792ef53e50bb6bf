package org.habeas.accounts;

/** A principal kept in a session: checked at every request against the account it stands for. */
interface SessionBound extends Caller.Holder {

    /** The account's session epoch when the session began; {@code null} when the principal lives for one call. */
    Long sessionEpoch();
}
