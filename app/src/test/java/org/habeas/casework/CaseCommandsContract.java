package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.habeas.accounts.Tokens;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.support.CaseSteps;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Casework commands under races and four eyes on permissive changes, run once per database: many simultaneous
 * decisions, proposals and escalations on one case (one wins, the others get 409 with the state the winner left,
 * none gets 500); a reviewer's change to a more permissive outcome, or against the engine, waits for a second
 * reviewer; letters name the people who decided by role.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class CaseCommandsContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int THREADS = 12;

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    MockMvc mvc;
    TestAccounts accounts;
    CaseSteps steps;

    @BeforeEach
    void setUp() {
        steps = CaseSteps.of(context);
        mvc = steps.mvc();
        accounts = steps.accounts();
    }

    // ---- races -----------------------------------------------------------------------------------------------------

    @Test
    void simultaneousDecisionsDecideOnceAndTheLosersGet409WithTheState() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"ACCEPT\",\"reason\":\"r\",\"justification\":\"j\"}")
                .andExpect(status().isCreated());
        List<MockHttpServletResponse> answers = race(i -> steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id),
                i % 2 == 0 ? "{\"action\":\"CONFIRM\",\"reason\":\"ok " + i + "\"}"
                        : "{\"action\":\"CHANGE\",\"outcome\":\"REFUSE\",\"reason\":\"no " + i + "\"}"));
        assertThat(statuses(answers)).isSubsetOf(200, 409).filteredOn(s -> s == 200).hasSize(1);
        for (MockHttpServletResponse r : answers) {
            if (r.getStatus() == 409) {
                assertThat(r.getContentType()).startsWith("application/problem+json");
                assertThat(JSON.readTree(r.getContentAsString()).get("state").stringValue()).isEqualTo("DECIDED");
            }
        }
        assertThat(steps.count("select count(*) from casework_decision where request_id = :r", id)).isEqualTo(1);
        assertThat(steps.count("select count(*) from casework_event where request_id = :r and to_state = 'DECIDED'", id))
                .isEqualTo(1);
    }

    @Test
    void simultaneousProposalsLeaveOneOpenProposal() throws Exception {
        String fresh = steps.submit("01-legit-ransomware-traffic-eu.json");
        String reviewed = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(bearer(UserRole.ANALYST), proposals(reviewed), "{\"outcome\":\"REFUSE\",\"reason\":\"first\"}")
                .andExpect(status().isCreated());
        for (String id : List.of(fresh, reviewed)) {
            List<MockHttpServletResponse> answers = race(i -> steps.send(bearer(UserRole.ANALYST), proposals(id),
                    "{\"outcome\":\"REFUSE\",\"reason\":\"proposal " + i + "\"}"));
            assertThat(statuses(answers)).isSubsetOf(201, 409).contains(201);
            assertThat(steps.count("select count(*) from casework_proposal where request_id = :r and status = 'OPEN'", id))
                    .isEqualTo(1);
            long proposed = steps.count("select count(*) from casework_event where request_id = :r and action like 'PROPOSED%'", id);
            long created = statuses(answers).stream().filter(s -> s == 201).count();
            assertThat(proposed).isEqualTo(created + (id.equals(reviewed) ? 1 : 0));
        }
    }

    @Test
    void simultaneousEscalationsEscalateOnce() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"ACCEPT\",\"reason\":\"r\",\"justification\":\"j\"}")
                .andExpect(status().isCreated());
        List<MockHttpServletResponse> answers = race(i -> steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id),
                "{\"action\":\"CHANGE\",\"outcome\":\"ESCALATE\",\"reason\":\"for the officer " + i + "\"}"));
        // a loser that read the case before the winner committed gets 409; one that read it after is told that only a
        // human-rights officer decides now
        assertThat(statuses(answers)).isSubsetOf(200, 409, 403).filteredOn(s -> s == 200).hasSize(1);
        assertThat(steps.count("select count(*) from casework_event where request_id = :r and action = 'ESCALATED'", id))
                .isEqualTo(1);
    }

    @Test
    void aQuestionAndADecisionAtOnceLeaveOneOfThem() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"REFUSE\",\"reason\":\"r\"}").andExpect(status().isCreated());
        List<MockHttpServletResponse> answers = race(i -> i % 2 == 0
                ? steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"ok\"}")
                : steps.send(bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/questions", "{\"text\":\"Which account?\"}"));
        assertThat(statuses(answers)).isSubsetOf(200, 409).filteredOn(s -> s == 200).hasSize(1);
        String state = jdbc.sql("select state from casework_case where request_id = :r").param("r", UUID.fromString(id))
                .query(String.class).single();
        assertThat(state).isIn("DECIDED", "AWAITING_REQUESTER");
        assertThat(steps.count("select count(*) from casework_decision where request_id = :r", id))
                .isEqualTo(state.equals("DECIDED") ? 1 : 0);
    }

    // ---- four eyes on permissive changes -----------------------------------------------------------------------

    @Test
    void aChangeFromRefuseToAcceptWaitsForASecondReviewerWhoIsNeitherTheProposerNorTheChanger() throws Exception {
        String id = steps.submit("71-content-without-judge.json"); // the engine refuses it
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"REFUSE\",\"reason\":\"No judge\"}")
                .andExpect(status().isCreated());
        JsonNode changed = json(steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id),
                "{\"action\":\"CHANGE\",\"outcome\":\"ACCEPT\",\"reason\":\"An order exists\",\"justification\":\"Seen the order\"}")
                .andExpect(status().isOk()));
        assertThat(changed.get("state").stringValue()).isEqualTo("IN_REVIEW");
        assertThat(changed.get("decision").isNull()).isTrue();
        assertThat(changed.get("pending").get("outcome").stringValue()).isEqualTo("ACCEPT");
        assertThat(changed.get("pending").get("changedBy").stringValue())
                .isEqualTo(accounts.users.get(UserRole.LEGAL_REVIEWER).username());
        assertThat(changed.get("timeline").findValuesAsString("action")).contains("CHANGE_PROPOSED_AGAINST_ENGINE");
        // nothing is decided, nothing can be executed, and the letter does not exist yet
        mvc.perform(get("/api/v1/cases/" + id + "/letter").header("Authorization", bearer(UserRole.ANALYST)))
                .andExpect(status().isConflict());
        assertThat(steps.page("/requests/" + id, bearer(UserRole.LEGAL_REVIEWER))).contains("id=\"case-pending\"")
                .contains("waits for a second legal reviewer");
        // the changer cannot confirm their own change
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"mine\"}")
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.errors[0].pointer").value("/decidedBy"));
        // nor can the proposer, even as a legal reviewer now
        String second = user(UserRole.LEGAL_REVIEWER);
        JsonNode decided = json(steps.send(second, decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"Agreed with the change\"}")
                .andExpect(status().isOk()));
        assertThat(decided.get("state").stringValue()).isEqualTo("DECIDED");
        assertThat(decided.get("decision").get("outcome").stringValue()).isEqualTo("ACCEPT");
        assertThat(decided.get("decision").get("againstEngine").asBoolean()).isTrue();
        assertThat(decided.get("decision").get("proposedBy").stringValue())
                .isEqualTo(accounts.users.get(UserRole.ANALYST).username());
        assertThat(decided.get("deciders").get("changedBy").stringValue())
                .isEqualTo(accounts.users.get(UserRole.LEGAL_REVIEWER).username());
        assertThat(decided.get("pending").isNull()).isTrue();
        assertThat(letter(id)).contains("proposed by an analyst, changed by a legal reviewer and confirmed by a legal "
                + "reviewer, after review by three people")
                .doesNotContain(accounts.users.get(UserRole.LEGAL_REVIEWER).username());
    }

    @Test
    void aStricterChangeTakesEffectAtOnceAndTheLetterSaysWhoByRole() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"ACCEPT\",\"reason\":\"r\",\"justification\":\"j\"}")
                .andExpect(status().isCreated());
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id), "{\"action\":\"CHANGE\",\"outcome\":\"REFUSE\",\"reason\":\"No\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("DECIDED"));
        assertThat(letter(id)).contains("proposed by an analyst and changed by a legal reviewer, after review by two people");
        String confirmed = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.decide(confirmed, "REFUSE");
        assertThat(letter(confirmed)).contains("proposed by an analyst and confirmed by a legal reviewer, after review by "
                + "two people");
    }

    @Test
    void aNarrowingWiderThanTheProposalsWaitsForASecondReviewer() throws Exception {
        String id = steps.submit("57-period-366-days.json"); // the engine narrows the period
        JsonNode p = json(steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"NARROW\",\"reason\":\"r\"}")
                .andExpect(status().isCreated()));
        String from = p.get("scope").get("periodFrom").stringValue();
        String to = p.get("scope").get("periodTo").stringValue();
        String later = java.time.LocalDate.parse(from).plusDays(30).toString();
        // narrower than the proposal: at once
        String narrower = steps.submit("57-period-366-days.json");
        steps.send(bearer(UserRole.ANALYST), proposals(narrower), "{\"outcome\":\"NARROW\",\"reason\":\"r\"}").andExpect(status().isCreated());
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(narrower), "{\"action\":\"CHANGE\",\"outcome\":\"NARROW\",\"reason\":\"less\","
                + "\"scope\":{\"periodFrom\":\"" + later + "\",\"periodTo\":\"" + to + "\"}}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("DECIDED"));
        // the analyst proposes the shorter period; widening it back to the engine's waits for a second reviewer
        String wide = steps.submit("57-period-366-days.json");
        steps.send(bearer(UserRole.ANALYST), proposals(wide), "{\"outcome\":\"NARROW\",\"reason\":\"r\",\"scope\":{\"periodFrom\":\""
                + later + "\",\"periodTo\":\"" + to + "\"}}").andExpect(status().isCreated());
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(wide), "{\"action\":\"CHANGE\",\"outcome\":\"NARROW\",\"reason\":\"more\","
                + "\"scope\":{\"periodFrom\":\"" + from + "\",\"periodTo\":\"" + to + "\"}}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("IN_REVIEW"))
                .andExpect(jsonPath("$.pending.outcome").value("NARROW"));
        assertThat(id).isNotNull();
    }

    @Test
    void aHumanRightsOfficersAcceptanceOfAnEscalatedCaseNeedsASecondOfficer() throws Exception {
        String id = steps.submit("34-security-researcher-illegal-access.json");
        steps.send(bearer(UserRole.ANALYST), proposals(id), "{\"outcome\":\"ESCALATE\",\"reason\":\"r\"}").andExpect(status().isCreated());
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"for the officer\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.escalated").value(true));
        steps.send(bearer(UserRole.HUMAN_RIGHTS_OFFICER), decision(id), "{\"action\":\"CHANGE\",\"outcome\":\"ACCEPT\",\"reason\":\"fine\","
                + "\"justification\":\"The research was authorised\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("IN_REVIEW"))
                .andExpect(jsonPath("$.pending.changedRole").value("HUMAN_RIGHTS_OFFICER"));
        // a legal reviewer cannot finish it, nor the same officer
        steps.send(bearer(UserRole.LEGAL_REVIEWER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"x\"}")
                .andExpect(status().isForbidden());
        steps.send(bearer(UserRole.HUMAN_RIGHTS_OFFICER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"x\"}")
                .andExpect(status().isForbidden());
        assertThat(steps.page("/requests/" + id, user(UserRole.HUMAN_RIGHTS_OFFICER))).contains("/case/confirm");
        steps.send(user(UserRole.HUMAN_RIGHTS_OFFICER), decision(id), "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.decision.outcome").value("ACCEPT"));
        assertThat(letter(id)).contains("proposed by an analyst, changed by a human-rights officer and confirmed by a "
                + "human-rights officer");
    }

    @Test
    void aLetterNeverSpeaksOfTwoPeopleWhenOnePersonDecided() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.decide(id, "REFUSE");
        jdbc.sql("update casework_decision set proposed_by = decided_by where request_id = :r")
                .param("r", UUID.fromString(id)).update();
        assertThat(letter(id)).doesNotContain("two people").contains("confirmed by a legal reviewer");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private interface Call {
        ResultActions run(int i) throws Exception;
    }

    /** Runs the call on many threads at once; every answer, none an exception. */
    private List<MockHttpServletResponse> race(Call call) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<MockHttpServletResponse>> futures = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int n = i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return call.run(n).andReturn().getResponse();
                }));
            }
            start.countDown();
            List<MockHttpServletResponse> answers = new ArrayList<>();
            for (Future<MockHttpServletResponse> f : futures) {
                answers.add(f.get());
            }
            return answers;
        } finally {
            pool.shutdownNow();
        }
    }

    private static List<Integer> statuses(List<MockHttpServletResponse> answers) {
        return answers.stream().map(MockHttpServletResponse::getStatus).toList();
    }

    private String user(UserRole role) {
        Users users = context.getBean(Users.class);
        User u = users.createWithCredentials("second-" + UUID.randomUUID().toString().substring(0, 8), "Second "
                + role.label(), role, null, TestAccounts.PASSWORD, null);
        return "Bearer " + context.getBean(Tokens.class).issueForUser(u, "t", Duration.ofDays(1), "test").value();
    }

    private String bearer(UserRole role) {
        return accounts.bearer(role);
    }

    private static String proposals(String id) {
        return "/api/v1/cases/" + id + "/proposals";
    }

    private static String decision(String id) {
        return "/api/v1/cases/" + id + "/decision";
    }

    private String letter(String id) throws Exception {
        return mvc.perform(get("/api/v1/cases/" + id + "/letter").header("Authorization", bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private static JsonNode json(ResultActions r) throws Exception {
        return JSON.readTree(r.andReturn().getResponse().getContentAsString());
    }
}
