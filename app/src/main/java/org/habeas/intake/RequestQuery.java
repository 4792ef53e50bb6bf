package org.habeas.intake;

import java.time.Instant;

/**
 * Filters and paging for the list of received requests; {@code null} means "any". {@code page} counts
 * from 0. {@code receivedFrom} is inclusive, {@code receivedTo} exclusive.
 */
public record RequestQuery(String status, String requestingState, String instrument, String measure,
        Instant receivedFrom, Instant receivedTo, int page, int size, java.util.UUID agencyId, Boolean emergency,
        String verification, Sort sort) {

    /** The orders the list can be shown in. */
    public enum Sort { NEWEST, OLDEST, EMERGENCY_FIRST }

    public RequestQuery(String status, String requestingState, String instrument, String measure,
            Instant receivedFrom, Instant receivedTo, int page, int size, java.util.UUID agencyId) {
        this(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size, agencyId, null, null,
                Sort.NEWEST);
    }

    public static final int MAX_SIZE = 1000;

    public static RequestQuery firstPage(int size) {
        return new RequestQuery(null, null, null, null, null, null, 0, size, null);
    }

    /** The same query limited to one sending agency's requests. */
    public RequestQuery forAgency(java.util.UUID agency) {
        return new RequestQuery(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size,
                agency, emergency, verification, sort);
    }
}
