package org.habeas.transparency;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

import tools.jackson.databind.JsonNode;

/**
 * Computes a transparency report from public log entries alone, so that anyone holding the published entries
 * can recompute it. A report counts what happened in its period: the requests received in it, and what was done
 * with them in the same period (DECIDED, PRODUCED, PRESERVED, NOTIFIED, WITHDRAWN entries of that period) — all of
 * which are published once the period is closed. Rows are per requesting state × instrument × measure. Pure.
 */
public final class ReportCalculator {

    /** What the report says per row and in total. */
    public record Result(String period, Map<String, Figures> rows, Figures total) {
    }

    /** What the log says about one case. */
    private static final class Case {
        JsonNode received;
        String assessed;
        String decided;
        JsonNode decidedEntry;
        JsonNode produced;
        long preservedAccounts;
        long notified;
        boolean withdrawn;
    }

    private final String period;
    private final Map<String, Case> cases = new HashMap<>();

    public ReportCalculator(String period) {
        this.period = period;
    }

    /** Feeds one entry, in log order. Entries of other shapes (REPORT records) are ignored. */
    public void accept(JsonNode e) {
        String id = text(e.path("case"));
        String event = text(e.path("event"));
        if (id == null || event == null) {
            return;
        }
        if (event.equals("RECEIVED")) {
            if (period.equals(text(e.path("period")))) {
                cases.computeIfAbsent(id, k -> new Case()).received = e;
            }
            return;
        }
        Case c = cases.get(id);
        if (c == null || !period.equals(text(e.path("period")))) {
            return; // a request received in another period, or an event of another period
        }
        switch (event) {
            case "ASSESSED" -> c.assessed = text(e.path("outcome"));
            case "DECIDED" -> {
                c.decided = text(e.path("outcome"));
                c.decidedEntry = e;
            }
            case "PRODUCED" -> c.produced = e;
            case "PRESERVED" -> c.preservedAccounts = e.path("accounts").asLong();
            case "NOTIFIED" -> c.notified++;
            case "WITHDRAWN" -> c.withdrawn = true;
            default -> {
            }
        }
    }

    /** A string member's value, or null when it is absent or not a string (null outcomes, other records). */
    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : null;
    }

    public Result result() {
        Map<String, Figures> rows = new TreeMap<>();
        for (Case c : cases.values()) {
            JsonNode r = c.received;
            String key = text(r.path("requestingState")) + "|" + text(r.path("instrument")) + "|"
                    + text(r.path("measure"));
            Figures f = rows.computeIfAbsent(key, k -> new Figures());
            f.requests++;
            f.accounts += r.path("accounts").asLong();
            boolean emergency = r.path("emergency").asBoolean();
            if (emergency) {
                f.emergencyRequests++;
            }
            if (r.path("nonDisclosure").asBoolean()) {
                f.nonDisclosureOrders++;
            }
            if ("PRESERVATION".equals(text(r.path("measure")))) {
                f.preservationRequests++;
            }
            f.accountsPreserved += c.preservedAccounts;
            if (c.produced != null) {
                f.someDataProduced++;
                boolean content = false;
                for (JsonNode cat : c.produced.path("categories")) {
                    content |= "CONTENT".equals(text(cat));
                }
                if (content) {
                    f.contentProduced++;
                } else {
                    f.nonContentOnly++;
                }
                if (emergency) {
                    f.emergencyDisclosures++;
                }
            } else {
                f.noDataProduced++;
            }
            if ("REFUSE".equals(c.decided)) {
                f.refused++;
                for (JsonNode rule : c.decidedEntry.path("rules")) {
                    f.refusedByRule.merge(text(rule), 1L, Long::sum);
                }
            }
            if ("NARROW".equals(c.decided)) {
                f.narrowed++;
            }
            if ("ESCALATE".equals(c.assessed)) {
                f.escalated++;
            }
            if (c.withdrawn) {
                f.withdrawn++;
            }
            f.usersNotified += c.notified;
        }
        Figures total = new Figures();
        rows.values().forEach(total::add);
        return new Result(period, new LinkedHashMap<>(rows), total);
    }
}
