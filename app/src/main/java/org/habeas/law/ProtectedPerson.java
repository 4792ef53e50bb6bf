package org.habeas.law;

/**
 * A person the operator knows to hold a protected role (a journalist, a human-rights defender...), identified
 * the way requests name targets. Kept by the operator in {@code protected-persons.yaml} in the law directory.
 */
public record ProtectedPerson(String type, String value, String role, String note) {

    public ProtectedPerson {
        Vocabulary.check("type", type, Vocabulary.TARGET_TYPES);
        Vocabulary.required("value", value);
        Vocabulary.required("role", role);
    }

    public boolean matches(String targetType, String targetValue) {
        return type.equals(targetType) && value.strip().equalsIgnoreCase(targetValue.strip());
    }
}
