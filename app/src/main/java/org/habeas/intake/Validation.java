package org.habeas.intake;

import java.util.List;

import tools.jackson.databind.JsonNode;

/** The outcome of checking a submitted Request v1 document. */
public sealed interface Validation {

    /**
     * The document is a valid Request v1; {@code canonical} is its RFC 8785 form, the form Habeas stores, and
     * {@code read} that stored form read as the engine reads it.
     */
    record Valid(JsonNode request, String canonical, EvidenceRequest read) implements Validation {
    }

    /**
     * The body is not JSON at all (or not I-JSON: duplicate member names are refused), or holds a string that is
     * not Unicode text (a lone surrogate), listed in {@code errors} by its JSON Pointer.
     */
    record Malformed(String detail, List<FieldError> errors) implements Validation {
        public Malformed {
            errors = List.copyOf(errors);
        }

        public Malformed(String detail) {
            this(detail, List.of());
        }
    }

    /** The body is JSON but breaks the schema or a consistency rule; every problem is listed. */
    record Invalid(List<FieldError> errors) implements Validation {
        public Invalid {
            errors = List.copyOf(errors);
        }
    }
}
