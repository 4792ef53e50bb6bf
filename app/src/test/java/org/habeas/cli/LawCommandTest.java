package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** {@code habeas law stats} and {@code habeas law show}: what the knowledge base holds, with its sources. */
class LawCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = HabeasCommand.commandLine(Object.class);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void statsCountsFactsByFileAndConfidence() {
        assertThat(run("law", "stats")).isZero();
        assertThat(out.toString())
                .contains("parties.yaml").contains("states.yaml").contains("instruments.yaml")
                .containsPattern("unconfirmed facts, statute catalogue apart: \\d+\\.\\d% \\(\\d+ of \\d+\\)")
                .contains("sources that say \"recalled\": 0");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void statsCountsAnOperatorsUnconfirmedFacts() throws Exception {
        run("law", "stats");
        String before = out.toString().lines().filter(l -> l.startsWith("states.yaml")).findFirst().orElseThrow();
        out.getBuffer().setLength(0);
        Files.writeString(dir.resolve("states.yaml"), """
                - code: XX
                  name: Nowhere
                """.replace("XX", "AQ") + """
                  judiciary: {independent: true, score: 4, edition: "e", source: "recalled", confidence: unconfirmed}
                """);
        assertThat(run("law", "stats", "--law-dir", dir.toString())).isZero();
        String after = out.toString().lines().filter(l -> l.startsWith("states.yaml")).findFirst().orElseThrow();
        assertThat(after).isNotEqualTo(before);
        assertThat(out.toString()).contains("sources that say \"recalled\": 1");
    }

    @Test
    void showPrintsAStatesRatingsFactsAndTreatiesWithSources() {
        assertThat(run("law", "show", "hu", "--on", "2026-12-01")).isZero();
        assertThat(out.toString())
                .startsWith("HU Hungary")
                .contains("STATE_RISK on 2026-12-01: Freedom on the Net 2025: partly free (69/100); Freedom in the World 2026: partly free")
                .contains("-> not high-risk")
                .contains("judiciary: contested or not assessed (F1 2/4)")
                .contains("BUDAPEST: signed 2001-11-23, ratified 2003-12-04, in force from 2004-07-01 [verified]")
                .contains("BUDAPEST_2AP: signed 2023-06-28, ratified 2026-02-05, not in force")
                .contains("source: FH-FIW26");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void showNamesTheEditionInForceOnTheDay() {
        assertThat(run("law", "show", "BO", "--on", "2025-08-01")).isZero();
        assertThat(out.toString().lines().filter(l -> l.startsWith("STATE_RISK")))
                .containsExactly("STATE_RISK on 2025-08-01: Freedom in the World 2025: partly free (65/100) -> not high-risk");
        out.getBuffer().setLength(0);
        assertThat(run("law", "show", "BO", "--on", "2026-08-01")).isZero();
        assertThat(out.toString()).contains("STATE_RISK on 2026-08-01: Freedom in the World 2026: free (69/100)");
        out.getBuffer().setLength(0);
        assertThat(run("law", "show", "CN", "--on", "2024-08-01")).isZero();
        assertThat(out.toString()).contains("Freedom in the World 2025: not free (9/100), the earliest edition Habeas holds, "
                + "which holds only from 2025-01-01").contains("-> high-risk");
    }

    @Test
    void showKnowsKosovoByTheUserAssignedCodeXk() {
        assertThat(run("law", "show", "xk", "--on", "2026-12-01")).isZero();
        assertThat(out.toString()).startsWith("XK Kosovo")
                .contains("STATE_RISK on 2026-12-01: Freedom in the World 2026: partly free (61/100)")
                .contains("source: FH-FIW26");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void badInputExitsTwoWithOneLine() {
        assertThat(run("law", "show", "XX")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("law show: 'XX' is not an ISO 3166-1 alpha-2 code");
        assertThat(out.toString()).isEmpty();

        err.getBuffer().setLength(0);
        assertThat(run("law", "show", "HU", "--on", "2026-13-01")).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("--on: '2026-13-01' is not a date (YYYY-MM-DD)");

        err.getBuffer().setLength(0);
        assertThat(run("law", "stats", "--law-dir", dir.resolve("missing").toString())).isEqualTo(2);
        assertThat(err.toString().lines()).hasSize(1);
    }
}
