package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLongArray;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The intake path under load, over real HTTP on the embedded PostgreSQL with the shipped pool and thread sizes: 64
 * clients submit requests for 30 seconds. Nothing stalls (requests complete in every second), nothing answers
 * 500, and every 201 was sent after both of the request's log entries had their indexes.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "habeas.ledger.checkpoint-interval=2s")
@ActiveProfiles("test")
class IntakeLoadIT {

    static final int CLIENTS = 64;
    static final Duration RUN = Duration.ofSeconds(30);

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.postgres(r);
        r.add("habeas.home", () -> TestDatabases.home("habeas-load").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void sixtyFourClientsForThirtySecondsNeverStallNever500AndEvery201IsLogged() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        URI uri = URI.create("http://localhost:" + port + "/api/v1/requests");
        long start = System.nanoTime();
        long end = start + RUN.toNanos();
        int seconds = (int) RUN.toSeconds() + 30;
        AtomicLongArray completedPerSecond = new AtomicLongArray(seconds);
        java.util.concurrent.atomic.AtomicLong lastAnswer = new java.util.concurrent.atomic.AtomicLong();
        java.util.concurrent.atomic.AtomicLong longestGap = new java.util.concurrent.atomic.AtomicLong();
        Map<Integer, Long> statuses = new ConcurrentHashMap<>();
        // request id -> when its 201 arrived
        Map<UUID, Instant> acknowledged = new ConcurrentHashMap<>();
        ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> running = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            running.add(clients.submit(() -> {
                while (System.nanoTime() < end) {
                    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                            .header("Authorization", token).header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(Samples.json(Samples.production()))).build();
                    HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
                    Instant arrived = Instant.now();
                    statuses.merge(r.statusCode(), 1L, Long::sum);
                    long now = System.nanoTime();
                    completedPerSecond.incrementAndGet((int) ((now - start) / 1_000_000_000L));
                    long previous = lastAnswer.getAndSet(now);
                    if (previous != 0) {
                        longestGap.accumulateAndGet(now - previous, Math::max);
                    }
                    if (r.statusCode() == 201) {
                        String location = r.headers().firstValue("Location").orElseThrow();
                        acknowledged.put(UUID.fromString(location.substring(location.lastIndexOf('/') + 1)), arrived);
                    } else if (r.statusCode() != 503) {
                        unexpected.add(r.statusCode() + " " + r.body());
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            f.get();
        }
        clients.shutdown();
        double took = (System.nanoTime() - start) / 1e9;

        long total = statuses.values().stream().mapToLong(Long::longValue).sum();
        System.out.printf("%d clients, %.1f s: %d answers %s, %.0f requests/s acknowledged, longest gap %d ms, per "
                + "second %s%n", CLIENTS, took, total, new TreeMap<>(statuses), acknowledged.size() / took,
                longestGap.get() / 1_000_000, completedPerSecond);
        assertThat(unexpected).isEmpty();
        assertThat(statuses).doesNotContainKey(500);
        // never stalled: from the first answer on, never five seconds without one (the machine may be shared, so
        // a second or two of nothing is not yet a stall; a stalled intake is silent for the pool's 30 s time-out)
        assertThat(Duration.ofNanos(longestGap.get())).isLessThan(Duration.ofSeconds(5));
        assertThat(lastAnswer.get() - start).isGreaterThan(RUN.toNanos() - Duration.ofSeconds(5).toNanos());
        assertThat(acknowledged.size()).isGreaterThan(CLIENTS * 10);

        // every 201 arrived after the batch that gave both of its entries an index (the batch commits before
        // any waiter is released, and appended_at is taken inside it)
        Map<UUID, Instant> lastIndexed = new ConcurrentHashMap<>();
        Map<UUID, Long> leaves = new ConcurrentHashMap<>();
        jdbc.sql("""
                select c.request_id, count(*) n, max(l.appended_at) at from ledger_case c
                join ledger_leaf l on l.case_id = c.case_id where l.event in ('RECEIVED', 'ASSESSED')
                group by c.request_id""").query(rs -> {
                    UUID id = rs.getObject("request_id", UUID.class);
                    leaves.put(id, rs.getLong("n"));
                    lastIndexed.put(id, rs.getObject("at", java.time.OffsetDateTime.class).toInstant());
                });
        List<String> early = new ArrayList<>();
        acknowledged.forEach((id, arrived) -> {
            if (leaves.getOrDefault(id, 0L) != 2 || lastIndexed.get(id).isAfter(arrived)) {
                early.add(id + " answered " + arrived + ", entries " + leaves.get(id) + " indexed " + lastIndexed.get(id));
            }
        });
        assertThat(early).isEmpty();
        assertThat(HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://localhost:" + port + "/actuator/health")).build(),
                HttpResponse.BodyHandlers.ofString()).body()).contains("\"status\":\"UP\"");
    }
}
