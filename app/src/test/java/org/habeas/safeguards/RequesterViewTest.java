package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import org.habeas.intake.EvidenceRequest;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import tools.jackson.databind.json.JsonMapper;

/** Requesters learn the rule, not the trigger: reasons never carry the words or values that set a finding off. */
class RequesterViewTest {

    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    static java.util.List<ScenarioTest.Scenario> scenarios() throws IOException {
        return ScenarioTest.scenarios();
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void reasonsNameNoTermAndNoTargetValue(ScenarioTest.Scenario s) throws IOException {
        Assessment a = ScenarioTest.assess(s, RIGHTS_FIRST);
        EvidenceRequest r = ScenarioTest.request(s.file());
        for (Finding f : a.findings()) {
            for (EvidenceRequest.Target t : r.targets()) {
                if (t.value().strip().length() > 3) {
                    assertThat(f.reason()).as(s.file() + " " + f.rule()).doesNotContain(t.value().strip());
                }
            }
            for (Finding.Evidence e : f.evidence()) {
                assertThat(e.field()).as(s.file() + " " + f.rule())
                        .matches("offence\\.(statute|description)|facts|demands\\[\\d+]|emergency\\.justification"
                                + "|onwardTransfer\\.purpose|targets\\[\\d+]\\.value");
                String term = e.text().replace("*", "").strip();
                if (!f.rule().equals("SECURITY_INTEGRITY") && !f.rule().equals("LANGUAGE") && term.length() > 3
                        && !e.text().equals("hidden characters")) {
                    assertThat(f.reason()).as(s.file() + " " + f.rule()).doesNotContain("\"" + term)
                            .doesNotContain(" " + term + " ");
                }
            }
        }
        // what a requester is shown carries no evidence and no matched words at all
        Assessment shown = a.forRequester();
        assertThat(shown.findings()).allSatisfy(f -> assertThat(f.evidence()).isEmpty());
        assertThat(shown.signals().matched()).isEmpty();
        assertThat(shown.signals().securityDemands()).isEmpty();
        assertThat(shown.findings()).extracting(Finding::reason).isEqualTo(a.findings().stream().map(Finding::reason).toList());
        assertThat(shown.decision()).isEqualTo(a.decision());
    }

    @ParameterizedTest
    @MethodSource("scenarios")
    void anAssessmentStoredBeforeEvidenceStillReads(ScenarioTest.Scenario s) throws IOException {
        Assessment a = ScenarioTest.assess(s, RIGHTS_FIRST);
        tools.jackson.databind.node.ObjectNode tree = JSON.valueToTree(a);
        tree.withArray("findings").forEach(f -> ((tools.jackson.databind.node.ObjectNode) f).remove("evidence"));
        Assessment old = JSON.treeToValue(tree, Assessment.class);
        assertThat(old.findings()).allSatisfy(f -> assertThat(f.evidence()).isEmpty());
        assertThat(old.rules()).isEqualTo(a.rules());
    }
}
