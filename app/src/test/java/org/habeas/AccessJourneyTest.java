package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.habeas.support.Browser;
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
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.json.JsonMapper;

/**
 * The people who use Habeas every day, in a real browser against the demo installation: a requester signs in
 * with a password and a TOTP code, files a request through the portal (watching the pre-check), and sees it; an
 * analyst finds it in the queue and opens its assessment; a requester of another agency cannot see it; an
 * oversight user reads it without its targets.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {"habeas.demo.enabled=true", "habeas.mail.outbox="})
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AccessJourneyTest {

    private static final String TARGET = "journey-target@mail.example";

    private static final Path HOME = TestDatabases.home("habeas-journey");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
    }

    @LocalServerPort
    int port;

    @Value("${habeas.home}")
    Path home;

    @org.springframework.beans.factory.annotation.Autowired
    org.springframework.context.ApplicationContext context;

    @org.springframework.beans.factory.annotation.Autowired
    org.habeas.accounts.Users users;

    private WebDriver browser;
    private WebDriverWait wait;
    private String requestUrl;

    @BeforeAll
    void openBrowser() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
    }

    @AfterAll
    void closeBrowser() {
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

    @Test
    @Order(1)
    void demoModeWritesOneTokenPerRoleAndTheSignInPageSaysSo() throws IOException {
        @SuppressWarnings("unchecked")
        Map<String, String> tokens = JsonMapper.builder().build().readValue(
                Files.readString(home.resolve("demo-tokens.json")), Map.class);
        assertThat(tokens).containsOnlyKeys("ADMIN", "ANALYST", "LEGAL_REVIEWER", "HUMAN_RIGHTS_OFFICER", "OVERSIGHT",
                "REQUESTER");
        assertThat(tokens.values()).allSatisfy(t -> assertThat(t).startsWith("hab_"));
        browser.get(base() + "/");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
        assertThat(browser.findElement(By.id("h-demo")).getText()).isEqualTo("Demo mode");
        assertThat(browser.findElements(By.cssSelector("table.demo-users tbody tr"))).hasSizeGreaterThanOrEqualTo(7);
    }

    @Test
    @Order(2)
    void aWrongCodeIsRefusedAndTheRightOneSignsIn() {
        browser.get(base() + "/login");
        browser.findElement(By.id("username")).sendKeys("requester");
        browser.findElement(By.id("password")).sendKeys(org.habeas.accounts.DemoAccounts.PASSWORD);
        browser.findElement(By.id("code")).sendKeys("000000");
        browser.findElement(By.cssSelector("form.stacked button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("/login?error"));
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("Wrong user name, password or code");

        Browser.signInAsDemoUser(browser, base(), "requester");
        assertThat(browser.getCurrentUrl()).endsWith("/portal");
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("Requester");
    }

    @Test
    @Order(3)
    void aRequesterFilesARequestWithThePreCheckAndSeesIt() throws IOException {
        Browser.signInAsDemoUser(browser, base(), "requester-fr");
        browser.get(base() + "/portal/new");
        WebElement precheck = browser.findElement(By.id("precheck"));
        // an empty form: the pre-check lists what is missing
        wait.until(d -> precheck.getText().contains("Still missing"));

        type("reference", "JOURNEY-1");
        new Select(browser.findElement(By.id("instrument"))).selectByValue("EU_EEVIDENCE");
        new Select(browser.findElement(By.id("measure"))).selectByValue("PRODUCTION");
        browser.findElement(By.id("cat-SUBSCRIBER")).click();
        type("requestedState", "IE");
        type("statute", "Code pénal, art. 313-1");
        type("offenceDescription", "Escroquerie en bande organisée au moyen de faux sites de vente en ligne.");
        type("maxPenaltyYears", "10");
        type("facts", "Des victimes ont payé des commandes sur un site frauduleux dont le compte est le seul lien.");
        type("targetValue0", TARGET);
        new Select(browser.findElement(By.id("targetType0"))).selectByValue("EMAIL");
        new Select(browser.findElement(By.id("authorizationKind"))).selectByValue("JUDICIAL");
        type("authorizationIssuedBy", "Juge d'instruction, tribunal judiciaire de Paris");
        Path order = Files.createTempFile("order", ".txt");
        Files.writeString(order, "Ordonnance du juge d'instruction (texte de démonstration)");
        browser.findElement(By.id("order")).sendKeys(order.toString());
        // the pre-check now assesses the complete request
        wait.until(d -> d.findElement(By.id("precheck")).getText().contains("Habeas would:"));
        assertThat(browser.findElement(By.cssSelector("#precheck .decision")).getText())
                .isIn("Accept", "Narrow", "Escalate", "Refuse");

        browser.findElement(By.cssSelector("#request-form button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("/portal/requests/"));
        requestUrl = browser.getCurrentUrl().replaceAll("\\?.*", "");
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).contains("received");
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("JOURNEY-1");
        assertThat(browser.findElement(By.id("h-documents")).findElement(By.xpath("..")).getText())
                .contains(order.getFileName().toString());
        browser.get(base() + "/portal");
        assertThat(browser.findElement(By.id("results")).getText()).contains("JOURNEY-1");
    }

    @Test
    @Order(4)
    void anAnalystFindsItInTheQueueAndOpensTheAssessment() {
        Browser.signInAsDemoUser(browser, base(), "analyst");
        assertThat(browser.getCurrentUrl()).endsWith("/requests");
        WebElement row = browser.findElements(By.cssSelector("#results tbody tr")).stream()
                .filter(r -> r.getText().contains("JOURNEY-1")).findFirst().orElseThrow();
        assertThat(row.getText()).contains("Unsigned").contains("FR → IE");
        row.findElement(By.tagName("a")).click();
        wait.until(d -> d.getTitle().contains("JOURNEY-1"));
        assertThat(browser.findElement(By.cssSelector("section.assessment .decision")).getText()).isNotBlank();
        assertThat(browser.findElements(By.cssSelector("table.findings tbody tr"))).isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("table.targets")).getText()).contains(TARGET);
        assertThat(browser.findElement(By.id("h-sender")).findElement(By.xpath("..")).getText())
                .contains("requester-fr");
    }

    @Test
    @Order(5)
    void aRequesterOfAnotherAgencyCannotSeeIt() {
        // this requester signed in a moment ago; a code works once, so use the next one
        Browser.signInAsDemoUser(browser, base(), "requester", java.time.Instant.now().plusSeconds(30));
        browser.get(requestUrl);
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not found");
        browser.get(base() + "/portal");
        assertThat(browser.findElement(By.id("results")).getText()).doesNotContain("JOURNEY-1");
        browser.get(base() + "/requests");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Not allowed");
    }

    @Test
    @Order(6)
    void anOversightUserReadsItWithoutItsTargets() {
        Browser.signInAsDemoUser(browser, base(), "oversight");
        WebElement row = browser.findElements(By.cssSelector("#results tbody tr")).stream()
                .filter(r -> r.getText().contains("JOURNEY-1")).findFirst().orElseThrow();
        row.findElement(By.tagName("a")).click();
        wait.until(d -> d.getTitle().contains("JOURNEY-1"));
        assertThat(browser.getPageSource()).doesNotContain(TARGET);
        assertThat(browser.findElement(By.cssSelector("table.targets")).getText()).contains("(withheld)");
        assertThat(browser.findElement(By.cssSelector("section.assessment .decision")).getText()).isNotBlank();
    }

    @Test
    @Order(7)
    void inTheDemoANewUserApprovedByTheSecondAdministratorFindsTheSetUpLinkInTheOutbox() throws Exception {
        @SuppressWarnings("unchecked")
        Map<String, String> tokens = JsonMapper.builder().build().readValue(
                Files.readString(home.resolve("demo-tokens.json")), Map.class);
        org.habeas.accounts.User second = users.findByUsername("admin-2").orElseThrow();
        String secondToken = context.getBean(org.habeas.accounts.Tokens.class)
                .issueForUser(second, "journey", Duration.ofDays(1), "test").value();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        var asked = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + "/api/v1/users"))
                .header("Authorization", "Bearer " + tokens.get("ADMIN")).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"username\":\"new-analyst\",\"displayName\":"
                        + "\"New analyst\",\"role\":\"ANALYST\",\"email\":\"new.analyst@example.org\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(asked.statusCode()).isEqualTo(202);
        String grant = JsonMapper.builder().build().readTree(asked.body()).get("grant").get("id").stringValue();
        var approved = http.send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(base() + "/api/v1/grants/" + grant + "/approval"))
                .header("Authorization", "Bearer " + secondToken).POST(java.net.http.HttpRequest.BodyPublishers.noBody())
                .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(approved.statusCode()).isEqualTo(200);
        assertThat(approved.body()).contains("n…@example.org").doesNotContain("/setup/");
        // no SMTP server in the demo: the mail is a file in $HABEAS_HOME/outbox, its link on this server
        assertThat(context.getBean(org.habeas.accounts.SetupLinkMail.class).outbox())
                .contains(home.resolve("outbox").toAbsolutePath().normalize());
        String link = org.habeas.support.TestMail.linkFor(context, "new.analyst@example.org");
        var page = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base() + link)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("otpauth://totp/Habeas:new-analyst");
    }

    private void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }
}
