package org.habeas.web;

import java.time.Duration;

import org.springframework.http.HttpStatus;

/**
 * A 503 answer with {@code Retry-After}: Habeas cannot complete the call now (the database does not answer, the
 * public log cannot keep up). It says whether the call's change was kept, and where it is when it was.
 */
public class Unavailable extends ApiProblem {

    private final Duration retryAfter;
    private final boolean kept;
    private final String location;

    /**
     * @param kept whether the call's change was committed (and will be completed), as opposed to refused before
     *             anything was written
     */
    public Unavailable(String title, String detail, Duration retryAfter, boolean kept) {
        this(title, detail, retryAfter, kept, null);
    }

    private Unavailable(String title, String detail, Duration retryAfter, boolean kept, String location) {
        super(HttpStatus.SERVICE_UNAVAILABLE, title, detail);
        this.retryAfter = retryAfter;
        this.kept = kept;
        this.location = location;
    }

    /** The same answer, naming where the stored resource is. */
    public Unavailable at(String location, String detail) {
        return new Unavailable(title(), detail, retryAfter, kept, location);
    }

    public boolean kept() {
        return kept;
    }

    /** Whole seconds, at least one: the {@code Retry-After} header (RFC 9110 §10.2.3). */
    public long retryAfterSeconds() {
        return Math.max(1, (retryAfter.toMillis() + 999) / 1000);
    }

    public String location() {
        return location;
    }
}
