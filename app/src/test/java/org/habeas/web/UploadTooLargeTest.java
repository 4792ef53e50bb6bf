package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.Browser;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A file over the size limit (2 KB here), refused by the container before any controller runs: a form gets its
 * page back with the error next to the file field and what is on the case unchanged; the new-request form refuses
 * the file before sending anything, so that what was typed stays; the API gets a 413 problem+json naming the file
 * part.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.intake.max-document-bytes=2048")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UploadTooLargeTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", TestDatabases.home("habeas-upload")::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts a;
    private WebDriver browser;
    private String id;
    private Path big;

    @BeforeAll
    void open() throws Exception {
        a = TestAccounts.of(context);
        HttpResponse<String> filed = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/requests"))
                .header("Authorization", a.bearer(UserRole.REQUESTER)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Samples.json(Samples.production()))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(filed.statusCode()).as(filed.body()).isEqualTo(201);
        String location = filed.headers().firstValue("Location").orElseThrow();
        id = location.substring(location.lastIndexOf('/') + 1);
        big = Files.createTempFile("big-order", ".txt");
        Files.writeString(big, "x".repeat(100_000));
        browser = Browser.start();
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

    private long messages() {
        return jdbc.sql("select count(*) from casework_event where request_id = :r and action = 'MESSAGE'")
                .param("r", java.util.UUID.fromString(id)).query(Long.class).single();
    }

    @Test
    void aFormGetsItsPageBackWithTheErrorNextToTheFileAndTheApiAProblem() throws Exception {
        Browser.signIn(browser, base(), a.users.get(UserRole.REQUESTER).username(), TestAccounts.PASSWORD,
                a.secrets.get(UserRole.REQUESTER), Instant.now());
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(10));

        // a message to the team with a file too large
        browser.get(base() + "/portal/requests/" + id);
        browser.findElement(By.id("m-text")).sendKeys("The order, scanned");
        browser.findElement(By.id("m-files")).sendKeys(big.toString());
        browser.findElement(By.xpath("//form[@id='f-message']//button[@type='submit']")).click();
        wait.until(d -> !d.findElements(By.id("m-files-error")).isEmpty());
        assertThat(browser.getCurrentUrl()).endsWith("/portal/requests/" + id + "#f-message");
        assertThat(browser.findElement(By.id("m-files-error")).getText()).contains("larger than 2 KB").contains("nothing was sent");
        assertThat(browser.findElement(By.id("m-files")).getAttribute("aria-describedby")).isEqualTo("m-files-error");
        assertThat(messages()).isZero();

        // a new request whose order is too large: refused before anything is sent, what was typed kept
        browser.get(base() + "/portal/new");
        browser.findElement(By.id("reference")).sendKeys("TOO-LARGE-1");
        browser.findElement(By.id("facts")).sendKeys("Payments to a fraudulent shop, traced to one account.");
        browser.findElement(By.id("targetValue0")).sendKeys("shop@mail.example");
        browser.findElement(By.id("order")).sendKeys(big.toString());
        // the rest of the form is left empty: the browser's own checks are off, the upload is refused first
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("document.getElementById('request-form').noValidate = true");
        browser.findElement(By.cssSelector("#request-form button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.id("order-error")).isEmpty());
        assertThat(browser.findElement(By.id("order-error")).getText()).contains("The order itself").contains("larger than 2 KB");
        assertThat(browser.findElement(By.id("order")).getAttribute("aria-describedby")).isEqualTo("order-error");
        assertThat(browser.findElement(By.id("reference")).getAttribute("value")).isEqualTo("TOO-LARGE-1");
        assertThat(browser.findElement(By.id("facts")).getAttribute("value"))
                .isEqualTo("Payments to a fraudulent shop, traced to one account.");
        assertThat(browser.findElement(By.id("targetValue0")).getAttribute("value")).isEqualTo("shop@mail.example");
        assertThat(browser.getCurrentUrl()).endsWith("/portal/new");
        assertThat(jdbc.sql("select count(*) from intake_request where reference = 'TOO-LARGE-1'").query(Long.class).single()).isZero();

        // the API: 413, problem+json, the part named
        String boundary = "habeas-boundary";
        String body = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"text\"\r\n\r\nThe order\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"files\"; filename=\"order.txt\"\r\nContent-Type: text/plain\r\n\r\n"
                + Files.readString(big) + "\r\n--" + boundary + "--\r\n";
        HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/cases/" + id + "/messages"))
                .header("Authorization", a.bearer(UserRole.REQUESTER))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(api.statusCode()).as(api.body()).isEqualTo(413);
        assertThat(api.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/problem+json");
        JsonNode problem = JsonMapper.builder().build().readTree(api.body());
        assertThat(problem.get("errors").get(0).get("parameter").stringValue()).isEqualTo("files");
        assertThat(problem.get("detail").stringValue()).contains("2 KB");
        assertThat(messages()).isZero();
    }
}
