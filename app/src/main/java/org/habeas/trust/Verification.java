package org.habeas.trust;

import java.util.List;

/**
 * What Habeas knows of a request's sender and whether it may be executed: the signature check's result, the
 * call-backs made, the conditions still open, and the sending agency's record.
 *
 * @param signature     VERIFIED, UNSIGNED or UNKNOWN_KEY
 * @param openConditions conditions that block execution (e.g. VERIFY_REQUESTER_OUT_OF_BAND)
 */
public record Verification(String signature, String signatureKid, List<Callback> callbacks,
        List<String> openConditions, boolean executable, SenderRecord agencyRecord) {
}
