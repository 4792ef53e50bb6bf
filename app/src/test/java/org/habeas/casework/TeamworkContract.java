package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
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
import org.habeas.intake.Samples;
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
 * Who works on what, and who is told, once per database: of many people taking one case at once exactly one gets it
 * and the others learn who (409); reassignment is on the timeline and only senior roles give cases to colleagues;
 * "My cases" lists the caller's own; each event tells its people and nobody else (a requester never sees staff
 * notifications, nor staff a requester's); without a mail server the notifications are still shown and their
 * e-mails are marked not sent, on the administrators' page and in the health endpoint.
 */
@SpringBootTest(properties = "habeas.mail.outbox=")
@ActiveProfiles("test")
abstract class TeamworkContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int THREADS = 8;

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Users users;

    @Autowired
    Tokens tokens;

    MockMvc mvc;
    TestAccounts accounts;
    CaseSteps steps;

    @BeforeEach
    void setUp() {
        steps = CaseSteps.of(context);
        mvc = steps.mvc();
        accounts = steps.accounts();
    }

    private record Person(User user, String bearer) {
    }

    private Person person(UserRole role, UUID agency, String email) {
        String name = role.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 8);
        User u = users.createWithCredentials(name, "Extra " + role.label() + " " + name.substring(name.length() - 4), role,
                agency, TestAccounts.PASSWORD, null, email);
        return new Person(u, "Bearer " + tokens.issueForUser(u, "test", Duration.ofDays(2), "test").value());
    }

    // ---- assignment ------------------------------------------------------------------------------------------------

    @Test
    void manyTakingOneCaseAtOnceGiveItToOneAndTellTheOthersWho() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        List<Person> analysts = new ArrayList<>();
        for (int i = 0; i < THREADS; i++) {
            analysts.add(person(i % 2 == 0 ? UserRole.ANALYST : UserRole.LEGAL_REVIEWER, null, null));
        }
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<MockHttpServletResponse>> calls = new ArrayList<>();
        for (Person p : analysts) {
            calls.add(pool.submit(() -> {
                start.await();
                return assign(p.bearer(), id, "{\"assignee\":\"" + p.user().username() + "\",\"expected\":null}")
                        .andReturn().getResponse();
            }));
        }
        start.countDown();
        List<MockHttpServletResponse> answers = new ArrayList<>();
        for (Future<MockHttpServletResponse> f : calls) {
            answers.add(f.get());
        }
        pool.shutdown();
        List<Integer> statuses = answers.stream().map(MockHttpServletResponse::getStatus).toList();
        assertThat(statuses).containsOnly(200, 409).filteredOn(s -> s == 200).hasSize(1);
        String winner = JSON.readTree(answers.get(statuses.indexOf(200)).getContentAsString()).get("assignee").stringValue();
        for (MockHttpServletResponse r : answers) {
            if (r.getStatus() == 409) {
                assertThat(r.getContentType()).startsWith("application/problem+json");
                JsonNode problem = JSON.readTree(r.getContentAsString());
                assertThat(problem.get("assignee").stringValue()).isEqualTo(winner);
                assertThat(problem.get("state").stringValue()).isEqualTo("ASSESSED");
            }
        }
        assertThat(jdbc.sql("select assignee from casework_case where request_id = :r").param("r", UUID.fromString(id))
                .query(String.class).single()).isEqualTo(winner);
        assertThat(steps.count("select count(*) from casework_event where request_id = :r and action = 'ASSIGNED'", id))
                .isEqualTo(1);
        // taking one's own case gives no second timeline entry and tells nobody
        assertThat(steps.count("select count(*) from notification where request_id = :r", id)).isZero();
    }

    @Test
    void reassignmentIsOnTheTimelineAndOnlySeniorRolesGiveCasesToColleagues() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        Person first = person(UserRole.ANALYST, null, null);
        Person second = person(UserRole.ANALYST, null, null);
        Person reviewer = person(UserRole.LEGAL_REVIEWER, null, null);
        String me = first.user().username();
        assign(first.bearer(), id, "{\"assignee\":\"" + me + "\",\"expected\":null}").andExpect(status().isOk());
        // an analyst neither takes a colleague's case nor hands cases out
        assign(second.bearer(), id, "{\"assignee\":\"" + second.user().username() + "\",\"expected\":\"" + me + "\"}")
                .andExpect(status().isForbidden());
        assign(first.bearer(), id, "{\"assignee\":\"" + second.user().username() + "\",\"expected\":\"" + me + "\"}")
                .andExpect(status().isForbidden());
        // only a caseworker can be assigned
        assign(reviewer.bearer(), id, "{\"assignee\":\"" + accounts.users.get(UserRole.REQUESTER).username()
                + "\",\"expected\":\"" + me + "\"}").andExpect(status().isUnprocessableContent());
        // a reviewer who saw an old assignee loses
        assign(reviewer.bearer(), id, "{\"assignee\":\"" + second.user().username() + "\",\"expected\":null}")
                .andExpect(status().isConflict());
        assign(reviewer.bearer(), id, "{\"assignee\":\"" + second.user().username() + "\",\"expected\":\"" + me + "\"}")
                .andExpect(status().isOk());
        List<String> timeline = jdbc.sql("select action || ':' || actor || ':' || reason from casework_event "
                + "where request_id = :r and action like '%ASSIGNED' order by id").param("r", UUID.fromString(id))
                .query(String.class).list();
        assertThat(timeline).hasSize(2);
        assertThat(timeline.get(0)).startsWith("ASSIGNED:" + me + ":Assigned to " + first.user().displayName());
        assertThat(timeline.get(1)).startsWith("REASSIGNED:" + reviewer.user().username() + ":Reassigned from "
                + first.user().displayName() + " to " + second.user().displayName());
        // the new assignee is told; the one who assigned is not
        assertThat(kinds(second.user())).containsExactly("ASSIGNED");
        assertThat(kinds(reviewer.user())).isEmpty();
        // the assignee hands it back
        assign(second.bearer(), id, "{\"assignee\":null,\"expected\":\"" + second.user().username() + "\"}")
                .andExpect(status().isOk());
        assertThat(steps.count("select count(*) from casework_event where request_id = :r and action = 'UNASSIGNED'", id))
                .isEqualTo(1);
        // requesters see nothing of it, on their case or in their request
        String asRequester = mvc.perform(get("/api/v1/requests/" + id).header("Authorization",
                accounts.bearer(UserRole.REQUESTER))).andReturn().getResponse().getContentAsString();
        assertThat(asRequester).doesNotContain("assignment").doesNotContain(me);
        String caseAsRequester = mvc.perform(get("/api/v1/cases/" + id).header("Authorization",
                accounts.bearer(UserRole.REQUESTER))).andReturn().getResponse().getContentAsString();
        assertThat(caseAsRequester).doesNotContain("ASSIGNED").doesNotContain(me);
    }

    @Test
    void anEscalatedCaseGoesToAHumanRightsOfficerAndTheOfficersAreTold() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        Person officer = person(UserRole.HUMAN_RIGHTS_OFFICER, null, null);
        Person reviewer = person(UserRole.LEGAL_REVIEWER, null, null);
        Person analyst = person(UserRole.ANALYST, null, null);
        steps.send(accounts.bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/proposals",
                "{\"outcome\":\"ESCALATE\",\"reason\":\"Journalist?\"}").andExpect(status().isCreated());
        steps.send(reviewer.bearer(), "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"For the officer\"}")
                .andExpect(status().isOk());
        assertThat(kinds(officer.user())).containsExactly("ESCALATED");
        assertThat(kinds(accounts.users.get(UserRole.HUMAN_RIGHTS_OFFICER), id)).containsExactly("ESCALATED");
        assertThat(kinds(analyst.user())).isEmpty();
        // the officers' inbox in the queue lists it
        assertThat(steps.page("/requests?status=ESCALATED", officer.bearer())).contains(reference(id));
        assign(reviewer.bearer(), id, "{\"assignee\":\"" + analyst.user().username() + "\",\"expected\":null}")
                .andExpect(status().isUnprocessableContent());
        assign(officer.bearer(), id, "{\"assignee\":\"" + officer.user().username() + "\",\"expected\":null}")
                .andExpect(status().isOk());
        assertThat(steps.page("/requests?status=MINE", officer.bearer())).contains(reference(id)).contains("Assigned to you");
        assertThat(steps.page("/requests?status=MINE", analyst.bearer())).doesNotContain(reference(id));
        assertThat(steps.page("/requests?status=UNASSIGNED", analyst.bearer())).doesNotContain(reference(id));
        assertThat(steps.page("/requests/" + id, analyst.bearer())).contains("id=\"assignee\"")
                .contains(officer.user().displayName());
    }

    // ---- notifications ---------------------------------------------------------------------------------------------

    @Test
    void eachEventTellsItsPeopleAndNobodyElseAndWithoutAMailServerTheMailSaysNotSent() throws Exception {
        Person officer = person(UserRole.REQUESTER, accounts.agencyA.id(), "officer-" + UUID.randomUUID() + "@a.example");
        User requester = accounts.users.get(UserRole.REQUESTER);
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.send(accounts.bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/questions", "{\"text\":\"Which account exactly?\"}")
                .andExpect(status().isOk());
        assertThat(kinds(requester, id)).containsExactly("QUESTION");
        assertThat(kinds(officer.user())).containsExactly("QUESTION");
        steps.send(officer.bearer(), "/api/v1/cases/" + id + "/answers", "{\"text\":\"The first one\"}").andExpect(status().isOk());
        assertThat(kinds(accounts.users.get(UserRole.ANALYST), id)).containsExactly("ANSWER");
        steps.decide(id, "ACCEPT");
        assertThat(kinds(officer.user())).containsExactly("DECISION", "QUESTION");

        // only the recipient reads a notification: the requester sees theirs, staff theirs, agency B nothing
        JsonNode mine = JSON.readTree(mvc.perform(get("/api/v1/notifications").header("Authorization", officer.bearer()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        assertThat(mine.get("unread").asLong()).isEqualTo(2);
        assertThat(mine.toString()).contains("Which account exactly?").doesNotContain("ANSWER");
        JsonNode staff = JSON.readTree(mvc.perform(get("/api/v1/notifications").header("Authorization",
                accounts.bearer(UserRole.ANALYST))).andReturn().getResponse().getContentAsString());
        assertThat(staff.toString()).contains("ANSWER").doesNotContain("QUESTION").doesNotContain("DECISION");
        JsonNode other = JSON.readTree(mvc.perform(get("/api/v1/notifications").header("Authorization",
                "Bearer " + accounts.otherRequesterToken)).andReturn().getResponse().getContentAsString());
        assertThat(other.get("items")).isEmpty();
        UUID staffNotice = UUID.fromString(staff.get("items").get(0).get("id").stringValue());
        mvc.perform(post("/notifications/" + staffNotice + "/read").header("Authorization", officer.bearer())
                .with(org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(jdbc.sql("select read_at from notification where id = :id").param("id", staffNotice)
                .query(java.time.OffsetDateTime.class).optional()).isEmpty(); // another's notice stays unread

        // no mail server: nothing is left pending; the state says why, to the recipient and to administrators
        assertThat(jdbc.sql("select count(*) from notification where mail_status in ('PENDING', 'SENDING')")
                .query(Long.class).single()).isZero();
        assertThat(mine.toString()).contains("not sent: no mail server is configured");
        assertThat(jdbc.sql("select mail_detail from notification where recipient_id = :u").param("u", requester.id())
                .query(String.class).list()).allMatch(d -> d.equals("not sent: the account has no e-mail address"));
        String admin = steps.page("/admin/notifications", accounts.bearer(UserRole.ADMIN));
        assertThat(admin).contains("No mail server is configured").contains(officer.user().username())
                .contains("not sent: no mail server is configured").doesNotContain("Which account exactly?");
        String health = mvc.perform(get("/actuator/health").header("Authorization", accounts.bearer(UserRole.ADMIN))).andReturn().getResponse().getContentAsString();
        assertThat(JSON.readTree(health).at("/components/notifications/details/mail").stringValue())
                .startsWith("no mail server configured");
        // the bell counts the unread ones
        assertThat(steps.page("/portal", officer.bearer())).contains("Notifications: 2 unread");
    }

    @Test
    void aPackageReadyIsToldToTheRequestingAgency() throws Exception {
        tools.jackson.databind.node.ObjectNode r = Samples.production();
        r.remove("confidentiality");
        String holder = "holder-" + UUID.randomUUID().toString().substring(0, 6) + "@mail.example";
        ((tools.jackson.databind.node.ObjectNode) r.get("targets").get(0)).put("type", "EMAIL").put("value", holder);
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        steps.decide(id, "ACCEPT");
        mvc.perform(post("/api/v1/encryption-keys").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(org.habeas.disclosure.PackageKeys
                        .generate("enc-" + UUID.randomUUID()).toPublicJWK().toJSONString()));
        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isCreated());
        assertThat(jdbc.sql("select kind from notification where request_id = :r and recipient_id = :u order by created_at")
                .param("r", UUID.fromString(id)).param("u", accounts.users.get(UserRole.REQUESTER).id())
                .query(String.class).list()).containsExactly("DECISION", "PACKAGE");

        // the account holder's notice cannot go out without a mail server: it stays owed, and says why and how often
        var notice = jdbc.sql("select status, attempts, last_error from disclosure_notice where request_id = :r and recipient = :to")
                .param("r", UUID.fromString(id)).param("to", holder)
                .query((rs, i) -> List.of(rs.getString(1), rs.getInt(2), rs.getString(3))).single();
        assertThat(notice.get(0)).isEqualTo("PENDING");
        assertThat((Integer) notice.get(1)).isPositive();
        assertThat((String) notice.get(2)).contains("not sent").contains("no SMTP server is configured");
        String oversight = steps.page("/oversight/notices", accounts.bearer(UserRole.OVERSIGHT));
        assertThat(oversight).contains("no SMTP server is configured").doesNotContain(holder).contains("(withheld)");
        assertThat(steps.page("/oversight/notices", accounts.bearer(UserRole.ANALYST))).contains(holder);
    }

    // ---- helpers ---------------------------------------------------------------------------------------------------

    private List<String> kinds(User u) {
        return jdbc.sql("select kind from notification where recipient_id = :u order by kind").param("u", u.id())
                .query(String.class).list();
    }

    private List<String> kinds(User u, String id) {
        return jdbc.sql("select kind from notification where recipient_id = :u and request_id = :r order by kind")
                .param("u", u.id()).param("r", UUID.fromString(id)).query(String.class).list();
    }

    private String reference(String id) {
        return jdbc.sql("select reference from intake_request where id = :r").param("r", UUID.fromString(id))
                .query(String.class).single();
    }

    private ResultActions assign(String bearer, String id, String body) throws Exception {
        return steps.send(bearer, "/api/v1/cases/" + id + "/assignment", body);
    }
}
