package org.habeas.trust;

import java.util.Map;

/**
 * An agency's record as a sender: how many requests it sent, how many the safeguards refused and by which rule,
 * how many failed a signature check or a call-back, how many it withdrew.
 */
public record SenderRecord(long sent, long refused, Map<String, Long> refusedByRule, long failedVerifications,
        long withdrawn) {
}
