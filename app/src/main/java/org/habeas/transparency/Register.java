package org.habeas.transparency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.habeas.ledger.PublicLog;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The accountability register: per requesting state, over a range of reporting periods, how many requests it sent,
 * how many were refused and by which rule (protected conduct, protected persons, no judge, dragnets...), how many
 * the engine escalated, how many were emergencies — counted from the public log's published entries, sorted so
 * that the states sending the most requests refused for rights reasons come first.
 */
@Service
public class Register {

    /** One state's line. */
    public record Line(String state, long requests, long refused, Map<String, Long> refusedByRule, long escalated,
            long emergencies) {
    }

    private final PublicLog log;
    private final JsonMapper json;

    Register(PublicLog log, JsonMapper json) {
        this.log = log;
        this.json = json;
    }

    /** The register over the periods from {@code first} to {@code last} (inclusive, e.g. 2026-H1 to 2026-H2). */
    public List<Line> byState(String first, String last, java.time.Instant now) {
        long size = log.head().map(PublicLog.Head::size).orElse(0L);
        Map<String, String> stateOfCase = new HashMap<>();
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Map<String, Long>> rules = new HashMap<>();
        for (long from = 0; from < size; from += 4096) {
            for (byte[] bytes : log.entries(from, (int) Math.min(4096, size - from))) {
                JsonNode e = json.readTree(new String(bytes, StandardCharsets.UTF_8));
                String period = text(e.path("period"));
                String event = text(e.path("event"));
                String caseId = text(e.path("case"));
                if (period == null || caseId == null || period.compareTo(first) < 0 || period.compareTo(last) > 0
                        || !org.habeas.ledger.Periods.closed(period, now)) {
                    continue; // outside the range, or not yet published
                }
                String state = text(e.path("requestingState"));
                stateOfCase.put(caseId, state);
                long[] c = counts.computeIfAbsent(state, k -> new long[4]);
                switch (event == null ? "" : event) {
                    case "RECEIVED" -> {
                        c[0]++;
                        if (e.path("emergency").asBoolean()) {
                            c[3]++;
                        }
                    }
                    case "ASSESSED" -> {
                        if ("ESCALATE".equals(text(e.path("outcome")))) {
                            c[2]++;
                        }
                    }
                    case "DECIDED" -> {
                        if ("REFUSE".equals(text(e.path("outcome")))) {
                            c[1]++;
                            for (JsonNode r : e.path("rules")) {
                                rules.computeIfAbsent(state, k -> new TreeMap<>()).merge(text(r), 1L, Long::sum);
                            }
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        List<Line> out = new ArrayList<>();
        counts.forEach((state, c) -> out.add(new Line(state, c[0], c[1], rules.getOrDefault(state, Map.of()), c[2], c[3])));
        out.sort(Comparator.comparingLong(Line::refused).reversed().thenComparing(Comparator.comparingLong(Line::escalated)
                .reversed()).thenComparing(Line::state));
        return out;
    }

    private static String text(JsonNode n) {
        return n != null && n.isString() ? n.stringValue() : null;
    }
}
