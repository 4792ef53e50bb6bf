package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.support.Browser;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;

/**
 * OpenID Connect end to end, in a real browser, against a real OpenID Provider started in this test
 * (mock-oauth2-server): the sign-in page's link leads through the provider's authorization endpoint and back to
 * Habeas, which exchanges the code, checks the ID token against the provider's keys, and signs the user in with
 * the role Habeas holds for them. A provider user without a Habeas account is refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcBrowserTest {

    private static final MockOAuth2Server PROVIDER = new MockOAuth2Server();

    static {
        PROVIDER.start();
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        String registration = "spring.security.oauth2.client.registration.idp.";
        r.add(registration + "client-id", () -> "habeas");
        r.add(registration + "client-secret", () -> "test-secret");
        r.add(registration + "client-name", () -> "Test identity provider");
        r.add(registration + "scope", () -> "openid,profile");
        r.add("spring.security.oauth2.client.provider.idp.issuer-uri",
                () -> PROVIDER.issuerUrl("realm").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    Users users;

    private WebDriver browser;

    @BeforeAll
    void openBrowser() {
        browser = Browser.start();
    }

    @AfterAll
    void close() {
        if (browser != null) {
            browser.quit();
        }
        PROVIDER.shutdown();
    }

    @BeforeEach
    void signOut() {
        browser.manage().deleteAllCookies();
    }

    @Test
    void aProviderUserWithAHabeasAccountLandsOnTheirHomePageWithTheirHabeasRole() {
        User analyst = users.createWithCredentials("oidc-" + UUID.randomUUID().toString().substring(0, 8),
                "Analyst via the provider", UserRole.ANALYST, null, TestAccounts.PASSWORD, Totp.newSecret(new SecureRandom()));
        // the provider says nothing about roles that Habeas would believe
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback("realm", "subject-" + analyst.username(), "JWT",
                List.of("habeas"), Map.of("preferred_username", analyst.username(), "roles", List.of("ADMIN")), 3600));

        browser.get(base() + "/login");
        browser.findElement(By.linkText("Test identity provider")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().startsWith(base() + "/requests"));
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("Analyst");
        browser.get(base() + "/admin/users");
        assertThat(browser.getPageSource()).doesNotContain("Create a user");
    }

    @Test
    void passwordAndTotpSignInStillWorksBesideTheProvider() {
        String secret = Totp.newSecret(new SecureRandom());
        User reviewer = users.createWithCredentials("local-" + UUID.randomUUID().toString().substring(0, 8),
                "Local reviewer", UserRole.LEGAL_REVIEWER, null, TestAccounts.PASSWORD, secret);
        Browser.signIn(browser, base(), reviewer.username(), TestAccounts.PASSWORD, secret);
        assertThat(browser.getCurrentUrl()).startsWith(base() + "/requests");
        assertThat(browser.findElement(By.cssSelector("header .who")).getText()).contains("Legal reviewer");
    }

    @Test
    void aProviderUserWithoutAHabeasAccountIsRefused() {
        PROVIDER.enqueueCallback(new DefaultOAuth2TokenCallback("realm", "stranger", "JWT", List.of("habeas"),
                Map.of("preferred_username", "no-such-user-" + UUID.randomUUID().toString().substring(0, 8)), 3600));
        browser.get(base() + "/login");
        browser.findElement(By.linkText("Test identity provider")).click();
        new WebDriverWait(browser, Duration.ofSeconds(20)).until(d -> d.getCurrentUrl().contains("/login?error"));
        assertThat(browser.findElement(By.id("sign-in-error")).getText()).contains("no Habeas account");
        browser.get(base() + "/requests");
        assertThat(browser.getCurrentUrl()).endsWith("/login");
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
