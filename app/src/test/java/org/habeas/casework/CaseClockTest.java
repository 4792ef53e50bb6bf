package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.MutableClock;
import org.habeas.support.TestClock;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.json.JsonMapper;

/**
 * The clocks of cases under a clock the test moves: a preservation hold lapses on its day (not the day before);
 * an emergency's follow-up falls due and is recorded once; the response clock stops while the case waits for the
 * requester.
 */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.test.clock-start=2026-09-01T09:00:00Z"})
@ActiveProfiles("test")
class CaseClockTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    MutableClock clock;

    @Autowired
    WebApplicationContext context;

    @Autowired
    Deadlines deadlines;

    @Autowired
    Cases cases;

    @Autowired
    JdbcClient jdbc;

    private MockMvc mvc() {
        return MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    private UUID submit(TestAccounts a, String file, String dir) throws Exception {
        return submit(a.bearer(UserRole.REQUESTER), file, dir);
    }

    /** Submits as the given requester (the extension test uses agency B, so that holds of the tests never meet). */
    private UUID submit(String bearer, String file, String dir) throws Exception {
        String body = Files.readString(Path.of(dir, file), StandardCharsets.UTF_8)
                .replaceFirst("\"reference\": \"", "\"reference\": \"CLK-" + UUID.randomUUID().toString().substring(0, 6) + "-");
        String location = mvc().perform(post("/api/v1/requests").header("Authorization", bearer)
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }

    private void as(TestAccounts a, UserRole role, String path, String body) throws Exception {
        mvc().perform(post(path).header("Authorization", a.bearer(role)).contentType(MediaType.APPLICATION_JSON)
                .content(body)).andExpect(status().is2xxSuccessful());
    }

    private Deadlines.Due clock(UUID id, String kind) {
        return deadlines.clocks(id).stream().filter(d -> d.kind().equals(kind)).findFirst().orElseThrow();
    }

    private List<String> actions(UUID id) {
        return cases.find(id).orElseThrow().timeline().stream().map(Cases.Event::action).toList();
    }

    @Test
    void clocksRunAsTheLawSays() throws Exception {
        TestAccounts a = TestAccounts.of(context);

        // the response clock (EU e-Evidence: 10 days) stops while the case waits for the requester
        UUID eu = submit(a, "01-legit-ransomware-traffic-eu.json", "../scenarios");
        Instant received = cases.find(eu).orElseThrow().openedAt();
        assertThat(clock(eu, "RESPONSE").dueAt()).isEqualTo(received.plus(Duration.ofDays(10)));
        clock.advance(Duration.ofDays(1));
        as(a, UserRole.ANALYST, "/api/v1/cases/" + eu + "/questions", "{\"text\":\"Which account exactly?\"}");
        clock.advance(Duration.ofDays(5));
        Deadlines.Due waiting = clock(eu, "RESPONSE");
        assertThat(waiting.paused()).isEqualTo(Duration.ofDays(5));
        assertThat(waiting.dueAt()).isEqualTo(received.plus(Duration.ofDays(15)));
        assertThat(waiting.overdue()).isFalse();
        as(a, UserRole.REQUESTER, "/api/v1/cases/" + eu + "/answers", "{\"text\":\"The first one\"}");
        clock.advance(Duration.ofDays(2));
        Deadlines.Due resumed = clock(eu, "RESPONSE");
        assertThat(resumed.paused()).isEqualTo(Duration.ofDays(5));
        assertThat(resumed.dueAt()).isEqualTo(received.plus(Duration.ofDays(15)));
        clock.advance(Duration.ofDays(8));
        assertThat(clock(eu, "RESPONSE").overdue()).isTrue();
        deadlines.run();
        deadlines.run();
        assertThat(actions(eu).stream().filter("RESPONSE_OVERDUE"::equals)).hasSize(1);

        // an emergency's follow-up legal process falls due, and the job records it once
        UUID emergency = submit(a, "04-gb-kidnap-emergency.json", "src/main/resources/demo");
        Deadlines.Due followUp = clock(emergency, "FOLLOW_UP_LEGAL_PROCESS");
        assertThat(followUp.overdue()).isFalse();
        deadlines.run();
        assertThat(actions(emergency)).doesNotContain("FOLLOW_UP_OVERDUE");
        clock.advance(Duration.between(clock.instant(), followUp.dueAt()).plusMinutes(1));
        assertThat(clock(emergency, "FOLLOW_UP_LEGAL_PROCESS").overdue()).isTrue();
        deadlines.run();
        deadlines.run();
        assertThat(actions(emergency).stream().filter("FOLLOW_UP_OVERDUE"::equals)).hasSize(1);

        // a preservation hold lapses on its day
        UUID preservation = submit(a, "02-de-ransomware-preservation.json", "src/main/resources/demo");
        String engine = JsonMapper.builder().build().readTree(mvc().perform(get("/api/v1/requests/" + preservation)
                .header("Authorization", a.bearer(UserRole.ANALYST))).andReturn().getResponse().getContentAsString())
                .get("assessment").get("decision").stringValue();
        as(a, UserRole.ANALYST, "/api/v1/cases/" + preservation + "/proposals", "{\"outcome\":\"ACCEPT\",\"reason\":\"Freeze it\""
                + (engine.equals("ACCEPT") ? "" : ",\"justification\":\"Preservation only; nothing is disclosed\"") + "}");
        as(a, UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + preservation + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"ok\"}");
        Deadlines.Hold hold = deadlines.hold(preservation).orElseThrow();
        LocalDate decided = LocalDate.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
        assertThat(hold.expiresOn()).isEqualTo(decided.plusDays(60));
        assertThat(actions(preservation)).contains("HOLD_STARTED");
        clock.advance(Duration.between(clock.instant(), hold.expiresOn().atStartOfDay(java.time.ZoneOffset.UTC).toInstant())
                .minusHours(1));
        deadlines.run();
        assertThat(deadlines.hold(preservation).orElseThrow().status()).isEqualTo("ACTIVE");
        clock.advance(Duration.ofHours(2));
        deadlines.run();
        assertThat(deadlines.hold(preservation).orElseThrow().status()).isEqualTo("EXPIRED");
        assertThat(actions(preservation)).contains("HOLD_EXPIRED");
        // and the hold is in the public log
        UUID caseId = jdbc.sql("select case_id from ledger_case where request_id = :r").param("r", preservation)
                .query(UUID.class).single();
        assertThat(jdbc.sql("select event from ledger_leaf where case_id = :c order by idx").param("c", caseId)
                .query(String.class).list()).containsSubsequence("RECEIVED", "ASSESSED", "DECIDED", "PRESERVED");
    }

    private void decideAccept(TestAccounts a, UUID id) throws Exception {
        as(a, UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"ok\",\"justification\":\"Reviewed\"}");
        as(a, UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"ok\"}");
    }

    @Test
    void aSecondPreservationExtendsTheHoldAndAProductionConvertsIt() throws Exception {
        TestAccounts a = TestAccounts.of(context);
        String agencyB = "Bearer " + a.otherRequesterToken;
        UUID first = submit(agencyB, "02-de-ransomware-preservation.json", "src/main/resources/demo");
        decideAccept(a, first);
        LocalDate expires = deadlines.hold(first).orElseThrow().expiresOn();
        UUID second = submit(agencyB, "02-de-ransomware-preservation.json", "src/main/resources/demo");
        decideAccept(a, second);
        assertThat(deadlines.hold(first).orElseThrow().expiresOn()).isEqualTo(expires.plusDays(30));
        assertThat(actions(first)).contains("HOLD_EXTENDED");
        assertThat(deadlines.hold(second)).isEmpty();

        String production = Files.readString(Path.of("src/main/resources/demo/02-de-ransomware-preservation.json"))
                .replace("\"PRESERVATION\"", "\"PRODUCTION\"").replaceAll("\\s*\"preservationDays\": \\d+,?", "")
                .replaceFirst("\"reference\": \"", "\"reference\": \"PROD-");
        String location = mvc().perform(post("/api/v1/requests").header("Authorization", agencyB)
                .contentType(MediaType.APPLICATION_JSON).content(production)).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        UUID produced = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        decideAccept(a, produced);
        assertThat(deadlines.hold(first).orElseThrow().status()).isEqualTo("CONVERTED");
        assertThat(actions(first)).contains("HOLD_CONVERTED");
    }

    @Test
    void onlyOneNodeHoldsTheJobsLeaseAtATime() {
        assertThat(deadlines.lease("test-lease", Duration.ofMinutes(5))).isTrue();
        jdbc.sql("update node_lease set holder = 'another node' where name = 'test-lease'").update();
        assertThat(deadlines.lease("test-lease", Duration.ofMinutes(5))).isFalse();
        clock.advance(Duration.ofMinutes(6));
        assertThat(deadlines.lease("test-lease", Duration.ofMinutes(5))).isTrue();
    }
}
