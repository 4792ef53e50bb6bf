package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.habeas.accounts.UserRole;
import org.habeas.support.Axe;
import org.habeas.support.Browser;
import org.habeas.support.SignIns;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Every page a requester, a member of staff, an administrator, oversight and the public reach, in Chromium with
 * the demo's data: axe-core finds no serious or critical violation on any of them; every portal page, the sign-in
 * page, the transparency reports and the accountability register fit a 390 × 844 phone without horizontal scrolling, and the requester answers a question with a document from
 * the phone; no page a requester sees, and no letter, shows a rule's code.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EveryPageBrowserTest {

    /** A rule's id as the engine writes it (LEGAL_BASIS, JUDICIAL_AUTHORIZATION), a bracketed code, or "safeguard R3". */
    static final Pattern RULE_CODE = Pattern.compile("\\[[A-Z][A-Z_]+]|\\b(LEGAL_BASIS|MEASURE_AVAILABLE|REQUEST_COMPLETE|"
            + "PROTECTED_CONDUCT|OBFUSCATED_TEXT|PROTECTED_PERSON|VAGUE_OFFENCE|LABEL_MISMATCH|DUAL_CRIMINALITY|SERIOUSNESS|"
            + "JUDICIAL_AUTHORIZATION|EMERGENCY_CRITERIA|EMERGENCY_MINIMAL|TARGET_SPECIFICITY|PERIOD_BOUND|PRESERVATION_LIMIT|"
            + "REALTIME_LIMIT|NON_DISCLOSURE_LIMIT|DEATH_PENALTY|STATE_RISK|ONWARD_TRANSFER|SECURITY_INTEGRITY)\\b"
            + "|safeguards? R\\d+|\\{[A-Z_]+=\\d+}");

    private static final Path HOME = TestDatabases.home("habeas-every-page");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts a;
    private WebDriver browser;
    private SignIns signIns;
    private String refused;
    private String asked;
    private final List<String> problems = new ArrayList<>();

    @BeforeAll
    void open() throws Exception {
        a = TestAccounts.of(context);
        browser = Browser.start();
        signIns = new SignIns(browser, base(), a);
        // the engine refuses this one (content under a prosecutor's order); the team refuses it too
        refused = file(Files.readString(Path.of("..", "scenarios", "71-content-without-judge.json"))
                .replace("SCN-71", "T-" + UUID.randomUUID().toString().substring(0, 6)));
        call(UserRole.ANALYST, "/api/v1/cases/" + refused + "/proposals", "{\"outcome\":\"REFUSE\",\"reason\":\"No judge\"}", 201);
        call(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + refused + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}", 200);
        // this one waits for the requester's answer
        asked = file(Files.readString(Path.of("..", "scenarios", "01-legit-ransomware-traffic-eu.json"))
                .replace("SCN-01", "T-" + UUID.randomUUID().toString().substring(0, 6)));
        call(UserRole.ANALYST, "/api/v1/cases/" + asked + "/questions", "{\"text\":\"Please send the court's order.\"}", 200);
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
    }

    @BeforeEach
    void signOut() {
        browser.manage().deleteAllCookies();
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> call(UserRole role, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", a.bearer(role));
        b = body == null ? b.GET() : b.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(path + ": " + response.body()).isEqualTo(expected);
        return response;
    }

    private String file(String request) throws Exception {
        String location = call(UserRole.REQUESTER, "/api/v1/requests", request, 201).headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private void desktop() {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.clearDeviceMetricsOverride", Map.of());
        browser.manage().window().setSize(new Dimension(1280, 900));
    }

    /** A phone's viewport: 390 × 844 CSS pixels, as an iPhone 12 to 15 has it. */
    private void phone() {
        ((ChromeDriver) browser).executeCdpCommand("Emulation.setDeviceMetricsOverride",
                Map.of("width", 390, "height", 844, "deviceScaleFactor", 3, "mobile", true));
    }

    private long number(String script) {
        return ((Number) ((JavascriptExecutor) browser).executeScript(script)).longValue();
    }

    /** Opens a page and collects what is wrong with it: accessibility, and on a phone anything wider than the screen. */
    private void check(String path, boolean onPhone) {
        browser.get(base() + path);
        if (!path.equals("/login")) {
            assertThat(browser.getCurrentUrl()).as(path).doesNotContain("/login").doesNotContain("/denied");
        }
        assertThat(browser.getTitle()).as(path).doesNotContainIgnoringCase("error").doesNotContainIgnoringCase("not found");
        Axe.seriousViolations(browser).forEach(v -> problems.add(path + ": " + v));
        if (onPhone) {
            long viewport = number("return window.innerWidth");
            assertThat(viewport).as("the phone's viewport").isEqualTo(390);
            long wide = number("return document.documentElement.scrollWidth");
            if (wide > viewport) {
                problems.add(path + ": " + wide + " px wide on a " + viewport + " px phone; widest: "
                        + ((JavascriptExecutor) browser).executeScript("""
                                let w = null; for (const e of document.querySelectorAll('main *, header *')) {
                                  const r = e.getBoundingClientRect(); if (r.right > window.innerWidth + 1 && (!w || r.right > w.r))
                                  w = {r: r.right, t: e.tagName + (e.id ? '#' + e.id : '') + '.' + e.className}; }
                                return w ? w.t + ' to ' + Math.round(w.r) : 'none'"""));
            }
        }
    }

    private String visibleText() {
        return browser.findElement(By.tagName("body")).getText();
    }

    @Test
    @Order(1)
    void theRequesterAnswersWithADocumentOnAPhoneAndEveryPortalPageFits() throws Exception {
        phone();
        signIns.as(UserRole.REQUESTER);
        check("/portal", true);
        assertThat(visibleText()).doesNotContainPattern(RULE_CODE);
        check("/portal/requests/" + asked, true);
        Path order = Files.createTempFile("order", ".pdf");
        Files.write(order, "%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII));
        browser.findElement(By.id("answer")).sendKeys("The order is attached.");
        browser.findElement(By.id("a-files")).sendKeys(order.toString());
        browser.findElement(By.xpath("//form[@id='f-answer']//button[@type='submit']")).click();
        new WebDriverWait(browser, Duration.ofSeconds(10)).until(d -> d.findElement(By.tagName("body")).getText()
                .contains("Your answer was sent."));
        WebElement attachment = browser.findElement(By.cssSelector("ol.thread ul.attachments a"));
        assertThat(attachment.getText()).isEqualTo(order.getFileName().toString());
        check("/portal/requests/" + asked, true);
        check("/portal/requests/" + refused, true);
        assertThat(visibleText()).contains("Refuse").doesNotContainPattern(RULE_CODE);
        check("/portal/new", true);
        check("/portal/encryption-key", true);
        check("/account", true);
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(2)
    void everyPublicPageFitsAPhone() throws Exception {
        phone();
        check("/login", true);
        check("/transparency", true);
        check("/transparency/register", true);
        List<WebElement> reports = new ArrayList<>();
        browser.get(base() + "/transparency");
        reports.addAll(browser.findElements(By.cssSelector("main li a[href^='/transparency/2']")));
        assertThat(reports).as("the demo publishes a report").isNotEmpty();
        String report = URI.create(reports.getFirst().getAttribute("href")).getPath();
        check(report, true);
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(3)
    void everyStaffPageIsAccessible() throws Exception {
        desktop();
        signIns.as(UserRole.ANALYST);
        for (String page : List.of("/requests", "/requests?status=AWAITING_REQUESTER", "/requests/" + asked,
                "/requests/" + refused, "/law/states/DE", "/account", "/transparency")) {
            check(page, false);
        }
        browser.get(base() + "/requests/" + refused);
        assertThat(browser.findElement(By.cssSelector("table.timeline")).getText())
                .contains("Request received").contains("Proposal confirmed").doesNotContain("CONFIRMED");
        browser.manage().deleteAllCookies();
        signIns.as(UserRole.LEGAL_REVIEWER);
        check("/requests/" + asked, false);
        browser.manage().deleteAllCookies();
        signIns.as(UserRole.HUMAN_RIGHTS_OFFICER);
        check("/requests?status=ESCALATED", false);
        check("/oversight/register", false);
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(4)
    void everyAdministrationAndOversightPageIsAccessible() throws Exception {
        desktop();
        signIns.as(UserRole.ADMIN);
        check("/admin/users", false);
        check("/admin/agencies", false);
        check("/admin/agencies/" + a.agencyA.id(), false);
        check("/access", false);
        check("/account", false);
        browser.manage().deleteAllCookies();
        signIns.as(UserRole.OVERSIGHT);
        check("/requests", false);
        check("/requests/" + refused, false);
        check("/access", false);
        check("/oversight/register", false);
        assertThat(problems).isEmpty();
    }

    @Test
    @Order(5)
    void lettersShowNoRuleCode() throws Exception {
        String letter = call(UserRole.REQUESTER, "/api/v1/cases/" + refused + "/letter", null, 200).body();
        assertThat(letter).contains("REFUSED").contains("Legal basis: ").doesNotContainPattern(RULE_CODE);
        HttpResponse<byte[]> pdf = http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/cases/" + refused
                + "/letter?format=pdf")).header("Authorization", a.bearer(UserRole.REQUESTER)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf.body())) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(doc)).contains("REFUSED")
                    .doesNotContainPattern(RULE_CODE);
        }
    }
}
