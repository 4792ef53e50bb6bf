package org.habeas.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Intake;
import org.habeas.intake.Samples;
import org.habeas.intake.Sender;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * Every representation of a request embeds its agency's record as a sender. What a GET or a list costs must not
 * grow with that agency's history: the same statements and about the same rows whether it refused one request or
 * hundreds. Run once per database (see the subclasses).
 */
@SpringBootTest(properties = "habeas.ledger.checkpoint-interval=1h")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(StatementCounter.Wrapping.class)
abstract class SenderRecordCostContract {

    /** Statements a GET of one request may issue, and rows it may read, whatever the history. */
    static final int GET_STATEMENTS = 40;
    static final int GET_ROWS = 40;
    static final int HISTORY = 300;

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    Intake intake;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aGetAndAListCostTheSameWhateverTheAgencysHistory() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        String requester = accounts.bearer(UserRole.REQUESTER);
        String refused = refusedRequest();
        StatementCounter.start();
        MvcResult created = mvc.perform(post("/api/v1/requests").header("Authorization", requester)
                .contentType(MediaType.APPLICATION_JSON).content(refused)).andReturn();
        StatementCounter.Counts posted = StatementCounter.stop();
        System.out.println("POST: " + posted);
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        String location = created.getResponse().getHeader("Location");

        StatementCounter.Counts before = counted(location, requester);
        JsonNode record = json.readTree(lastBody).path("verification").path("agencyRecord");
        long refusedBefore = record.path("refused").asLong();
        assertThat(refusedBefore).isGreaterThanOrEqualTo(1);

        Sender sender = new Sender(accounts.agencyA.id(), "history", "UNSIGNED", null);
        for (int i = 0; i < HISTORY; i++) {
            intake.receive(refusedRequest().getBytes(StandardCharsets.UTF_8), null, sender);
        }

        StatementCounter.Counts after = counted(location, requester);
        record = json.readTree(lastBody).path("verification").path("agencyRecord");
        // the record counts the new history ...
        assertThat(record.path("refused").asLong()).isEqualTo(refusedBefore + HISTORY);
        assertThat(record.path("refusedByRule").path("PROTECTED_CONDUCT").asLong()).isGreaterThanOrEqualTo(HISTORY);
        assertThat(record.path("sent").asLong()).isGreaterThanOrEqualTo(HISTORY + 1);
        // ... without reading it
        assertThat(after.statements()).isEqualTo(before.statements()).isLessThanOrEqualTo(GET_STATEMENTS);
        assertThat(after.rows()).isLessThanOrEqualTo(before.rows() + 5).isLessThanOrEqualTo(GET_ROWS);

        // a list of 100: statements in proportion to the page, rows too, never to the history
        StatementCounter.start();
        MvcResult list = mvc.perform(get("/api/v1/requests?size=100").header("Authorization", requester)).andReturn();
        StatementCounter.Counts page = StatementCounter.stop();
        assertThat(list.getResponse().getStatus()).isEqualTo(200);
        assertThat(json.readTree(list.getResponse().getContentAsString()).path("items").size()).isEqualTo(100);
        assertThat(page.statements()).isLessThanOrEqualTo(100L * GET_STATEMENTS);
        assertThat(page.rows()).isLessThanOrEqualTo(100L * GET_ROWS);
        System.out.printf("GET: %s before, %s after %d refusals; list of 100: %s%n", before, after, HISTORY, page);

    }

    private String lastBody;

    private StatementCounter.Counts counted(String location, String token) throws Exception {
        StatementCounter.start();
        MvcResult r = mvc.perform(get(location).header("Authorization", token)).andReturn();
        StatementCounter.Counts c = StatementCounter.stop();
        assertThat(r.getResponse().getStatus()).isEqualTo(200);
        lastBody = r.getResponse().getContentAsString();
        return c;
    }

    /** A request the safeguards refuse (a protest prosecuted as a crime), with a reference of its own. */
    String refusedRequest() throws java.io.IOException {
        ObjectNode r = (ObjectNode) json.readTree(Files.readString(Path.of("../scenarios/40-es-protesta.json")));
        r.put("reference", "HIST-" + UUID.randomUUID());
        return Samples.json(r);
    }
}
