package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.StatementCounter;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Submitting one request costs a fixed, small number of SQL statements on the request's thread: stored, assessed,
 * its case opened and its log entry written in one transaction, and the 201 built without reading back what was
 * just written. And the 201 shows the request exactly as a GET right after it does. Run once per database.
 */
@SpringBootTest(properties = "habeas.ledger.checkpoint-interval=1h")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(StatementCounter.Wrapping.class)
abstract class RequestSubmitCostContract {

    /**
     * Statements one POST /api/v1/requests may issue on its own thread: the caller's token with its user (one), the
     * agency, the request (stored with the status it commits with, so never updated), its log case and two log
     * entries, its case and two steps, its assessment, the case's move, the refusing rules and the sender counts
     * (one batch each), the agency's sender record for the answer; a new case has no thread of messages to read.
     */
    static final int SUBMIT_STATEMENTS = 14;

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aSubmissionCostsAFixedNumberOfStatements() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        String token = accounts.bearer(UserRole.REQUESTER);
        for (String scenario : new String[] {"40-es-protesta.json", "01-legit-ransomware-traffic-eu.json"}) {
            submitted(token, "/api/v1/requests", body(scenario), null); // warm: the first of a kind may read what later ones find cached
            StatementCounter.start();
            MvcResult r = submitted(token, "/api/v1/requests", body(scenario), null);
            StatementCounter.Counts c = StatementCounter.stop();
            System.out.println("submit statements, " + scenario + ": " + c.statements());
            assertThat(r.getResponse().getStatus()).isEqualTo(201);
            assertThat(c.statements()).as("statements of one POST, " + scenario + ": " + c.sql())
                    .isLessThanOrEqualTo(SUBMIT_STATEMENTS);
        }
    }

    @Test
    void theCreatedAnswerShowsTheRequestAsAGetDoes() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        for (UserRole role : List.of(UserRole.REQUESTER, UserRole.ANALYST)) {
            String token = accounts.bearer(role);
            String path = role == UserRole.REQUESTER ? "/api/v1/requests" : "/api/v1/requests?onBehalfOf=" + accounts.agencyA.id();
            for (String scenario : new String[] {"40-es-protesta.json", "01-legit-ransomware-traffic-eu.json"}) {
                String key = "k-" + UUID.randomUUID();
                String keyed = body(scenario);
                String[] keys = {null, key, key}; // new, new with a key, the retry of it
                for (int i = 0; i < keys.length; i++) {
                    MvcResult created = submitted(token, path, keys[i] == null ? body(scenario) : keyed, keys[i]);
                    assertThat(created.getResponse().getStatus()).isEqualTo(201);
                    assertThat(created.getResponse().getHeader("Idempotent-Replayed")).isEqualTo(i == 2 ? "true" : null);
                    JsonNode answered = json.readTree(created.getResponse().getContentAsString());
                    MvcResult read = mvc.perform(get(created.getResponse().getHeader("Location"))
                            .header("Authorization", token)).andReturn();
                    assertThat(read.getResponse().getStatus()).isEqualTo(200);
                    assertThat(answered).as("201 of %s as %s against its GET", scenario, role)
                            .isEqualTo(json.readTree(read.getResponse().getContentAsString()));
                    assertThat(answered.path("status").stringValue()).isEqualTo("ASSESSED");
                    assertThat(answered.path("case").path("state").stringValue()).isEqualTo("ASSESSED");
                    assertThat(answered.path("assessment").isObject()).isTrue();
                    assertThat(answered.path("sender").path("agency").path("id").stringValue())
                            .isEqualTo(accounts.agencyA.id().toString());
                }
            }
        }
    }

    /** A scenario of {@code scenarios/} under a fresh reference. */
    private static String body(String scenario) throws java.io.IOException {
        return Files.readString(Path.of("..", "scenarios", scenario), StandardCharsets.UTF_8)
                .replaceFirst("\"reference\": \"", "\"reference\": \"C-" + UUID.randomUUID().toString().substring(0, 6) + "-");
    }

    private MvcResult submitted(String token, String path, String body, String idempotencyKey) throws Exception {
        var request = post(path).header("Authorization", token)
                .contentType(MediaType.APPLICATION_JSON).content(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return mvc.perform(request).andReturn();
    }
}
