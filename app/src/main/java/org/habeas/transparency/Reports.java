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

    /**
     * CSV with the header and conventions of Google's google-user-data-requests.csv: per requesting state one row per
     * legal process ({@code Legal Requests}, {@code Emergency Disclosure Requests}, {@code Preservation Requests}),
     * each only when there is one; the percentage a whole number; preservation rows without a percentage, since
     * Google produces no data on a preservation and leaves them out of the requests it counts (Google's user data
     * requests FAQ, https://support.google.com/transparencyreport/answer/7380434).
     */
    @SuppressWarnings("unchecked")
    public String google(Map<String, Object> doc) {
        StringBuilder out = new StringBuilder(String.join(",", GOOGLE)).append("\r\n");
        String ending = Periods.closes((String) doc.get("period")).minusDays(1).toString();
        perState(doc).forEach((state, v) -> {
            String prefix = ending + "," + quote(GOOGLE_NAMES.of(state, known(state))) + "," + state + ",";
            long legal = v.requests - v.emergencyRequests;
            if (legal > 0) {
                out.append(prefix).append("Legal Requests,").append(legal).append(',')
                        .append(wholePercent(v.produced - v.emergencyProduced, legal)).append(',')
                        .append(v.accounts - v.emergencyAccounts).append("\r\n");
            }
            if (v.emergencyRequests > 0) {
                out.append(prefix).append("Emergency Disclosure Requests,").append(v.emergencyRequests).append(',')
                        .append(wholePercent(v.emergencyProduced, v.emergencyRequests)).append(',')
                        .append(v.emergencyAccounts).append("\r\n");
            }
            if (v.preservations > 0) {
                out.append(prefix).append("Preservation Requests,").append(v.preservations).append(",,")
                        .append(v.preservationAccounts).append("\r\n");
            }
        });
        return out.toString();
    }

    /**
     * CSV with the header and conventions of Meta's government requests CSV, per requesting state: percentages with
     * two decimals and {@code %}; preservations only in their own columns, not in the requests and accounts.
     */
    public String meta(Map<String, Object> doc) {
        StringBuilder out = new StringBuilder(String.join(",", META)).append("\r\n");
        perState(doc).forEach((state, v) -> out.append(quote(META_NAMES.of(state, known(state)))).append(',')
                .append(v.requests).append(',').append(v.accounts).append(',').append(percent(v.produced, v.requests))
                .append("%,0,").append(v.preservations).append(',').append(v.accountsPreserved).append("\r\n"));
        return out.toString();
    }

    private static final CountryNames GOOGLE_NAMES = CountryNames.load("google");
    private static final CountryNames META_NAMES = CountryNames.load("meta");

    /** One state's figures: requests for data (preservations apart), and preservations. */
    private static final class StateFigures {
        long requests;
        long accounts;
        long produced;
        long emergencyRequests;
        long emergencyAccounts;
        long emergencyProduced;
        long preservations;
        long preservationAccounts;
        long accountsPreserved;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, StateFigures> perState(Map<String, Object> doc) {
        Map<String, StateFigures> out = new java.util.TreeMap<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) doc.get("rows")) {
            StateFigures v = out.computeIfAbsent((String) row.get("requestingState"), k -> new StateFigures());
            if ("PRESERVATION".equals(row.get("measure"))) {
                v.preservations += ReportFigures.number(row, "requests");
                v.preservationAccounts += ReportFigures.number(row, "accounts");
            } else {
                v.requests += ReportFigures.number(row, "requests");
                v.accounts += ReportFigures.number(row, "accounts");
                v.produced += ReportFigures.number(row, "someDataProduced");
                v.emergencyRequests += ReportFigures.number(row, "emergencyRequests");
                v.emergencyAccounts += ReportFigures.number(row, "emergencyAccounts");
                v.emergencyProduced += ReportFigures.number(row, "emergencyDisclosures");
            }
            v.accountsPreserved += ReportFigures.number(row, "accountsPreserved");
        }
        return out;
    }

    private java.util.Optional<String> known(String code) {
        return kb.state(code).map(s -> s.name());
    }

    private static String percent(long part, long whole) {
        return whole == 0 ? "0.00" : String.format(java.util.Locale.ROOT, "%.2f", 100.0 * part / whole);
    }

    private static String wholePercent(long part, long whole) {
        return whole == 0 ? "0" : Long.toString(Math.round(100.0 * part / whole));
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
