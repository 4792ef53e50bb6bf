package org.habeas.intake;

import java.util.Collection;
import java.util.UUID;

/**
 * A named set of requests that another module defines, for the queue's status filter: the cases waiting for a
 * human-rights officer, for example, which only casework knows. Intake lists the requests of the set.
 */
public interface RequestView {

    /** The value of the queue's {@code status} filter that selects this view. */
    String name();

    /** How people see the view in the filter. */
    String label();

    /** The requests in the view now. */
    Collection<UUID> ids();
}
