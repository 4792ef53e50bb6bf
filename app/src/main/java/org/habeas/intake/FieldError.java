package org.habeas.intake;

/**
 * One problem with a submitted request: where it is (an RFC 6901 JSON Pointer into the document, {@code ""}
 * for the document itself) and what is wrong, in words a requester can act on.
 */
public record FieldError(String pointer, String detail) implements Comparable<FieldError> {

    @Override
    public int compareTo(FieldError other) {
        int c = pointer.compareTo(other.pointer);
        return c != 0 ? c : detail.compareTo(other.detail);
    }

    /** Escapes one reference token as RFC 6901 §3 requires. */
    static String token(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
