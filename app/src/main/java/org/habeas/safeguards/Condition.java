package org.habeas.safeguards;

/** Something that must happen before the request is executed, such as verifying the requester out of band. */
public record Condition(String code, String text) {
}
