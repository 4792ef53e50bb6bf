package org.habeas.intake;

import java.time.Instant;

/**
 * Filters and paging for the list of received requests; {@code null} means "any". {@code page} counts
 * from 0. {@code receivedFrom} is inclusive, {@code receivedTo} exclusive. {@code search} finds a word in the
 * reference (and, with {@code searchBody}, anywhere in the request as received: targets, facts — only for callers
 * who may see identifiers), or any request of {@code searchAgencies} (the agencies whose name matches); {@code ids} limits the list to a {@link RequestView}'s requests.
 */
public record RequestQuery(String status, String requestingState, String instrument, String measure,
        Instant receivedFrom, Instant receivedTo, int page, int size, java.util.UUID agencyId, Boolean emergency,
        String verification, Sort sort, String search, boolean searchBody,
        java.util.Collection<java.util.UUID> searchAgencies, java.util.Collection<java.util.UUID> ids) {

    public RequestQuery(String status, String requestingState, String instrument, String measure,
            Instant receivedFrom, Instant receivedTo, int page, int size, java.util.UUID agencyId, Boolean emergency,
            String verification, Sort sort) {
        this(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size, agencyId, emergency,
                verification, sort, null, false, null, null);
    }

    /**
     * The orders the list can be shown in: by when received, emergencies first, by status (the case's progress,
     * then the oldest first), by response deadline (the soonest first, requests whose clock does not run last).
     */
    public enum Sort { NEWEST, OLDEST, EMERGENCY_FIRST, STATUS, DEADLINE }

    public RequestQuery(String status, String requestingState, String instrument, String measure,
            Instant receivedFrom, Instant receivedTo, int page, int size, java.util.UUID agencyId) {
        this(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size, agencyId, null, null,
                Sort.NEWEST);
    }

    public static final int MAX_SIZE = 1000;

    public static RequestQuery firstPage(int size) {
        return new RequestQuery(null, null, null, null, null, null, 0, size, null);
    }

    /** The same query limited to {@code only} (within the view's requests, if it has a view). */
    public RequestQuery within(java.util.Collection<java.util.UUID> only) {
        java.util.Collection<java.util.UUID> both = ids == null ? only
                : only.stream().filter(new java.util.HashSet<>(ids)::contains).toList();
        return new RequestQuery(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size,
                agencyId, emergency, verification, sort, search, searchBody, searchAgencies, both);
    }

    /** The same query limited to one sending agency's requests. */
    public RequestQuery forAgency(java.util.UUID agency) {
        return new RequestQuery(status, requestingState, instrument, measure, receivedFrom, receivedTo, page, size,
                agency, emergency, verification, sort, search, searchBody, searchAgencies, ids);
    }
}
