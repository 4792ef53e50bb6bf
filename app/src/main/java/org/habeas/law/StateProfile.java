package org.habeas.law;

import java.util.Set;

/** What the safeguards know about a state. See {@code law/states.yaml}. */
public record StateProfile(
        String code,
        String name,
        Rating freedomOnTheNet,
        Boolean judiciaryIndependent,
        Set<String> doesNotCriminalise,
        Set<String> criminalisesProtected,
        DeathPenalty deathPenalty,
        String notes,
        String source,
        Confidence confidence) {

    public StateProfile {
        Vocabulary.required("code", code);
        Vocabulary.required("name", name);
        doesNotCriminalise = doesNotCriminalise == null ? Set.of() : Set.copyOf(doesNotCriminalise);
        criminalisesProtected = criminalisesProtected == null ? Set.of() : Set.copyOf(criminalisesProtected);
        deathPenalty = deathPenalty == null ? new DeathPenalty(false, Set.of()) : deathPenalty;
        Vocabulary.required("source", source);
        Vocabulary.required("confidence", confidence);
    }

    /** A rating from a named edition of a named index. */
    public record Rating(String status, String edition, String source, Confidence confidence) {
        public Rating {
            Vocabulary.check("freedomOnTheNet.status", status, java.util.List.of("FREE", "PARTLY_FREE", "NOT_FREE"));
            Vocabulary.required("freedomOnTheNet.edition", edition);
            Vocabulary.required("freedomOnTheNet.source", source);
            Vocabulary.required("freedomOnTheNet.confidence", confidence);
        }

        public boolean highRisk() {
            return "NOT_FREE".equals(status);
        }

        public String describe() {
            return edition + ": " + status.replace('_', ' ').toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** Whether the state keeps the death penalty, and for which conduct. */
    public record DeathPenalty(boolean retains, Set<String> forConduct) {
        @com.fasterxml.jackson.annotation.JsonCreator
        public DeathPenalty(@com.fasterxml.jackson.annotation.JsonProperty("retains") boolean retains,
                @com.fasterxml.jackson.annotation.JsonProperty("for") Set<String> forConduct) {
            this.retains = retains;
            this.forConduct = forConduct == null ? Set.of() : Set.copyOf(forConduct);
        }
    }
}
