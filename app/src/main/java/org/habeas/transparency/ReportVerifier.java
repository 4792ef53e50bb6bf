package org.habeas.transparency;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.Note;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a published report against the public log: the log itself (signature, tiles, entries), the checkpoint the
 * report names (its root at the report's size), and every figure, recounted from the published entries of the
 * report's period. Returns the differences, each naming the figure; none means the report is what the log says.
 */
public final class ReportVerifier {

    private ReportVerifier() {
    }

    public static List<String> verify(JsonNode report, LogVerifier.Fetcher fetcher, Note.Verifier vkey)
            throws LogVerifier.Failure, IOException {
        JsonMapper json = JsonMapper.builder().build();
        String period = report.path("period").stringValue();
        long size = report.path("log").path("size").asLong();
        if (!org.habeas.ledger.Periods.valid(period)) {
            throw new IllegalArgumentException("the report names no period");
        }
        // the verifier hands on each entry once it matched its leaf hash, in index order
        ReportCalculator calc = new ReportCalculator(period);
        LogVerifier.Summary s = LogVerifier.verify(fetcher, vkey, List.of(), null, p -> { }, (index, entry) -> {
            if (index < size) {
                calc.accept(entry);
            }
        });
        List<String> differences = new ArrayList<>();
        if (size > s.size()) {
            differences.add("log.size: the report names size " + size + " but the log has only " + s.size());
            return differences;
        }
        if (!s.origin().equals(report.path("log").path("origin").stringValue())) {
            differences.add("log.origin: report " + report.path("log").path("origin").stringValue() + ", log " + s.origin());
        }
        String root = Base64.getEncoder().encodeToString(s.tree().root(size));
        if (!root.equals(report.path("log").path("root").stringValue())) {
            differences.add("log.root: the report names root " + report.path("log").path("root").stringValue()
                    + " at size " + size + ", the log has " + root);
        }
        Map<String, Object> recount = Reports.document(calc.result(), s.origin(), size, root);
        JsonNode expected = json.valueToTree(recount);
        compare("total", report.path("total"), expected.path("total"), differences);
        Map<String, JsonNode> reported = rows(report);
        Map<String, JsonNode> counted = rows(expected);
        for (String key : union(reported, counted)) {
            JsonNode a = reported.get(key);
            JsonNode b = counted.get(key);
            if (a == null || b == null) {
                differences.add("row " + key + ": " + (a == null ? "missing from the report" : "not in the log"));
            } else {
                compare("row " + key, a, b, differences);
            }
        }
        return differences;
    }

    /** Equal as figures: numbers by value (5 and 5L are the same count), objects key by key. */
    private static boolean same(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<String> it = b.propertyNames().iterator(); it.hasNext();) {
                String k = it.next();
                if (!a.has(k) || !same(a.get(k), b.get(k))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    private static Map<String, JsonNode> rows(JsonNode doc) {
        Map<String, JsonNode> out = new TreeMap<>();
        for (JsonNode r : doc.path("rows")) {
            out.put(r.path("requestingState").stringValue() + "/" + r.path("instrument").stringValue() + "/"
                    + r.path("measure").stringValue(), r);
        }
        return out;
    }

    private static List<String> union(Map<String, JsonNode> a, Map<String, JsonNode> b) {
        TreeMap<String, Boolean> keys = new TreeMap<>();
        a.keySet().forEach(k -> keys.put(k, true));
        b.keySet().forEach(k -> keys.put(k, true));
        return new ArrayList<>(keys.keySet());
    }

    /** Figures added after reports were first published: a report from before lacks them and is checked on the rest. */
    static final java.util.Set<String> LATER_FIGURES = java.util.Set.of("emergencyAccounts");

    static void compare(String where, JsonNode reported, JsonNode counted, List<String> differences) {
        for (Iterator<String> it = counted.propertyNames().iterator(); it.hasNext();) {
            String name = it.next();
            if (name.equals("requestingState") || name.equals("instrument") || name.equals("measure")) {
                continue;
            }
            JsonNode a = reported.path(name);
            if (a.isMissingNode() && LATER_FIGURES.contains(name)) {
                continue;
            }
            JsonNode b = counted.path(name);
            if (!same(a, b)) {
                differences.add(where + " " + name + ": report " + a + ", log " + b);
            }
        }
    }
}
