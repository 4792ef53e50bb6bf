package org.habeas.notifications;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.Tokens;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.casework.Deadlines;
import org.habeas.disclosure.PackageKeys;
import org.habeas.intake.Samples;
import org.habeas.support.MutableClock;
import org.habeas.support.TestClock;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.habeas.support.TestSmtp;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import com.icegreen.greenmail.util.GreenMail;

import jakarta.mail.internet.MimeMessage;

/**
 * Notifications through a real SMTP server in the test JVM (GreenMail), for each event: a new emergency, a question
 * to the requester, the requester's answer, an assignment, an escalation, a decision, a package ready, an overdue case. Each reaches
 * its recipient's own address with a link on the configured base address, says no more than what happened, and is
 * recorded as sent.
 */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.test.clock-start=2026-11-02T09:00:00Z"})
@ActiveProfiles("test")
class NotificationMailTest {

    static final GreenMail SMTP = TestSmtp.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        TestSmtp.properties(r, SMTP);
        r.add("habeas.base-url", () -> "https://habeas.example.org/");
        r.add("habeas.mail.from", () -> "notices@habeas.example.org");
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
    }

    @Autowired
    MutableClock clock;

    @Autowired
    WebApplicationContext context;

    @Autowired
    Users users;

    @Autowired
    Tokens tokens;

    @Autowired
    Deadlines deadlines;

    @Autowired
    JdbcClient jdbc;

    MockMvc mvc;

    private record Person(User user, String bearer) {
    }

    private Person person(UserRole role, UUID agency) {
        String name = role.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID().toString().substring(0, 6);
        User u = users.createWithCredentials(name, "Mail " + role.label(), role, agency, TestAccounts.PASSWORD, null,
                name + "@mail.example");
        return new Person(u, "Bearer " + tokens.issueForUser(u, "test", Duration.ofDays(90), "test").value());
    }

    @Test
    void everyEventReachesItsRecipientsMailbox() throws Exception {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        Person requester = person(UserRole.REQUESTER, a.agencyA.id());
        Person analyst = person(UserRole.ANALYST, null);
        Person reviewer = person(UserRole.LEGAL_REVIEWER, null);
        Person officer = person(UserRole.HUMAN_RIGHTS_OFFICER, null);
        Person secondOfficer = person(UserRole.HUMAN_RIGHTS_OFFICER, null);

        var r = Samples.production();
        String reference = r.get("reference").stringValue();
        String location = call(requester.bearer(), "/api/v1/requests", Samples.json(r)).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        call(analyst.bearer(), "/api/v1/cases/" + id + "/questions", "{\"text\":\"Which account exactly?\"}")
                .andExpect(status().isOk());
        call(requester.bearer(), "/api/v1/cases/" + id + "/answers", "{\"text\":\"The first one\"}").andExpect(status().isOk());
        call(reviewer.bearer(), "/api/v1/cases/" + id + "/assignment",
                "{\"assignee\":\"" + analyst.user().username() + "\",\"expected\":null}").andExpect(status().isOk());
        call(analyst.bearer(), "/api/v1/cases/" + id + "/proposals", "{\"outcome\":\"ESCALATE\",\"reason\":\"Ask the officer\"}")
                .andExpect(status().isCreated());
        call(reviewer.bearer(), "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"For the officer\"}")
                .andExpect(status().isOk());
        call(officer.bearer(), "/api/v1/cases/" + id + "/decision", "{\"action\":\"CHANGE\",\"outcome\":\"ACCEPT\","
                + "\"reason\":\"Proportionate\",\"justification\":\"Checked against the order\"}").andExpect(status().isOk());
        // accepting an escalated case lets more through: a second officer confirms it (four eyes)
        call(secondOfficer.bearer(), "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}")
                .andExpect(status().isOk());
        call(requester.bearer(), "/api/v1/encryption-keys", PackageKeys.generate("enc-" + UUID.randomUUID()).toPublicJWK()
                .toJSONString()).andExpect(status().isCreated());
        var produced = mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", analyst.bearer()))
                .andReturn().getResponse();
        assertThat(produced.getStatus()).as(produced.getContentAsString()).isEqualTo(201);

        // an emergency arrives: the analysts are told at once
        String emergency = "EM-" + UUID.randomUUID().toString().substring(0, 8);
        call(requester.bearer(), "/api/v1/requests", java.nio.file.Files.readString(java.nio.file.Path.of(
                "src/main/resources/demo/04-gb-kidnap-emergency.json")).replaceFirst("\"reference\": \"[^\"]*\"",
                "\"reference\": \"" + emergency + "\"")).andExpect(status().isCreated());
        // a second request nobody takes goes overdue: the legal reviewers are told
        var late = Samples.production();
        call(requester.bearer(), "/api/v1/requests", Samples.json(late)).andExpect(status().isCreated());
        clock.advance(Duration.ofDays(40));
        deadlines.run();

        assertThat(SMTP.waitForIncomingEmail(10_000, 10)).isTrue();
        List<String> got = new ArrayList<>();
        for (MimeMessage m : SMTP.getReceivedMessages()) {
            if (!m.getSubject().startsWith("Habeas: ")) {
                continue; // the account holder's notice of the disclosure (the disclosure module's)
            }
            String to = m.getAllRecipients()[0].toString();
            String body = String.valueOf(m.getContent());
            got.add(to.substring(0, to.indexOf('-')) + ": " + m.getSubject());
            assertThat(body).as(m.getSubject()).contains("https://habeas.example.org/").doesNotContain("Which account exactly?")
                    .doesNotContain("The first one");
            assertThat(m.getFrom()[0].toString()).isEqualTo("notices@habeas.example.org");
        }
        assertThat(got).contains(
                "requester: Habeas: A question about your request " + reference,
                "analyst: Habeas: The requester answered on " + reference,
                "analyst: Habeas: Request " + reference + " is assigned to you",
                "human: Habeas: Request " + reference + " waits for a human-rights officer",
                "requester: Habeas: Your request " + reference + " was accepted",
                "requester: Habeas: The data for your request " + reference + " is ready",
                "legal: Habeas: Request " + late.get("reference").stringValue() + " is overdue",
                "analyst: Habeas: Emergency request " + emergency + " arrived");
        // the e-mail links to the page of the request in Habeas: the portal for requesters, the queue for staff
        assertThat(SMTP.getReceivedMessages()).anySatisfy(m -> assertThat(String.valueOf(m.getContent()))
                .contains("https://habeas.example.org/portal/requests/" + id));
        assertThat(jdbc.sql("select count(*) from notification n join accounts_user u on u.id = n.recipient_id "
                + "where u.email is not null and n.mail_status <> 'SENT'").query(Long.class).single()).isZero();
    }

    private ResultActions call(String bearer, String path, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", bearer).contentType(MediaType.APPLICATION_JSON).content(body));
    }
}
