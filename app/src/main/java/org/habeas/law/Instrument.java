package org.habeas.law;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A legal instrument a request can be made under, with what it allows and its thresholds. See
 * {@code law/instruments.yaml}.
 */
public record Instrument(
        String id,
        String title,
        @com.fasterxml.jackson.annotation.JsonProperty("short") String shortTitle,
        Set<String> measures,
        Map<String, Set<String>> dataCategories,
        Set<String> directChannelCategories,
        String directChannelSource,
        Confidence directChannelConfidence,
        Seriousness seriousness,
        Preservation preservation,
        Deadlines deadlines,
        InternalDeadline internalDeadline,
        List<String> requiredElements,
        String requiredElementsSource,
        LocalDate appliesFrom,
        String entryIntoForce,
        List<Fact> facts,
        Integer followUpDays,
        String followUpSource,
        Confidence followUpConfidence,
        String source,
        Confidence confidence) {

    public Instrument {
        Vocabulary.check("id", id, Vocabulary.INSTRUMENTS);
        Vocabulary.required("title", title);
        Vocabulary.required("measures", measures);
        measures.forEach(m -> Vocabulary.check("measures", m, Vocabulary.MEASURES));
        Vocabulary.required("dataCategories", dataCategories);
        if (!dataCategories.containsKey("*")) {
            throw new IllegalArgumentException("dataCategories: needs a \"*\" entry (the categories for any measure)");
        }
        dataCategories.forEach((measure, categories) -> {
            if (!"*".equals(measure)) {
                Vocabulary.check("dataCategories", measure, Vocabulary.MEASURES);
            }
            categories.forEach(c -> Vocabulary.check("dataCategories." + measure, c, Vocabulary.CATEGORIES));
        });
        if (directChannelCategories != null) {
            directChannelCategories.forEach(c -> Vocabulary.check("directChannelCategories", c, Vocabulary.CATEGORIES));
        }
        Vocabulary.required("source", source);
        Vocabulary.required("confidence", confidence);
        requiredElements = requiredElements == null ? List.of() : List.copyOf(requiredElements);
        facts = facts == null ? List.of() : List.copyOf(facts);
        if (internalDeadline != null && deadlines != null && deadlines.responseDays() != null) {
            throw new IllegalArgumentException("internalDeadline: the instrument sets its own response deadline");
        }
    }

    /**
     * The response time the case clock uses, and where it comes from: the instrument's own deadline if it has one,
     * else Habeas's internal default for it (which the operator may change), else none.
     */
    public Optional<ResponseTime> responseTime() {
        if (deadlines != null && deadlines.responseDays() != null) {
            return Optional.of(new ResponseTime(deadlines.responseDays(), deadlines.emergencyResponseHours(),
                    deadlines.source(), false));
        }
        return Optional.ofNullable(internalDeadline).map(d -> new ResponseTime(d.responseDays(),
                d.emergencyResponseHours(), d.source(), true));
    }

    /** How long a response may take; {@code internal} when it is Habeas's default, not the instrument's. */
    public record ResponseTime(int days, Integer emergencyHours, String source, boolean internal) {
    }

    /** A dated fact about the instrument's status, with its source: a count, a date of application, an exception. */
    public record Fact(String fact, String source, Confidence confidence) {
        public Fact {
            Vocabulary.required("facts.fact", fact);
            Vocabulary.required("facts.source", source);
            Vocabulary.required("facts.confidence", confidence);
        }
    }

    /** The data categories the instrument allows for a measure. */
    public Set<String> categoriesFor(String measure) {
        return dataCategories.getOrDefault(measure, dataCategories.get("*"));
    }

    /** The seriousness threshold a charged offence must meet, if the instrument has one. */
    public record Seriousness(BigDecimal minMaxPenaltyYears, Set<String> categories, Set<String> exemptConduct,
            String source, Confidence confidence) {
        public Seriousness {
            Vocabulary.required("seriousness.minMaxPenaltyYears", minMaxPenaltyYears);
            categories = categories == null ? Set.copyOf(Vocabulary.CATEGORIES) : Set.copyOf(categories);
            exemptConduct = exemptConduct == null ? Set.of() : Set.copyOf(exemptConduct);
            Vocabulary.required("seriousness.source", source);
            Vocabulary.required("seriousness.confidence", confidence);
        }
    }

    /** How long a preservation may last under the instrument, and by how much it may be extended. */
    public record Preservation(int days, int extensionDays, String source, Confidence confidence) {
        public Preservation {
            if (days < 1) {
                throw new IllegalArgumentException("preservation.days: must be at least 1");
            }
            Vocabulary.required("preservation.source", source);
            Vocabulary.required("preservation.confidence", confidence);
        }
    }

    /**
     * Habeas's own response target for an instrument that sets no deadline (UNCC, Budapest, MLA treaties): not
     * treaty law, a default of the software that the operator changes by configuration
     * ({@code habeas.deadlines.internal.<INSTRUMENT>.response-days}, {@code .emergency-hours}) or in an override of
     * this file. {@code edition} says which Habeas default it is.
     */
    public record InternalDeadline(Integer responseDays, Integer emergencyResponseHours, String source, String edition,
            Confidence confidence) {
        public InternalDeadline {
            if (responseDays == null || responseDays < 1) {
                throw new IllegalArgumentException("internalDeadline.responseDays: must be at least 1");
            }
            if (emergencyResponseHours != null && emergencyResponseHours < 1) {
                throw new IllegalArgumentException("internalDeadline.emergencyResponseHours: must be at least 1");
            }
            Vocabulary.required("internalDeadline.source", source);
            Vocabulary.required("internalDeadline.edition", edition);
            Vocabulary.required("internalDeadline.confidence", confidence);
        }
    }

    /** Response deadlines the instrument sets. */
    public record Deadlines(Integer responseDays, Integer emergencyResponseHours, Integer enforcingAuthorityDays,
            Integer enforcingAuthorityEmergencyHours, String source, Confidence confidence) {
    }
}
