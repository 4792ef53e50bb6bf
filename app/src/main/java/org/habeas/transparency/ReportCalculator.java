package org.habeas.transparency;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;


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

    /**
     * What the log says about one case, kept small: a report over a million requests holds a million of these.
     * Strings that repeat (row keys, outcomes, rules) are shared.
     */
    private static final class Case {
        String row;
        long accounts;
        boolean emergency;
        boolean nonDisclosure;
        boolean preservation;
        String assessed;
        String decided;
        List<String> refusalRules = List.of();
        boolean produced;
        boolean producedContent;
        long preservedAccounts;
        long notified;
        boolean withdrawn;
    }

    private final String period;
    private final Map<Object, Case> cases = new HashMap<>();
    private final Map<String, String> shared = new HashMap<>();

    public ReportCalculator(String period) {
        this.period = period;
    }

    private String shared(String s) {
        return s == null ? null : shared.computeIfAbsent(s, k -> k);
    }

    /** A case id as a map key: a UUID (two longs) when it is one, as Habeas writes them; the string otherwise. */
    private static Object key(String caseId) {
        if (caseId == null || caseId.length() != 36) {
            return caseId;
        }
        try {
            return java.util.UUID.fromString(caseId);
        } catch (IllegalArgumentException e) {
            return caseId;
        }
    }

    /** Feeds one entry (its bytes, as the log serves them), in log order. */
    public void accept(byte[] entry) {
        accept(PublicEntry.parse(entry));
    }

    /** Feeds one entry, in log order. Entries of other shapes (REPORT records) are ignored. */
    public void accept(PublicEntry e) {
        Object id = key(e.caseId());
        String event = e.event();
        if (id == null || event == null) {
            return;
        }
        if (event.equals("RECEIVED")) {
            if (period.equals(e.period())) {
                Case c = cases.computeIfAbsent(id, k -> new Case());
                c.row = shared(e.requestingState() + "|" + e.instrument() + "|" + e.measure());
                c.accounts = e.accounts();
                c.emergency = e.emergency();
                c.nonDisclosure = e.nonDisclosure();
                c.preservation = "PRESERVATION".equals(e.measure());
            }
            return;
        }
        Case c = cases.get(id);
        if (c == null || !period.equals(e.period())) {
            return; // a request received in another period, or an event of another period
        }
        switch (event) {
            case "ASSESSED" -> c.assessed = shared(e.outcome());
            case "DECIDED" -> {
                c.decided = shared(e.outcome());
                c.refusalRules = "REFUSE".equals(c.decided) ? e.rules().stream().map(this::shared).toList() : List.of();
            }
            case "PRODUCED" -> {
                c.produced = true;
                c.producedContent = e.categories().contains("CONTENT");
            }
            case "PRESERVED" -> c.preservedAccounts = e.accounts();
            case "NOTIFIED" -> c.notified++;
            case "WITHDRAWN" -> c.withdrawn = true;
            default -> {
            }
        }
    }

    public Result result() {
        Map<String, Figures> rows = new TreeMap<>();
        for (Case c : cases.values()) {
            Figures f = rows.computeIfAbsent(c.row, k -> new Figures());
            f.requests++;
            f.accounts += c.accounts;
            boolean emergency = c.emergency;
            if (emergency) {
                f.emergencyRequests++;
                f.emergencyAccounts += c.accounts;
            }
            if (c.nonDisclosure) {
                f.nonDisclosureOrders++;
            }
            if (c.preservation) {
                f.preservationRequests++;
            }
            f.accountsPreserved += c.preservedAccounts;
            if (c.produced) {
                f.someDataProduced++;
                if (c.producedContent) {
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
                for (String rule : c.refusalRules) {
                    f.refusedByRule.merge(rule, 1L, Long::sum);
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
