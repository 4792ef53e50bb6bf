package org.habeas.safeguards;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A policy profile: which rules run, in which order, with which thresholds, and how far each may act
 * ({@code maxEffect: NOTE} turns a rule into advice). The id and version are named in every assessment.
 */
public record Profile(String id, int version, String description, Map<String, RuleSettings> rules) {

    public Profile {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id: is required");
        }
        if (version < 1) {
            throw new IllegalArgumentException("version: must be at least 1");
        }
        if (rules == null || rules.isEmpty()) {
            throw new IllegalArgumentException("rules: at least one rule is required");
        }
        rules.keySet().forEach(rule -> {
            if (!Rules.IDS.contains(rule)) {
                throw new IllegalArgumentException("rules: '" + rule + "' is not a rule; rules are " + String.join(", ", Rules.IDS));
            }
        });
        Map<String, RuleSettings> copy = new LinkedHashMap<>();
        rules.forEach((k, v) -> copy.put(k, v == null ? RuleSettings.DEFAULT : v));
        rules = java.util.Collections.unmodifiableMap(copy);
    }

    public String policy() {
        return id + "@" + version;
    }

    /** One rule's settings: an effect cap and numeric thresholds (each rule documents the ones it reads). */
    public record RuleSettings(Effect maxEffect, Map<String, Integer> limits) {
        static final RuleSettings DEFAULT = new RuleSettings(null, Map.of());

        public RuleSettings {
            limits = limits == null ? Map.of() : Map.copyOf(limits);
        }

        int limit(String name, int fallback) {
            return limits.getOrDefault(name, fallback);
        }
    }
}
