package org.habeas.intake;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A Request v1 document read into Java: the typed view of a stored request (schema:
 * {@code /schema/request-v1.json}). Enumerated values stay strings here; the schema has already checked them.
 * Absent optional fields are {@code null}.
 */
public record EvidenceRequest(
        String reference,
        OffsetDateTime receivedAt,
        String instrument,
        String channel,
        String measure,
        List<String> dataCategories,
        String requestingState,
        String requestedState,
        Authority requestingAuthority,
        Offence offence,
        String facts,
        List<Target> targets,
        Period period,
        Authorization authorization,
        Emergency emergency,
        Confidentiality confidentiality,
        Integer preservationDays,
        Integer durationDays,
        OnwardTransfer onwardTransfer,
        List<String> demands) {

    public record Authority(String name, String kind, String email, String phone) {
    }

    public record Offence(String statute, String description, BigDecimal maxPenaltyYears, String conduct,
            Boolean deathPenaltyPossible, Boolean deathPenaltyAssurance) {
    }

    public record Target(String type, String value) {
    }

    public record Period(LocalDate from, LocalDate to) {
    }

    public record Authorization(String kind, String issuedBy, String reference, LocalDate issuedOn,
            Boolean independent) {
    }

    public record Emergency(String threat, boolean imminent, String justification) {
    }

    public record Confidentiality(LocalDate nonDisclosureUntil, String reason) {
    }

    public record OnwardTransfer(String toState, String purpose) {
    }
}
