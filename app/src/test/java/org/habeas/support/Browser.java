package org.habeas.support;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;

import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/** Debian's headless Chromium driven by its ChromeDriver; nothing is downloaded. */
public final class Browser {

    private Browser() {
    }

    /**
     * Signs in on the sign-in page with a TOTP code computed from the user's secret (as an authenticator app
     * would), and waits until the start page has loaded.
     */
    public static void signIn(WebDriver browser, String baseUrl, String username, String password, String secret) {
        signIn(browser, baseUrl, username, password, secret, java.time.Instant.now());
    }

    /** Signs in with the code of the time step at {@code at} (a code is accepted once, within a step of drift). */
    public static void signIn(WebDriver browser, String baseUrl, String username, String password, String secret,
            java.time.Instant at) {
        browser.get(baseUrl + "/login");
        browser.findElement(org.openqa.selenium.By.id("username")).sendKeys(username);
        browser.findElement(org.openqa.selenium.By.id("password")).sendKeys(password);
        browser.findElement(org.openqa.selenium.By.id("code"))
                .sendKeys(org.habeas.accounts.Totp.code(secret, at));
        browser.findElement(org.openqa.selenium.By.cssSelector("form.stacked button[type=submit]")).click();
        new org.openqa.selenium.support.ui.WebDriverWait(browser, Duration.ofSeconds(10))
                .until(d -> !d.getCurrentUrl().contains("/login"));
    }

    /** Signs in as a demo user, reading the user's secret from the demo table on the sign-in page. */
    public static void signInAsDemoUser(WebDriver browser, String baseUrl, String username) {
        signInAsDemoUser(browser, baseUrl, username, java.time.Instant.now());
    }

    public static void signInAsDemoUser(WebDriver browser, String baseUrl, String username, java.time.Instant at) {
        browser.get(baseUrl + "/login");
        String secret = browser.findElement(org.openqa.selenium.By.cssSelector(
                "tr[data-username='" + username + "'] code.secret")).getText();
        signIn(browser, baseUrl, username, org.habeas.accounts.DemoAccounts.PASSWORD, secret, at);
    }

    public static WebDriver start() {
        return start(true);
    }

    /** Headless Chromium; {@code javascript=false} switches script off for every page, as a reader may have it. */
    public static WebDriver start(boolean javascript) {
        return start(javascript, "en");
    }

    /** A browser whose reader prefers {@code language} (its Accept-Language). */
    public static WebDriver inLanguage(String language) {
        return start(true, language);
    }

    private static WebDriver start(boolean javascript, String language) {
        ChromeOptions options = new ChromeOptions();
        java.util.Map<String, Object> prefs = new java.util.HashMap<>();
        prefs.put("intl.accept_languages", language);
        if (!javascript) {
            prefs.put("profile.managed_default_content_settings.javascript", 2);
        }
        options.setExperimentalOption("prefs", prefs);
        options.addArguments("--lang=" + language);
        options.setBinary(System.getProperty("habeas.chromium", "/usr/bin/chromium"));
        try {
            options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    "--window-size=1280,900",
                    "--user-data-dir=" + Files.createTempDirectory("habeas-chromium"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(System.getProperty("habeas.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort()
                .build();
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO);
        return driver;
    }
}
