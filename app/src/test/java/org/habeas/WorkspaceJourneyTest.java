package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.UserRole;
import org.habeas.disclosure.EncryptionKeys;
import org.habeas.disclosure.PackageKeys;
import org.habeas.intake.Samples;
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
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.jwk.ECKey;

import tools.jackson.databind.node.ObjectNode;

/**
 * The legal team's workspace in a real browser at 1280 × 800: the demo agencies can receive packages; a decided
 * request whose agency has no encryption key says so before anyone presses Execute; the agency's officer registers
 * a key in the portal (a refused key keeps what was typed, with the error next to the field); Execute then
 * produces a package the officer downloads under its own name and opens with {@code habeas package open}. The queue
 * fits the screen, filters by the real state (the human-rights officer's inbox) and finds a request by reference.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class WorkspaceJourneyTest {

    private static final Path HOME = TestDatabases.home("habeas-workspace");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    Agencies agencies;

    @Autowired
    EncryptionKeys keys;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts a;
    private WebDriver browser;
    private SignIns signIns;
    private WebDriverWait wait;
    private String decided;
    private String decidedReference;
    private String escalatedReference;
    private String refusedByEngine;
    private String preserved;

    @BeforeAll
    void open() throws Exception {
        a = TestAccounts.of(context);
        browser = Browser.start();
        signIns = new SignIns(browser, base(), a);
        browser.manage().window().setSize(new Dimension(1280, 800));
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        // one request decided ACCEPT, one escalated by the legal reviewer to a human-rights officer
        ObjectNode r = Samples.production();
        decidedReference = r.get("reference").stringValue();
        decided = file(r);
        call(UserRole.ANALYST, "POST", "/api/v1/cases/" + decided + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"The order covers it\",\"justification\":\"Reviewed with the order\"}", 201);
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + decided + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}", 200);
        ObjectNode e = Samples.production();
        escalatedReference = e.get("reference").stringValue();
        String escalated = file(e);
        call(UserRole.ANALYST, "POST", "/api/v1/cases/" + escalated + "/proposals",
                "{\"outcome\":\"ESCALATE\",\"reason\":\"A journalist may be concerned\",\"justification\":\"Needs the officer\"}", 201);
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + escalated + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed, for the officer\"}", 200);
        // one the engine refuses (content under a prosecutor's order), waiting for the analyst
        refusedByEngine = file((ObjectNode) Samples.parse(Files.readString(Path.of("..", "scenarios", "71-content-without-judge.json"))
                .replace("SCN-71", "T-" + UUID.randomUUID().toString().substring(0, 6))));
        // an accepted preservation request: its hold runs
        ObjectNode p = Samples.production();
        p.put("measure", "PRESERVATION");
        p.put("preservationDays", 90);
        preserved = file(p);
        call(UserRole.ANALYST, "POST", "/api/v1/cases/" + preserved + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"Preserve\",\"justification\":\"Reviewed\"}", 201);
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + preserved + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}", 200);
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

    private HttpResponse<String> call(UserRole role, String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", a.bearer(role));
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response;
    }

    private String file(ObjectNode request) throws Exception {
        String location = call(UserRole.REQUESTER, "POST", "/api/v1/requests", Samples.json(request), 201)
                .headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private boolean waitsFor(String id) {
        try {
            new org.openqa.selenium.support.ui.WebDriverWait(browser, java.time.Duration.ofSeconds(5))
                    .until(d -> !d.findElements(By.id(id)).isEmpty());
            return true;
        } catch (org.openqa.selenium.TimeoutException e) {
            return false;
        }
    }

    private void assertAccessible() {
        assertThat(Axe.seriousViolations(browser)).as(browser.getCurrentUrl()).isEmpty();
    }

    @Test
    @Order(1)
    void everyDemoAgencyCanReceiveAPackageAndItsDemoKeyIsOnDisk() throws Exception {
        var demo = agencies.list().stream().filter(x -> !x.id().equals(a.agencyA.id()) && !x.id().equals(a.agencyB.id())).toList();
        assertThat(demo).isNotEmpty().allSatisfy(x -> assertThat(keys.current(x.id())).isPresent());
        var gb = demo.stream().filter(x -> x.state().equals("GB")).findFirst().orElseThrow();
        ECKey onDisk = ECKey.parse(Files.readString(HOME.resolve("demo-keys/GB.jwk")));
        assertThat(onDisk.isPrivate()).isTrue();
        assertThat(onDisk.getKeyID()).isEqualTo(keys.current(gb.id()).orElseThrow().getKeyID());
        assertThat(keys.current(a.agencyA.id())).isEmpty();
    }

    @Test
    @Order(2)
    void theCasePageSaysBeforeExecuteThatTheAgencyHasNoEncryptionKey() throws Exception {
        signIns.as(UserRole.ANALYST);
        browser.get(base() + "/requests/" + decided);
        // if the block is missing, say which page the browser shows instead
        boolean shown = !browser.findElements(By.id("execution-readiness")).isEmpty() || waitsFor("execution-readiness");
        assertThat(shown).as("the readiness block on %s, which reads: %s", browser.getCurrentUrl(),
                browser.findElement(By.tagName("body")).getText()).isTrue();
        WebElement readiness = browser.findElement(By.id("execution-readiness"));
        assertThat(readiness.getText()).contains("Execution is blocked")
                .contains("the requesting agency has no encryption key").contains("/portal/encryption-key");
        assertThat(readiness.findElements(By.tagName("button"))).isEmpty();
        assertThat(browser.findElements(By.xpath("//button[starts-with(normalize-space(.), 'Execute')]"))).isEmpty();
    }

    @Test
    @Order(3)
    void theAgencysOfficerRegistersAnEncryptionKeyInThePortal() throws Exception {
        signIns.as(UserRole.REQUESTER);
        browser.get(base() + "/portal/encryption-key");
        assertThat(browser.findElement(By.id("no-key")).getText()).contains("no encryption key");
        assertAccessible();
        ECKey pair = PackageKeys.generate("enc-" + UUID.randomUUID());
        Files.writeString(HOME.resolve("agency-a.jwk"), pair.toJSONString());
        // the private key is refused, and what was typed stays in the field with the error next to it
        WebElement field = browser.findElement(By.id("jwk"));
        field.sendKeys(pair.toJSONString());
        browser.findElement(By.xpath("//button[normalize-space(.)='Register the key']")).click();
        wait.until(d -> !d.findElements(By.id("jwk-error")).isEmpty());
        assertThat(browser.findElement(By.id("jwk-error")).getText()).contains("private key");
        assertThat(browser.findElement(By.id("jwk")).getAttribute("value")).isEqualTo(pair.toJSONString());
        assertThat(browser.findElement(By.id("jwk")).getAttribute("aria-describedby")).isEqualTo("jwk-error");
        assertAccessible();
        assertThat(keys.current(a.agencyA.id())).isEmpty();

        WebElement again = browser.findElement(By.id("jwk"));
        again.clear();
        again.sendKeys(pair.toPublicJWK().toJSONString());
        browser.findElement(By.xpath("//button[normalize-space(.)='Register the key']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("table.keys")).getText()).contains(pair.getKeyID()).contains("Active");
        assertThat(keys.current(a.agencyA.id()).orElseThrow().getKeyID()).isEqualTo(pair.getKeyID());
    }

    @Test
    @Order(4)
    void executeIsOfferedOnceItCanSucceedAndTheRequesterOpensThePackage() throws Exception {
        signIns.as(UserRole.ANALYST);
        browser.get(base() + "/requests/" + decided);
        assertThat(browser.findElement(By.id("execution-readiness")).getText()).doesNotContain("blocked");
        browser.findElement(By.xpath("//button[starts-with(normalize-space(.), 'Execute')]")).click();
        // the page reloads after the click: an element of the old page may go stale while we look
        new WebDriverWait(browser, Duration.ofSeconds(10)).ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(d -> d.findElement(By.id("case-state")).getText().contains("offered"));

        HttpResponse<String> download = call(UserRole.REQUESTER, "GET", "/api/v1/cases/" + decided + "/package", null, 200);
        String name = "habeas-package-" + decidedReference + ".jwe";
        assertThat(download.headers().firstValue("Content-Disposition").orElseThrow()).contains("filename=\"" + name + "\"");
        Path dir = Files.createTempDirectory("habeas-received");
        Path file = dir.resolve(name);
        Files.writeString(file, download.body());
        Path vkey = dir.resolve("operator.vkey");
        Files.writeString(vkey, http.send(HttpRequest.newBuilder(URI.create(base() + "/disclosure/vkey")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = org.habeas.cli.HabeasCommand.commandLine(HabeasApplication.class);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int exit = cli.execute("package", "open", file.toString(), "--key", HOME.resolve("agency-a.jwk").toString(),
                "--vkey", vkey.toString());
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("valid: ").contains(decidedReference);
        try (var files = Files.walk(dir.resolve("habeas-package-" + decidedReference + "/files"))) {
            assertThat(files.filter(Files::isRegularFile).toList()).isNotEmpty();
        }
    }

    @Test
    @Order(5)
    void theQueueFitsTheScreenAndTheOfficerFindsTheEscalatedCases() throws Exception {
        signIns.as(UserRole.HUMAN_RIGHTS_OFFICER);
        browser.get(base() + "/requests");
        JavascriptExecutor js = (JavascriptExecutor) browser;
        long viewport = ((Number) js.executeScript("return window.innerWidth")).longValue();
        assertThat(viewport).isBetween(1200L, 1280L);
        assertThat(((Number) js.executeScript("return document.documentElement.scrollWidth")).longValue())
                .isLessThanOrEqualTo(viewport);
        List<WebElement> headers = browser.findElements(By.cssSelector("table.requests thead th"));
        assertThat(headers.stream().map(WebElement::getText).toList())
                .contains("Status", "Respond by (UTC)", "Assessment");
        for (WebElement th : headers) {
            assertThat(((Number) js.executeScript("return arguments[0].getBoundingClientRect().right", th)).doubleValue())
                    .as(th.getText()).isLessThanOrEqualTo(viewport);
        }
        assertAccessible();

        // the officer's inbox: only the cases waiting for a human-rights officer, shown as such
        new Select(browser.findElement(By.id("status"))).selectByVisibleText("Waiting for a human-rights officer");
        wait.until(d -> d.getCurrentUrl().contains("status=ESCALATED"));
        wait.until(d -> d.findElement(By.id("results")).getText().contains(escalatedReference));
        List<WebElement> statuses = browser.findElements(By.cssSelector("#results td.status"));
        assertThat(statuses).isNotEmpty()
                .allSatisfy(s -> assertThat(s.getText()).isEqualTo("Waiting for a human-rights officer"));
        assertThat(browser.findElement(By.id("results")).getText()).doesNotContain(decidedReference);

        // search by reference, from any state
        browser.get(base() + "/requests?q=" + decidedReference.substring(5, 18));
        assertThat(browser.findElements(By.cssSelector("#results tbody tr"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("#results td.status")).getText()).isEqualTo("Data offered to the requester");
        // and by the sending agency's name
        browser.get(base() + "/requests?q=" + a.agencyA.name().replace(" ", "+"));
        assertThat(browser.findElement(By.id("results")).getText()).contains(decidedReference).contains(escalatedReference);
        assertThat(browser.findElement(By.cssSelector("#results .count")).getText()).isEqualTo("4 requests");
    }

    @Test
    @Order(6)
    void theCasePageShowsTheRequestFirstPreselectsTheEngineAndKeepsARefusedProposal() throws Exception {
        signIns.as(UserRole.ANALYST);
        browser.get(base() + "/requests/" + refusedByEngine);
        JavascriptExecutor js = (JavascriptExecutor) browser;
        java.util.function.Function<String, Double> top = id -> ((Number) js.executeScript(
                "return document.getElementById(arguments[0]).getBoundingClientRect().top", id)).doubleValue();
        // the request and the engine's findings come before the forms
        assertThat(top.apply("h-request")).isLessThan(top.apply("h-assessment"));
        assertThat(top.apply("h-who")).isLessThan(top.apply("h-assessment"));
        assertThat(top.apply("h-assessment")).isLessThan(top.apply("f-propose"));
        assertThat(browser.findElement(By.id("summary")).getText()).contains("Refuse");
        // the outcome starts at the engine's: refuse
        assertThat(new Select(browser.findElement(By.id("p-outcome"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("REFUSE");
        assertThat(browser.findElements(By.cssSelector("form.callback"))).as("no verification is open").isEmpty();
        assertAccessible();

        // accepting against the engine without a justification is refused: what was typed stays, the error sits by the field
        new Select(browser.findElement(By.id("p-outcome"))).selectByValue("ACCEPT");
        browser.findElement(By.id("p-reason")).sendKeys("The prosecutor's order suffices here");
        browser.findElement(By.xpath("//form[@id='f-propose']//button")).click();
        wait.until(d -> !d.findElements(By.id("p-just-error")).isEmpty());
        assertThat(browser.findElement(By.id("p-just-error")).getText()).contains("justification");
        assertThat(browser.findElement(By.id("p-reason")).getAttribute("value")).isEqualTo("The prosecutor's order suffices here");
        assertThat(new Select(browser.findElement(By.id("p-outcome"))).getFirstSelectedOption().getAttribute("value"))
                .isEqualTo("ACCEPT");
        assertThat(browser.getCurrentUrl()).endsWith("#f-propose");
        assertAccessible();

        // a preservation hold shows with its days left
        browser.get(base() + "/requests/" + preserved);
        assertThat(browser.findElement(By.id("hold")).getText()).contains("Active").contains("days left");
        assertThat(browser.findElement(By.cssSelector("tr[data-kind=RESPONSE]")).getText()).contains("Response due").contains("done");
        assertThat(browser.findElements(By.id("execution-readiness"))).as("a preservation produces no package").isEmpty();
        assertThat(browser.findElement(By.cssSelector("tr[data-kind=PRESERVATION_EXPIRY]")).getText())
                .contains("Preservation hold expires");
    }

    @Test
    @Order(7)
    void caseworkersTakeCasesFindThemInMyCasesAndAreToldOfAnAssignment() throws Exception {
        String officer = a.users.get(UserRole.HUMAN_RIGHTS_OFFICER).displayName();
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class); // a form's answer replaces the page
        signIns.as(UserRole.ANALYST);
        // the analyst opens a case nobody has; meanwhile a reviewer gives it to the officer: the analyst's click loses
        browser.get(base() + "/requests/" + refusedByEngine);
        assertThat(browser.findElement(By.id("assignee")).getText()).contains("Nobody has taken this case yet");
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + refusedByEngine + "/assignment", "{\"assignee\":\""
                + a.users.get(UserRole.HUMAN_RIGHTS_OFFICER).username() + "\",\"expected\":null}", 200);
        browser.findElement(By.id("assign-me")).click();
        wait.until(d -> !d.findElements(By.id("assignment-error")).isEmpty());
        assertThat(browser.findElement(By.id("assignment-error")).getText()).contains("changed meanwhile").contains(officer);
        assertThat(browser.findElement(By.id("assignee")).getText()).contains(officer);
        assertAccessible();

        // a reviewer assigns the preserved case to the analyst: the bell counts it, the notifications page says it
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + preserved + "/assignment", "{\"assignee\":\""
                + a.users.get(UserRole.ANALYST).username() + "\",\"expected\":null}", 200);
        browser.get(base() + "/requests");
        assertThat(browser.findElement(By.id("bell")).getAttribute("aria-label")).isEqualTo("Notifications: 1 unread");
        browser.findElement(By.id("bell")).click();
        wait.until(d -> d.getCurrentUrl().endsWith("/notifications"));
        WebElement row = browser.findElement(By.cssSelector("#notifications tr[data-kind=ASSIGNED]"));
        assertThat(row.getText()).contains("is assigned to you").contains("New");
        assertAccessible();
        row.findElement(By.tagName("button")).click();
        wait.until(d -> d.getCurrentUrl().contains("/requests/" + preserved));
        String reference = browser.findElement(By.cssSelector("h1 span")).getText();
        assertThat(browser.findElement(By.id("assignee")).getText()).startsWith("You");
        assertThat(browser.findElement(By.id("bell")).getAttribute("aria-label")).isEqualTo("Notifications: none unread");

        // "My cases" in the queue lists exactly the analyst's
        browser.get(base() + "/requests");
        new Select(browser.findElement(By.id("status"))).selectByVisibleText("My cases");
        wait.until(d -> d.getCurrentUrl().contains("status=MINE"));
        wait.until(d -> d.findElement(By.cssSelector("#results .count")).getText().equals("1 request"));
        assertThat(browser.findElement(By.id("results")).getText()).contains(reference).contains("Assigned to you");
        assertAccessible();

        // the analyst hands it back and takes it again; both are on the case's timeline
        browser.get(base() + "/requests/" + preserved);
        browser.findElement(By.id("unassign")).click();
        wait.until(d -> d.findElement(By.id("assignee")).getText().contains("Nobody"));
        browser.findElement(By.id("assign-me")).click();
        wait.until(d -> d.findElement(By.id("assignee")).getText().startsWith("You"));
        assertThat(browser.findElement(By.cssSelector("table.timeline")).getText())
                .contains("Assigned to Test Analyst").contains("No longer assigned to Test Analyst")
                .doesNotContain("ASSIGNED");
        browser.get(base() + "/requests?status=UNASSIGNED");
        assertThat(browser.findElement(By.id("results")).getText()).doesNotContain(reference);
    }
}
