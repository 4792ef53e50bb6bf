package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
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
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.habeas.ledger.Checkpoint;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;
import org.habeas.support.ServerProcess;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged server, killed with SIGKILL in the middle of a load of submissions and started again while the load
 * goes on, on its embedded H2 file database and on PostgreSQL. Clients whose call got no answer retry it with the
 * same Idempotency-Key. Afterwards every request the server acknowledged (201) is stored exactly once, the
 * restarted server came up and stayed up (no "Application run failed", no shut-down), {@code habeas log verify}
 * accepts the log, the new checkpoint is consistent with the last one published before the kill, and
 * {@code habeas audit} is clean.
 */
class CrashIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int CLIENTS = 6;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** The database a server of this test runs on: its environment, and a JDBC URL to count its rows. */
    record Database(Map<String, String> env, String jdbcUrl, String user, String password) {
    }

    private ProcessBuilder habeas(Database db, String log, String... args) {
        ProcessBuilder pb = ServerProcess.habeas(dir, log, args);
        pb.environment().putAll(db.env());
        return pb;
    }

    private Process start(Database db, int port, String log) throws IOException {
        return habeas(db, log, "serve", "--port", String.valueOf(port)).start();
    }

    private void awaitUp(int port, Process server, String log) throws Exception {
        ServerProcess.awaitUp(http, dir, port, server, log);
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return ServerProcess.get(http, port, path);
    }

    private String token() throws IOException {
        return JSON.readTree(Files.readString(dir.resolve("home/demo-tokens.json"))).get("REQUESTER").stringValue();
    }

    private static int freePort() throws IOException {
        return ServerProcess.freePort();
    }

    @Test
    void onH2AKilledServerRestartedUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        String file = dir.resolve("home/db/habeas").toString();
        killedUnderLoadAndRestarted(new Database(Map.of(),
                "jdbc:h2:file:" + file + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;ACCESS_MODE_DATA=r", "sa", ""));
    }

    @Test
    void onPostgresAKilledServerRestartedUnderLoadLosesNothingAndDuplicatesNothing() throws Exception {
        TestDatabases.Postgres pg = TestDatabases.postgresSchema();
        killedUnderLoadAndRestarted(new Database(Map.of("HABEAS_DB_URL", pg.url(), "HABEAS_DB_USER", pg.user(),
                "HABEAS_DB_PASSWORD", pg.password(), "SPRING_FLYWAY_SCHEMAS", pg.schema()), pg.url(), pg.user(), pg.password()));
    }

    private void killedUnderLoadAndRestarted(Database db) throws Exception {
        int port = freePort();
        Process server = start(db, port, "server.log");
        awaitUp(port, server, "server.log");
        String sample = Files.readString(ROOT.resolve("app/src/main/resources/demo/01-fr-fraud.json"));
        String[] token = {token()};

        // reference -> id of every acknowledged request
        Map<String, String> acknowledged = new ConcurrentHashMap<>();
        Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        AtomicInteger retried = new AtomicInteger();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Checkpoint> seen = new ArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(CLIENTS);
        String run = UUID.randomUUID().toString().substring(0, 6);
        for (int t = 0; t < CLIENTS; t++) {
            int thread = t;
            load.submit(() -> {
                for (int i = 0; running.get(); ) {
                    String reference = "CRASH-" + run + "-" + thread + "-" + i;
                    String body = sample.replace("\"reference\": \"", "\"reference\": \"" + reference + "-");
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/api/v1/requests"))
                                .header("Authorization", "Bearer " + token[0]).header("Content-Type", "application/json")
                                .header("Idempotency-Key", reference)
                                .timeout(Duration.ofSeconds(20))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        statuses.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 201) {
                            String id = JSON.readTree(r.body()).get("id").stringValue();
                            String before = acknowledged.put(reference, id);
                            assertThat(before == null || before.equals(id)).as("a replay answers the same id").isTrue();
                            i++;
                            continue;
                        }
                        if (r.statusCode() == 401) {
                            token[0] = token(); // a restarted demo server issued fresh tokens
                        }
                    } catch (IOException e) {
                        // the server is gone or not yet back: the same call again, same key
                    }
                    retried.incrementAndGet();
                    Thread.sleep(100);
                }
                return null;
            });
        }
        // watch the published checkpoints while the load runs, then kill the server in the middle of it
        long from = System.nanoTime();
        while (System.nanoTime() - from < TimeUnit.SECONDS.toNanos(5)
                || acknowledged.size() < 20 && System.nanoTime() - from < TimeUnit.SECONDS.toNanos(120)) {
            seen.add(Checkpoint.parse(Note.parse(get(port, "/log/checkpoint").body()).text()));
            Thread.sleep(300);
        }
        server.destroyForcibly();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        int beforeKill = acknowledged.size();
        Checkpoint before = seen.getLast();
        assertThat(beforeKill).isGreaterThan(10);

        // started again while the clients keep calling
        Process again = start(db, port, "server-after.log");
        try {
            awaitUp(port, again, "server-after.log");
            long upAt = System.nanoTime();
            while (acknowledged.size() < beforeKill + 20 && System.nanoTime() - upAt < TimeUnit.SECONDS.toNanos(20)) {
                Thread.sleep(100);
            }
            Thread.sleep(1000);
            assertThat(again.isAlive()).as("the restarted server is still running").isTrue();
            // health may be DOWN for a moment while the restarted node catches up under load; it must come UP
            int health = get(port, "/actuator/health").statusCode();
            for (long t0 = System.nanoTime(); health != 200 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15); ) {
                Thread.sleep(250);
                health = get(port, "/actuator/health").statusCode();
            }
            assertThat(health).as("health of the restarted server under load, within 15 s").isEqualTo(200);
            running.set(false);
            load.shutdown();
            assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(acknowledged.size()).as("acknowledged after the restart").isGreaterThan(beforeKill);
            assertThat(statuses.keySet()).as("answers").doesNotContain(500);

            // every acknowledged request is there, with the id it was acknowledged with
            String fresh = token();
            for (var a : acknowledged.entrySet()) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/v1/requests/" + a.getValue()))
                        .header("Authorization", "Bearer " + fresh).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("request " + a).isEqualTo(200);
            }
            // the new checkpoint extends the last one published before the kill
            Checkpoint after = Checkpoint.parse(Note.parse(get(port, "/log/checkpoint").body()).text());
            assertThat(after.size()).isGreaterThanOrEqualTo(before.size());
            JsonNode c = JSON.readTree(get(port, "/log/proof/consistency?from=" + before.size() + "&to=" + after.size()).body());
            List<byte[]> proof = new ArrayList<>();
            c.get("proof").forEach(p -> proof.add(Base64.getDecoder().decode(p.stringValue())));
            Merkle.verifyConsistency(before.size(), after.size(), before.root(), after.root(), proof);
            // a verifier checks the whole log as it is served
            Process verify = habeas(db, "verify.txt", "log", "verify", "http://localhost:" + port + "/log",
                    "--state", dir.resolve("log-state").toString()).start();
            assertThat(verify.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(verify.exitValue()).as(Files.readString(dir.resolve("verify.txt"))).isZero();
        } finally {
            running.set(false);
            load.shutdownNow();
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        String log = Files.readString(dir.resolve("server-after.log"));
        assertThat(log).doesNotContain("Application run failed").doesNotContain("MVStoreException");

        // stored exactly once: no reference twice, every acknowledged reference once, under its id
        Map<String, List<String>> stored = new HashMap<>();
        try (Connection cn = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
                ResultSet rs = cn.createStatement().executeQuery(
                        "select reference, id from intake_request where reference like 'CRASH-" + run + "-%'")) {
            while (rs.next()) {
                String reference = rs.getString(1);
                String[] parts = reference.split("-", 5); // CRASH, run, client, number, the sample's reference
                stored.computeIfAbsent(String.join("-", parts[0], parts[1], parts[2], parts[3]), k -> new ArrayList<>())
                        .add(rs.getString(2));
            }
        }
        assertThat(stored.values()).as("no request stored twice").allSatisfy(ids -> assertThat(ids).hasSize(1));
        for (var a : acknowledged.entrySet()) {
            assertThat(stored.get(a.getKey())).as(a.getKey()).containsExactly(a.getValue());
        }

        // and every stored request has its log entries, matching the database
        Process a = habeas(db, "audit.txt", "audit").start();
        assertThat(a.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String report = Files.readString(dir.resolve("audit.txt"), StandardCharsets.UTF_8);
        assertThat(a.exitValue()).as(report).isZero();
        assertThat(report).contains("clean: ");
    }
}
