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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.habeas.ledger.Checkpoint;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The packaged server, killed with SIGKILL in the middle of a load of submissions and started again: every
 * request it acknowledged is still there, every stored request has its log entries ({@code habeas audit} is
 * clean), and the new checkpoint is consistent with the last one published before the kill.
 */
class CrashIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private Process start(int port, String log) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(ROOT.resolve("habeas").toString(), "serve", "--port", String.valueOf(port))
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        pb.environment().put("HABEAS_JAR", System.getProperty("habeas.jar"));
        pb.environment().put("HABEAS_HOME", dir.resolve("home").toString());
        pb.environment().put("HABEAS_COOKIE_SECURE", "false");
        return pb.start();
    }

    private void awaitUp(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (get(port, "/actuator/health").statusCode() == 200
                        && get(port, "/log/checkpoint").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(250);
        }
        throw new AssertionError("server did not come up; log:\n" + Files.readString(dir.resolve("server.log")));
    }

    private HttpResponse<String> get(int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void aKilledServerLosesNoAcknowledgedEventAndItsLogStaysConsistent() throws Exception {
        int port = freePort();
        Process server = start(port, "server.log");
        try {
            awaitUp(port);
        } catch (AssertionError | Exception e) {
            server.destroyForcibly(); // never leave a server behind
            throw e;
        }
        String token = JSON.readTree(Files.readString(dir.resolve("home/demo-tokens.json"))).get("REQUESTER").stringValue();
        String sample = Files.readString(ROOT.resolve("app/src/main/resources/demo/01-fr-fraud.json"));

        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        AtomicBoolean running = new AtomicBoolean(true);
        List<Checkpoint> seen = new ArrayList<>();
        ExecutorService load = Executors.newFixedThreadPool(6);
        for (int t = 0; t < 6; t++) {
            int thread = t;
            load.submit(() -> {
                for (int i = 0; running.get(); i++) {
                    String body = sample.replace("\"reference\": \"", "\"reference\": \"CRASH-" + thread + "-" + i + "-");
                    try {
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                        URI.create("http://localhost:" + port + "/api/v1/requests"))
                                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                                .timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                        if (r.statusCode() == 201) {
                            acknowledged.add(JSON.readTree(r.body()).get("id").stringValue());
                        }
                    } catch (IOException | InterruptedException e) {
                        return null; // the server is gone
                    }
                }
                return null;
            });
        }
        // watch the published checkpoints while the load runs, then kill the server in the middle of it
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < until) {
            HttpResponse<String> cp = get(port, "/log/checkpoint");
            seen.add(Checkpoint.parse(Note.parse(cp.body()).text()));
            Thread.sleep(300);
        }
        server.destroyForcibly();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        running.set(false);
        load.shutdown();
        assertThat(load.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
        Checkpoint before = seen.getLast();
        assertThat(acknowledged).hasSizeGreaterThan(10);
        assertThat(before.size()).isGreaterThan(42);

        Process again = start(port, "server-after.log");
        try {
            awaitUp(port);
            // demo mode issues fresh tokens at every start
            String fresh = JSON.readTree(Files.readString(dir.resolve("home/demo-tokens.json"))).get("REQUESTER").stringValue();
            assertThat(fresh).isNotEqualTo(token);
            // every acknowledged request is still there
            for (String id : acknowledged) {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                URI.create("http://localhost:" + port + "/api/v1/requests/" + id))
                        .header("Authorization", "Bearer " + fresh).build(), HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as("request " + id).isEqualTo(200);
            }
            // the new checkpoint extends the last one published before the kill
            Checkpoint after = Checkpoint.parse(Note.parse(get(port, "/log/checkpoint").body()).text());
            assertThat(after.size()).isGreaterThanOrEqualTo(before.size());
            JsonNode c = JSON.readTree(get(port, "/log/proof/consistency?from=" + before.size() + "&to=" + after.size()).body());
            List<byte[]> proof = new ArrayList<>();
            c.get("proof").forEach(p -> proof.add(Base64.getDecoder().decode(p.stringValue())));
            Merkle.verifyConsistency(before.size(), after.size(), before.root(), after.root(), proof);
        } finally {
            again.destroy();
            again.waitFor(30, TimeUnit.SECONDS);
        }
        // and every stored request has its log entries, matching the database
        ProcessBuilder audit = new ProcessBuilder(ROOT.resolve("habeas").toString(), "audit").directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("audit.txt").toFile());
        audit.environment().put("HABEAS_JAR", System.getProperty("habeas.jar"));
        audit.environment().put("HABEAS_HOME", dir.resolve("home").toString());
        Process a = audit.start();
        assertThat(a.waitFor(90, TimeUnit.SECONDS)).isTrue();
        String report = Files.readString(dir.resolve("audit.txt"), StandardCharsets.UTF_8);
        assertThat(a.exitValue()).as(report).isZero();
        assertThat(report).contains("clean: ");
    }

}
