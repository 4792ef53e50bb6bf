package org.habeas.transparency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.habeas.ledger.PublicLog;
import org.springframework.stereotype.Service;

/**
 * The accountability register: per requesting state, over a range of reporting periods, how many requests it sent,
 * how many were refused and by which rule (protected conduct, protected persons, no judge, dragnets...), how many
 * the engine escalated, how many were emergencies — counted from the public log's published entries, sorted so
 * that the states sending the most requests refused for rights reasons come first (themes in
 * {@code transparency/themes.yaml}).
 */
@Service
public class Register {

    /**
     * One line of the register (a requesting state, or for oversight an agency): requests; refusals, those for a
     * rights reason, per theme and per rule; escalations; emergencies, and for oversight those that failed
     * verification (null where the public log cannot tell).
     */
    public record Line(String name, String state, long requests, long refused, long rightsRefusals,
            Map<String, Long> byTheme, Map<String, Long> refusedByRule, long escalated, long emergencies,
            Long emergenciesUnverified) {

        public long theme(String id) {
            return byTheme.getOrDefault(id, 0L);
        }
    }

    /** The orders a register can be read in; the first is the default. */
    public static final List<String> SORTS = List.of("rights", "refused", "requests", "escalated", "emergencies");

    private final PublicLog log;
    private final Themes themes = Themes.load();

    Register(PublicLog log) {
        this.log = log;
    }

    public Themes themes() {
        return themes;
    }

    /**
     * Orders lines by a sort key ({@link #SORTS} or a theme id), most first, ties broken by rights refusals, then
     * refusals, then name.
     */
    public static List<Line> sorted(List<Line> lines, String key) {
        java.util.function.ToLongFunction<Line> f = switch (key) {
            case "refused" -> Line::refused;
            case "requests" -> Line::requests;
            case "escalated" -> Line::escalated;
            case "emergencies" -> Line::emergencies;
            case "rights" -> Line::rightsRefusals;
            default -> l -> l.theme(key);
        };
        List<Line> out = new ArrayList<>(lines);
        out.sort(Comparator.comparingLong(f).reversed().thenComparing(Comparator.comparingLong(Line::rightsRefusals)
                .reversed()).thenComparing(Comparator.comparingLong(Line::refused).reversed()).thenComparing(Line::name));
        return out;
    }

    /** The register over the periods from {@code first} to {@code last} (inclusive, e.g. 2026-H1 to 2026-H2). */
    public List<Line> byState(String first, String last, java.time.Instant now) {
        long size = log.head().map(PublicLog.Head::size).orElse(0L);
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Map<String, Long>> rules = new HashMap<>();
        Map<String, Map<String, Long>> byTheme = new HashMap<>();
        log.forEachPublishedEntry(size, now, bytes -> {
            PublicEntry e = PublicEntry.parse(bytes);
            String period = e.period();
            String event = e.event();
            String caseId = e.caseId();
            if (period == null || caseId == null || period.compareTo(first) < 0 || period.compareTo(last) > 0
                    || !org.habeas.ledger.Periods.closed(period, now)) {
                return; // outside the range, or not yet published
            }
            String state = e.requestingState();
            long[] c = counts.computeIfAbsent(state, k -> new long[5]);
            switch (event == null ? "" : event) {
                case "RECEIVED" -> {
                    c[0]++;
                    if (e.emergency()) {
                        c[3]++;
                    }
                }
                case "ASSESSED" -> {
                    if ("ESCALATE".equals(e.outcome())) {
                        c[2]++;
                    }
                }
                case "DECIDED" -> {
                    if ("REFUSE".equals(e.outcome())) {
                        c[1]++;
                        List<String> decisive = e.rules();
                        for (String r : decisive) {
                            rules.computeIfAbsent(state, k -> new TreeMap<>()).merge(r, 1L, Long::sum);
                        }
                        java.util.Set<String> hit = themes.of(decisive);
                        if (!hit.isEmpty()) {
                            c[4]++;
                        }
                        hit.forEach(t -> byTheme.computeIfAbsent(state, k -> new TreeMap<>()).merge(t, 1L, Long::sum));
                    }
                }
                default -> {
                }
            }
        });
        List<Line> out = new ArrayList<>();
        counts.forEach((state, c) -> out.add(new Line(state, state, c[0], c[1], c[4], byTheme.getOrDefault(state, Map.of()),
                rules.getOrDefault(state, Map.of()), c[2], c[3], null)));
        return sorted(out, "rights");
    }
}
