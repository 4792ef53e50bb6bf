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
}
