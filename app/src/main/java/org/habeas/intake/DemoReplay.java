package org.habeas.intake;

import java.time.Instant;
import java.util.UUID;

/**
 * Demo mode: what happened to a demo request after its receipt, replayed right after it is received (so that the
 * log's entries stay in time order). Casework implements it; intake's demo loader calls it for each sample.
 */
public interface DemoReplay {

    void afterReceipt(UUID requestId, Instant receivedAt);
}
