package org.habeas.intake;

import java.util.UUID;

/**
 * Published, outside any transaction, before a retry with the same Idempotency-Key is answered with the request
 * stored earlier: the public log holds the answer until that request's entries have their indexes.
 */
public record RequestReplayed(UUID requestId) {
}
