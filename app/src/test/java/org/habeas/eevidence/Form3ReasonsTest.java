package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Form 3's reasons are law as data: each with its basis, source and confidence, and rules Habeas has. */
class Form3ReasonsTest {

    private final Form3Reasons reasons = Form3Reasons.bundled();

    @Test
    void everyReasonHasItsBasisWithASourceAndAConfidence() {
        assertThat(reasons.reasons()).hasSizeGreaterThanOrEqualTo(10);
        assertThat(reasons.codeSource()).contains("TS 104 144");
        for (Form3Reasons.Reason r : reasons.reasons()) {
            assertThat(r.code()).as(r.label()).matches("[A-Z][A-Za-z]+");
            assertThat(r.basis()).as(r.code()).contains("2023/1543");
            assertThat(r.confidence()).as(r.code()).isIn("verified", "secondary", "unconfirmed");
            assertThat(r.label()).as(r.code()).isNotEqualTo(r.code());
        }
    }

    @Test
    void theRulesAReasonReportsAreSafeguardRulesHabeasHas() throws Exception {
        Properties labels = new Properties();
        try (InputStream in = getClass().getResourceAsStream("/labels.properties")) {
            labels.load(in);
        }
        for (Form3Reasons.Reason r : reasons.reasons()) {
            for (String rule : r.rules()) {
                assertThat(labels).as(r.code() + " reports " + rule).containsKey("rule." + rule);
            }
        }
    }

    @Test
    void aRefusalForAJournalistsDataIsReportedAsImmunitiesOrPrivileges() {
        assertThat(reasons.forRules(java.util.List.of("PROTECTED_PERSON"))).extracting(Form3Reasons.Reason::code)
                .containsExactly("ImmunitiesOrPrivileges");
        assertThat(reasons.forRules(java.util.List.of("SERIOUSNESS", "JUDICIAL_AUTHORIZATION")))
                .extracting(Form3Reasons.Reason::code).containsExactly("InvalidIssuingAuthority", "OffenceNotCovered");
        assertThat(reasons.forRules(java.util.List.of("DUAL_CRIMINALITY"))).isEmpty();
    }
}
