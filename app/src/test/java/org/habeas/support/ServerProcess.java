package org.habeas.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A packaged Habeas server (or another command of the launcher) run as its own process, as an operator runs it: the
 * {@code habeas} launcher at the repository's root with the built jar, its output in a log file of the test's
 * directory, its home in {@code home/} there.
 */
public final class ServerProcess {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** The scrape token of every server started here: one per test run. */
    static final String MONITORING_TOKEN = "monitor-" + java.util.UUID.randomUUID();

    private ServerProcess() {
    }

    /** {@code habeas ARGS} in {@code dir}, its output appended to {@code dir/log}; callers add their environment. */
    public static ProcessBuilder habeas(Path dir, String log, String... args) {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("habeas").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(log).toFile()));
        pb.environment().put("HABEAS_JAR", System.getProperty("habeas.jar"));
        pb.environment().put("HABEAS_HOME", dir.resolve("home").toString());
        pb.environment().put("HABEAS_COOKIE_SECURE", "false");
        // the monitoring token, which shows the details of /actuator/health (see health())
        pb.environment().put("HABEAS_METRICS_TOKEN", MONITORING_TOKEN);
        // the quick compiler only: a test's server starts sooner, and no test measures its speed
        pb.environment().put("JAVA_OPTS", "-XX:TieredStopAtLevel=1");
        // and no AOT cache of a `log verify` kept in the user's cache directory (LauncherIT tests that one)
        pb.environment().put("HABEAS_AOT", "0");
        return pb;
    }

    /** Waits until the server answers health and the log's checkpoint; else stops it and fails with its log. */
    public static void awaitUp(HttpClient http, Path dir, int port, Process server, String log) throws Exception {
        // about 15 s on an idle machine; a machine shared with other builds can take far longer
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(240);
        while (System.nanoTime() < deadline && server.isAlive()) {
            try {
                if (get(http, port, "/actuator/health").statusCode() == 200
                        && get(http, port, "/log/checkpoint").statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not yet listening
            }
            Thread.sleep(250);
        }
        server.destroyForcibly(); // never leave a server behind
        throw new AssertionError("server did not come up (alive: " + server.isAlive() + "); log:\n"
                + Files.readString(dir.resolve(log)));
    }

    public static HttpResponse<String> get(HttpClient http, int port, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * {@code /actuator/health} of the server on {@code port} with its details (components, leases), as a monitor with
     * the scrape token sees it; without the token the answer carries the status only.
     */
    public static HttpResponse<String> health(HttpClient http, int port) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/health"))
                .header("Authorization", "Bearer " + MONITORING_TOKEN).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public static int freePort() throws IOException {
        try (var s = new java.net.ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
