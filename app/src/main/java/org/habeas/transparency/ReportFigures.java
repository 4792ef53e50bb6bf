package org.habeas.transparency;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the report page and the PDF both draw from a report's total: labels, outcomes, refusals by rule. */
final class ReportFigures {

    private ReportFigures() {
    }

    private static final List<String> OUTCOMES = List.of("someDataProduced", "contentProduced", "nonContentOnly",
            "noDataProduced", "refused", "narrowed", "escalated", "withdrawn");

    /** The outcome figures, labelled, in a fixed order. */
    static Map<String, Long> outcomes(Map<String, Object> total) {
        Map<String, Long> out = new LinkedHashMap<>();
        OUTCOMES.forEach(key -> out.put(LABELS.get(key), number(total, key)));
        return out;
    }

    /** Refusals per rule, most first, then by rule. */
    @SuppressWarnings("unchecked")
    static Map<String, Long> refusalsByRule(Map<String, Object> total) {
        Map<String, Long> out = new LinkedHashMap<>();
        ((Map<String, Object>) total.getOrDefault("refusedByRule", Map.of())).entrySet().stream()
                .sorted(Comparator.comparing((Map.Entry<String, Object> e) -> ((Number) e.getValue()).longValue())
                        .reversed().thenComparing(Map.Entry::getKey))
                .forEach(e -> out.put(e.getKey(), ((Number) e.getValue()).longValue()));
        return out;
    }

    /** A figure as a number; 0 when a report from before the figure existed lacks it. */
    static long number(Map<String, Object> m, String key) {
        return m.get(key) instanceof Number n ? n.longValue() : 0;
    }

    /** Every figure of a report's total, with its label, in the report's order. */
    static final Map<String, String> LABELS = labels();

    private static Map<String, String> labels() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("requests", "Requests received");
        m.put("accounts", "Accounts specified");
        m.put("someDataProduced", "Some data produced");
        m.put("contentProduced", "Content produced");
        m.put("nonContentOnly", "Non-content only");
        m.put("noDataProduced", "No data produced");
        m.put("refused", "Refused");
        m.put("narrowed", "Narrowed");
        m.put("escalated", "Escalated");
        m.put("withdrawn", "Withdrawn");
        m.put("emergencyRequests", "Emergency requests");
        m.put("emergencyDisclosures", "Emergency disclosures");
        m.put("emergencyAccounts", "Accounts in emergency requests");
        m.put("preservationRequests", "Preservation requests");
        m.put("accountsPreserved", "Accounts preserved");
        m.put("nonDisclosureOrders", "With a non-disclosure order");
        m.put("usersNotified", "Users notified");
        return m;
    }
}
