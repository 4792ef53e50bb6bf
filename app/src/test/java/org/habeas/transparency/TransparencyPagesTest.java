package org.habeas.transparency;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.habeas.ledger.Periods;
import org.habeas.ledger.PublicLog;
import org.habeas.support.Browser;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The demo instance publishes the report of its closed half-year: the REPORT record is in the log, and the public
 * pages render in headless Chromium without signing in — chart with its text alternative, a table sortable by links.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TransparencyPagesTest {

    private static final Path HOME = TestDatabases.home("habeas-transparency");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    Publications publications;

    @Autowired
    PublicLog log;

    @Autowired
    JdbcClient jdbc;

    private WebDriver browser;

    @BeforeAll
    void open() {
        browser = Browser.start();
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void theDemosClosedHalfYearIsPublishedAndCommittedToTheLog() {
        String period = Periods.of(Instant.now().minus(Duration.ofDays(200)));
        Publications.Published p = publications.find(period).orElseThrow();
        JsonMapper json = JsonMapper.builder().build();
        byte[] record = log.entries(p.logIndex(), 1).get(0);
        JsonNode r = json.readTree(new String(record, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(r.get("event").stringValue()).isEqualTo("REPORT");
        assertThat(r.get("report").stringValue()).isEqualTo(p.sha256());
        assertThat(r.get("checkpoint").get("size").asLong()).isEqualTo(p.checkpointSize());
        assertThat(json.readTree(p.reportJson()).get("total").get("requests").asLong()).isPositive();
    }

    @Test
    void thePublicPagesRenderWithAChartAndATableThatSortsWithoutJavaScript() {
        String period = Periods.of(Instant.now().minus(Duration.ofDays(200)));
        browser.manage().deleteAllCookies();
        browser.get("http://localhost:" + port + "/transparency");
        assertThat(browser.getCurrentUrl()).endsWith("/transparency");
        browser.findElement(By.linkText(period)).click();
        assertThat(browser.getTitle()).contains("Transparency report " + period);
        WebElement chart = browser.findElement(By.id("chart"));
        assertThat(chart.getAttribute("role")).isEqualTo("img");
        assertThat(browser.findElements(By.cssSelector("#chart rect"))).isNotEmpty();
        assertThat(browser.findElement(By.id("chart-desc")).getAttribute("textContent")).contains("table");
        List<WebElement> rows = browser.findElements(By.cssSelector("#figures tbody tr"));
        assertThat(rows).isNotEmpty();
        // sorting is a plain link: the server orders the table
        browser.findElement(By.linkText("state")).click();
        List<String> states = browser.findElements(By.cssSelector("#figures tbody tr td:first-child")).stream()
                .map(WebElement::getText).toList();
        assertThat(states).isSorted();
        // the exact commands to check it, with this instance's address and the log's key
        String vkey = log.verifierKey();
        assertThat(browser.findElement(By.id("cmd-verify")).getText()).isEqualTo("./habeas report verify report.json --log "
                + "http://localhost:" + port + "/log --vkey '" + vkey + "'");
        assertThat(browser.findElement(By.id("cmd-download")).getText())
                .startsWith("curl -sO http://localhost:" + port + "/transparency/" + period + "/report.json");
        browser.findElement(By.linkText("report.json")).click();
        assertThat(browser.getPageSource()).contains("\"period\"");
    }

    @Test
    void withJavaScriptSwitchedOffTheChartsRenderAndTheTableSorts() {
        String period = Periods.of(Instant.now().minus(Duration.ofDays(200)));
        WebDriver noScript = Browser.start(false);
        try {
            // script really is off in this browser
            noScript.get("data:text/html,<title>off</title><script>document.title='on'</script>");
            assertThat(noScript.getTitle()).isEqualTo("off");

            noScript.get("http://localhost:" + port + "/transparency/" + period);
            for (String chart : List.of("chart", "chart-outcomes", "chart-emergency", "chart-history")) {
                assertThat(noScript.findElement(By.id(chart)).getAttribute("role")).as(chart).isEqualTo("img");
                assertThat(noScript.findElement(By.id(chart + "-desc")).getAttribute("textContent")).as(chart).isNotBlank();
            }
            // refusals by rule: a chart when the period had refusals, a sentence when it had none
            boolean refusals = JsonMapper.builder().build().readTree(publications.find(period).orElseThrow().reportJson())
                    .get("total").get("refused").asLong() > 0;
            WebElement rules = noScript.findElement(By.id("chart-rules"));
            assertThat(refusals ? rules.getAttribute("role") : rules.getText()).isEqualTo(refusals ? "img" : "None in this period.");
            assertThat(noScript.findElements(By.cssSelector("#history-table tbody tr"))).isNotEmpty();
            assertThat(noScript.findElements(By.cssSelector("#chart-outcomes rect"))).isNotEmpty();
            // each chart's data is also a table
            assertThat(noScript.findElements(By.cssSelector("#outcomes-table tbody tr"))).hasSize(8);
            noScript.findElement(By.linkText("state")).click();
            List<String> states = noScript.findElements(By.cssSelector("#figures tbody tr td:first-child")).stream()
                    .map(WebElement::getText).toList();
            assertThat(states).hasSizeGreaterThan(1).isSorted();
            noScript.findElement(By.linkText("requests")).click();
            List<Long> requests = noScript.findElements(By.cssSelector("#figures tbody tr td:nth-child(4)")).stream()
                    .map(e -> Long.parseLong(e.getText())).toList();
            assertThat(requests).isSortedAccordingTo(java.util.Comparator.reverseOrder());
        } finally {
            noScript.quit();
        }
    }

    @Test
    void theReportFilesParseAsPdfWithChartsAndAsCsvWithTheirPublishedHeaders() throws Exception {
        String period = Periods.of(Instant.now().minus(Duration.ofDays(200)));
        Publications.Published p = publications.find(period).orElseThrow();
        JsonNode report = JsonMapper.builder().build().readTree(p.reportJson());
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();

        java.net.http.HttpResponse<byte[]> pdf = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                "http://localhost:" + port + "/transparency/" + period + "/report.pdf")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(pdf.statusCode()).isEqualTo(200);
        assertThat(pdf.headers().firstValue("Content-Type")).hasValue("application/pdf");
        try (org.apache.pdfbox.pdmodel.PDDocument doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            String text = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertThat(text).contains("Transparency report " + period)
                    .contains(report.get("log").get("root").stringValue())
                    .contains("Requests received " + report.get("total").get("requests").asLong())
                    .contains("Refused " + report.get("total").get("refused").asLong())
                    .contains("habeas report verify")
                    .contains("Outcomes, in words: Some data produced " + report.get("total").get("someDataProduced").asLong());
            int images = 0;
            for (org.apache.pdfbox.pdmodel.PDPage page : doc.getPages()) {
                for (org.apache.pdfbox.cos.COSName name : page.getResources().getXObjectNames()) {
                    if (page.getResources().getXObject(name) instanceof org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject) {
                        images++;
                    }
                }
            }
            // four charts; a period without refusals says so instead of drawing an empty one
            boolean refusals = report.get("total").get("refused").asLong() > 0;
            assertThat(images).as("charts").isEqualTo(refusals ? 4 : 3);
            if (!refusals) {
                assertThat(text).contains("No request received in this period was refused.");
            }
        }

        for (var format : java.util.Map.of("google.csv", org.habeas.transparency.Reports.GOOGLE, "meta.csv",
                org.habeas.transparency.Reports.META).entrySet()) {
            String csv = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    "http://localhost:" + port + "/transparency/" + period + "/" + format.getKey())).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
            try (org.apache.commons.csv.CSVParser parser = org.apache.commons.csv.CSVFormat.RFC4180.builder()
                    .setHeader().get().parse(new java.io.StringReader(csv))) {
                assertThat(parser.getHeaderNames()).as(format.getKey()).isEqualTo(format.getValue());
                List<org.apache.commons.csv.CSVRecord> records = parser.getRecords();
                long states = java.util.stream.StreamSupport.stream(report.get("rows").spliterator(), false)
                        .map(r -> r.get("requestingState").stringValue()).distinct().count();
                boolean google = format.getKey().equals("google.csv");
                // Google's rows are per state and legal process, Meta's per state
                assertThat(records.stream().map(r -> r.get(google ? "CLDR Territory Code" : "Country")).distinct().count())
                        .as(format.getKey()).isEqualTo(states);
                String requests = google ? "User Data Requests" : "Total Requests for User Data";
                long sum = records.stream().filter(r -> !google || !r.get("Legal Process").equals("Preservation Requests"))
                        .mapToLong(r -> Long.parseLong(r.get(requests))).sum();
                assertThat(sum).as(format.getKey()).isPositive().isLessThanOrEqualTo(report.get("total").get("requests").asLong());
                records.forEach(r -> assertThat(r.isConsistent()).isTrue());
            }
        }
    }
}
