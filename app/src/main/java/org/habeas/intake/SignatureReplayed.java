package org.habeas.intake;

/** A verified signature (the same {@code jti}, or the same signed bytes) that the agency's requests used before. */
public final class SignatureReplayed extends RuntimeException {

    SignatureReplayed() {
        super("This signed request was received before (the same \"jti\" or the same signed bytes); a signed request "
                + "is accepted once.");
    }
}
