package org.habeas.law;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;

import org.habeas.intake.RequestValidator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LawLoaderTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();

    @TempDir
    Path dir;

    @Test
    void theVocabularyIsTheRequestSchemas() {
        RequestValidator schema = new RequestValidator();
        assertThat(Vocabulary.INSTRUMENTS).isEqualTo(schema.allowedValues("instrument"));
        assertThat(Vocabulary.MEASURES).isEqualTo(schema.allowedValues("measure"));
        var schemaDocument = schema.mapper().readTree(RequestValidator.schemaDocument());
        assertThat(schemaDocument.at("/properties/dataCategories/items/enum").valueStream().map(v -> v.stringValue()))
                .containsExactlyElementsOf(Vocabulary.CATEGORIES);
        assertThat(schemaDocument.at("/properties/targets/items/properties/type/enum").valueStream().map(v -> v.stringValue()))
                .containsExactlyElementsOf(Vocabulary.TARGET_TYPES);
    }

    @Test
    void everyInstrumentAndEveryContractConductClassIsThere() {
        Vocabulary.INSTRUMENTS.forEach(i -> assertThat(KB.instrument(i)).as(i).isPresent());
        List<String> contract = List.of("ILLEGAL_ACCESS", "ILLEGAL_INTERCEPTION", "DATA_INTERFERENCE", "SYSTEM_INTERFERENCE",
                "MISUSE_OF_DEVICES", "COMPUTER_FORGERY", "COMPUTER_FRAUD", "CHILD_SEXUAL_ABUSE_MATERIAL", "GROOMING",
                "NON_CONSENSUAL_INTIMATE_IMAGES", "MONEY_LAUNDERING", "HOMICIDE", "KIDNAPPING", "TERRORISM",
                "DRUG_TRAFFICKING", "HUMAN_TRAFFICKING", "EXTORTION", "THREATS_OF_VIOLENCE", "SEXUAL_VIOLENCE",
                "ORGANISED_CRIME", "FIREARMS_TRAFFICKING", "CORRUPTION", "FRAUD", "THEFT", "PROPERTY_DAMAGE", "ASSAULT",
                "STALKING_HARASSMENT", "POLITICAL_EXPRESSION", "FALSE_NEWS", "RELIGIOUS_EXPRESSION", "SAME_SEX_CONDUCT",
                "GENDER_EXPRESSION", "PEACEFUL_ASSEMBLY", "ASSOCIATION", "JOURNALISM", "WHISTLEBLOWING", "MORALITY",
                "EXTREMISM", "PUBLIC_ORDER", "NATIONAL_SECURITY_SPEECH", "DEFAMATION");
        assertThat(KB.conduct().stream().map(ConductClass::id)).containsExactlyInAnyOrderElementsOf(contract);
        assertThat(KB.roles().stream().map(Role::id)).containsExactlyInAnyOrder("JOURNALIST", "HUMAN_RIGHTS_DEFENDER",
                "LAWYER", "ACTIVIST", "POLITICAL_OPPOSITION", "SECURITY_RESEARCHER", "WHISTLEBLOWER");
    }

    @Test
    void facts() {
        assertThat(KB.instrument("UNCC").orElseThrow().seriousness().minMaxPenaltyYears()).isEqualByComparingTo("4");
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().preservation().days()).isEqualTo(60);
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().preservation().extensionDays()).isEqualTo(30);
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().appliesFrom()).isEqualTo(LocalDate.of(2026, 8, 18));
        assertThat(KB.instrument("CLOUD_ACT").orElseThrow().measures()).doesNotContain("PARTIAL_TRAFFIC_DISCLOSURE");
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().measures()).containsExactlyInAnyOrder("PRESERVATION", "PRODUCTION");
    }

    @Test
    void whereAnInstrumentApplies() {
        LocalDate day = LocalDate.of(2026, 11, 1);
        assertThat(KB.applies("UNCC", "TR", "IE", day).applies()).isFalse();
        assertThat(KB.assumingInForce(Set.of("UNCC")).applies("UNCC", "TR", "IE", day).assumed()).isTrue();
        assertThat(KB.applies("EU_EEVIDENCE", "FR", "IE", day).applies()).isTrue();
        assertThat(KB.applies("EU_EEVIDENCE", "FR", "IE", LocalDate.of(2026, 8, 17)).applies()).isFalse();
        assertThat(KB.applies("EU_EEVIDENCE", "DK", "IE", day).applies()).isFalse();
        assertThat(KB.applies("CLOUD_ACT", "GB", "US", day).applies()).isTrue();
        assertThat(KB.applies("CLOUD_ACT", "AU", "US", LocalDate.of(2024, 1, 30)).applies()).isFalse();
        assertThat(KB.applies("CLOUD_ACT", "FR", "US", day).applies()).isFalse();
        assertThat(KB.applies("BUDAPEST", "FR", "DE", day).applies()).isTrue();
        assertThat(KB.applies("BUDAPEST", "FR", "DE", LocalDate.of(2006, 4, 30)).applies()).isFalse();
    }

    @Test
    void anOperatorDirectoryOverridesAndExtendsWithoutARebuild() throws Exception {
        Files.writeString(dir.resolve("parties.yaml"), """
                - instrument: UNCC
                  state: TR
                  inForceFrom: 2026-01-01
                  source: "operator test"
                  confidence: unconfirmed
                - instrument: UNCC
                  state: IE
                  inForceFrom: 2026-01-01
                  source: "operator test"
                  confidence: unconfirmed
                """);
        KnowledgeBase kb = new LawLoader().load(dir);
        assertThat(kb.applies("UNCC", "TR", "IE", LocalDate.of(2026, 11, 1)).applies()).isTrue();
        assertThat(kb.applies("BUDAPEST", "FR", "DE", LocalDate.of(2026, 11, 1)).applies()).isTrue();
    }

    @Test
    void aMalformedFileIsRejectedWithFileLineAndField() throws Exception {
        Files.writeString(dir.resolve("instruments.yaml"), """
                - id: UNCC
                  title: "UN Convention"
                  measures: [PRESERVATION]
                  dataCategories:
                    "*": [SUBSCRIBER]
                  source: s
                  confidence: verified
                - id: BUDAPEST
                  title: "Budapest"
                  measures: [PRESERVATION, TELEPATHY]
                  dataCategories:
                    "*": [SUBSCRIBER]
                  source: s
                  confidence: verified
                """);
        assertThatThrownBy(() -> new LawLoader().load(dir))
                .isInstanceOfSatisfying(LawDataException.class, e -> {
                    assertThat(e.file()).endsWith("instruments.yaml");
                    assertThat(e.line()).isEqualTo(8);
                    assertThat(e.field()).isEqualTo("measures");
                    assertThat(e.getMessage()).contains("TELEPATHY");
                });
    }

    @Test
    void unknownFieldsWrongTypesAndUnknownReferencesAreRejected() throws Exception {
        Files.writeString(dir.resolve("states.yaml"), """
                - code: IE
                  name: Ireland
                  conduct: {doesNotCriminalise: [POLITICAL_EXPRESION], source: s, confidence: verified}
                """);
        assertThatThrownBy(() -> new LawLoader().load(dir))
                .isInstanceOfSatisfying(LawDataException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.field()).isEqualTo("doesNotCriminalise");
                    assertThat(e.getMessage()).contains("POLITICAL_EXPRESION");
                });

        Files.writeString(dir.resolve("states.yaml"), """
                - code: IE
                  name: Ireland
                  colour: green
                """);
        assertThatThrownBy(() -> new LawLoader().load(dir))
                .isInstanceOfSatisfying(LawDataException.class, e -> {
                    assertThat(e.line()).isEqualTo(1);
                    assertThat(e.field()).isEqualTo("colour");
                    assertThat(e.getMessage()).contains("unknown field 'colour'");
                });

        Files.delete(dir.resolve("states.yaml"));
        Files.writeString(dir.resolve("partys.yaml"), "[]");
        assertThatThrownBy(() -> new LawLoader().load(dir)).hasMessageContaining("is not a knowledge-base file");
    }

    @Test
    void everyLanguageReadHasTermsForEveryClassAndRole() {
        assertThat(KB.languages()).isNotEmpty();
        for (Language l : KB.languages()) {
            for (ConductClass c : KB.conduct()) {
                assertThat(c.lexicon().get(l.language())).as(l.language() + " " + c.id()).isNotEmpty();
            }
            for (Role r : KB.roles()) {
                assertThat(r.lexicon().get(l.language())).as(l.language() + " " + r.id()).isNotEmpty();
            }
            assertThat(KB.victimMarkers().get(l.language())).as(l.language() + " victim markers").isNotEmpty();
            assertThat(KB.securityDemands().get(l.language())).as(l.language() + " security demands").isNotEmpty();
            assertThat(l.setWords()).as(l.language() + " set words").isNotEmpty();
            assertThat(l.function()).as(l.language() + " function words").hasSizeGreaterThanOrEqualTo(20);
        }
    }

    @Test
    void anOperatorReadsFewerLanguagesOrAddsOneAndAnIncompleteLexiconIsRefused() throws Exception {
        Files.writeString(dir.resolve("languages.yaml"), "languages: [en, xx]\n");
        assertThatThrownBy(() -> new LawLoader().load(dir)).isInstanceOf(LawDataException.class)
                .hasMessageContaining("xx").hasMessageContaining("no lexicon file");

        Files.createDirectories(dir.resolve("lexicons"));
        String english = new String(LawLoader.class.getResourceAsStream("/law/lexicons/en.yaml").readAllBytes(),
                java.nio.charset.StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("lexicons/xx.yaml"), english.replace("language: en", "language: xx"));
        assertThat(new LawLoader().load(dir).languages()).extracting(Language::language).containsExactly("en", "xx");

        Files.writeString(dir.resolve("lexicons/xx.yaml"), english.replace("language: en", "language: xx")
                .replaceAll("(?m)^  HOMICIDE: .*\n", ""));
        assertThatThrownBy(() -> new LawLoader().load(dir)).isInstanceOf(LawDataException.class)
                .hasMessageContaining("xx.yaml").hasMessageContaining("conduct.HOMICIDE");
    }
}
