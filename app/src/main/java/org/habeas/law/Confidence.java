package org.habeas.law;

import java.util.Locale;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How sure Habeas is of a legal fact: read in the legal text or an official register, taken from a secondary
 * source, or recalled and not confirmed. Findings that rely on an unconfirmed fact say so.
 */
public enum Confidence {
    VERIFIED, SECONDARY, UNCONFIRMED;

    @JsonCreator
    public static Confidence parse(String value) {
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("confidence must be verified, secondary or unconfirmed, not '" + value + "'");
        }
    }

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }
}
