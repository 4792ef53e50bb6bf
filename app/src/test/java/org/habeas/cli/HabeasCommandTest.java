package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import picocli.CommandLine;

/** The command line, run in-process: exit codes and what goes to stdout and stderr. */
class HabeasCommandTest {

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
    void validRequestsExitZero() throws Exception {
        Path good = dir.resolve("good.json");
        try (var in = getClass().getResourceAsStream("/demo/01-fr-fraud.json")) {
            Files.copy(in, good);
        }
        assertThat(run("validate", good.toString())).isZero();
        assertThat(out.toString()).contains("good.json: valid");
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void invalidRequestsExitTwoAndListEveryProblemOnStderr() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, """
                {"reference": "R-1", "instrument": "UNCC", "channel": "MLA", "measure": "PRODUCTION",
                 "dataCategories": ["CONTENT"], "requestingState": "XX", "requestedState": "IE",
                 "requestingAuthority": {"name": "Police", "kind": "POLICE"},
                 "offence": {"statute": "s. 1", "description": "d"}, "facts": "f",
                 "targets": [{"type": "ACCOUNT"}], "preservationDays": 90}
                """);
        assertThat(run("validate", bad.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly(
                bad + ": /preservationDays: is allowed only when measure is PRESERVATION",
                bad + ": /requestingState: 'XX' is not an ISO 3166-1 alpha-2 country code",
                bad + ": /targets/0/value: is required");
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void oneBadFileAmongGoodOnesStillExitsTwo() throws Exception {
        Path good = dir.resolve("good.json");
        try (var in = getClass().getResourceAsStream("/demo/02-de-ransomware-preservation.json")) {
            Files.copy(in, good);
        }
        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"reference\": ");
        Path missing = dir.resolve("missing.json");
        assertThat(run("validate", good.toString(), broken.toString(), missing.toString())).isEqualTo(2);
        assertThat(out.toString()).contains("good.json: valid");
        assertThat(err.toString()).contains("broken.json: The body is not valid JSON").contains("missing.json: cannot read");
    }

    @Test
    void unknownOptionsAndMissingArgumentsAreBadInput() {
        assertThat(run("validate")).isEqualTo(2);
        assertThat(err.toString()).contains("Missing required parameter");
        assertThat(run("frobnicate")).isEqualTo(2);
    }

    @Test
    void assessPrintsTheAssessmentAndTheLawDirectoryChangesItWithoutARebuild() throws Exception {
        Path request = Path.of("..", "scenarios", "43-eg-false-news-arabic-text.json");
        assertThat(run("assess", request.toString())).isZero();
        assertThat(out.toString()).contains("\"decision\" : \"REFUSE\"").contains("\"rule\" : \"LEGAL_BASIS\"");

        // an operator records Egypt and Ireland as parties: LEGAL_BASIS no longer refuses
        Files.writeString(dir.resolve("parties.yaml"), """
                - {instrument: UNCC, state: EG, inForceFrom: 2026-01-01, source: "operator", confidence: unconfirmed}
                - {instrument: UNCC, state: IE, inForceFrom: 2026-01-01, source: "operator", confidence: unconfirmed}
                """);
        out.getBuffer().setLength(0);
        assertThat(run("assess", "--format", "text", "--law-dir", dir.toString(), request.toString())).isZero();
        assertThat(out.toString()).contains("REFUSE PROTECTED_CONDUCT").doesNotContain("REFUSE LEGAL_BASIS")
                .contains("note LEGAL_BASIS");
    }

    @Test
    void aTargetOnTheOperatorsProtectedPersonsListIsEscalated() throws Exception {
        Path request = Path.of("..", "scenarios", "02-legit-phishing-subscriber-eu.json");
        assertThat(run("assess", "--format", "text", request.toString())).isZero();
        assertThat(out.toString()).contains(": ACCEPT under rights-first@1");
        Files.writeString(dir.resolve("protected-persons.yaml"), """
                - {type: ACCOUNT, value: "Seller.Account.123", role: JOURNALIST, note: "investigative reporter"}
                """);
        out.getBuffer().setLength(0);
        assertThat(run("assess", "--format", "text", "--law-dir", dir.toString(), request.toString())).isZero();
        assertThat(out.toString()).contains(": ESCALATE under rights-first@1")
                .contains("ESCALATE PROTECTED_PERSON: A target is on the operator's list of protected persons: target 1 (an account, JOURNALIST)")
                .doesNotContain("PROTECTED_PERSON: A target is on the operator's list of protected persons: seller");

        Files.writeString(dir.resolve("protected-persons.yaml"), "- {type: ACCOUNT, value: x, role: POET}\n");
        assertThat(run("assess", "--law-dir", dir.toString(), request.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("protected-persons.yaml:1: role: 'POET' is not a known id");
    }

    @Test
    void assessRefusesBadInputWithExitCodeTwo() throws Exception {
        Files.writeString(dir.resolve("states.yaml"), "- code: IE\n  name: Ireland\n  judiciary: {edition: e, source: s, confidence: maybe}\n");
        assertThat(run("assess", "--law-dir", dir.toString(), "../scenarios/01-legit-ransomware-traffic-eu.json")).isEqualTo(2);
        assertThat(err.toString()).contains("states.yaml:1").contains("confidence");

        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"reference\": \"x\"}");
        assertThat(run("assess", bad.toString())).isEqualTo(2);
        assertThat(err.toString()).contains("bad.json: /measure: is required");
        assertThat(run("assess", "--profile", "lenient", bad.toString())).isEqualTo(2);
    }

    @Test
    void compareProfilesPrintsTheDifferenceTable() throws Exception {
        long requests;
        try (var files = Files.walk(Path.of("..", "scenarios"))) {
            requests = files.filter(f -> f.toString().endsWith(".json")).count();
        }
        assertThat(run("compare-profiles", "--assume-in-force", "UNCC", "../scenarios")).isZero();
        assertThat(out.toString())
                .contains(requests + " requests assessed under rights-first@1 and treaty-minimum@1")
                .contains("REFUSE -> ACCEPT")
                .contains("PROTECTED_CONDUCT (rights-first@1 only)")
                .contains("SCN-27-gap-journalist-false-news");
    }

    @Test
    void helpAndVersionAnswer() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve").contains("validate");
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).contains("Habeas ").contains("Java ");
    }
}
