package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A request is assessed by the facts in force on its day: the rating edition, and the treaty status. */
class DatedFactsTest {

    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");

    @TempDir
    static Path dir;

    private static Safeguards engine;

    @BeforeAll
    static void twoEditions() throws Exception {
        // the operator adds an older edition under which the state was rated Not Free, and the current Free one
        Files.writeString(dir.resolve("states.yaml"), """
                - code: US
                  name: United States
                  freedomInTheWorld:
                    - {status: FREE, score: 84, edition: "Freedom in the World 2026", from: 2026-01-01, source: "FIW 2026 table, row United States", confidence: verified}
                    - {status: NOT_FREE, score: 30, edition: "Freedom in the World 2025", from: 2025-01-01, source: "FIW 2025 table, row United States", confidence: verified}
                """);
        engine = new Safeguards(new LawLoader().load(dir));
    }

    private static Optional<Finding> stateRisk(Assessment a) {
        return a.findings().stream().filter(f -> f.rule().equals("STATE_RISK")).findFirst();
    }

    @Test
    void theSameRequestIsAssessedByTheRatingInForceOnEachDay() throws Exception {
        EvidenceRequest r = Requests.from("03-legit-csam-content-budapest.json", t -> { });

        Assessment in2025 = engine.assess(r, RIGHTS_FIRST, Instant.parse("2025-06-01T10:00:00Z"));
        Assessment in2026 = engine.assess(r, RIGHTS_FIRST, Instant.parse("2026-06-01T10:00:00Z"));

        assertThat(stateRisk(in2025)).hasValueSatisfying(f -> {
            assertThat(f.effect()).isEqualTo(Effect.ESCALATE);
            assertThat(f.reason()).contains("Freedom in the World 2025").doesNotContain("2026");
        });
        assertThat(stateRisk(in2026).map(Finding::effect)).isNotEqualTo(Optional.of(Effect.ESCALATE));
        assertThat(in2026.decision()).isEqualTo(Decision.ACCEPT);
    }

    @Test
    void aDayBeforeEveryEditionHeldGetsTheEarliestAndSaysSo() throws Exception {
        EvidenceRequest r = Requests.from("03-legit-csam-content-budapest.json", t -> { });
        Assessment a = engine.assess(r, RIGHTS_FIRST, Instant.parse("2024-03-01T10:00:00Z"));
        assertThat(stateRisk(a)).hasValueSatisfying(f -> assertThat(f.reason())
                .contains("Freedom in the World 2025").contains("holds only from 2025-01-01"));
    }

    @Test
    void theShippedRatingsRateEveryStateAndTheMoreSevereWins() throws Exception {
        Safeguards shipped = new Safeguards(LawLoader.builtIn());
        // Uganda: Freedom on the Net 2025 Partly Free, Freedom in the World 2026 Not Free
        EvidenceRequest ug = Requests.from("03-legit-csam-content-budapest.json", t -> t.put("requestingState", "UG"));
        Assessment a = shipped.assess(ug, RIGHTS_FIRST, Instant.parse("2026-11-20T10:00:00Z"));
        assertThat(stateRisk(a)).hasValueSatisfying(f -> {
            assertThat(f.effect()).isEqualTo(Effect.ESCALATE);
            assertThat(f.reason()).contains("Freedom in the World 2026: not free").doesNotContain("Freedom on the Net");
        });
        // a state Freedom on the Net does not rate still has a rating
        EvidenceRequest ie = Requests.from("03-legit-csam-content-budapest.json", t -> t.put("requestingState", "IE"));
        assertThat(stateRisk(shipped.assess(ie, RIGHTS_FIRST, Instant.parse("2026-11-20T10:00:00Z")))
                .map(Finding::reason).orElse("")).doesNotContain("no rating");
    }

    @Test
    void aPartyStatusHoldsFromItsDate() throws Exception {
        Safeguards shipped = new Safeguards(LawLoader.builtIn());
        // New Zealand's accession to the Budapest Convention took effect on 2025-12-01
        EvidenceRequest nz = Requests.from("03-legit-csam-content-budapest.json", t -> t.put("requestingState", "NZ"));
        List<Finding> before = shipped.assess(nz, RIGHTS_FIRST, Instant.parse("2025-11-30T10:00:00Z")).findings();
        List<Finding> after = shipped.assess(nz, RIGHTS_FIRST, Instant.parse("2025-12-01T10:00:00Z")).findings();
        assertThat(before).anySatisfy(f -> {
            assertThat(f.rule()).isEqualTo("LEGAL_BASIS");
            assertThat(f.effect()).isEqualTo(Effect.REFUSE);
            assertThat(f.reason()).contains("NZ is not bound by it on 2025-11-30");
        });
        assertThat(after).noneMatch(f -> f.rule().equals("LEGAL_BASIS") && f.effect() == Effect.REFUSE);
    }
}
