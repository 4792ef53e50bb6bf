package org.habeas.transparency;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.habeas.ledger.Periods;
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

    /** What the register counts for one state (or agency): the figures of a {@link Line}, added up as they come. */
    static final class Tally {
        long requests;
        long refused;
        long rightsRefusals;
        long escalated;
        long emergencies;
        long emergenciesUnverified;
        final Map<String, Long> rules = new TreeMap<>();
        final Map<String, Long> byTheme = new TreeMap<>();

        void received(boolean emergency) {
            requests++;
            if (emergency) {
                emergencies++;
            }
        }

        /** A refusal decided by these rules: counted per rule, and per theme when it was for a rights reason. */
        void refused(List<String> decisive, Themes themes) {
            refused++;
            decisive.forEach(r -> rules.merge(r, 1L, Long::sum));
            java.util.Set<String> hit = themes.of(decisive);
            if (!hit.isEmpty()) {
                rightsRefusals++;
            }
            hit.forEach(t -> byTheme.merge(t, 1L, Long::sum));
        }

        void add(Tally o) {
            requests += o.requests;
            refused += o.refused;
            rightsRefusals += o.rightsRefusals;
            escalated += o.escalated;
            emergencies += o.emergencies;
            emergenciesUnverified += o.emergenciesUnverified;
            o.rules.forEach((k, v) -> rules.merge(k, v, Long::sum));
            o.byTheme.forEach((k, v) -> byTheme.merge(k, v, Long::sum));
        }

        Line line(String name, String state, boolean withVerification) {
            return new Line(name, state, requests, refused, rightsRefusals, byTheme, rules, escalated, emergencies,
                    withVerification ? emergenciesUnverified : null);
        }
    }

    /** Every published entry counted once, per period and state, for the log at one size and one open period. */
    private record Snapshot(long size, String openPeriod, Map<String, Map<String, Tally>> byPeriod) {
    }

    private volatile Snapshot snapshot;

    /**
     * The register over the periods from {@code first} to {@code last} (inclusive, e.g. 2026-H1 to 2026-H2). The log
     * is read once per checkpoint and open period, whatever ranges are asked for: this is a public page.
     */
    public List<Line> byState(String first, String last, java.time.Instant now) {
        long size = log.head().map(PublicLog.Head::size).orElse(0L);
        String open = Periods.of(now);
        Snapshot s = snapshot;
        if (s == null || s.size() != size || !s.openPeriod().equals(open)) {
            s = new Snapshot(size, open, count(size, now));
            snapshot = s;
        }
        Map<String, Tally> merged = new TreeMap<>();
        s.byPeriod().forEach((period, states) -> {
            if (period.compareTo(first) >= 0 && period.compareTo(last) <= 0) {
                states.forEach((state, t) -> merged.computeIfAbsent(state, k -> new Tally()).add(t));
            }
        });
        List<Line> out = new ArrayList<>();
        merged.forEach((state, t) -> out.add(t.line(state, state, false)));
        return sorted(out, "rights");
    }

    private Map<String, Map<String, Tally>> count(long size, java.time.Instant now) {
        Map<String, Map<String, Tally>> byPeriod = new HashMap<>();
        log.forEachPublishedEntry(size, now, bytes -> {
            PublicEntry e = PublicEntry.parse(bytes);
            if (e.period() == null || e.caseId() == null || e.event() == null || !Periods.closed(e.period(), now)) {
                return; // not a case's event, or not yet published
            }
            Tally t = byPeriod.computeIfAbsent(e.period(), k -> new HashMap<>())
                    .computeIfAbsent(e.requestingState(), k -> new Tally());
            switch (e.event()) {
                case "RECEIVED" -> t.received(e.emergency());
                case "ASSESSED" -> {
                    if ("ESCALATE".equals(e.outcome())) {
                        t.escalated++;
                    }
                }
                case "DECIDED" -> {
                    if ("REFUSE".equals(e.outcome())) {
                        t.refused(e.rules(), themes);
                    }
                }
                default -> {
                }
            }
        });
        return byPeriod;
    }
}
