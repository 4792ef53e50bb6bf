package org.habeas.ledger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The intake path's load driver, for docs/benchmarks.md: drives a running Habeas over HTTP with many concurrent
 * clients, each sending one request at a time, and reports every figure as a ratio against the same server's
 * {@code /actuator/health} at the same concurrency. Phases, in one run: health and {@code POST /api/v1/requests}
 * at each client count; topping the agency up to a number of refused requests; then a GET of one request and a
 * list of 100 of that agency's requests. {@code sustain} only submits, and prints what it got each second (to watch
 * a restart). It writes requests: run it against a scratch database only.
 *
 * <pre>
 * java -cp habeas-exec.jar -Dloader.main=org.habeas.ledger.IntakeLoadDriver \
 *     org.springframework.boot.loader.launch.PropertiesLauncher \
 *     run URL TOKEN BODY.json [CLIENTS=4,16,64,256] [SECONDS=15] [REFUSALS=10000]
 *     sustain URL TOKEN|@demo-tokens.json BODY.json CLIENTS SECONDS
 *     phases URL TOKEN BODY.json CLIENTS SECONDS
 * </pre>
 */
public final class IntakeLoadDriver {

    private static final Pattern REFERENCE = Pattern.compile("\"reference\"\\s*:\\s*\"[^\"]*\"");
    private static final Pattern REFUSED = Pattern.compile("\"agencyRecord\"\\s*:\\s*\\{[^}]*?\"refused\"\\s*:\\s*(\\d+)");

    /** What one phase measured. */
    record Phase(int clients, double seconds, long ok, Map<Integer, Long> statuses, double perSecond, double p50,
            double p95, double p99, long slowestSecond) {
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private volatile String token;
    private final Path tokenFile;
    private final String body;
    private volatile String lastLocation;

    /** @param token a bearer token, or {@code @FILE}: the REQUESTER token in a demo-tokens.json, read again on 401 */
    IntakeLoadDriver(String base, String token, String body) throws IOException {
        this.base = base.replaceAll("/$", "");
        this.tokenFile = token.startsWith("@") ? Path.of(token.substring(1)) : null;
        this.token = tokenFile == null ? token : requesterToken(tokenFile);
        this.body = body;
    }

    private static String requesterToken(Path file) throws IOException {
        Matcher m = Pattern.compile("\"REQUESTER\"\\s*:\\s*\"([^\"]+)\"").matcher(Files.readString(file));
        return m.find() ? m.group(1) : "";
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: run URL TOKEN BODY.json [CLIENTS] [SECONDS] [REFUSALS] | sustain URL TOKEN BODY.json CLIENTS SECONDS");
            System.exit(2);
        }
        IntakeLoadDriver d = new IntakeLoadDriver(args[1], args[2], Files.readString(Path.of(args[3])));
        if (args[0].equals("sustain")) {
            d.sustain(Integer.parseInt(args[4]), Integer.parseInt(args[5]));
            return;
        }
        int[] clients = Arrays.stream((args.length > 4 ? args[4] : "4,16,64,256").split(",")).mapToInt(Integer::parseInt)
                .toArray();
        int seconds = args.length > 5 ? Integer.parseInt(args[5]) : 15;
        long refusals = args.length > 6 ? Long.parseLong(args[6]) : 10_000;
        if (args[0].equals("phases")) {
            d.phases(clients, seconds);
            return;
        }
        d.run(clients, seconds, refusals);
    }

    /** Only the paired health and intake phases, after a short warm-up: to compare two builds quickly. */
    void phases(int[] clients, int seconds) throws Exception {
        phase(16, 5, this::submit);
        table(clients, seconds);
    }

    void run(int[] clients, int seconds, long refusals) throws Exception {
        System.out.println("warm-up: 16 clients, " + seconds + " s");
        phase(16, seconds, this::submit);
        phase(16, seconds, this::health);
        System.out.println();
        table(clients, seconds);
        long refused = refused();
        System.out.println();
        System.out.println("agency's refusals after the phases: " + refused);
        while (refused < refusals) {
            phase(64, 10, this::submit);
            refused = refused();
            System.out.println("  topped up to " + refused);
        }
        String one = lastLocation;
        Phase health = phase(1, seconds, this::health);
        Phase get = phase(1, seconds, () -> call(HttpRequest.newBuilder(URI.create(base + one))));
        Phase list = phase(1, seconds,
                () -> call(HttpRequest.newBuilder(URI.create(base + "/api/v1/requests?size=100"))));
        System.out.println();
        System.out.println("| one client, agency with " + refused + " refusals | req/s | ratio to health | p50 ms | p95 ms | p99 ms |");
        System.out.println("|---|---:|---:|---:|---:|---:|");
        for (var e : List.of(Map.entry("/actuator/health", health), Map.entry("GET one request", get),
                Map.entry("GET a list of 100", list))) {
            Phase p = e.getValue();
            System.out.printf("| %s | %.1f | %.4f | %.1f | %.1f | %.1f |%n", e.getKey(), p.perSecond(),
                    p.perSecond() / health.perSecond(), p.p50(), p.p95(), p.p99());
        }
    }

    private void table(int[] clients, int seconds) throws Exception {
        System.out.println("| clients | health req/s | intake req/s | ratio | p50 ms | p95 ms | p99 ms | slowest second | answers |");
        System.out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        for (int c : clients) {
            Phase h = phase(c, seconds, this::health);
            Phase p = phase(c, seconds, this::submit);
            System.out.printf("| %d | %.0f | %.0f | %.3f | %.1f | %.1f | %.1f | %d | %s |%n", c, h.perSecond(),
                    p.perSecond(), p.perSecond() / h.perSecond(), p.p50(), p.p95(), p.p99(), p.slowestSecond(),
                    p.statuses());
            System.out.flush();
        }
    }

    /** Submits for {@code seconds}, printing each second's answers by status (0: no connection). */
    void sustain(int clients, int seconds) throws Exception {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        List<Map<Integer, Long>> perSecond = new ArrayList<>();
        for (int s = 0; s <= seconds + 60; s++) {
            perSecond.add(new ConcurrentHashMap<>());
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    int status = submit();
                    int s = (int) ((System.nanoTime() - start) / 1_000_000_000L);
                    perSecond.get(Math.min(s, perSecond.size() - 1)).merge(status, 1L, Long::sum);
                    if (status == 0) {
                        Thread.sleep(100);
                    }
                }
                return null;
            }));
        }
        for (int s = 0; s < seconds; s++) {
            Thread.sleep(1000);
            System.out.println("second " + s + ": " + new TreeMap<>(perSecond.get(s)));
            System.out.flush();
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
    }

    interface Call {
        int send() throws Exception;
    }

    private Phase phase(int clients, int seconds, Call call) throws Exception {
        long start = System.nanoTime();
        long end = start + seconds * 1_000_000_000L;
        AtomicLongArray bySecond = new AtomicLongArray(seconds + 120);
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        List<List<Long>> latencies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            running.add(pool.submit(() -> {
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    int status = call.send();
                    long t1 = System.nanoTime();
                    mine.add(t1 - t0);
                    statuses.merge(status, 1L, Long::sum);
                    if (status == 200 || status == 201) {
                        bySecond.incrementAndGet((int) Math.min(bySecond.length() - 1, (t1 - start) / 1_000_000_000L));
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        pool.shutdown();
        double took = (System.nanoTime() - start) / 1e9;
        long[] all = latencies.stream().flatMap(List::stream).mapToLong(Long::longValue).sorted().toArray();
        long ok = statuses.getOrDefault(200, 0L) + statuses.getOrDefault(201, 0L);
        long slowest = Long.MAX_VALUE;
        for (int s = 0; s < seconds; s++) {
            slowest = Math.min(slowest, bySecond.get(s));
        }
        return new Phase(clients, took, ok, new TreeMap<>(statuses), ok / took,
                percentile(all, 0.50), percentile(all, 0.95), percentile(all, 0.99), slowest);
    }

    private static double percentile(long[] sorted, double p) {
        return sorted.length == 0 ? 0 : sorted[(int) Math.min(sorted.length - 1, sorted.length * p)] / 1e6;
    }

    private int submit() throws IOException, InterruptedException {
        String b = REFERENCE.matcher(body).replaceFirst(Matcher.quoteReplacement("\"reference\":\"LOAD-" + UUID.randomUUID() + "\""));
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(base + "/api/v1/requests"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(b));
        try {
            HttpResponse<String> response = http.send(r.header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() == 201) {
                response.headers().firstValue("Location").ifPresent(l -> lastLocation = l);
            }
            if (response.statusCode() == 401 && tokenFile != null) {
                token = requesterToken(tokenFile); // a restarted demo server issues new tokens
            }
            return response.statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    private int health() throws IOException, InterruptedException {
        return call(HttpRequest.newBuilder(URI.create(base + "/actuator/health")));
    }

    private int call(HttpRequest.Builder r) throws IOException, InterruptedException {
        try {
            return http.send(r.header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(60)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        }
    }

    /** The agency's refused requests, from the sender record of the last request it submitted. */
    private long refused() throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(base + lastLocation))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        Matcher m = REFUSED.matcher(r.body());
        return m.find() ? Long.parseLong(m.group(1)) : 0;
    }
}
