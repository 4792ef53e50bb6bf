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
 * downloads the package, opens it with {@code habeas package open} and confirms receipt. The staff, whose browsers
 * also ask for French, propose, confirm and execute on French pages with no English word left on them.
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
    private org.habeas.support.SignIns signIns;

    @BeforeAll
    void open() {
        a = TestAccounts.of(context);
        browser = Browser.inLanguage("fr");
        signIns = new org.habeas.support.SignIns(browser, "http://localhost:" + port, a);
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

    /**
     * Words of the staff pages as they read in English: none may be left on a page shown in French. The engine's
     * reasons and conditions are the page's words too. What the law data and people wrote (findings' bases and the
     * sources of unconfirmed facts, deadlines' bases, the timeline's reasons, the JSON as received, names, the access
     * record's details, codes) is left out: it is data, not the page's words.
     */
    private static final List<String> ENGLISH = List.of("Requests", "Search", "Filter", "Clear", "Sender", "Asked",
            "Assessment", "Respond by", "received", "Emergency", "Overdue", "Due soon", "Deadline", "What is asked",
            "Who asks", "Facts", "Timeline", "Propose", "Reason", "Outcome", "Ask the requester", "Send question",
            "Receipt", "Show the document", "Assign to me", "Assigned", "Nobody", "Deadlines and holds", "Sign out",
            "Engine", "State", "Period", "Data categories", "Rule", "Effect", "Basis", "Letter",
            "Decided", "Confirm", "Execute", "Channel", "Measure", "Targets", "Identifier", "Offence", "Authority",
            "Maximum penalty", "not stated", "Submitted by", "Signature verified", "Unsigned", "Execution",
            "Messages with", "Write to", "Send message", "Documents attached", "Habeas id", "This request",
            "As received", "days", "hours", "left", "Waiting", "Analyst", "Legal reviewer", "Accept", "Narrow",
            "Refuses", "Subscriber data", "Budapest Convention", "Who", "When", "Time left",
            "File", "Size", "Skip to content", "The request", "must", "notified", "disclosure", "Habeas does not",
            "blocked", "Users", "Agencies", "Kind", "Status", "Suspend", "Required", "Optional", "Signing keys",
            "Call-back numbers", "Officers", "Register", "Revoke", "Access record", "Detail", "Unlock", "Disable",
            "Change role", "Change e-mail", "Create a user", "Full name", "User name", "Role", "Language of its letters",
            "Default", "Saved", "Not allowed");

    private void assertNoEnglish(String where) {
        String text = (String) ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("""
                const page = document.body.cloneNode(true);
                page.querySelectorAll('table.findings td:nth-child(4), table.findings .unconfirmed > span, ul.basis li, table.clocks td.hint,'
                    + ' table.timeline td:nth-child(5), table.timeline td:nth-child(2), pre, code, .facts, #case-decision > span:not(.decision),'
                    + ' .thread .text, header .user > span:not(.role), #assign-to, table.users td:nth-child(2),'
                    + ' table.access td:nth-child(2), table.access td:nth-child(6), #h-officers + ul').forEach(e => e.remove());
                page.querySelectorAll('[aria-label],[title],[placeholder]').forEach(e => page.append(' '
                    + (e.getAttribute('aria-label') || '') + ' ' + (e.getAttribute('title') || '') + ' ' + (e.getAttribute('placeholder') || '')));
                return page.textContent;""");
        List<String> left = ENGLISH.stream().filter(w -> java.util.regex.Pattern.compile("\\b" + w + "\\b", java.util.regex.Pattern.UNICODE_CHARACTER_CLASS).matcher(text).find()).toList();
        assertThat(left).as("English words on " + where + " in French:\n" + text).isEmpty();
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
        signIns.as(UserRole.REQUESTER);
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
        assertThat(browser.findElement(By.id("precheck")).getText()).contains("référence : est obligatoire")
                .contains("cibles : doit compter au moins 1 élément(s), 0 fourni(s)").doesNotContain("is required")
                .doesNotContain("must ");
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
        assertThat(new Select(browser.findElement(By.id("targetType0"))).getFirstSelectedOption().getText())
                .isEqualTo("Adresse électronique");
        // without an order, the pre-check gives the engine's reason in French
        wait.withMessage(() -> "the pre-check reads: " + browser.findElement(By.id("precheck")).getText())
                .until(d -> d.findElement(By.id("precheck")).getText().contains("Les données relatives aux abonnés et "
                        + "d'identification exigent une décision d'un juge ou d'un procureur ; ce que présente cette demande : "
                        + "aucune autorisation. Obtenez une telle décision."));
        assertThat(browser.findElement(By.id("precheck")).getText()).doesNotContain("Subscriber and identification data");
        new Select(browser.findElement(By.id("authorizationKind"))).selectByValue("JUDICIAL");
        assertThat(new Select(browser.findElement(By.id("authorizationKind"))).getFirstSelectedOption().getText())
                .isEqualTo("Décision judiciaire");
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

        // an administrator, in French: the agency's letters go back to the default, its state's language (French)
        signIns.as(UserRole.ADMIN);
        browser.get(base() + "/admin/users");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Utilisateurs");
        assertNoEnglish("the users page");
        browser.get(base() + "/admin/agencies");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Autorités requérantes");
        assertNoEnglish("the agencies page");
        browser.get(base() + "/admin/agencies/" + a.agencyA.id());
        assertThat(browser.findElement(By.id("agency-language")).getText()).isEqualTo("English");
        assertNoEnglish("an agency's page");
        new Select(browser.findElement(By.id("language"))).selectByValue("");
        browser.findElement(By.xpath("//button[normalize-space(.)='Choisir la langue']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("Enregistré.");
        assertThat(browser.findElement(By.id("agency-language")).getText()).isEqualTo("Français (par défaut)");
        // a refusal, in French, naming the field
        browser.findElement(By.id("number")).sendKeys("pas un numéro");
        browser.findElement(By.id("label")).sendKeys("Annuaire officiel");
        browser.findElement(By.xpath("//button[normalize-space(.)='Enregistrer le numéro']")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=alert]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=alert]")).getText())
                .isEqualTo("numéro : doit être un numéro de téléphone tel que +33 1 23 45 67 89");
        assertNoEnglish("an agency's page with a refusal");
        browser.get(base() + "/access?action=AGENCY_LANGUAGE");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Registre des accès");
        assertThat(browser.findElement(By.cssSelector("table.access tbody")).getText()).contains("AGENCY_LANGUAGE")
                .contains("Administrateur");
        assertNoEnglish("the access record");

        // the staff decide and execute, in the browser, in French
        signIns.as(UserRole.ANALYST);
        browser.get(base() + "/requests");
        assertThat(browser.findElement(By.tagName("h1")).getText()).isEqualTo("Demandes");
        assertThat(browser.findElement(By.cssSelector("label[for=due]")).getText()).isEqualTo("Échéance");
        assertThat(browser.findElement(By.id("results")).getText()).contains(reference);
        assertNoEnglish("the queue");
        browser.get(base() + "/requests/" + id);
        assertThat(browser.findElement(By.id("h-assessment")).getText()).isEqualTo("Évaluation");
        assertThat(browser.findElement(By.cssSelector("table.findings tbody")).getText()).contains("Base juridique de la demande")
                .contains("Aucune période de confidentialité n'est demandée : l'utilisateur sera informé de cette demande.");
        assertNoEnglish("the case page");
        new Select(browser.findElement(By.id("p-outcome"))).selectByValue("ACCEPT");
        type("p-reason", "L'ordonnance du juge couvre la demande");
        type("p-just", "Vérifié avec l'ordonnance");
        browser.findElement(By.cssSelector("#f-propose button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .isEqualTo("Votre proposition est enregistrée ; un juriste la confirme ou la modifie.");
        assertThat(browser.findElement(By.id("case-state")).getText()).isEqualTo("En attente d'un juriste");
        assertNoEnglish("the case page after the proposal");

        signIns.as(UserRole.LEGAL_REVIEWER);
        browser.get(base() + "/requests/" + id);
        assertThat(browser.findElements(By.cssSelector("#f-confirm h3")))
                .as(() -> "the legal reviewer's case page at " + browser.getCurrentUrl() + ":\n"
                        + browser.findElement(By.tagName("body")).getText())
                .isNotEmpty();
        assertThat(browser.findElement(By.cssSelector("#f-confirm h3")).getText()).isEqualTo("Confirmer la proposition");
        assertNoEnglish("the case page of the legal reviewer");
        type("c-reason", "D'accord");
        browser.findElement(By.cssSelector("#f-confirm button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText()).isEqualTo("Votre décision est enregistrée.");
        assertThat(browser.findElement(By.id("case-decision")).getText()).startsWith("Décision : Accepter");

        signIns.as(UserRole.ANALYST);
        browser.get(base() + "/requests/" + id);
        assertNoEnglish("the case page before execution");
        browser.findElement(By.cssSelector("#execution-readiness button[type=submit]")).click();
        wait.until(d -> !d.findElements(By.cssSelector("[role=status]")).isEmpty());
        assertThat(browser.findElement(By.cssSelector("[role=status]")).getText())
                .startsWith("Produit et mis à disposition du demandeur jusqu'au ");
        assertNoEnglish("the case page after execution");
        // the letter, in the officer's language
        String letter = call(UserRole.REQUESTER, "GET", "/api/v1/cases/" + id + "/letter", null, 200).body();
        assertThat(letter).startsWith("Habeas — décision sur une demande de preuves électroniques")
                .contains("Votre référence : " + reference).contains("Votre demande est ACCEPTÉE telle que présentée.")
                .contains("proposée par un analyste et confirmée par un juriste réviseur")
                .contains("Portée qui sera communiquée :").contains("Données : Données relatives aux abonnés")
                .doesNotContain("Your request").doesNotContain("Scope that will be disclosed");
        assertThat(Axe.seriousViolations(browser)).isEmpty();
        signIns.as(UserRole.REQUESTER);

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
        // the bell is a drawing hidden from screen readers, the link's label says what it is
        assertThat(browser.findElements(By.cssSelector("#bell > svg[aria-hidden=true]"))).hasSize(1);
        assertThat(browser.findElement(By.id("bell")).getText()).isEqualTo("2");
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
        // in French: a key that is not there is one line and exit 2, then the package opens
        assertThat(cli.execute("package", "open", file.toString(), "--key", dir.resolve("absente.jwk").toString(), "--lang", "fr"))
                .isEqualTo(2);
        assertThat(err.toString().strip()).isEqualTo("package open: impossible de lire la clé " + dir.resolve("absente.jwk")
                + " : fichier introuvable");
        assertThat(cli.execute("package", "open", file.toString(), "--key", keyFile.toString(), "--vkey", vkey.toString(),
                "--lang", "fr")).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("valide : 1 fichier correspond au manifeste de la demande " + reference + ", signé par ")
                .contains(" ; écrits dans " + dir.resolve("paquet"));
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
        // the letter stays in the agency's language, whatever the officer reads
        assertThat(call(UserRole.REQUESTER, "GET", "/api/v1/cases/" + id + "/letter", null, 200).body())
                .startsWith("Habeas — décision sur une demande de preuves électroniques");
    }
}
