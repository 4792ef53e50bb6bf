package org.habeas.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;

import org.habeas.accounts.UserRole;
import org.habeas.ledger.Periods;
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

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import tools.jackson.databind.json.JsonMapper;

/**
 * A report computed from the public log's entries alone matches, figure by figure, counts made directly on the
 * case tables, after requests went through every path.
 */
@SpringBootTest
@ActiveProfiles("test")
class ReportFromLogTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    private MockMvc mvc;
    private TestAccounts a;
    private org.habeas.support.CaseSteps steps;


    private void call(UserRole role, String path, String body) throws Exception {
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(path)
                .header("Authorization", a.bearer(role)).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().is2xxSuccessful());
    }


    private long count(String sql) {
        return jdbc.sql(sql).query(Long.class).single();
    }

    @Test
    void theReportFromTheLogMatchesTheCaseTables() throws Exception {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        a = TestAccounts.of(context);
        steps = new org.habeas.support.CaseSteps(mvc, a);
        var key = new ECKeyGenerator(Curve.P_256).keyID("enc").generate();
        call(UserRole.ADMIN, "/api/v1/agencies/" + a.agencyA.id() + "/encryption-keys", key.toPublicJWK().toJSONString());

        String accepted = steps.submit("01-legit-ransomware-traffic-eu.json");
        steps.decide(accepted, "ACCEPT");
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/cases/" + accepted + "/package")
                .header("Authorization", a.bearer(UserRole.ANALYST))).andExpect(status().isCreated());
        steps.decide(steps.submit("71-content-without-judge.json"), "REFUSE");
        steps.decide(steps.submit("49-dragnet-all-users.json"), "REFUSE");
        steps.decide(steps.submit("57-period-366-days.json"), "NARROW");
        steps.submit("34-security-researcher-illegal-access.json");
        String withdrawn = steps.submit("02-legit-phishing-subscriber-eu.json");
        call(UserRole.REQUESTER, "/api/v1/cases/" + withdrawn + "/withdrawal", "{\"text\":\"no longer needed\"}");
        steps.submit("45-fake-emergency-no-threat.json");
        steps.submit("24-legit-stalking-gag-90.json");

        String period = Periods.of(Instant.now());
        ReportCalculator calc = new ReportCalculator(period);
        JsonMapper json = JsonMapper.builder().build();
        jdbc.sql("select entry from ledger_leaf order by idx").query(byte[].class).list()
                .forEach(calc::accept);
        ReportCalculator.Result report = calc.result();
        Figures t = report.total();

        assertThat(t.requests).isEqualTo(count("select count(*) from intake_request")).isEqualTo(8);
        assertThat(t.accounts).isEqualTo(count("select coalesce(sum(target_count), 0) from intake_request"));
        assertThat(t.refused).isEqualTo(count("select count(*) from casework_decision where outcome = 'REFUSE'")).isEqualTo(2);
        assertThat(t.narrowed).isEqualTo(count("select count(*) from casework_decision where outcome = 'NARROW'")).isEqualTo(1);
        assertThat(t.someDataProduced).isEqualTo(count("select count(distinct request_id) from disclosure_package")).isEqualTo(1);
        assertThat(t.noDataProduced).isEqualTo(t.requests - t.someDataProduced);
        assertThat(t.withdrawn).isEqualTo(count("select count(*) from casework_case where state = 'WITHDRAWN'")).isEqualTo(1);
        assertThat(t.escalated).isEqualTo(count("select count(*) from safeguards_assessment where decision = 'ESCALATE'"));
        assertThat(t.emergencyRequests).isEqualTo(count("select count(*) from intake_request where emergency = true"));
        assertThat(t.nonDisclosureOrders).isEqualTo(jdbc.sql("select body from intake_request").query(String.class).list()
                .stream().filter(b -> json.readTree(b).path("confidentiality").path("nonDisclosureUntil").isString())
                .count()).isEqualTo(1);
        // every refusal is counted under at least one of the rules that decided it
        assertThat(t.refusedByRule.values().stream().mapToLong(Long::longValue).sum()).isGreaterThanOrEqualTo(t.refused);
        assertThat(t.refusedByRule).containsKeys("JUDICIAL_AUTHORIZATION", "TARGET_SPECIFICITY");
        // per row: requests by requesting state, instrument and measure
        for (var row : report.rows().entrySet()) {
            String[] k = row.getKey().split("\\|");
            assertThat(row.getValue().requests).as(row.getKey()).isEqualTo(jdbc.sql("""
                    select count(*) from intake_request where requesting_state = :s and instrument = :i and measure = :m""")
                    .param("s", k[0]).param("i", k[1]).param("m", k[2]).query(Long.class).single());
        }
    }
}
