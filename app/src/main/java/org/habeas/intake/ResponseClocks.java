package org.habeas.intake;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

/**
 * The response deadlines that another module keeps (casework: from the instrument's own, the operator's default,
 * the pauses while the requester is asked, a deadline set anew), for the queue's deadline filters and order.
 */
public interface ResponseClocks {

    /** The response deadline of every request whose clock runs now: open, undecided, not waiting for the requester. */
    Map<UUID, Instant> running();
}
