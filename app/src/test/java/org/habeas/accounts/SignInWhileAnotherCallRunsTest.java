package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A browser signs in as another person while one of its earlier calls is still being answered (a page's favicon,
 * an image, a second tab): the sign-in gives the browser a new session, and the earlier call, which read the old
 * session before and saves it after, must not take the new one away. A session store that keeps one row per
 * session and only changes its id on sign-in would have the late save write the old id back, and the browser
 * would find itself signed out on its next page.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(SignInWhileAnotherCallRunsTest.SlowCall.class)
class SignInWhileAnotherCallRunsTest {

    private static final Path HOME = TestDatabases.home("habeas-signin-race");

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        r.add("habeas.home", HOME::toString);
        r.add("server.servlet.session.cookie.secure", () -> "false"); // plain HTTP to localhost
    }

    static final CountDownLatch ENTERED = new CountDownLatch(1);
    static final CountDownLatch RELEASE = new CountDownLatch(1);

    /** A call that reads the session, then waits to be released before it is answered (and its session saved). */
    @TestConfiguration
    @RestController
    static class SlowCall {
        @GetMapping("/setup/slow-test-call")
        String slow(HttpServletRequest request) throws InterruptedException {
            request.getSession(false);
            ENTERED.countDown();
            RELEASE.await(20, TimeUnit.SECONDS);
            return "answered";
        }
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    @Test
    void aCallAnsweredAfterTheSignInLeavesTheNewSessionAlone() throws Exception {
        TestAccounts a = TestAccounts.of(context);
        Instant now = Instant.now();
        assertThat(signIn(a, UserRole.ANALYST, now)).isEqualTo(302);
        assertThat(get("/requests").statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> late = http.sendAsync(HttpRequest.newBuilder(
                URI.create(base() + "/setup/slow-test-call")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(ENTERED.await(20, TimeUnit.SECONDS)).as("the slow call has read the session").isTrue();

        assertThat(signIn(a, UserRole.LEGAL_REVIEWER, now)).isEqualTo(302);
        RELEASE.countDown();
        assertThat(late.get(20, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        // the browser is still signed in, as the legal reviewer
        HttpResponse<String> page = get("/requests");
        assertThat(page.statusCode()).as("the queue after the sign-in: %s", page.headers().map()).isEqualTo(200);
        assertThat(page.body()).contains(a.users.get(UserRole.LEGAL_REVIEWER).displayName());
    }

    private String base() {
        return "http://localhost:" + port;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private int signIn(TestAccounts a, UserRole role, Instant at) throws Exception {
        String form = get("/login").body();
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String body = "username=" + enc(a.users.get(role).username()) + "&password=" + enc(TestAccounts.PASSWORD)
                + "&code=" + Totp.code(a.secrets.get(role), at) + "&_csrf=" + enc(csrf.group(1));
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.headers().firstValue("Location").orElse("")).as("signed in as %s", role).doesNotContain("error");
        return r.statusCode();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
