package org.habeas.intake;

import java.time.Instant;
import java.util.UUID;

/**
 * A document attached to a request (the legal order, an annex). {@code sniffedType} is what the bytes are,
 * judged from their content; {@code declaredType} is what the sender said they are. Downloads are always
 * served as the sniffed type.
 */
public record Document(UUID id, UUID requestId, String filename, String declaredType, String sniffedType,
        long size, String sha256, Instant uploadedAt) {
}
