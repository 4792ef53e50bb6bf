package org.habeas.intake;

import java.time.Instant;
import java.util.UUID;

/** Published once a request has been stored; the assessment and the public log start from it. */
public record RequestReceived(UUID requestId, Instant receivedAt) {
}
