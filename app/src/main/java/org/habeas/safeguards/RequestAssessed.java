package org.habeas.safeguards;

import java.util.UUID;

/** Published once a received request's assessment has been stored (in the same transaction). */
public record RequestAssessed(UUID requestId, Decision decision) {
}
