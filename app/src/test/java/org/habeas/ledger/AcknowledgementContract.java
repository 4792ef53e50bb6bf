package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Intake;
import org.habeas.intake.RequestExtension;
import org.habeas.intake.Samples;
import org.habeas.support.FlakyDatabase;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

/**
 * A request is acknowledged only once its log entries have their indexes, and the intake path degrades instead of
 * stalling: many clients on a pool of two connections all get their indexes; a log that stops answers 503 with
 * Retry-After and keeps the request; a read-back that fails after the commit still answers 201; a database that
 * does not answer gives problem+json even in the bearer-token filter. Run once per database.
 */
@SpringBootTest(properties = {"habeas.ledger.checkpoint-interval=1h", "spring.datasource.hikari.maximum-pool-size=2",
        "habeas.ledger.acknowledge-timeout=5s"})
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import({FlakyDatabase.Wrapping.class, AcknowledgementContract.FailingReadBack.class})
abstract class AcknowledgementContract {

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    Sequencer sequencer;

    @Autowired
    LedgerStore store;

    @Autowired
    LogEntries entries;

    @Autowired
    Intake intake;

    static volatile boolean readBackFails;

    /** A module's part of a request's representation that cannot be read while {@link #readBackFails}. */
    @TestConfiguration(proxyBeanMethods = false)
    static class FailingReadBack {
        @Bean
        RequestExtension failingReadBack() {
            return new RequestExtension() {
                @Override
                public String name() {
                    return "test";
                }

                @Override
                public Optional<Object> forRequest(UUID requestId) {
                    if (readBackFails) {
                        throw new DataAccessResourceFailureException("the database went away after the commit");
                    }
                    return Optional.empty();
                }
            };
        }
    }

    @AfterEach
    void restore() {
        readBackFails = false;
        FlakyDatabase.down = false;
        if (!sequencer.isRunning()) {
            sequencer.start();
        }
    }

    private MvcResult submit(String token) throws Exception {
        return mvc.perform(post("/api/v1/requests").header("Authorization", token)
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production()))).andReturn();
    }

    private static UUID id(MvcResult r) {
        String location = r.getResponse().getHeader("Location");
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private List<String> events(UUID requestId) {
        return entries.caseKey(requestId).map(k -> store.leavesOfCase(k.caseId()).stream()
                .map(LedgerStore.Leaf::event).toList()).orElse(List.of());
    }

    @Test
    void sixteenClientsOnTwoConnectionsAllHaveTheirIndexesBeforeTheir201() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        ExecutorService clients = Executors.newFixedThreadPool(16);
        java.util.concurrent.atomic.AtomicInteger unavailable = new java.util.concurrent.atomic.AtomicInteger();
        long t0 = System.nanoTime();
        List<Future<List<String>>> results = new ArrayList<>();
        for (int c = 0; c < 16; c++) {
            results.add(clients.submit(() -> {
                List<String> problems = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    MvcResult r = submit(token);
                    if (r.getResponse().getStatus() == 503 && r.getResponse().getHeader("Retry-After") != null) {
                        unavailable.incrementAndGet(); // degrading, with an answer, is allowed; stalling is not
                        continue;
                    }
                    if (r.getResponse().getStatus() != 201) {
                        problems.add("status " + r.getResponse().getStatus());
                        continue;
                    }
                    // read at once after the answer: acknowledged means integrated
                    List<String> logged = events(id(r));
                    if (!logged.equals(List.of("RECEIVED", "ASSESSED"))) {
                        problems.add("answered 201 with log entries " + logged);
                    }
                }
                return problems;
            }));
        }
        List<String> problems = new ArrayList<>();
        for (Future<List<String>> f : results) {
            problems.addAll(f.get());
        }
        clients.shutdown();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        System.out.println("80 requests from 16 clients on 2 connections: " + took + ", " + unavailable + " × 503");
        assertThat(problems).isEmpty();
        assertThat(unavailable.get()).isLessThan(40);
        // 80 requests on two connections: seconds, not a pool time-out per request (generous: the machine may be shared)
        assertThat(took).isLessThan(Duration.ofSeconds(60));
    }

    @Test
    void aLogThatStopsAnswers503WithRetryAfterAndKeepsTheRequest() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        sequencer.stop();
        MvcResult r = submit(token);
        assertThat(r.getResponse().getStatus()).isEqualTo(503);
        assertThat(r.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(r.getResponse().getHeader("Retry-After")).matches("[1-9][0-9]*");
        UUID id = id(r);
        assertThat(intake.find(id)).isPresent();
        assertThat(r.getResponse().getContentAsString()).contains(id.toString());

        sequencer.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!events(id).equals(List.of("RECEIVED", "ASSESSED")) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(events(id)).containsExactly("RECEIVED", "ASSESSED");
        assertThat(mvc.perform(get("/api/v1/requests/" + id).header("Authorization", token)).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void aRetryIsAnswered201OnlyOnceTheStoredRequestHasItsIndexes() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        String body = Samples.json(Samples.production());
        String key = "retry-" + UUID.randomUUID();
        sequencer.stop();
        MvcResult first = mvc.perform(post("/api/v1/requests").header("Authorization", token)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        assertThat(first.getResponse().getStatus()).isEqualTo(503);
        MvcResult retry = mvc.perform(post("/api/v1/requests").header("Authorization", token)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        // still not logged: the retry says so too, and where the request is
        assertThat(retry.getResponse().getStatus()).isEqualTo(503);
        assertThat(retry.getResponse().getHeader("Location")).isEqualTo(first.getResponse().getHeader("Location"));

        sequencer.start();
        MvcResult later = mvc.perform(post("/api/v1/requests").header("Authorization", token)
                .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
        assertThat(later.getResponse().getStatus()).isEqualTo(201);
        assertThat(later.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(events(id(later))).containsExactly("RECEIVED", "ASSESSED");
    }

    @Test
    void aReadBackThatFailsAfterTheCommitStillAnswers201() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        readBackFails = true;
        MvcResult r = submit(token);
        readBackFails = false;
        assertThat(r.getResponse().getStatus()).isEqualTo(201);
        UUID id = id(r);
        assertThat(r.getResponse().getContentAsString()).contains(id.toString());
        assertThat(events(id)).containsExactly("RECEIVED", "ASSESSED");
        assertThat(mvc.perform(get("/api/v1/requests/" + id).header("Authorization", token)).andReturn()
                .getResponse().getStatus()).isEqualTo(200);
    }

    @Test
    void whileTheDatabaseIsDownTheBearerTokenFilterAnswers503ProblemJson() throws Exception {
        String token = TestAccounts.of(context).bearer(UserRole.REQUESTER);
        FlakyDatabase.down = true;
        MvcResult r = mvc.perform(get("/api/v1/requests").header("Authorization", token)).andReturn();
        FlakyDatabase.down = false;
        assertThat(r.getResponse().getStatus()).isEqualTo(503);
        assertThat(r.getResponse().getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        assertThat(r.getResponse().getHeader("Retry-After")).matches("[1-9][0-9]*");
        assertThat(r.getResponse().getContentAsString()).contains("\"status\":503");
    }
}
