package org.habeas.intake;

import java.util.List;

/** A submitted document that Habeas refuses to store: not JSON, or not a valid Request v1. */
public final class RequestRejected extends RuntimeException {

    private final boolean malformed;
    private final List<FieldError> errors;

    RequestRejected(boolean malformed, String detail, List<FieldError> errors) {
        super(detail);
        this.malformed = malformed;
        this.errors = List.copyOf(errors);
    }

    /** True when the body is not JSON; false when it is JSON that breaks Request v1. */
    public boolean malformed() {
        return malformed;
    }

    public List<FieldError> errors() {
        return errors;
    }
}
