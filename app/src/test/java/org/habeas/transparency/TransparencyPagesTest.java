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
        browser.findElement(By.linkText("report.json")).click();
        assertThat(browser.getPageSource()).contains("\"period\"");
    }
}
