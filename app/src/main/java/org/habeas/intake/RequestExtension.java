package org.habeas.intake;

import java.util.Optional;
import java.util.UUID;

/**
 * What other modules add to a stored request's representation (the API's JSON and the request page), without
 * intake depending on them: the safeguards module adds the assessment, later modules the case and the log entry.
 */
public interface RequestExtension {

    /** The member name in the request's JSON, and the model attribute on its page. */
    String name();

    /** This module's part for a request, if it has one. Must be serializable by Jackson. */
    Optional<Object> forRequest(UUID requestId);

    /**
     * This module's parts for a page of requests, by request id (a request without one is absent): what
     * {@link #forRequest} gives for each, in a number of queries that does not grow with the page.
     */
    default java.util.Map<UUID, Object> forRequests(java.util.List<ReceivedRequest> requests) {
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        requests.forEach(r -> forRequest(r.id()).ifPresent(part -> out.put(r.id(), part)));
        return out;
    }
}
