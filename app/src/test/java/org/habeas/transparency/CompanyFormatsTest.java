package org.habeas.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.junit.jupiter.api.Test;

/**
 * Google's and Meta's CSVs follow the conventions of the files those companies publish (Google's
 * google-user-data-requests.csv, Meta's government requests CSV): a known set of cases gives, cell by cell, the
 * fixture written in those conventions.
 */
class CompanyFormatsTest {

    private static final KnowledgeBase KB = LawLoader.builtIn();
    private static final String PERIOD = "2026-H1";

    private final Reports reports = new Reports(null, KB, java.time.Clock.systemUTC());

    /**
     * Viet Nam: three legal requests (4 accounts, 2 produced), one emergency request (2 accounts, produced), two
     * preservations (4 accounts, 3 preserved); France: one legal request refused (5 accounts); Greenland, a state
     * states.yaml does not list: one legal request produced.
     */
    private static Map<String, Object> knownCases() {
        ReportCalculator calc = new ReportCalculator(PERIOD);
        received(calc, "vn-1", "VN", "PRODUCTION", 1, false);
        produced(calc, "vn-1");
        received(calc, "vn-2", "VN", "PRODUCTION", 2, false);
        produced(calc, "vn-2");
        received(calc, "vn-3", "VN", "PRODUCTION", 1, false);
        received(calc, "vn-4", "VN", "PRODUCTION", 2, true);
        produced(calc, "vn-4");
        received(calc, "vn-5", "VN", "PRESERVATION", 1, false);
        received(calc, "vn-6", "VN", "PRESERVATION", 3, false);
        calc.accept(entry("vn-6", "PRESERVED", null, null, 3, false));
        received(calc, "fr-1", "FR", "PRODUCTION", 5, false);
        calc.accept(entry("fr-1", "DECIDED", null, null, 0, false));
        received(calc, "gl-1", "GL", "PRODUCTION", 1, false);
        produced(calc, "gl-1");
        return Reports.document(calc.result(), "habeas.test/log", 42, "AAAA");
    }

    private static void received(ReportCalculator calc, String id, String state, String measure, long accounts,
            boolean emergency) {
        calc.accept(entry(id, "RECEIVED", state, measure, accounts, emergency));
    }

    private static void produced(ReportCalculator calc, String id) {
        calc.accept(new PublicEntry(id, "PRODUCED", PERIOD, null, null, null, 0, false, false, null,
                List.of("SUBSCRIBER"), List.of()));
    }

    private static PublicEntry entry(String id, String event, String state, String measure, long accounts,
            boolean emergency) {
        return new PublicEntry(id, event, PERIOD, state, "BUDAPEST", measure, accounts, emergency, false,
                event.equals("DECIDED") ? "REFUSE" : null, List.of(), List.of());
    }

    @Test
    void googleCsvEqualsTheFixtureCellByCell() throws IOException {
        assertSameCells(reports.google(knownCases()), "/transparency/google-user-data-requests.csv", Reports.GOOGLE);
    }

    @Test
    void metaCsvEqualsTheFixtureCellByCell() throws IOException {
        assertSameCells(reports.meta(knownCases()), "/transparency/meta-government-requests.csv", Reports.META);
    }

    @Test
    void aStateMissingFromStatesYamlIsNamedNotCoded() {
        assertThat(KB.state("GL")).isEmpty();
        assertThat(CountryNames.load("google").of("GL", Optional.empty())).isEqualTo("Greenland");
        assertThat(CountryNames.load("meta").of("GL", Optional.empty())).isEqualTo("Greenland");
        assertThat(reports.google(knownCases())).contains(",Greenland,GL,").doesNotContain(",GL,GL,");
        assertThat(reports.meta(knownCases())).contains("\r\nGreenland,").doesNotContain("\r\nGL,");
    }

    @Test
    void companyNamesAreDataWithTheirSource() {
        for (String company : List.of("google", "meta")) {
            CountryNames names = CountryNames.load(company);
            assertThat(names.source()).as(company).isNotBlank();
            assertThat(names.confidence()).as(company).isNotBlank();
            assertThat(names.names()).as(company).containsEntry("VN", "Vietnam");
            // a company name is only listed where it differs from the name Habeas knows the state by
            names.names().forEach((code, name) -> assertThat(KB.state(code).map(s -> s.name())).as(company + " " + code)
                    .isNotEqualTo(Optional.of(name)));
        }
        assertThat(KB.state("VN").orElseThrow().name()).isEqualTo("Viet Nam");
    }

    @Test
    void aReportFromBeforeEmergencyAccountsStillVerifiesOnItsOtherFigures() {
        tools.jackson.databind.json.JsonMapper json = tools.jackson.databind.json.JsonMapper.builder().build();
        tools.jackson.databind.JsonNode counted = json.valueToTree(knownCases()).path("total");
        assertThat(counted.path("emergencyAccounts").asLong()).isEqualTo(2);
        tools.jackson.databind.node.ObjectNode old = (tools.jackson.databind.node.ObjectNode) counted.deepCopy();
        old.remove("emergencyAccounts");
        List<String> differences = new java.util.ArrayList<>();
        ReportVerifier.compare("total", old, counted, differences);
        assertThat(differences).isEmpty();

        tools.jackson.databind.node.ObjectNode wrong = (tools.jackson.databind.node.ObjectNode) counted.deepCopy();
        wrong.put("emergencyAccounts", 3);
        ReportVerifier.compare("total", wrong, counted, differences);
        assertThat(differences).containsExactly("total emergencyAccounts: report 3, log 2");

        differences.clear();
        old.remove("emergencyRequests");
        ReportVerifier.compare("total", old, counted, differences);
        assertThat(differences).hasSize(1).first().asString().startsWith("total emergencyRequests:");
    }

    private static void assertSameCells(String csv, String fixture, List<String> header) throws IOException {
        List<CSVRecord> actual = records(csv);
        List<CSVRecord> expected;
        try (InputStream in = CompanyFormatsTest.class.getResourceAsStream(fixture)) {
            expected = records(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        assertThat(actual.getFirst().toList()).as("header").isEqualTo(header).isEqualTo(expected.getFirst().toList());
        assertThat(actual).as("rows").hasSameSizeAs(expected);
        for (int r = 1; r < expected.size(); r++) {
            assertThat(actual.get(r).size()).as("cells of row %d", r).isEqualTo(header.size());
            for (int c = 0; c < header.size(); c++) {
                assertThat(actual.get(r).get(c)).as("row %d, %s", r, header.get(c)).isEqualTo(expected.get(r).get(c));
            }
        }
    }

    private static List<CSVRecord> records(String csv) throws IOException {
        try (CSVParser parser = CSVFormat.RFC4180.parse(new StringReader(csv))) {
            return parser.getRecords();
        }
    }
}
