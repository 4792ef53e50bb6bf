package org.habeas;

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

import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.disclosure.PackageKeys;
import org.habeas.support.Axe;
import org.habeas.support.Browser;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.jwk.ECKey;

/**
 * A French agency's officer, whose browser asks for French, goes through the whole journey in French: signs in,
 * registers the agency's encryption key, files a request with the pre-check, is told of the decision and of the
 * package in French (in Habeas and in the e-mail's text, while a colleague who reads English is told in English),
 * downloads the package, opens it with {@code habeas package open} and confirms receipt. The staff's steps (propose,
 * confirm, execute) go through the API.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FrenchJourneyTest {

    private static final Path HOME = TestDatabases.home("habeas-french");

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
    Users users;

    @Autowired
    JdbcClient jdbc;

    private final HttpClient http = HttpClient.newHttpClient();
    private TestAccounts a;
    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void open() {
        a = TestAccounts.of(context);
        browser = Browser.inLanguage("fr");
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
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

    private HttpResponse<String> call(UserRole role, String method, String path, String body, int expected) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base() + path)).header("Authorization", a.bearer(role));
        b.header("Content-Type", "application/json").method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        return response;
    }

    private void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private List<String> told(User u, String column) {
        return jdbc.sql("select " + column + " from notification where recipient_id = :u order by created_at")
                .param("u", u.id()).query(String.class).list();
    }

    @Test
    void aFrenchOfficerFilesReceivesOpensAndConfirmsInFrench() throws Exception {
        // a colleague of the same agency who reads English
        User colleague = users.createWithCredentials("requester-en-" + UUID.randomUUID().toString().substring(0, 6),
                "English colleague", UserRole.REQUESTER, a.agencyA.id(), TestAccounts.PASSWORD, null);

        browser.get(base() + "/login");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("fr");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Connexion");
        assertThat(browser.findElement(By.cssSelector("label[for=password]")).getText()).isEqualTo("Mot de passe");
        Browser.signIn(browser, base(), a.users.get(UserRole.REQUESTER).username(), TestAccounts.PASSWORD,
                a.secrets.get(UserRole.REQUESTER), Instant.now());
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Demandes de ");
        assertThat(browser.findElement(By.cssSelector("header nav")).getText()).contains("Nos demandes")
                .contains("Nouvelle demande").contains("Clé de chiffrement");
        assertThat(Axe.seriousViolations(browser)).isEmpty();

        // the agency's encryption key
        browser.get(base() + "/portal/encryption-key");
        assertThat(browser.findElement(By.id("no-key")).getText()).contains("pas encore de clé de chiffrement");
        ECKey pair = PackageKeys.generate("enc-" + UUID.randomUUID());
        Path keyFile = Files.createTempDirectory("habeas-french-key").resolve("agence.jwk");
        Files.writeString(keyFile, pair.toJSONString());
        type("jwk", pair.toPublicJWK().toJSONString());
        browser.findElement(By.xpath("//button[normalize-space(.)='Enregistrer la clé']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .isEqualTo("Clé " + pair.getKeyID() + " enregistrée : les paquets pour votre autorité sont désormais chiffrés pour elle.");
        assertThat(browser.findElement(By.cssSelector("table.keys")).getText()).contains("Active");

        // the request, with the pre-check
        browser.get(base() + "/portal/new");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Nouvelle demande");
        wait.until(d -> d.findElement(By.id("precheck")).getText().contains("Encore manquant"));
        String reference = "FR-" + UUID.randomUUID().toString().substring(0, 8);
        type("reference", reference);
        Select instrument = new Select(browser.findElement(By.id("instrument")));
        instrument.selectByValue("BUDAPEST");
        assertThat(instrument.getFirstSelectedOption().getText()).isEqualTo("Convention de Budapest");
        new Select(browser.findElement(By.id("measure"))).selectByValue("PRODUCTION");
        assertThat(browser.findElement(By.cssSelector("label[for=cat-SUBSCRIBER]")).getText())
                .isEqualTo("Données relatives aux abonnés");
        browser.findElement(By.id("cat-SUBSCRIBER")).click();
        type("requestedState", "IE");
        type("statute", "Code pénal, art. 313-1");
        type("offenceDescription", "Escroquerie en bande organisée au moyen de faux sites de vente en ligne.");
        type("maxPenaltyYears", "10");
        type("facts", "Des victimes ont payé des commandes sur un site frauduleux dont le compte est le seul lien.");
        type("targetValue0", "victime-fr@mail.example");
        new Select(browser.findElement(By.id("targetType0"))).selectByValue("EMAIL");
        new Select(browser.findElement(By.id("authorizationKind"))).selectByValue("JUDICIAL");
        type("authorizationIssuedBy", "Juge d'instruction, tribunal judiciaire de Paris");
        wait.withMessage(() -> "the pre-check reads: " + browser.findElement(By.id("precheck")).getText())
                .until(d -> d.findElement(By.id("precheck")).getText().contains("Habeas déciderait :"));
        assertThat(browser.findElement(By.cssSelector("#precheck .decision")).getText())
                .isIn("Accepter", "Restreindre", "Transmettre", "Refuser");
        browser.findElement(By.cssSelector("#request-form button[type=submit]")).click();
        wait.until(d -> d.getCurrentUrl().contains("/portal/requests/"));
        String id = browser.getCurrentUrl().replaceAll(".*/portal/requests/([^?#]+).*", "$1");
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("Votre demande a été reçue.");
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Demande " + reference);
        assertThat(browser.findElement(By.cssSelector("dl.fields")).getText()).contains("Statut")
                .contains("Production : Données relatives aux abonnés");
        assertThat(Axe.seriousViolations(browser)).isEmpty();

        // the staff decide and execute
        call(UserRole.ANALYST, "POST", "/api/v1/cases/" + id + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"The order covers it\",\"justification\":\"Reviewed with the order\"}", 201);
        call(UserRole.LEGAL_REVIEWER, "POST", "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}", 200);
        call(UserRole.ANALYST, "POST", "/api/v1/cases/" + id + "/package", null, 201);

        // told in French, in Habeas and in the e-mail's text; the English colleague in English
        User officer = a.users.get(UserRole.REQUESTER);
        assertThat(users.language(officer.id())).isEqualTo("fr");
        assertThat(told(officer, "subject")).containsExactly("Votre demande " + reference + " a été acceptée",
                "Les données de votre demande " + reference + " sont prêtes");
        assertThat(told(officer, "mail_text")).containsExactly(
                "Une décision a été prise sur votre demande " + reference + ". Connectez-vous pour la lire, ainsi que sa lettre.",
                "Le paquet de votre demande " + reference + " est prêt. Connectez-vous pour le télécharger.");
        assertThat(told(colleague, "subject")).containsExactly("Your request " + reference + " was accepted",
                "The data for your request " + reference + " is ready");
        browser.get(base() + "/portal/requests/" + id);
        assertThat(browser.findElement(By.id("bell")).getAttribute("aria-label")).isEqualTo("Notifications : 2 non lues");
        browser.get(base() + "/notifications");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Notifications");
        assertThat(browser.findElement(By.id("notifications")).getText())
                .contains("Le paquet de votre demande " + reference + " est prêt à être téléchargé").contains("Nouvelle");

        // the package: download, open, confirm receipt
        browser.get(base() + "/portal/requests/" + id);
        assertThat(browser.findElement(By.id("case-state")).getText()).isEqualTo("Données mises à disposition du demandeur");
        assertThat(browser.findElement(By.id("case-decision")).getText()).startsWith("Décision : Accepter");
        assertThat(browser.findElement(By.id("download")).getText()).isEqualTo("télécharger le paquet chiffré");
        HttpResponse<String> download = call(UserRole.REQUESTER, "GET", "/api/v1/cases/" + id + "/package", null, 200);
        Path dir = Files.createTempDirectory("habeas-recu");
        Path file = dir.resolve("paquet.jwe");
        Files.writeString(file, download.body());
        Path vkey = dir.resolve("operator.vkey");
        Files.writeString(vkey, http.send(HttpRequest.newBuilder(URI.create(base() + "/disclosure/vkey")).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = org.habeas.cli.HabeasCommand.commandLine(HabeasApplication.class);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        assertThat(cli.execute("package", "open", file.toString(), "--key", keyFile.toString(), "--vkey", vkey.toString()))
                .as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("valid: ").contains(reference);
        browser.findElement(By.xpath("//button[normalize-space(.)='Confirmer la réception']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("Réception confirmée.");
        assertThat(browser.findElement(By.id("case-state")).getText()).isEqualTo("Close");
        assertThat(Axe.seriousViolations(browser)).isEmpty();

        // the reader may switch to English; the page and what Habeas tells them next follow
        browser.get(base() + "/portal?lang=en");
        assertThat(browser.findElement(By.tagName("html")).getAttribute("lang")).isEqualTo("en");
        assertThat(browser.findElement(By.tagName("h1")).getText()).startsWith("Requests of ");
        assertThat(users.language(officer.id())).isEqualTo("en");
    }
}
