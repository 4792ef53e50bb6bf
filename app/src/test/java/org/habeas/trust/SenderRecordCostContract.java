package org.habeas.trust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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

    @Autowired
    SenderRecords records;

    @Autowired
    org.habeas.accounts.Signatures signatures;

    @Autowired
    org.habeas.accounts.Agencies agencies;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    /**
     * The counted record is what counting the stored rows gives, after every kind of write that changes it:
     * requests stored (over the API and concurrently), refused with their rules, accepted, withdrawn, a signature
     * check that failed, call-backs that did not confirm (twice for one request: it counts once) or did; and the
     * migration's fill from the stored rows gives the same.
     */
    @Test
    void theCountedRecordIsWhatCountingTheStoredRowsGives() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        UUID agency = accounts.agencyA.id();
        String requester = accounts.bearer(UserRole.REQUESTER);
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String body : new String[] {refusedRequest(), refusedRequest(), acceptedRequest(), acceptedRequest()}) {
            MvcResult r = mvc.perform(post("/api/v1/requests").header("Authorization", requester)
                    .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn();
            assertThat(r.getResponse().getStatus()).isEqualTo(201);
            ids.add(json.readTree(r.getResponse().getContentAsString()).path("id").stringValue());
        }
        // concurrent submissions of one agency, each adding to a shard of its own choosing
        Sender sender = new Sender(agency, "concurrent", "UNSIGNED", null);
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var done = new java.util.ArrayList<java.util.concurrent.Future<?>>();
            for (int i = 0; i < 24; i++) {
                String body = i % 3 == 0 ? acceptedRequest() : refusedRequest();
                done.add(pool.submit(() -> intake.receive(body.getBytes(StandardCharsets.UTF_8), null, sender)));
            }
            for (var f : done) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // one refused and one accepted request withdrawn
        for (String id : List.of(ids.get(0), ids.get(2))) {
            mvc.perform(post("/api/v1/cases/" + id + "/withdrawal").header("Authorization", requester)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"text\":\"No longer needed\"}"))
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk());
        }
        // a signature check that fails at the door
        signatures.check(agency, "{}".getBytes(StandardCharsets.UTF_8), "not.a.signature");
        // call-backs: not confirmed twice for one request, once for another, confirmed and no answer for a third
        var number = agencies.addCallbackNumber(agency, "+33 1 40 00 00 01", "Switchboard", "test");
        String analyst = accounts.bearer(UserRole.ANALYST);
        String[][] calls = {{ids.get(1), "NOT_CONFIRMED"}, {ids.get(1), "NOT_CONFIRMED"}, {ids.get(3), "NOT_CONFIRMED"},
                {ids.get(2), "CONFIRMED"}, {ids.get(2), "NO_ANSWER"}};
        for (String[] call : calls) {
            mvc.perform(post("/api/v1/requests/" + call[0] + "/callbacks").header("Authorization", analyst)
                    .contentType(MediaType.APPLICATION_JSON).content("{\"numberId\":\"" + number.id()
                            + "\",\"outcome\":\"" + call[1] + "\",\"note\":\"Called\"}"))
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isCreated());
        }

        SenderRecord counted = records.record(agency);
        assertThat(counted).isEqualTo(countedFromRows(agency));
        assertThat(counted.sent()).isGreaterThanOrEqualTo(28);
        assertThat(counted.refused()).isGreaterThanOrEqualTo(18);
        assertThat(counted.withdrawn()).isGreaterThanOrEqualTo(2);
        assertThat(counted.failedVerifications()).isGreaterThanOrEqualTo(3); // the signature and two requests
        assertThat(records.record(accounts.agencyB.id())).isEqualTo(countedFromRows(accounts.agencyB.id()));
        // what a GET shows is the same record
        MvcResult read = mvc.perform(get("/api/v1/requests/" + ids.get(1)).header("Authorization", requester))
                .andReturn();
        JsonNode shown = json.readTree(read.getResponse().getContentAsString()).path("verification").path("agencyRecord");
        assertThat(shown.path("sent").asLong()).isEqualTo(counted.sent());
        assertThat(shown.path("refused").asLong()).isEqualTo(counted.refused());
        assertThat(shown.path("withdrawn").asLong()).isEqualTo(counted.withdrawn());

        // the migration's fill, run again over the stored rows, gives the same counts
        String migration = Files.readString(Path.of("src/main/resources/db/migration/V170__sender_counts.sql"));
        jdbc.sql("delete from trust_sender_count").update();
        jdbc.sql("delete from trust_callback_failed").update();
        for (String statement : migration.replaceAll("(?m)^--.*$", "").split(";")) {
            if (statement.strip().startsWith("insert")) {
                jdbc.sql(statement).update();
            }
        }
        assertThat(records.record(agency)).isEqualTo(countedFromRows(agency)).isEqualTo(counted);
    }

    /** The record as counting every stored row of the agency gives it (the query the counted columns replace). */
    private SenderRecord countedFromRows(UUID agencyId) {
        java.util.Map<String, Long> byRule = new java.util.TreeMap<>();
        long[] n = new long[4]; // sent, withdrawn, refused, failed verifications
        jdbc.sql("""
                select 'S' k, status v, count(*) n from intake_request where agency_id = :a group by status
                union all
                select 'R', rule, count(*) from trust_refused_rule where agency_id = :a group by rule
                union all
                select 'N', null, count(distinct request_id) from trust_refused_rule where agency_id = :a
                union all
                select 'F', null, count(*) from accounts_sender_failure where agency_id = :a
                union all
                select 'C', null, count(distinct c.request_id) from trust_callback c
                    join intake_request r on r.id = c.request_id where r.agency_id = :a and c.outcome = 'NOT_CONFIRMED'
                """).param("a", agencyId).query(rs -> {
                    long count = rs.getLong("n");
                    switch (rs.getString("k")) {
                        case "S" -> {
                            n[0] += count;
                            if ("WITHDRAWN".equals(rs.getString("v"))) {
                                n[1] += count;
                            }
                        }
                        case "R" -> byRule.put(rs.getString("v"), count);
                        case "N" -> n[2] = count;
                        default -> n[3] += count;
                    }
                });
        return new SenderRecord(n[0], n[2], byRule, n[3], n[1]);
    }

    private String acceptedRequest() throws java.io.IOException {
        ObjectNode r = (ObjectNode) json.readTree(Files.readString(Path.of("../scenarios/01-legit-ransomware-traffic-eu.json")));
        r.put("reference", "ACC-" + UUID.randomUUID());
        return Samples.json(r);
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
