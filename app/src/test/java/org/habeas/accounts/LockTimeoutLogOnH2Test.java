package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.CookieManager;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * H2 answers a row lock it cannot get in time with an exception whose text quotes the whole row: the password hash
 * and the TOTP secret among it. A real server is signed in to (and a set-up link completed) while another
 * transaction holds the user's row: the answer is a sign-in failure or a "try again" page, never 500, and neither
 * the hash nor the secret appears anywhere in the log.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.servlet.session.cookie.secure=false")
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class LockTimeoutLogOnH2Test {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        String url = "jdbc:h2:mem:habeas-lock-" + UUID.randomUUID()
                + ";DB_CLOSE_DELAY=-1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;LOCK_TIMEOUT=300";
        r.add("spring.datasource.url", () -> url);
        r.add("spring.datasource.username", () -> "sa");
        r.add("spring.datasource.password", () -> "");
    }

    @LocalServerPort
    int port;

    @Autowired
    Users users;

    @Autowired
    AccessGrants grants;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    org.springframework.context.ApplicationContext context;

    @Autowired
    DataSource dataSource;

    @Test
    void aLockTimeOutNeitherAnswers500NorLogsTheRow(CapturedOutput output) throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("locked-row-" + UUID.randomUUID().toString().substring(0, 8), "Row",
                UserRole.ANALYST, null, TestAccounts.PASSWORD, secret);
        String hash = jdbc.sql("select password_hash from accounts_user where id = :id").param("id", u.id())
                .query(String.class).single();

        HttpClient client = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
        HttpResponse<String> signIn;
        try (Connection holder = holdRow(u.id())) {
            signIn = post(client, "/login", Map.of("username", u.username(), "password", TestAccounts.PASSWORD,
                    "code", Totp.code(secret, Instant.now())));
            holder.rollback();
        }
        assertThat(signIn.statusCode()).isEqualTo(302);
        assertThat(signIn.headers().firstValue("Location").orElseThrow()).contains("/login?error");

        // a set-up link completed while the row is held
        User admin1 = users.createWithCredentials("a1-" + UUID.randomUUID().toString().substring(0, 8), "A1",
                UserRole.ADMIN, null, TestAccounts.PASSWORD, null);
        jdbc.sql("update accounts_user set email = :e where id = :id").param("e", u.username() + "@staff.example")
                .param("id", u.id()).update();
        grants.sendSetupLink(u.id(), admin1.caller());
        String link = org.habeas.support.TestMail.linkFor(context, u.username() + "@staff.example");
        String linkSecret = users.pending(link.substring("/setup/".length())).orElseThrow().secret();
        HttpResponse<String> setup;
        try (Connection holder = holdRow(u.id())) {
            setup = post(client, link, Map.of("password", "a new long password", "confirm", "a new long password",
                    "code", Totp.code(linkSecret, Instant.now())));
            holder.rollback();
        }
        assertThat(setup.statusCode()).isNotEqualTo(500).isEqualTo(503);
        assertThat(setup.body()).contains("Try again");
        // nothing was half done: the link still works
        assertThat(users.forLink(link.substring("/setup/".length()))).isPresent();

        assertThat(output.getAll()).doesNotContain(hash).doesNotContain(secret).doesNotContain(linkSecret)
                .doesNotContain(hash.substring(7, 30));
    }

    /** Another transaction updates the user's row and keeps it locked until rolled back. */
    private Connection holdRow(UUID id) throws Exception {
        Connection c = dataSource.getConnection();
        c.setAutoCommit(false);
        try (PreparedStatement s = c.prepareStatement("update accounts_user set display_name = display_name where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
        return c;
    }

    private HttpResponse<String> post(HttpClient client, String path, Map<String, String> form) throws Exception {
        String page = client.send(HttpRequest.newBuilder(URI.create(base() + (path.equals("/login") ? "/login" : path)))
                .build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page);
        assertThat(m.find()).as("a CSRF token on " + path).isTrue();
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&")) + "&_csrf=" + URLEncoder.encode(m.group(1), StandardCharsets.UTF_8);
        return client.send(HttpRequest.newBuilder(URI.create(base() + path))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private String base() {
        return "http://localhost:" + port;
    }
}
