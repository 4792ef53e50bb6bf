package org.habeas.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import org.habeas.casework.Cases;

import org.habeas.accounts.UserRole;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import com.icegreen.greenmail.util.GreenMail;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import jakarta.mail.internet.MimeMessage;
import tools.jackson.databind.node.ObjectNode;

/**
 * Notices to account holders through a real SMTP server in the test JVM (GreenMail): sent at once when no
 * non-disclosure order applies; with one, waiting (and visible to oversight) until the day it expires. Then, a year
 * after the case closed, the retention purge removes its personal data and leaves its decision and log entries.
 */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.test.clock-start=2026-09-01T09:00:00Z"})
@ActiveProfiles("test")
class NoticeTest {

    static final GreenMail SMTP = TestSmtp.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        TestSmtp.properties(r, SMTP);
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
    Notices notices;

    private MockMvc mvc;
    private TestAccounts a;

    private String produced(String target, LocalDate gag) throws Exception {
        ObjectNode r = Samples.production();
        ObjectNode t = (ObjectNode) r.get("targets").get(0);
        t.put("type", "EMAIL").put("value", target);
        if (gag != null) {
            r.putObject("confidentiality").put("nonDisclosureUntil", gag.toString()).put("reason", "Ongoing investigation");
        }
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", a.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"outcome\":\"ACCEPT\",\"reason\":\"ok\",\"justification\":\"Reviewed\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", a.bearer(UserRole.LEGAL_REVIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"ok\"}"))
                .andExpect(status().isOk());
        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isCreated());
        return id;
    }

    @Test
    void aNoticeGoesOutAtOnceWithoutAGagAndOnTheDayTheGagExpiresWithOne() throws Exception {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        a = TestAccounts.of(context);
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("enc-" + UUID.randomUUID()).generate();
        mvc.perform(post("/api/v1/agencies/" + a.agencyA.id() + "/encryption-keys").header("Authorization", a.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content(key.toPublicJWK().toJSONString())).andExpect(status().isCreated());

        produced("holder-one@mail.example", null);
        assertThat(SMTP.waitForIncomingEmail(5000, 1)).isTrue();
        MimeMessage first = SMTP.getReceivedMessages()[0];
        assertThat(first.getAllRecipients()[0].toString()).isEqualTo("holder-one@mail.example");
        String text = (String) first.getContent();
        assertThat(text).contains(a.agencyA.name()).contains("EU_EEVIDENCE").contains("What was disclosed")
                .contains("data protection authority");

        LocalDate gag = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC).plusDays(30);
        String gagged = produced("holder-two@mail.example", gag);
        assertThat(SMTP.getReceivedMessages()).hasSize(1);
        // oversight sees the notice waiting, without the address
        mvc.perform(get("/api/v1/notices").param("status", "PENDING").header("Authorization", a.bearer(UserRole.OVERSIGHT)))
                .andExpect(jsonPath("$[0].requestId").value(gagged))
                .andExpect(jsonPath("$[0].recipient").value("(withheld)"));
        clock.advance(Duration.ofDays(29));
        assertThat(notices.sendDue()).isZero();
        clock.advance(Duration.between(clock.instant(), gag.atStartOfDay(ZoneOffset.UTC).toInstant()).plusMinutes(1));
        assertThat(notices.sendDue()).isEqualTo(1);
        assertThat(SMTP.getReceivedMessages()).hasSize(2);
        assertThat(SMTP.getReceivedMessages()[1].getAllRecipients()[0].toString()).isEqualTo("holder-two@mail.example");
        assertThat(notices.list("PENDING")).isEmpty();

        // retention: a year after closure the personal data goes; the decision and the log's figures stay
        mvc.perform(post("/api/v1/cases/" + gagged + "/package/receipt").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNoContent());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart(
                        "/api/v1/requests/" + gagged + "/documents")
                .file(new org.springframework.mock.web.MockMultipartFile("file", "order.txt", "text/plain", "order".getBytes()))
                .header("Authorization", a.bearer(UserRole.REQUESTER))).andExpect(status().isCreated());
        UUID id = UUID.fromString(gagged);
        List<String> leavesBefore = events(id);
        assertThat(retention.purge().cases()).isEmpty();
        clock.advance(Duration.ofDays(366));
        Retention.Report report = retention.purge();
        assertThat(report.cases()).containsExactly(id);
        assertThat(report.documents()).isEqualTo(1);
        assertThat(report.packages()).isEqualTo(1);
        assertThat(report.notices()).isEqualTo(1);
        String body = jdbc.sql("select body from intake_request where id = :id").param("id", id).query(String.class).single();
        assertThat(body).doesNotContain("holder-two@mail.example").contains("(withheld)");
        assertThat(jdbc.sql("select count(*) from intake_document where request_id = :id").param("id", id)
                .query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from disclosure_package where request_id = :id and jwe is not null")
                .param("id", id).query(Long.class).single()).isZero();
        assertThat(jdbc.sql("select count(*) from disclosure_notice where request_id = :id and recipient is not null")
                .param("id", id).query(Long.class).single()).isZero();
        // what transparency needs stays: the decision, its rules, the log's entries
        assertThat(cases.decision(id)).get().extracting(Cases.Decision::outcome).isEqualTo(org.habeas.casework.Outcome.ACCEPT);
        assertThat(events(id)).isEqualTo(leavesBefore).contains("DECIDED", "PRODUCED", "NOTIFIED", "CLOSED");
        assertThat(audit.run().problems()).isEmpty();
        assertThat(retention.purge().cases()).isEmpty();
    }

    @Autowired
    Retention retention;

    @Autowired
    org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    org.habeas.casework.Cases cases;

    @Autowired
    org.habeas.ledger.Audit audit;

    private List<String> events(UUID requestId) {
        UUID caseId = jdbc.sql("select case_id from ledger_case where request_id = :r").param("r", requestId)
                .query(UUID.class).single();
        return jdbc.sql("select event from ledger_leaf where case_id = :c order by idx").param("c", caseId)
                .query(String.class).list();
    }
}
