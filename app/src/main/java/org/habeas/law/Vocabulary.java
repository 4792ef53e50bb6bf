package org.habeas.law;

import java.util.List;

/**
 * The values of Request v1 that the knowledge base refers to. They repeat the enums of the Request v1 JSON Schema
 * ({@code /schema/request-v1.json}); a test keeps the two equal.
 */
public final class Vocabulary {

    public static final List<String> INSTRUMENTS = List.of("UNCC", "BUDAPEST", "BUDAPEST_2AP", "EU_EEVIDENCE",
            "CLOUD_ACT", "BILATERAL_MLAT", "DOMESTIC", "VOLUNTARY_EMERGENCY");
    public static final List<String> MEASURES = List.of("PRESERVATION", "PARTIAL_TRAFFIC_DISCLOSURE", "PRODUCTION",
            "REALTIME_TRAFFIC", "INTERCEPTION", "EMERGENCY_DISCLOSURE");
    public static final List<String> CATEGORIES = List.of("SUBSCRIBER", "IDENTIFICATION", "TRAFFIC", "CONTENT");
    public static final List<String> TARGET_TYPES = List.of("ACCOUNT", "EMAIL", "PHONE", "IP", "DEVICE", "DOMAIN", "OTHER");
    public static final List<String> CONDUCT_GROUPS = List.of("CORE_CYBERCRIME", "CYBER_ENABLED", "SERIOUS_CRIME",
            "ORDINARY_CRIME", "PROTECTED_ACTIVITY", "VAGUE");

    private Vocabulary() {
    }

    static void check(String field, String value, List<String> allowed) {
        if (value == null || !allowed.contains(value)) {
            throw new IllegalArgumentException(field + ": '" + value + "' is not one of " + String.join(", ", allowed));
        }
    }

    static void required(String field, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new IllegalArgumentException(field + ": is required");
        }
    }
}
