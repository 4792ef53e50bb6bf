package org.habeas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.habeas.law.Confidence;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawDataException;
import org.habeas.law.LawLoader;
import org.habeas.law.StateCodes;
import org.habeas.law.StateProfile;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code habeas law stats} and {@code habeas law show STATE}: what the knowledge base holds, with its sources. */
@Command(name = "law",
        description = "What the knowledge base holds: `law stats` counts its facts by confidence; `law show STATE` "
                + "prints every fact about a state with its source.",
        subcommands = {LawCommand.Stats.class, LawCommand.Show.class})
final class LawCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
    }

    /** The statute catalogue: counted apart, since it is kept by the safeguards, not from treaty and state sources. */
    static final String STATUTES = "statutes.yaml";

    abstract static class Base implements Callable<Integer> {
        @Option(names = "--law-dir", paramLabel = "DIR", description = "A directory of knowledge-base files that override the shipped ones.")
        Path lawDir;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        KnowledgeBase load(PrintWriter err) {
            try {
                return new LawLoader().load(lawDir);
            } catch (LawDataException | IllegalArgumentException e) {
                err.println(e.getMessage());
                return null;
            }
        }
    }

    @Command(name = "stats", description = "Count the knowledge base's facts by file and confidence, with the share "
            + "that is unconfirmed, and the sources that say \"recalled\" (there should be none).")
    static final class Stats extends Base {
        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            KnowledgeBase kb = load(err);
            if (kb == null) {
                err.flush();
                return HabeasCommand.BAD_INPUT;
            }
            List<KnowledgeBase.Fact> facts = kb.facts();
            Map<String, int[]> byFile = new LinkedHashMap<>();
            int[] all = new int[3];
            int[] law = new int[3];
            int recalled = 0;
            for (KnowledgeBase.Fact f : facts) {
                int[] row = byFile.computeIfAbsent(f.file(), k -> new int[3]);
                int i = f.confidence().ordinal();
                row[i]++;
                all[i]++;
                if (!f.file().equals(STATUTES)) {
                    law[i]++;
                }
                if (f.source().toLowerCase(Locale.ROOT).contains("recalled")) {
                    recalled++;
                }
            }
            out.printf("%-28s %7s %9s %10s %12s %7s%n", "file", "facts", "verified", "secondary", "unconfirmed", "share");
            byFile.forEach((file, row) -> line(out, file, row));
            line(out, "all but " + STATUTES, law);
            line(out, "all", all);
            out.println("unconfirmed facts, statute catalogue apart: " + percent(law) + " ("
                    + law[Confidence.UNCONFIRMED.ordinal()] + " of " + (law[0] + law[1] + law[2]) + ")");
            out.println("sources that say \"recalled\": " + recalled);
            out.flush();
            return 0;
        }

        private static void line(PrintWriter out, String name, int[] row) {
            out.printf("%-28s %7d %9d %10d %12d %7s%n", name, row[0] + row[1] + row[2], row[0], row[1], row[2], percent(row));
        }

        static String percent(int[] row) {
            int total = row[0] + row[1] + row[2];
            return total == 0 ? "-" : String.format(Locale.ROOT, "%.1f%%", 100.0 * row[2] / total);
        }
    }

    @Command(name = "show", description = "Print what Habeas holds about a state (ISO 3166-1 alpha-2 code): its "
            + "profile, the ratings in force on a day, and its treaty status, each fact with its source and confidence.")
    static final class Show extends Base {
        @Parameters(paramLabel = "STATE", description = "ISO 3166-1 alpha-2 code, e.g. HU (XK for Kosovo).")
        String state;

        @Option(names = "--on", paramLabel = "DATE", description = "The day whose ratings to show (YYYY-MM-DD; default today, UTC).")
        String on;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            String code = state.strip().toUpperCase(Locale.ROOT);
            if (!StateCodes.known(code)) {
                err.println("law show: '" + state + "' is not an ISO 3166-1 alpha-2 code");
                err.flush();
                return HabeasCommand.BAD_INPUT;
            }
            LocalDate day;
            try {
                day = on == null ? LocalDate.now(ZoneOffset.UTC) : LocalDate.parse(on);
            } catch (DateTimeParseException e) {
                err.println("--on: '" + on + "' is not a date (YYYY-MM-DD)");
                err.flush();
                return HabeasCommand.BAD_INPUT;
            }
            KnowledgeBase kb = load(err);
            if (kb == null) {
                err.flush();
                return HabeasCommand.BAD_INPUT;
            }
            StateProfile st = kb.state(code).orElse(null);
            out.println(code + " " + (st != null ? st.name() : Locale.of("", code).getDisplayCountry(Locale.ENGLISH)));
            if (st == null) {
                out.println("Habeas holds no profile of this state: STATE_RISK has no rating for it.");
            } else {
                List<String> ratings = new ArrayList<>();
                st.onlineRating(day).ifPresent(r -> ratings.add(r.describe()));
                st.freedomRating(day).ifPresent(r -> ratings.add(r.describe()));
                boolean high = st.onlineRating(day).map(r -> r.rating().highRisk()).orElse(false)
                        || st.freedomRating(day).map(r -> r.rating().highRisk()).orElse(false);
                out.println("STATE_RISK on " + day + ": " + (ratings.isEmpty() ? "no rating" : String.join("; ", ratings))
                        + (high ? " -> high-risk (the more severe rating wins)" : " -> not high-risk"));
                out.println("Not crimes (dual criminality): " + sorted(st.doesNotCriminalise()));
                out.println("Protected conduct made crimes: " + sorted(st.criminalisesProtected()));
                out.println("Capital conduct (death penalty): " + sorted(st.capitalConduct()));
            }
            out.println();
            out.println("Facts:");
            int n = 0;
            for (KnowledgeBase.Fact f : kb.facts()) {
                if (f.subject().equals(code) && !f.file().equals(STATUTES)) {
                    out.println("  " + f.field() + ": " + f.value() + " [" + f.confidence().json() + "]");
                    out.println("      source: " + f.source() + " (" + f.file() + ")");
                    n++;
                }
            }
            long statutes = kb.facts().stream().filter(f -> f.subject().equals(code) && f.file().equals(STATUTES)).count();
            if (n == 0) {
                out.println("  none");
            }
            if (statutes > 0) {
                out.println("Statute catalogue: " + statutes + " provisions of " + code + " (statutes.yaml).");
            }
            out.flush();
            return 0;
        }

        private static String sorted(Set<String> classes) {
            return classes.isEmpty() ? "none recorded" : String.join(", ", classes.stream().sorted().toList());
        }
    }
}
