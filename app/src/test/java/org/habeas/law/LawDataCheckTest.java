package org.habeas.law;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.LocalDate;
import java.time.YearMonth;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.jupiter.api.Test;

/**
 * The shipped knowledge base checked as data, in every build: every fact has a source and a confidence, no source
 * is a recollection, every code is an ISO 3166-1 code, treaty dates are in order, and the coverage the rules need
 * is there.
 */
class LawDataCheckTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final Set<String> ISO = Locale.getISOCountries(Locale.IsoCountryCode.PART1_ALPHA2);
    private static final LocalDate DAY = LocalDate.of(2026, 12, 1);

    /** The 193 UN member states (ISO 3166-1 alpha-2). */
    static final List<String> UN_MEMBERS = List.of(("AD AE AF AG AL AM AO AR AT AU AZ BA BB BD BE BF BG BH BI BJ BN BO "
            + "BR BS BT BW BY BZ CA CD CF CG CH CI CL CM CN CO CR CU CV CY CZ DE DJ DK DM DO DZ EC EE EG ER ES ET FI FJ FM "
            + "FR GA GB GD GE GH GM GN GQ GR GT GW GY HN HR HT HU ID IE IL IN IQ IR IS IT JM JO JP KE KG KH KI KM KN KP KR "
            + "KW KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MG MH MK ML MM MN MR MT MU MV MW MX MY MZ NA NE NG NI NL "
            + "NO NP NR NZ OM PA PE PG PH PK PL PT PW PY QA RO RS RU RW SA SB SC SD SE SG SI SK SL SM SN SO SR SS ST SV SY "
            + "SZ TD TG TH TJ TL TM TN TO TR TT TV TZ UA UG US UY UZ VC VE VN VU WS YE ZA ZM ZW").split(" "));

    /** The Budapest Parties of the treaty-status research (status 2026-12-01). */
    static final List<String> BUDAPEST_PARTIES = List.of(("AD AL AM AR AT AU AZ BA BE BG BJ BR CA CH CI CL CM CO CR CV CW "
            + "CY CZ DE DK DO EC EE ES FI FJ FR GB GD GE GH GR HR HU IL IS IT JP KI LI LK LT LU LV MA MD ME MK MT MU NG NL "
            + "NO NZ PA PE PH PL PT RO RS SE SI SK SL SN TO TR UA US").split(" "));

    @Test
    void everyFactHasASourceAndAConfidenceAndNoneIsRecalled() {
        List<KnowledgeBase.Fact> facts = KB.facts();
        assertThat(facts).hasSizeGreaterThan(1000);
        for (KnowledgeBase.Fact f : facts) {
            String at = f.file() + " " + f.subject() + " " + f.field();
            assertThat(f.source()).as(at).isNotBlank();
            assertThat(f.confidence()).as(at).isNotNull();
            assertThat(f.source().toLowerCase(Locale.ROOT)).as(at).doesNotContain("recalled");
        }
    }

    /**
     * At most 10 % of the facts, the statute catalogue apart, are unconfirmed. What is left are mostly the conduct
     * lists and capital offences the first 50 profiles carried over (each state's criminal code, Amnesty's per-crime
     * annex would confirm them); same-sex conduct comes from ILGA World's list and the rulings since.
     */
    @Test
    void atMostOneFactInTenIsUnconfirmed() {
        List<KnowledgeBase.Fact> facts = KB.facts().stream().filter(f -> !f.file().equals("statutes.yaml")).toList();
        long unconfirmed = facts.stream().filter(f -> f.confidence() == Confidence.UNCONFIRMED).count();
        assertThat((double) unconfirmed / facts.size()).as(unconfirmed + " of " + facts.size()).isLessThanOrEqualTo(0.10);
        assertThat(facts.stream().filter(f -> f.field().equals("sameSexConduct") && f.confidence() == Confidence.UNCONFIRMED))
                .as("same-sex values without a source that says so").hasSizeLessThanOrEqualTo(1);
        assertThat(facts).noneMatch(f -> f.source().contains("absent from LIST-A and LIST-B"));
    }

    /**
     * Every state has Freedom in the World 2025 and 2026, each edition holding from 1 January of its year, in order;
     * Bolivia, Fiji and Malawi moved from Partly Free to Free between them, so a request is rated by its day.
     */
    @Test
    void everyStateHasTwoFreedomInTheWorldEditionsInOrderAndTheDayPicksOne() {
        for (String code : concat(UN_MEMBERS, List.of("HK", "TW", "PS", "XK"))) {
            List<StateProfile.Rating> fiw = KB.state(code).orElseThrow().freedomInTheWorld();
            assertThat(fiw).as(code).extracting(StateProfile.Rating::edition)
                    .containsExactly("Freedom in the World 2025", "Freedom in the World 2026");
            for (StateProfile.Rating r : fiw) {
                assertThat(r.from()).as(code + " " + r.edition())
                        .isEqualTo(LocalDate.of(Integer.parseInt(r.edition().substring(r.edition().length() - 4)), 1, 1));
            }
        }
        StateProfile bo = KB.state("BO").orElseThrow();
        assertThat(bo.freedomRating(LocalDate.of(2025, 12, 31)).orElseThrow().rating().status()).isEqualTo("PARTLY_FREE");
        assertThat(bo.freedomRating(LocalDate.of(2026, 1, 1)).orElseThrow().rating().status()).isEqualTo("FREE");
        assertThat(KB.state("CN").orElseThrow().freedomRating(LocalDate.of(2024, 6, 1)).orElseThrow().later()).isTrue();
    }

    /**
     * Kosovo has no ISO 3166-1 code; Habeas knows it by the user-assigned XK, with Freedom in the World and the
     * same-sex fact like any other state, and accepts no other user-assigned code.
     */
    @Test
    void kosovoHasAProfileUnderXk() {
        assertThat(ISO).doesNotContain("XK");
        assertThat(StateCodes.known("XK")).isTrue();
        assertThat(StateCodes.known("XA")).isFalse();
        StateProfile xk = KB.state("XK").orElseThrow();
        assertThat(xk.name()).isEqualTo("Kosovo");
        assertThat(xk.freedomRating(DAY).orElseThrow().rating().status()).isEqualTo("PARTLY_FREE");
        assertThat(xk.notes()).contains("user-assigned");
        assertThat(xk.doesNotCriminalise()).contains("SAME_SEX_CONDUCT");
    }

    /** Drug trafficking is a sourced capital offence where Harm Reduction International reports drug executions in 2024. */
    @Test
    void drugTraffickingIsCapitalWhereHriReportsExecutions() {
        for (String code : List.of("CN", "IR", "KP", "SA", "SG", "VN")) {
            StateProfile st = KB.state(code).orElseThrow();
            assertThat(st.deathPenalty().forConduct()).as(code).contains("DRUG_TRAFFICKING");
            assertThat(st.deathPenalty().source()).as(code).contains("HRI-DP24");
            assertThat(st.unconfirmedCapital(java.util.Set.of("DRUG_TRAFFICKING"))).as(code).isEmpty();
        }
        assertThat(KB.state("MY").orElseThrow().unconfirmedCapital(java.util.Set.of("DRUG_TRAFFICKING")))
                .as("Malaysia: HRI's full list not read").isNotEmpty();
    }

    /** Same-sex conduct follows the rulings and laws since ILGA's March 2023 list. */
    @Test
    void sameSexConductFollowsTheChangesSinceIlgasList() {
        assertThat(KB.state("TT").orElseThrow().criminalisesProtected()).as("Court of Appeal, March 2025").contains("SAME_SEX_CONDUCT");
        assertThat(KB.state("ML").orElseThrow().criminalisesProtected()).as("Penal Code 2024").contains("SAME_SEX_CONDUCT");
        assertThat(KB.state("LC").orElseThrow().doesNotCriminalise()).as("High Court, July 2025").contains("SAME_SEX_CONDUCT");
        assertThat(KB.state("NA").orElseThrow().doesNotCriminalise()).as("High Court, June 2024").contains("SAME_SEX_CONDUCT");
        assertThat(KB.state("FR").orElseThrow().sameSexConduct().source()).startsWith("ILGA-DB23");
    }

    @Test
    void everyCodeIsAnIsoCodeAndTreatyDatesAreInOrder() {
        for (Party p : KB.parties()) {
            String at = p.instrument() + " " + p.state();
            assertThat(ISO).as(at).contains(p.state());
            if (p.with() != null) {
                assertThat(ISO).as(at).contains(p.with());
            }
            LocalDate signed = p.signed() != null ? p.signed() : p.signedIn() != null ? p.signedIn().atDay(1) : null;
            if (signed != null && p.ratified() != null) {
                assertThat(YearMonth.from(p.ratified()).isBefore(YearMonth.from(signed))).as(at + " ratified before signed").isFalse();
            }
            if (p.ratified() != null && p.inForceFrom() != null) {
                assertThat(p.inForceFrom()).as(at).isAfterOrEqualTo(p.ratified());
            }
            if (signed != null && p.inForceFrom() != null) {
                assertThat(p.inForceFrom()).as(at).isAfterOrEqualTo(signed);
            }
        }
        for (String code : UN_MEMBERS) {
            assertThat(ISO).contains(code);
        }
        KB.facts().stream().filter(f -> f.file().equals("states.yaml"))
                .forEach(f -> assertThat(StateCodes.known(f.subject())).as("states.yaml " + f.subject()).isTrue());
        KB.statuteCodes().forEach(c -> assertThat(ISO).as("statutes.yaml " + c.id()).contains(c.state()));
    }

    @Test
    void everyUnMemberAndHongKongTaiwanAndPalestineHasAProfileThatStateRiskCanRate() {
        for (String code : concat(UN_MEMBERS, List.of("HK", "TW", "PS"))) {
            StateProfile st = KB.state(code).orElse(null);
            assertThat(st).as(code).isNotNull();
            assertThat(st.freedomRating(DAY)).as(code + " Freedom in the World").isPresent();
            assertThat(st.deathPenalty().status()).as(code + " death penalty").isNotNull();
        }
        assertThat(KB.state("HU").orElseThrow().onlineRating(DAY).orElseThrow().rating().status()).isEqualTo("PARTLY_FREE");
        assertThat(KB.state("IE").orElseThrow().onlineRating(DAY)).as("Freedom on the Net does not rate Ireland").isEmpty();
    }

    @Test
    void everyBudapestPartyIsAPartyWithItsDatesAndSignatoriesAreNot() {
        for (String code : BUDAPEST_PARTIES) {
            assertThat(KB.party("BUDAPEST", code)).as(code).hasValueSatisfying(p -> assertThat(p.inForceOn(DAY)).as(code).isTrue());
        }
        assertThat(KB.parties().stream().filter(p -> p.instrument().equals("BUDAPEST") && p.inForceOn(DAY)))
                .hasSize(BUDAPEST_PARTIES.size());
        assertThat(KB.party("BUDAPEST", "NZ").orElseThrow().inForceFrom()).isEqualTo(LocalDate.of(2025, 12, 1));
        assertThat(KB.party("BUDAPEST", "LU").orElseThrow().inForceFrom()).isEqualTo(LocalDate.of(2015, 5, 1));
        assertThat(KB.party("BUDAPEST", "RS").orElseThrow().inForceDateUnknown()).isTrue();
        assertThat(KB.party("BUDAPEST", "IE").orElseThrow().inForceOn(DAY)).as("Ireland only signed").isFalse();
        assertThat(KB.party("BUDAPEST", "ZA").orElseThrow().inForceOn(DAY)).as("South Africa only signed").isFalse();
    }

    @Test
    void theUnConventionAndTheSecondProtocolAreNotInForceWithTheirSignatoriesRecorded() {
        List<Party> uncc = KB.parties().stream().filter(p -> p.instrument().equals("UNCC")).toList();
        assertThat(uncc).hasSize(71); // 72 signatories, the EU apart (no ISO code)
        assertThat(uncc).allSatisfy(p -> {
            assertThat(p.inForceOn(DAY)).isFalse();
            assertThat(p.signed() != null || p.signedIn() != null).isTrue();
        });
        List<Party> protocol = KB.parties().stream().filter(p -> p.instrument().equals("BUDAPEST_2AP")).toList();
        assertThat(protocol).hasSize(52);
        assertThat(protocol.stream().filter(p -> p.ratified() != null).map(Party::state)).containsExactlyInAnyOrder("RS", "JP", "HU");
        assertThat(protocol).noneMatch(p -> p.inForceOn(DAY));
        assertThat(KB.applies("BUDAPEST_2AP", "JP", "RS", DAY).applies()).isFalse();
        assertThat(KB.applies("UNCC", "QA", "VN", DAY).applies()).isFalse();
        assertThat(KB.instrument("UNCC").orElseThrow().entryIntoForce()).doesNotContain("3 ratifications");
    }

    @Test
    void theEEvidenceAndCloudActStatusIsRecorded() {
        assertThat(KB.applies("EU_EEVIDENCE", "DK", "DE", DAY).applies()).as("Denmark is not bound").isFalse();
        assertThat(KB.applies("EU_EEVIDENCE", "IE", "DE", DAY).applies()).as("Ireland takes part").isTrue();
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().facts()).anySatisfy(f -> assertThat(f.fact()).contains("2025/1550"));
        assertThat(KB.applies("CLOUD_ACT", "US", "AU", DAY).applies()).isTrue();
        assertThat(KB.applies("CLOUD_ACT", "US", "CA", DAY).applies()).as("only negotiating").isFalse();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        return java.util.stream.Stream.concat(a.stream(), b.stream()).toList();
    }
}
