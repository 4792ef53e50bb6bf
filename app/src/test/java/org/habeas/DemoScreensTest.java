package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.habeas.support.Browser;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.json.JsonMapper;

/**
 * The screenshots of the README, taken from the demo in Chromium: the queue and a case page at 1280 px, the portal
 * on a 390 px phone, and the first page of a decision letter (its PDF rendered with PDFBox). They go to
 * {@code target/screens}; with {@code -Dhabeas.screens=../docs/screens} they replace the README's own:
 * <pre>./mvnw -B -q -ntp -pl app test -Dtest=DemoScreensTest -Dhabeas.screens=../docs/screens</pre>
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DemoScreensTest {

    private static final Path HOME = TestDatabases.home("habeas-screens");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private WebDriver browser;
    private Path out;

    @BeforeAll
    void open() throws Exception {
        out = Path.of(System.getProperty("habeas.screens", "target/screens"));
        Files.createDirectories(out);
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

    private HttpResponse<byte[]> call(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", "Bearer " + token);
        b = json == null ? b.method(method, HttpRequest.BodyPublishers.noBody())
                : b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(json));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Saves what the browser shows, and checks it is a PNG of the expected width. */
    private void shoot(String name, int width) throws Exception {
        byte[] png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES);
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).as(name).isEqualTo(width);
        Files.write(out.resolve(name), png);
    }

    @Test
    void theQueueACasePageThePortalOnAPhoneAndALetter() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> tokens = JsonMapper.builder().build().readValue(
                Files.readString(HOME.resolve("demo-tokens.json")), Map.class);
        // a demo request, decided with four eyes, for the case page and its letter
        UUID id = jdbc.sql("""
                select c.request_id from casework_case c join intake_request r on r.id = c.request_id
                where c.state in ('ASSESSED', 'IN_REVIEW') and r.emergency = false and r.measure = 'PRODUCTION'
                order by r.received_at limit 1""").query(UUID.class).single();
        assertThat(call(tokens.get("ANALYST"), "POST", "/api/v1/cases/" + id + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"The order covers the data sought\",\"justification\":\"Reviewed with the order\"}")
                .statusCode()).isEqualTo(201);
        assertThat(call(tokens.get("LEGAL_REVIEWER"), "POST", "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}").statusCode()).isEqualTo(200);

        browser.manage().window().setSize(new Dimension(1280, 1000));
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 1280, "height", 900, "deviceScaleFactor", 1, "mobile", false));
        Browser.signInAsDemoUser(browser, base(), "analyst");
        browser.get(base() + "/requests");
        assertThat(browser.findElements(By.cssSelector("#results tbody tr"))).isNotEmpty();
        shoot("queue.png", 1280);
        browser.get(base() + "/requests/" + id);
        assertThat(browser.findElement(By.id("summary")).getText()).isNotBlank();
        shoot("case.png", 1280);

        browser.manage().deleteAllCookies();
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 2, "mobile", true));
        Browser.signInAsDemoUser(browser, base(), "requester", java.time.Instant.now().plusSeconds(30));
        browser.get(base() + "/portal");
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Requests of");
        shoot("portal-390.png", 780);

        HttpResponse<byte[]> pdf = call(tokens.get("ANALYST"), "GET", "/api/v1/cases/" + id + "/letter?format=pdf", null);
        assertThat(pdf.statusCode()).isEqualTo(200);
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            BufferedImage page = new org.apache.pdfbox.rendering.PDFRenderer(doc).renderImageWithDPI(0, 110);
            assertThat(page.getWidth()).isGreaterThan(800);
            ImageIO.write(page, "png", out.resolve("letter.png").toFile());
        }
        assertThat(Files.size(out.resolve("letter.png"))).isGreaterThan(10_000);
    }
}
