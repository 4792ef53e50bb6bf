package org.habeas.law;

import java.time.LocalDate;
import java.time.YearMonth;

/**
 * A state's status under an instrument. For bilateral agreements {@code with} names the other state.
 * Signature is not ratification, and ratification is not entry into force. {@code signedIn} is the month of
 * signature where the source gives no day; {@code partyBy} the date of a source that shows the state a Party
 * when no date of entry into force is known.
 */
public record Party(String instrument, String state, String with, LocalDate signed, YearMonth signedIn,
        LocalDate ratified, LocalDate inForceFrom, LocalDate partyBy, String source, Confidence confidence) {

    public Party {
        Vocabulary.check("instrument", instrument, Vocabulary.INSTRUMENTS);
        Vocabulary.required("state", state);
        Vocabulary.required("source", source);
        Vocabulary.required("confidence", confidence);
        if (ratified != null && signed != null && ratified.isBefore(signed)) {
            throw new IllegalArgumentException("ratified: is before signed");
        }
        if (inForceFrom != null && ratified != null && inForceFrom.isBefore(ratified)) {
            throw new IllegalArgumentException("inForceFrom: is before ratified");
        }
        if (inForceFrom != null && signed != null && inForceFrom.isBefore(signed)) {
            throw new IllegalArgumentException("inForceFrom: is before signed");
        }
        if (signed != null && signedIn != null) {
            throw new IllegalArgumentException("signedIn: give either signed (a day) or signedIn (a month)");
        }
        if (ratified != null && signedIn != null && YearMonth.from(ratified).isBefore(signedIn)) {
            throw new IllegalArgumentException("ratified: is before signedIn");
        }
        if (partyBy != null && inForceFrom != null) {
            throw new IllegalArgumentException("partyBy: only for a Party whose date of entry into force is not known");
        }
    }

    /** In force for the state on a date: from its entry into force, or, where that is unknown, from partyBy. */
    public boolean inForceOn(LocalDate date) {
        LocalDate from = inForceFrom != null ? inForceFrom : partyBy;
        return from != null && !date.isBefore(from);
    }

    /** Bound on the date, but only because a source shows it a Party by then: the real date is not known. */
    public boolean inForceDateUnknown() {
        return inForceFrom == null && partyBy != null;
    }
}
