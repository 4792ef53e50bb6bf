package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;

import org.habeas.support.Browser;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * An analyst in a real browser (signed in with password and TOTP as the demo analyst): sees the demo requests, narrows the list
 * with the filters (htmx swaps the results in place), and opens one request.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = "habeas.demo.enabled=true")
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RequestListJourney {

    @LocalServerPort
    int port;

    private WebDriver browser;
    private WebDriverWait wait;

    @BeforeAll
    void openBrowser() {
        browser = Browser.start();
        wait = new WebDriverWait(browser, Duration.ofSeconds(10));
        Browser.signInAsDemoUser(browser, "http://localhost:" + port, "analyst");
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void aFirstTimeUserSeesTheDemoRequestsFiltersThemAndOpensOne() {
        browser.get("http://localhost:" + port + "/");

        assertThat(browser.getCurrentUrl()).endsWith("/requests");
        assertThat(browser.getTitle()).isEqualTo("Requests · Habeas");
        assertThat(rows()).hasSize(21);
        assertThat(browser.findElement(By.cssSelector("#results .count")).getText()).isEqualTo("21 requests");
        assertThat(browser.findElement(By.id("results")).getText())
                .contains("NCA-EDR-2026-1187").contains("Emergency").contains("TR → IE");
        // every demo request was assessed on receipt; the list shows each decision
        assertThat(rows()).allSatisfy(row -> assertThat(row.findElements(By.cssSelector("td .decision"))).hasSize(1));
        assertThat(browser.findElements(By.cssSelector("#results .decision.refuse"))).isNotEmpty();
        assertThat(browser.findElements(By.cssSelector("#results .decision.accept"))).isNotEmpty();

        // choosing an instrument narrows the list in place (htmx) and records the filter in the address
        WebElement oldResults = browser.findElement(By.id("results"));
        new Select(browser.findElement(By.id("instrument"))).selectByValue("UNCC");
        wait.until(ExpectedConditions.stalenessOf(oldResults));
        wait.until(d -> d.getCurrentUrl().contains("instrument=UNCC"));
        List<String> instruments = rows().stream()
                .map(r -> r.findElement(By.cssSelector("td.asked small")).getText()).toList();
        assertThat(instruments).isNotEmpty().allSatisfy(i -> assertThat(i).startsWith("UN Convention against Cybercrime,"));
        assertThat(browser.findElement(By.cssSelector("#results .count")).getText())
                .isEqualTo(instruments.size() + " requests");

        // a typed state filter, submitted from the keyboard
        WebElement state = browser.findElement(By.id("requestingState"));
        state.sendKeys("tr", Keys.ENTER);
        wait.until(d -> d.getCurrentUrl().contains("requestingState=tr"));
        wait.until(d -> rows().size() == 1);

        rows().get(0).findElement(By.tagName("a")).click();
        wait.until(ExpectedConditions.titleContains("2026/4471"));
        assertThat(browser.findElement(By.tagName("h1")).getText()).contains("2026/4471 Soruşturma");
        assertThat(browser.findElement(By.cssSelector("table.targets")).getText())
                .contains("kalem_ve_mizah").contains("editor@haber-demo.example");
        assertThat(browser.findElement(By.tagName("main")).getText())
                .contains("Türk Ceza Kanunu, madde 299").contains("Prosecutor's order");

        // the raw document is there, behind a disclosure widget
        browser.findElement(By.cssSelector("details summary")).click();
        assertThat(browser.findElement(By.cssSelector("pre.json")).getText()).contains("\"instrument\" : \"UNCC\"");

        // search: by a piece of the reference, by a target identifier, by a word of the facts (any case), by the agency
        for (String q : List.of("nca-edr", "kalem_ve_mizah", "KALEM_VE", "Stuttgart")) {
            browser.get("http://localhost:" + port + "/requests?q=" + q);
            assertThat(rows()).as(q).hasSize(1);
        }
        browser.get("http://localhost:" + port + "/requests?q=100%25_nothing");
        assertThat(rows()).as("wildcards in the search are literal").isEmpty();
    }

    @Test
    void thePagesHaveLandmarksLabelsAndASkipLink() {
        browser.get("http://localhost:" + port + "/requests");
        assertThat(browser.findElements(By.cssSelector("header nav[aria-label]"))).hasSize(1);
        assertThat(browser.findElements(By.cssSelector("main#main"))).hasSize(1);
        assertThat(browser.findElement(By.cssSelector("a.skip")).getAttribute("href")).endsWith("#main");
        for (WebElement field : browser.findElements(By.cssSelector("form.filters input, form.filters select"))) {
            String id = field.getAttribute("id");
            assertThat(browser.findElements(By.cssSelector("label[for='" + id + "']"))).as("label for " + id).hasSize(1);
        }
    }

    private List<WebElement> rows() {
        return browser.findElements(By.cssSelector("#results table tbody tr"));
    }
}
