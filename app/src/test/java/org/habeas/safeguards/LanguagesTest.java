package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Set;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguagesTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");

    private static Assessment production(Safeguards engine, String description, String facts) throws IOException {
        EvidenceRequest r = Requests.from("02-legit-phishing-subscriber-eu.json", t -> {
            Requests.offence(t).put("description", description);
            t.put("facts", facts);
        });
        return engine.assess(r, RIGHTS_FIRST, r.receivedAt().toInstant());
    }

    private static Finding finding(Assessment a, String rule) {
        return a.findings().stream().filter(f -> f.rule().equals(rule)).findFirst().orElse(null);
    }

    @Test
    void aKoreanRequestWhereKoreanIsNotReadGetsTheLanguageFindingNotDualCriminality() throws IOException {
        Set<String> withoutKorean = new LinkedHashSet<>(Classifier.codes(KB));
        withoutKorean.remove("ko");
        Safeguards engine = new Safeguards(KB, Statutes.NONE, withoutKorean);
        Assessment a = production(engine, "정보통신망을 이용한 피싱 사기로 피해자들의 은행 계좌에서 돈을 빼돌린 혐의",
                "피의자는 2026년 10월 가짜 은행 웹사이트를 만들어 피해자 40명의 인증 정보를 빼냈다. 아래 계정의 가입자 정보는 "
                        + "웹사이트를 등록한 사람을 특정하는 데 필요하다.");
        Finding f = finding(a, "LANGUAGE");
        assertThat(f).isNotNull();
        assertThat(f.effect()).isEqualTo(Effect.ESCALATE);
        assertThat(f.reason()).startsWith("Habeas does not read Korean").contains("English");
        assertThat(f.basis()).isNotEmpty();
        assertThat(a.rules()).doesNotContain("DUAL_CRIMINALITY");
        assertThat(a.decision()).isEqualTo(Decision.ESCALATE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "Swahili|Ulaghai wa mtandaoni kupitia tovuti bandia ya benki|Mshukiwa alituma ujumbe wa ulaghai kwa waathiriwa arobaini kupitia akaunti hii kisha akapokea pesa zao kwenye simu yake.",
            "Amharic|በሐሰተኛ የባንክ ድረ-ገጽ የተፈጸመ የመስመር ላይ ማጭበርበር|ተጠርጣሪው በዚህ የኢሜል አካውንት በኩል ለአርባ ተጎጂዎች የማጭበርበሪያ መልዕክቶችን ልኳል። የአካውንቱ ባለቤት መረጃ ተጠርጣሪውን ይለያል።",
            "Georgian|ონლაინ თაღლითობა ყალბი საბანკო ვებგვერდის მეშვეობით|ეჭვმიტანილმა ამ ანგარიშიდან ორმოც მსხვერპლს გაუგზავნა თაღლითური შეტყობინებები და მიიღო მათი ფული.",
            "Tamil|போலி வங்கி இணையதளம் மூலம் இணைய மோசடி|சந்தேக நபர் இந்த கணக்கின் மூலம் நாற்பது பாதிக்கப்பட்டவர்களுக்கு மோசடி செய்திகளை அனுப்பி அவர்களின் பணத்தை பெற்றார்.",
            "Khmer|ការក្លែងបន្លំតាមអ៊ីនធឺណិតតាមរយៈគេហទំព័រធនាគារក្លែងក្លាយ|ជនសង្ស័យបានផ្ញើសារក្លែងបន្លំទៅជនរងគ្រោះសែសិបនាក់តាមរយៈគណនីនេះ ហើយបានទទួលប្រាក់របស់ពួកគេ។"})
    void aRequestInALanguageHabeasDoesNotReadAsksForATranslation(String language, String description, String facts)
            throws IOException {
        Assessment a = production(new Safeguards(KB), description, facts);
        Finding f = finding(a, "LANGUAGE");
        assertThat(f).as(language).isNotNull();
        assertThat(f.reason()).contains("translation");
        if (!language.equals("Swahili")) {
            assertThat(f.reason()).as(language).contains("does not read " + language);
        }
        assertThat(a.rules()).doesNotContain("DUAL_CRIMINALITY");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "en|Online fraud through a fake bank website|The suspect sent phishing messages to forty victims from this account and received their money in a wallet he controls.",
            "fr|Escroquerie en ligne au moyen d'un faux site bancaire|Le suspect a envoyé des messages d'hameçonnage à quarante victimes depuis ce compte et a reçu leur argent sur un portefeuille qu'il contrôle.",
            "es|Estafa en línea mediante un sitio bancario falso|El sospechoso envió mensajes de phishing a cuarenta víctimas desde esta cuenta y recibió su dinero en una cartera que controla.",
            "pt|Fraude eletrônica por meio de um site bancário falso|O suspeito enviou mensagens de phishing a quarenta vítimas a partir desta conta e recebeu o dinheiro delas numa carteira que controla.",
            "ru|Мошенничество в сфере компьютерной информации через поддельный сайт банка|Подозреваемый отправил фишинговые сообщения сорока потерпевшим с этого аккаунта и получил их деньги на кошелек, который он контролирует.",
            "ar|احتيال إلكتروني عبر موقع مصرفي مزيف|أرسل المشتبه به رسائل تصيد إلى أربعين ضحية من هذا الحساب وتلقى أموالهم في محفظة يسيطر عليها."})
    void requestsInTheLanguagesHabeasReadsAreRead(String code, String description, String facts) throws IOException {
        Languages languages = new Languages(KB.languages(), Set.copyOf(Classifier.codes(KB)));
        assertThat(languages.detect(Text.read("facts", facts), Text.read("offence.description", description)).code())
                .isEqualTo(code);
        assertThat(finding(production(new Safeguards(KB), description, facts), "LANGUAGE")).isNull();
    }

    @Test
    void theOperatorChoosesTheLanguagesItAccepts() throws IOException {
        Safeguards englishOnly = new Safeguards(KB, Statutes.NONE, Set.of("en"));
        Finding f = finding(production(englishOnly, "Escroquerie en ligne au moyen d'un faux site bancaire",
                "Le suspect a envoyé des messages d'hameçonnage à quarante victimes depuis ce compte et a reçu leur argent."),
                "LANGUAGE");
        assertThat(f).isNotNull();
        assertThat(f.reason()).contains("does not read French").contains("into one of English;");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Safeguards(KB, Statutes.NONE, Set.of("xx")))
                .hasMessageContaining("'xx' has no lexicon");
    }
}
