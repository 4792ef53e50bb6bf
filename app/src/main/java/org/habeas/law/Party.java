package org.habeas.law;

import java.time.LocalDate;

/**
 * A state's status under an instrument. For bilateral agreements {@code with} names the other state.
 * Signature is not ratification, and ratification is not entry into force.
 */
public record Party(String instrument, String state, String with, LocalDate signed, LocalDate ratified,
        LocalDate inForceFrom, String source, Confidence confidence) {

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
    }

    public boolean inForceOn(LocalDate date) {
        return inForceFrom != null && !date.isBefore(inForceFrom);
    }
}
