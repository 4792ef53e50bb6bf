package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.habeas.accounts.Totp;
import org.habeas.ledger.Checkpoint;
import org.habeas.ledger.Note;
import org.habeas.support.ServerProcess;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Two packaged Habeas servers on one PostgreSQL, as two nodes behind a load balancer: a user signed in on one node
 * is signed in on the other; submissions go to both, alternately; only the node that holds the signer's lease signs
 * checkpoints; when that node is killed (SIGKILL) in the middle of the load, the other takes the lease over within
 * the lease's time and signs on. Afterwards every acknowledged request is stored exactly once, the log has no gap,
 * a verifier accepts it, and {@code habeas audit} is clean.
 */
class NodesIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Duration LEASE = Duration.ofSeconds(3);
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private TestDatabases.Postgres pg;

    private ProcessBuilder habeas(String log, String... args) {
        // the nodes share their keys (the log's, the operator's): one HABEAS_HOME, as a shared volume would be
        ProcessBuilder pb = ServerProcess.habeas(dir, log, args);
        pb.environment().put("HABEAS_DB_URL", pg.url());
        pb.environment().put("HABEAS_DB_USER", pg.user());
        pb.environment().put("HABEAS_DB_PASSWORD", pg.password());
        pb.environment().put("SPRING_FLYWAY_SCHEMAS", pg.schema());
        pb.environment().put("HABEAS_LEDGER_SIGNER_LEASE", LEASE.toSeconds() + "s");
        pb.environment().put("HABEAS_LEDGER_CHECKPOINT_INTERVAL", "500ms");
        pb.environment().put("HABEAS_THREADS", "16");
        pb.environment().put("HABEAS_DB_POOL", "4");
        pb.environment().put("JAVA_OPTS", "-Xmx384m -XX:TieredStopAtLevel=1");
        return pb;
    }

    private void awaitUp(int port, Process server, String log) throws Exception {
        ServerProcess.awaitUp(http, dir, port, server, log);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return ServerProcess.get(http, port, path);
    }

    private static int freePort() throws IOException {
        return ServerProcess.freePort();
    }

    /** Whether the node on {@code port} says, in its health, that it holds the checkpoint signer's lease. */
    private boolean signs(int port) {
        try {
            JsonNode lease = JSON.readTree(ServerProcess.health(http, port).body()).path("components").path("leases")
                    .path("details").path("checkpoint-signer");
            return lease.path("held").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }

    private String nodeName(int port) throws Exception {
        return JSON.readTree(ServerProcess.health(http, port).body()).path("components").path("leases").path("details")
                .path("node").stringValue();
    }

    private long checkpointSize(int port) throws Exception {
        return Checkpoint.parse(Note.parse(get(port, "/log/checkpoint").body()).text()).size();
    }

    /** Signs in on {@code port} with the form (password and the current code); returns the session cookie. */
    private String signIn(int port, String username, String secret) throws Exception {
        HttpResponse<String> page = get(port, "/login");
        String cookie = cookie(page);
        Matcher csrf = Pattern.compile("name=\"_csrf\" value=\"([^\"]+)\"").matcher(page.body());
        assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
        String form = "username=" + username + "&password=" + URLEncoder.encode("habeas-demo-password", StandardCharsets.UTF_8)
                + "&code=" + Totp.code(secret, Instant.now()) + "&_csrf=" + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8);
        HttpResponse<String> in = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/login"))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cookie", cookie)
                .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(in.statusCode()).isEqualTo(302);
        assertThat(in.headers().firstValue("Location").orElse("")).doesNotContain("error");
        assertThat(in.headers().allValues("Set-Cookie")).filteredOn(c -> c.startsWith("SESSION=")).singleElement()
                .satisfies(c -> assertThat(c).contains("HttpOnly").containsIgnoringCase("SameSite=Lax"));
        return cookie(in);
    }

    private static String cookie(HttpResponse<?> r) {
        return r.headers().allValues("Set-Cookie").stream().filter(c -> c.startsWith("SESSION=")).findFirst()
                .map(c -> c.substring(0, c.indexOf(';'))).orElseThrow(() -> new AssertionError("no session cookie"));
    }

    private HttpResponse<String> page(int port, String path, String cookie) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).header("Cookie", cookie)
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void twoNodesShareSessionsAndTheLogAndTheSurvivorOfAKillSignsOn() throws Exception {
        pg = TestDatabases.postgresSchema();
        int[] ports = {freePort(), freePort()};
        Process[] nodes = new Process[2];
        AtomicBoolean running = new AtomicBoolean(true);
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        try {
            // the first node creates the schema and the demo data; the second joins it
            nodes[0] = habeas("node0.log", "serve", "--port", String.valueOf(ports[0])).start();
            awaitUp(ports[0], nodes[0], "node0.log");
            nodes[1] = habeas("node1.log", "serve", "--port", String.valueOf(ports[1])).start();
            awaitUp(ports[1], nodes[1], "node1.log");
            long t0 = System.nanoTime();

            // 1. signed in on one node, signed in on the other
            String secret;
            try (Connection cn = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                    ResultSet rs = cn.createStatement().executeQuery(
                            "select totp_secret from accounts_user where username = 'analyst'")) {
                assertThat(rs.next()).isTrue();
                secret = rs.getString(1);
            }
            String session = signIn(ports[0], "analyst", secret);
            for (int port : new int[] {ports[1], ports[0], ports[1]}) {
                HttpResponse<String> queue = page(port, "/requests", session);
                assertThat(queue.statusCode()).as("the queue on port " + port + " with the session of the first node")
                        .isEqualTo(200);
            }
            assertThat(page(ports[1], "/requests", "SESSION=" + UUID.randomUUID()).statusCode()).as("no session")
                    .isEqualTo(302);

            // 2. exactly one node signs
            long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(signs(ports[0]) ^ signs(ports[1])) && System.nanoTime() < wait) {
                Thread.sleep(200);
            }
            assertThat(signs(ports[0]) ^ signs(ports[1])).as("exactly one node holds the signer's lease").isTrue();
            int signer = signs(ports[0]) ? 0 : 1;
            int other = 1 - signer;
            String signerName = nodeName(ports[signer]);
            String otherName = nodeName(ports[other]);

            // 3. submissions to both nodes, alternately; a call the dead node does not answer goes to the other
            String token = JSON.readTree(Files.readString(dir.resolve("home/demo-tokens.json"))).get("REQUESTER")
                    .stringValue();
            String sample = Files.readString(ROOT.resolve("app/src/main/resources/demo/01-fr-fraud.json"));
            String run = UUID.randomUUID().toString().substring(0, 6);
            Map<String, String> acknowledged = new ConcurrentHashMap<>();
            Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
            for (int t = 0; t < CLIENTS; t++) {
                int thread = t;
                load.submit(() -> {
                    int node = thread % 2;
                    for (int i = 0; running.get(); ) {
                        String reference = "NODES-" + run + "-" + thread + "-" + i;
                        String body = sample.replace("\"reference\": \"", "\"reference\": \"" + reference + "-");
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                            URI.create("http://localhost:" + ports[node] + "/api/v1/requests"))
                                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                    .header("Idempotency-Key", reference).timeout(Duration.ofSeconds(20))
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            statuses.merge(r.statusCode(), 1, Integer::sum);
                            if (r.statusCode() == 201) {
                                String id = JSON.readTree(r.body()).get("id").stringValue();
                                String before = acknowledged.put(reference, id);
                                assertThat(before == null || before.equals(id)).as("a replay answers the same id").isTrue();
                                i++;
                                node = 1 - node; // the next call to the other node
                                continue;
                            }
                        } catch (IOException e) {
                            node = 1 - node; // no answer: the same call, same key, to the other node
                        }
                        Thread.sleep(50);
                    }
                    return null;
                });
            }
            long from = System.nanoTime();
            while (acknowledged.size() < 30 && System.nanoTime() - from < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(100);
            }
            assertThat(acknowledged.size()).as("acknowledged with both nodes up").isGreaterThanOrEqualTo(30);
            assertThat(signs(ports[other])).as("the other node still does not sign").isFalse();

            // 4. the signing node is killed in the middle of the load; the other takes over within the lease time
            long sizeBefore = checkpointSize(ports[other]);
            nodes[signer].destroyForcibly();
            assertThat(nodes[signer].waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killedAt = System.nanoTime();
            int ackAtKill = acknowledged.size();
            while (!signs(ports[other]) && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(100);
            }
            Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
            assertThat(signs(ports[other])).as("the survivor holds the signer's lease").isTrue();
            // the lease runs out LEASE after its last renewal; the survivor asks every half second
            assertThat(takeover).as("takeover").isLessThan(LEASE.plusSeconds(3));
            while (acknowledged.size() < ackAtKill + 20 && System.nanoTime() - killedAt < TimeUnit.SECONDS.toNanos(60)) {
                Thread.sleep(100);
            }
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledged.size()).as("acknowledged after the kill").isGreaterThanOrEqualTo(ackAtKill + 20);
            assertThat(statuses.keySet()).as("answers").doesNotContain(500);

            // the survivor signs everything that was logged
            long logged;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            do {
                Thread.sleep(200);
                logged = leafCount();
            } while (checkpointSize(ports[other]) < logged && System.nanoTime() < deadline);
            assertThat(checkpointSize(ports[other])).as("the checkpoint covers the log").isEqualTo(logged)
                    .isGreaterThan(sizeBefore);

            // only one node signed at a time: the killed signer before the kill, the survivor after it
            List<String[]> signedBy = new ArrayList<>();
            try (Connection cn = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                    ResultSet rs = cn.createStatement().executeQuery(
                            "select size, signed_by from ledger_checkpoint order by size")) {
                while (rs.next()) {
                    signedBy.add(new String[] {rs.getString(1), rs.getString(2)});
                }
            }
            assertThat(signedBy).extracting(s -> s[1]).containsOnly(signerName, otherName);
            int switches = 0;
            for (int i = 1; i < signedBy.size(); i++) {
                switches += signedBy.get(i)[1].equals(signedBy.get(i - 1)[1]) ? 0 : 1;
            }
            assertThat(switches).as("who signed, in order of size: " + signedBy.stream().map(s -> s[0] + ":" + s[1]).toList())
                    .isLessThanOrEqualTo(1);
            assertThat(signedBy.getLast()[1]).isEqualTo(otherName);

            // the log has no gap and every acknowledged request is stored exactly once
            try (Connection cn = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                    ResultSet rs = cn.createStatement().executeQuery("select count(*), min(idx), max(idx) from ledger_leaf")) {
                rs.next();
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getLong(3)).as("no gap").isEqualTo(rs.getLong(1) - 1);
            }
            Map<String, List<String>> stored = new HashMap<>();
            try (Connection cn = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                    ResultSet rs = cn.createStatement().executeQuery(
                            "select reference, id from intake_request where reference like 'NODES-" + run + "-%'")) {
                while (rs.next()) {
                    String[] parts = rs.getString(1).split("-", 5);
                    stored.computeIfAbsent(String.join("-", parts[0], parts[1], parts[2], parts[3]), k -> new ArrayList<>())
                            .add(rs.getString(2));
                }
            }
            assertThat(stored.values()).as("no request stored twice").allSatisfy(ids -> assertThat(ids).hasSize(1));
            for (var a : acknowledged.entrySet()) {
                assertThat(stored.get(a.getKey())).as(a.getKey()).containsExactly(a.getValue());
            }
            System.out.printf("NodesIT: %d requests acknowledged (%d after the kill), lease taken over in %d ms, "
                    + "checkpoint %d, %.1f s after both nodes were up%n", acknowledged.size(),
                    acknowledged.size() - ackAtKill, takeover.toMillis(), logged, (System.nanoTime() - t0) / 1e9);

            // a verifier accepts the log as the survivor serves it, and the audit is clean
            Process verify = habeas("verify.txt", "log", "verify", "http://localhost:" + ports[other] + "/log",
                    "--state", dir.resolve("log-state").toString()).start();
            assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(verify.exitValue()).as(Files.readString(dir.resolve("verify.txt"))).isZero();
            Process audit = habeas("audit.txt", "audit").start();
            assertThat(audit.waitFor(90, TimeUnit.SECONDS)).isTrue();
            String report = Files.readString(dir.resolve("audit.txt"), StandardCharsets.UTF_8);
            assertThat(audit.exitValue()).as(report).isZero();
            assertThat(report).contains("clean: ");
        } finally {
            running.set(false);
            load.shutdownNow();
            for (Process p : nodes) {
                if (p != null) {
                    p.destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    private long leafCount() throws Exception {
        try (Connection cn = DriverManager.getConnection(pg.url(), pg.user(), pg.password());
                ResultSet rs = cn.createStatement().executeQuery("select size from ledger_state where id = 1")) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
