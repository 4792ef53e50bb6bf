package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.habeas.accounts.UserRole;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * Habeas's interfaces as other people's tools read them, over real HTTP: the OpenAPI description linted by Redocly's
 * CLI, the metrics checked by Prometheus's {@code promtool}, and the problem answers of the security layer. The
 * tools are installed by {@code .ci/run}; a test whose tool is missing fails and says how to install it.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"habeas.metrics.scrape-token=" + OtherToolsTest.SCRAPE_TOKEN, "habeas.metrics.refresh=500ms"})
@ActiveProfiles("test")
class OtherToolsTest {

    static final String SCRAPE_TOKEN = "scrape-token-for-the-test";
    /** The version .ci/run installs. */
    static final String REDOCLY_VERSION = "2.77.0";

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    private HttpResponse<byte[]> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void theSecurityLayersProblemAnswersAreJsonWithoutALatinCharset() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        List<HttpResponse<byte[]>> answers = List.of(
                get("/api/v1/requests", null),
                get("/api/v1/requests", "Bearer hab_nonsense"),
                get("/api/v1/users", accounts.bearer(UserRole.ANALYST)),
                get("/actuator/prometheus", accounts.bearer(UserRole.ANALYST)));
        assertThat(answers).extracting(HttpResponse::statusCode).containsExactly(401, 401, 403, 403);
        for (HttpResponse<byte[]> r : answers) {
            assertThat(contentType(r)).as(r.uri() + " " + r.statusCode())
                    .startsWith("application/problem+json").doesNotContainIgnoringCase("ISO-8859-1");
            JsonNode body = json.readTree(new String(r.body(), StandardCharsets.UTF_8));
            assertThat(body.get("status").asInt()).isEqualTo(r.statusCode());
            assertThat(body.get("detail").asString()).isNotBlank();
        }
    }

    @Test
    void anUnauthenticatedScrapeIsAnswered401InProblemJsonNeverARedirect() throws Exception {
        HttpResponse<byte[]> none = get("/actuator/prometheus", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(contentType(none)).startsWith("application/problem+json");
        assertThat(none.headers().firstValue("Location")).isEmpty();
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");

        HttpResponse<byte[]> wrong = get("/actuator/prometheus", "Bearer not-the-scrape-token");
        assertThat(wrong.statusCode()).isEqualTo(401);

        HttpResponse<byte[]> scraper = get("/actuator/prometheus", "Bearer " + SCRAPE_TOKEN);
        assertThat(scraper.statusCode()).isEqualTo(200);
        assertThat(contentType(scraper)).startsWith("text/plain");
        // the scrape token opens the metrics (and the health's details, below), nothing else
        assertThat(get("/api/v1/requests", "Bearer " + SCRAPE_TOKEN).statusCode()).isEqualTo(401);
    }

    @Test
    void healthShowsItsStatusToAnyoneAndItsDetailsOnlyToAnAdministratorOrTheScrapeToken() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        String pid = Long.toString(ProcessHandle.current().pid());
        String host = java.net.InetAddress.getLocalHost().getHostName();
        String workingDirectory = Path.of("").toAbsolutePath().toString();
        // anyone, and a signed-in user without the role: the status, for load balancers, and nothing else
        for (String authorization : java.util.Arrays.asList(null, accounts.bearer(UserRole.ANALYST))) {
            for (String path : List.of("/actuator/health", "/actuator/health/readiness", "/actuator/health/liveness")) {
                HttpResponse<byte[]> r = get(path, authorization);
                String body = new String(r.body(), StandardCharsets.UTF_8);
                assertThat(r.statusCode()).as(path + " " + body).isEqualTo(200);
                JsonNode health = json.readTree(body);
                assertThat(health.path("status").asString()).isEqualTo("UP");
                assertThat(health.propertyNames()).as(body).isSubsetOf("status", "groups");
                assertThat(body).doesNotContain("details", "components", "leases", "path", "@" + host, pid,
                        workingDirectory);
            }
        }
        // an administrator, and a monitor with the scrape token: every component with its details
        for (String authorization : List.of(accounts.bearer(UserRole.ADMIN), "Bearer " + SCRAPE_TOKEN)) {
            HttpResponse<byte[]> r = get("/actuator/health", authorization);
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode health = json.readTree(r.body());
            assertThat(health.at("/components/leases/details/node").asString()).isNotBlank();
            assertThat(health.at("/components/db/status").asString()).isEqualTo("UP");
            assertThat(json.readTree(get("/actuator/health/readiness", authorization).body()).at("/components/log/status")
                    .asString()).isEqualTo("UP");
        }
        assertThat(get("/actuator/health", "Bearer not-the-scrape-token").statusCode()).isEqualTo(401);
    }

    @Test
    void theOpenApiDescriptionPassesRedoclysRecommendedRulesWithoutErrorsOrWarnings() throws Exception {
        String redocly = tool("redocly", "npm install -g @redocly/cli@" + REDOCLY_VERSION);
        HttpResponse<byte[]> docs = get("/v3/api-docs", null);
        assertThat(docs.statusCode()).isEqualTo(200);
        // kept in target/ for a look at what was linted
        Path file = Path.of("target", "openapi.json").toAbsolutePath();
        Files.write(file, docs.body());
        JsonNode api = json.readTree(docs.body());
        assertThat(api.at("/info/title").asString()).isEqualTo("Habeas API");
        assertThat(api.at("/info/version").asString()).isNotIn("v0", "unknown").doesNotContain("@");
        assertThat(api.at("/components/securitySchemes/bearerToken/scheme").asString()).isEqualTo("bearer");
        // the real success statuses, and the problems in problem+json
        assertThat(api.at("/paths/~1api~1v1~1requests/post/responses").has("201")).isTrue();
        assertThat(api.at("/paths/~1api~1v1~1tokens~1{id}/delete/responses").has("204")).isTrue();
        assertThat(api.at("/paths/~1api~1v1~1requests/post/responses/400/content").has("application/problem+json"))
                .isTrue();
        assertThat(new String(docs.body(), StandardCharsets.UTF_8)).doesNotContain("\"*/*\"");

        Run lint = run(dir, redocly, "lint", "--extends=recommended", "--format=json", file.toString());
        JsonNode report = json.readTree(lint.output().substring(Math.max(0, lint.output().indexOf('{'))));
        assertThat(report.at("/totals/errors").asInt(-1)).as(lint.toString()).isZero();
        assertThat(report.at("/totals/warnings").asInt(-1)).as(lint.toString()).isZero();
        assertThat(lint.exit()).as(lint.toString()).isZero();
    }

    /** Every metric of Habeas's own that the README lists. */
    static final List<String> HABEAS_METRICS = List.of("habeas_requests_received_total", "habeas_decisions_total",
            "habeas_decision_rules_total", "habeas_cases", "habeas_cases_overdue", "habeas_notices",
            "habeas_notices_failing", "habeas_packages_produced_total", "habeas_packages_received_total",
            "habeas_packages_downloaded_total", "habeas_log_entries", "habeas_log_pending_entries",
            "habeas_log_checkpoint_age_seconds", "habeas_log_sequencer_batch_seconds",
            "habeas_witness_cosignature_age_seconds", "habeas_witness_failures_total");

    @Test
    void habeasMetricsCountWhatHappensAndPassPromtoolsLint() throws Exception {
        String promtool = tool("promtool", "apt-get install prometheus");
        TestAccounts accounts = TestAccounts.of(context);
        String before = scrape();
        HttpResponse<String> submitted = http.send(HttpRequest.newBuilder(
                        URI.create("http://localhost:" + port + "/api/v1/requests"))
                .header("Authorization", accounts.bearer(UserRole.REQUESTER)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(org.habeas.intake.Samples.json(
                        org.habeas.intake.Samples.production()))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(submitted.statusCode()).as(submitted.body()).isEqualTo(201);

        String received = "habeas_requests_received_total{";
        double was = sum(before, received);
        String after = before;
        for (int i = 0; i < 100 && sum(after, received) < was + 1; i++) {
            Thread.sleep(200);
            after = scrape();
        }
        assertThat(sum(after, received)).as(after).isEqualTo(was + 1);
        assertThat(after).contains("habeas_cases{state=", "habeas_cases_overdue{deadline=\"response\"}",
                "habeas_log_entries ", "habeas_log_checkpoint_age_seconds ", "habeas_log_sequencer_batch_seconds_count");

        // kept in target/ for a look at what was checked
        Path file = Path.of("target", "metrics.txt").toAbsolutePath();
        Files.writeString(file, after);
        Run check = run(dir, "sh", "-c", "\"$0\" check metrics < \"$1\"", promtool, file.toString());
        String findings = check.output() + check.errors();
        List<String> ours = findings.lines().filter(l -> l.startsWith("habeas_")).toList();
        assertThat(ours).as(findings).isEmpty();
        // promtool read the metrics at all: a broken exposition is reported on its own line
        assertThat(findings).doesNotContain("error while linting");
    }

    private String scrape() throws Exception {
        HttpResponse<byte[]> r = get("/actuator/prometheus", "Bearer " + SCRAPE_TOKEN);
        assertThat(r.statusCode()).isEqualTo(200);
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    /** The sum of the series that start so in an exposition, 0 when there are none. */
    private static double sum(String exposition, String start) {
        return exposition.lines().filter(l -> l.startsWith(start))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Runs a tool with a timeout; its exit code, standard output and standard error. */
    record Run(int exit, String output, String errors) {
        @Override
        public String toString() {
            return "exit " + exit + "\n" + output + "\n" + errors;
        }
    }

    static Run run(Path workDir, String... command) throws IOException, InterruptedException {
        Path errors = Files.createTempFile(workDir, "stderr", ".txt");
        ProcessBuilder b = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectError(errors.toFile());
        b.environment().put("REDOCLY_TELEMETRY", "off");
        b.environment().put("REDOCLY_SUPPRESS_UPDATE_NOTICE", "true");
        Process p = b.start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " did not finish within 180 s");
        }
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), Files.readString(errors));
    }

    /** The tool's path: the system property {@code habeas.<name>} if set, else the first match on the PATH. */
    static String tool(String name, String install) {
        String configured = System.getProperty("habeas." + name);
        if (configured != null) {
            return configured;
        }
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        throw new AssertionError(name + " is not installed (" + install + "; .ci/run does it)");
    }
}
