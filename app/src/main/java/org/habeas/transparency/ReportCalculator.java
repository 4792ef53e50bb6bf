package org.habeas.transparency;

import java.util.HashMap;
import java.util.LinkedHashMap;
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

    /** What the log says about one case. */
    private static final class Case {
        PublicEntry received;
        String assessed;
        String decided;
        PublicEntry decidedEntry;
        PublicEntry produced;
        long preservedAccounts;
        long notified;
        boolean withdrawn;
    }

    private final String period;
    private final Map<String, Case> cases = new HashMap<>();

    public ReportCalculator(String period) {
        this.period = period;
    }

    /** Feeds one entry (its bytes, as the log serves them), in log order. */
    public void accept(byte[] entry) {
        accept(PublicEntry.parse(entry));
    }

    /** Feeds one entry, in log order. Entries of other shapes (REPORT records) are ignored. */
    public void accept(PublicEntry e) {
        String id = e.caseId();
        String event = e.event();
        if (id == null || event == null) {
            return;
        }
        if (event.equals("RECEIVED")) {
            if (period.equals(e.period())) {
                cases.computeIfAbsent(id, k -> new Case()).received = e;
            }
            return;
        }
        Case c = cases.get(id);
        if (c == null || !period.equals(e.period())) {
            return; // a request received in another period, or an event of another period
        }
        switch (event) {
            case "ASSESSED" -> c.assessed = e.outcome();
            case "DECIDED" -> {
                c.decided = e.outcome();
                c.decidedEntry = e;
            }
            case "PRODUCED" -> c.produced = e;
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
            PublicEntry r = c.received;
            String key = r.requestingState() + "|" + r.instrument() + "|" + r.measure();
            Figures f = rows.computeIfAbsent(key, k -> new Figures());
            f.requests++;
            f.accounts += r.accounts();
            boolean emergency = r.emergency();
            if (emergency) {
                f.emergencyRequests++;
            }
            if (r.nonDisclosure()) {
                f.nonDisclosureOrders++;
            }
            if ("PRESERVATION".equals(r.measure())) {
                f.preservationRequests++;
            }
            f.accountsPreserved += c.preservedAccounts;
            if (c.produced != null) {
                f.someDataProduced++;
                boolean content = c.produced.categories().contains("CONTENT");
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
                for (String rule : c.decidedEntry.rules()) {
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
