package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.Axe;
import org.habeas.support.Browser;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The NARROW scope editor on the case page, in Chromium: it starts at what may be kept; a wider period is refused
 * next to its field with everything typed kept; a narrower period, fewer categories and a subset of the targets are
 * what the proposal, and the decision confirming it, hold.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScopeEditorBrowserTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", () -> TestDatabases.home("habeas-scope").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts a;
    private WebDriver browser;

    @BeforeAll
    void open() {
        a = TestAccounts.of(context);
        browser = Browser.start();
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> call(UserRole role, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", a.bearer(role));
        b.header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Scenario 01 with two targets: SUBSCRIBER and TRAFFIC data from 2026-05-01 to 2026-10-31. */
    private String fileTwoTargets() throws Exception {
        String body = Files.readString(Path.of("..", "scenarios", "01-legit-ransomware-traffic-eu.json"))
                .replace("SCN-01", "T-" + UUID.randomUUID().toString().substring(0, 8))
                .replace("{\n      \"type\": \"ACCOUNT\",\n      \"value\": \"decryptor_support_77\"\n    }",
                        "{\"type\": \"ACCOUNT\", \"value\": \"decryptor_support_77\"}, {\"type\": \"ACCOUNT\", \"value\": \"decryptor_backup_78\"}");
        assertThat(body).contains("decryptor_backup_78");
        HttpResponse<String> r = call(UserRole.REQUESTER, "POST", "/api/v1/requests", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(201);
        String location = r.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private void setDate(String id, String value) {
        ((JavascriptExecutor) browser).executeScript("arguments[0].value = arguments[1]", browser.findElement(By.id(id)), value);
    }

    @Test
    void narrowingKeepsASubsetAndWideningIsRefusedNextToTheFieldWithTheInputKept() throws Exception {
        String id = fileTwoTargets();
        Browser.signIn(browser, base(), a.users.get(UserRole.ANALYST).username(), TestAccounts.PASSWORD,
                a.secrets.get(UserRole.ANALYST), Instant.now());
        browser.get(base() + "/requests/" + id);
        // the editor starts at the request: its period, every category, every target
        assertThat(browser.findElement(By.id("p-from")).getAttribute("value")).isEqualTo("2026-05-01");
        assertThat(browser.findElement(By.id("p-to")).getAttribute("value")).isEqualTo("2026-10-31");
        assertThat(browser.findElements(By.cssSelector("#p-scope input[name=dataCategories]:checked"))).hasSize(2);
        assertThat(browser.findElements(By.cssSelector("#p-scope input[name=targets]:checked"))).hasSize(2);
        assertThat(Axe.seriousViolations(browser)).isEmpty();

        // widening the period is refused: the error sits by the field, what was typed stays
        new Select(browser.findElement(By.id("p-outcome"))).selectByValue("NARROW");
        setDate("p-from", "2026-04-01");
        browser.findElement(By.id("p-cat-1")).click(); // TRAFFIC off
        browser.findElement(By.id("p-reason")).sendKeys("Only what the order covers");
        browser.findElement(By.xpath("//form[@id='f-propose']//button[@type='submit']")).click();
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        wait.until(d -> !d.findElements(By.id("p-from-error")).isEmpty());
        assertThat(browser.findElement(By.id("p-from-error")).getText()).contains("before 2026-05-01");
        assertThat(browser.findElement(By.id("p-from")).getAttribute("aria-describedby")).isEqualTo("p-from-error");
        assertThat(browser.findElement(By.id("p-from")).getAttribute("value")).isEqualTo("2026-04-01");
        assertThat(browser.findElement(By.id("p-cat-1")).isSelected()).isFalse();
        assertThat(browser.findElement(By.id("p-cat-0")).isSelected()).isTrue();
        assertThat(browser.findElement(By.id("p-reason")).getAttribute("value")).isEqualTo("Only what the order covers");
        assertThat(new Select(browser.findElement(By.id("p-outcome"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("NARROW");
        assertThat(Axe.seriousViolations(browser)).isEmpty();
        JsonNode untouched = JSON.readTree(call(UserRole.ANALYST, "GET", "/api/v1/cases/" + id, null).body());
        assertThat(untouched.get("proposals")).isEmpty();

        // a period inside the requested one, one category, one of the two targets
        setDate("p-from", "2026-06-01");
        setDate("p-to", "2026-07-31");
        browser.findElement(By.id("p-target-1")).click();
        browser.findElement(By.xpath("//form[@id='f-propose']//button[@type='submit']")).click();
        wait.until(d -> d.findElements(By.id("p-from-error")).isEmpty()
                && d.findElement(By.cssSelector("[role=status]")).getText().contains("proposal is recorded"));
        JsonNode proposal = JSON.readTree(call(UserRole.ANALYST, "GET", "/api/v1/cases/" + id, null).body())
                .get("proposals").get(0);
        assertThat(proposal.get("outcome").stringValue()).isEqualTo("NARROW");
        JsonNode scope = proposal.get("scope");
        assertThat(scope.get("periodFrom").stringValue()).isEqualTo("2026-06-01");
        assertThat(scope.get("periodTo").stringValue()).isEqualTo("2026-07-31");
        assertThat(scope.get("dataCategories").toString()).isEqualTo("[\"SUBSCRIBER\"]");
        assertThat(scope.get("targets").toString()).isEqualTo("[\"decryptor_support_77\"]");

        // the reviewer who confirms it decides exactly that scope
        HttpResponse<String> confirmed = call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}");
        assertThat(confirmed.statusCode()).as(confirmed.body()).isEqualTo(200);
        assertThat(JSON.readTree(confirmed.body()).get("decision").get("scope")).isEqualTo(scope);
        browser.get(base() + "/requests/" + id);
        List<WebElement> editors = browser.findElements(By.cssSelector("fieldset.scope-editor"));
        assertThat(editors).as("a decided case has no editor").isEmpty();
    }
}
