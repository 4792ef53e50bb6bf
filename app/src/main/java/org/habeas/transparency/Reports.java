package org.habeas.transparency;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.habeas.law.KnowledgeBase;
import org.habeas.ledger.Periods;
import org.habeas.ledger.PublicLog;
import org.springframework.stereotype.Service;

/**
 * Transparency reports for closed periods, computed from the public log up to its latest signed checkpoint and
 * naming it, so that anyone can recount them ({@code habeas report verify}). JSON (complete), CSV in Habeas's
 * columns, and CSV in the column sets of Google's and Meta's reports.
 */
@Service
public class Reports {

    public static final List<String> GOOGLE = List.of("Period Ending", "Country", "CLDR Territory Code", "Legal Process",
            "User Data Requests", "Percentage of requests where some data produced", "Users/Accounts Specified");
    public static final List<String> META = List.of("Country", "Total Requests for User Data",
            "Total User Accounts Referenced", "Total Percentage of Requests Where Some Data Produced",
            "Content Restrictions", "Preservations Requested", "Users/Accounts Preserved");

    private final PublicLog log;
    private final KnowledgeBase kb;
    private final Clock clock;

    Reports(PublicLog log, KnowledgeBase kb, Clock clock) {
        this.log = log;
        this.kb = kb;
        this.clock = clock;
    }

    /** The report of a closed period as a JSON-ready map. */
    public Map<String, Object> compute(String period) {
        if (!Periods.closed(period, clock.instant())) {
            throw new IllegalArgumentException("period " + period + " is not closed yet (it closes on "
                    + Periods.closes(period) + ")");
        }
        PublicLog.Head head = log.head().orElseThrow(() -> new IllegalStateException("the log has no checkpoint yet"));
        ReportCalculator calc = new ReportCalculator(period);
        // only what the log publishes, so that anyone can recount it; an event logged after its period closed
        // behind an entry of the open period is published, and counted, only once that period closes too
        log.forEachPublishedEntry(head.size(), clock.instant(), calc::accept);
        return document(calc.result(), head.origin(), head.size(), Base64.getEncoder().encodeToString(head.root()));
    }

    /** The report document: the log it was computed from, the rows and the total. */
    public static Map<String, Object> document(ReportCalculator.Result r, String origin, long size, String root) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("v", 1);
        doc.put("period", r.period());
        doc.put("log", Map.of("origin", origin, "size", size, "root", root));
        List<Map<String, Object>> rows = new ArrayList<>();
        r.rows().forEach((key, f) -> {
            String[] k = key.split("\\|");
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("requestingState", k[0]);
            row.put("instrument", k[1]);
            row.put("measure", k[2]);
            row.putAll(f.asMap());
            rows.add(row);
        });
        doc.put("rows", rows);
        doc.put("total", r.total().asMap());
        return doc;
    }

    /** CSV in Habeas's own columns: one line per row, rule counts as RULE=n;RULE=n. */
    @SuppressWarnings("unchecked")
    public static String csv(Map<String, Object> doc) {
        StringBuilder out = new StringBuilder("period,requestingState,instrument,measure");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("rows");
        List<String> figures = new ArrayList<>(((Map<String, Object>) doc.get("total")).keySet());
        figures.forEach(f -> out.append(',').append(f));
        out.append("\r\n");
        for (Map<String, Object> row : rows) {
            out.append(doc.get("period")).append(',').append(row.get("requestingState")).append(',')
                    .append(row.get("instrument")).append(',').append(row.get("measure"));
            for (String f : figures) {
                Object v = row.get(f);
                out.append(',').append(v instanceof Map<?, ?> m ? quote(rules((Map<String, Long>) m)) : v);
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    /** CSV with the exact header of Google's report: per requesting state, preservations excluded as Google does. */
    @SuppressWarnings("unchecked")
    public String google(Map<String, Object> doc) {
        Map<String, long[]> byState = perState(doc, true);
        StringBuilder out = new StringBuilder(String.join(",", GOOGLE)).append("\r\n");
        String ending = Periods.closes((String) doc.get("period")).minusDays(1).toString();
        byState.forEach((state, v) -> out.append(ending).append(',').append(quote(country(state))).append(',')
                .append(state).append(",All,").append(v[0]).append(',').append(percent(v[2], v[0])).append(',')
                .append(v[1]).append("\r\n"));
        return out.toString();
    }

    /** CSV with the exact header of Meta's report, per requesting state. */
    public String meta(Map<String, Object> doc) {
        Map<String, long[]> byState = perState(doc, false);
        StringBuilder out = new StringBuilder(String.join(",", META)).append("\r\n");
        byState.forEach((state, v) -> out.append(quote(country(state))).append(',').append(v[0]).append(',')
                .append(v[1]).append(',').append(percent(v[2], v[0])).append(",0,").append(v[3]).append(',')
                .append(v[4]).append("\r\n"));
        return out.toString();
    }

    /** Per state: requests, accounts, some data produced, preservations, accounts preserved. */
    @SuppressWarnings("unchecked")
    private static Map<String, long[]> perState(Map<String, Object> doc, boolean withoutPreservation) {
        Map<String, long[]> out = new java.util.TreeMap<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) doc.get("rows")) {
            boolean preservation = "PRESERVATION".equals(row.get("measure"));
            long[] v = out.computeIfAbsent((String) row.get("requestingState"), k -> new long[5]);
            if (!(withoutPreservation && preservation)) {
                v[0] += ((Number) row.get("requests")).longValue();
                v[1] += ((Number) row.get("accounts")).longValue();
                v[2] += ((Number) row.get("someDataProduced")).longValue();
            }
            v[3] += ((Number) row.get("preservationRequests")).longValue();
            v[4] += ((Number) row.get("accountsPreserved")).longValue();
        }
        return out;
    }

    private String country(String code) {
        return kb.state(code).map(s -> s.name()).orElse(code);
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0.00" : String.format(java.util.Locale.ROOT, "%.2f", 100.0 * part / whole);
    }

    private static String rules(Map<String, Long> m) {
        List<String> parts = new ArrayList<>();
        m.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(";", parts);
    }

    private static String quote(String s) {
        return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
