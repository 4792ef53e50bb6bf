package org.habeas.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.json.JsonMapper;

/** The accountability register ranks states by refusals over a chosen range of closed periods. */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.test.clock-start=2026-03-02T09:00:00Z"})
@ActiveProfiles("test")
class RegisterTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    MutableClock clock;

    @Autowired
    WebApplicationContext context;

    @Autowired
    Register register;

    @Autowired
    OversightRegister oversightRegister;

    @Autowired
    Reports reports;

    @Autowired
    org.habeas.ledger.PublicLog publicLog;

    private MockMvc mvc;
    private TestAccounts a;
    private org.habeas.support.CaseSteps steps;

    private static String state(String file) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(Path.of("..", "scenarios", file)))
                .get("requestingState").stringValue();
    }

    @Test
    void statesAreRankedByRefusalsOverClosedPeriods() throws Exception {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        a = TestAccounts.of(context);
        steps = new org.habeas.support.CaseSteps(mvc, a);
        String refusing = state("49-dragnet-all-users.json");
        String accepted = state("01-legit-ransomware-traffic-eu.json");
        assertThat(refusing).isNotEqualTo(accepted);
        steps.decide(steps.submit("49-dragnet-all-users.json"), "REFUSE");
        steps.decide(steps.submit("49-dragnet-all-users.json"), "REFUSE");
        steps.decide(steps.submit("01-legit-ransomware-traffic-eu.json"), "ACCEPT");
        steps.decide(steps.submit("01-legit-ransomware-traffic-eu.json"), "ACCEPT");
        steps.decide(steps.submit("01-legit-ransomware-traffic-eu.json"), "ACCEPT");
        steps.submit("09-legit-kidnap-emergency.json"); // unsigned, no call-back: an emergency that failed verification
        mvc.perform(post("/api/v1/log/checkpoint").header("Authorization", a.bearer(UserRole.ADMIN))).andExpect(status().isOk());

        // while the period is open nothing is published, so nothing is counted
        assertThat(register.byState("2026-H1", "2026-H1", clock.instant())).isEmpty();
        clock.advance(Duration.ofDays(122)); // 2026-07-02: 2026-H1 is closed
        List<Register.Line> lines = register.byState("2026-H1", "2026-H1", clock.instant());
        assertThat(lines).extracting(Register.Line::state).startsWith(refusing);
        assertThat(lines.get(0).refused()).isEqualTo(2);
        assertThat(lines.get(0).refusedByRule()).containsKey("TARGET_SPECIFICITY");
        assertThat(lines.get(0).rightsRefusals()).isEqualTo(2);
        assertThat(lines.get(0).theme("dragnet")).isEqualTo(2);
        assertThat(lines.get(0).emergenciesUnverified()).as("the public log cannot tell").isNull();
        assertThat(lines).filteredOn(l -> l.state().equals(accepted)).singleElement()
                .satisfies(l -> assertThat(l.requests()).isEqualTo(3)).satisfies(l -> assertThat(l.refused()).isZero());
        // another range holds nothing
        assertThat(register.byState("2025-H1", "2025-H2", clock.instant())).isEmpty();
        String page = mvc.perform(get("/transparency/register").param("from", "2026-H1").param("to", "2026-H1"))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        String cell = "<td data-label=\"Requesting state\">";
        assertThat(page.indexOf(cell + refusing + "</td>")).isGreaterThan(0)
                .isLessThan(page.indexOf(cell + accepted + "</td>"));
        // sorted by requests instead, the state with more requests comes first
        String byRequests = mvc.perform(get("/transparency/register").param("from", "2026-H1").param("to", "2026-H1")
                .param("sort", "requests")).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(byRequests.indexOf(cell + accepted + "</td>")).isGreaterThan(0)
                .isLessThan(byRequests.indexOf(cell + refusing + "</td>"));
        // a malformed period is named, not silently ignored
        assertThat(mvc.perform(get("/transparency/register").param("from", "2026-H3")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString()).contains("from: &quot;2026-H3&quot; is not a period");

        // for oversight, per agency from the case tables: every request the test agency sent, and the emergency
        // that was neither signed nor confirmed by a call-back
        List<Register.Line> agencies = oversightRegister.byAgency("2026-H1", "2026-H1");
        assertThat(agencies).filteredOn(l -> l.name().equals(a.agencyA.name())).singleElement().satisfies(l -> {
            assertThat(l.state()).isEqualTo("FR");
            assertThat(l.requests()).isEqualTo(6);
            assertThat(l.refused()).isEqualTo(2);
            assertThat(l.rightsRefusals()).isEqualTo(2);
            assertThat(l.emergencies()).isEqualTo(1);
            assertThat(l.emergenciesUnverified()).isEqualTo(1);
        });
        assertThat(oversightRegister.byAgency("2025-H1", "2025-H2")).isEmpty();
        String oversightPage = mvc.perform(get("/oversight/register").param("from", "2026-H1").param("to", "2026-H1")
                .header("Authorization", a.bearer(UserRole.OVERSIGHT))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString();
        assertThat(oversightPage).contains(a.agencyA.name()).contains("Emergencies failed verification");
        mvc.perform(get("/oversight/register").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isForbidden());

        // An entry of the closed half-year logged late, behind an entry of the open one, is not published yet: the
        // report leaves it out, and so it still verifies against what the log serves.
        long before = ((Number) ((java.util.Map<?, ?>) reports.compute("2026-H1").get("total")).get("requests")).longValue();
        publicLog.appendRecord("{\"event\":\"NOTE\",\"period\":\"2026-H2\",\"v\":1}".getBytes(StandardCharsets.UTF_8),
                "2026-H2", "NOTE");
        publicLog.appendRecord(("{\"accounts\":1,\"case\":\"" + UUID.randomUUID() + "\",\"categories\":[],\"commitment\":\"x\","
                + "\"emergency\":false,\"event\":\"RECEIVED\",\"instrument\":\"BUDAPEST\",\"measure\":\"PRODUCTION\","
                + "\"nonDisclosure\":false,\"outcome\":null,\"period\":\"2026-H1\",\"requestedState\":\"IE\","
                + "\"requestingState\":\"FR\",\"v\":1}").getBytes(StandardCharsets.UTF_8), "2026-H1", "RECEIVED");
        publicLog.checkpointNow();
        java.util.Map<String, Object> late = reports.compute("2026-H1");
        assertThat(((Number) ((java.util.Map<?, ?>) late.get("total")).get("requests")).longValue()).isEqualTo(before);
        org.habeas.ledger.LogVerifier.Fetcher overHttp = path -> {
            try {
                var response = mvc.perform(get("/log/" + path)).andReturn().getResponse();
                return new org.habeas.ledger.LogVerifier.Response(response.getStatus(), response.getContentAsByteArray());
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        };
        String vkey = mvc.perform(get("/log/vkey")).andReturn().getResponse().getContentAsString().strip();
        assertThat(ReportVerifier.verify(JsonMapper.builder().build().valueToTree(late), overHttp,
                org.habeas.ledger.Note.Verifier.parse(vkey))).isEmpty();
    }

    @Test
    void everyThemedRuleIsASafeguardRuleAndOnlyFormalRulesAreLeftOut() throws Exception {
        java.util.Set<String> all = new java.util.TreeSet<>();
        tools.jackson.databind.ObjectMapper yaml = tools.jackson.dataformat.yaml.YAMLMapper.builder().build();
        yaml.readTree(Files.readString(Path.of("src/main/resources/safeguards/profiles/rights-first.yaml")))
                .get("rules").propertyNames().forEach(all::add);
        java.util.Set<String> themed = new java.util.TreeSet<>();
        register.themes().themes().forEach(t -> themed.addAll(t.rules()));
        assertThat(all).containsAll(themed);
        java.util.Set<String> formal = new java.util.TreeSet<>(all);
        formal.removeAll(themed);
        // a request Habeas cannot read, or written to disguise itself, is not refused for a rights reason
        assertThat(formal).containsExactlyInAnyOrder("LEGAL_BASIS", "MEASURE_AVAILABLE", "REQUEST_COMPLETE", "LANGUAGE",
                "OBFUSCATED_TEXT");
        assertThat(register.themes().of(List.of("REQUEST_COMPLETE"))).isEmpty();
        assertThat(register.themes().of(List.of("JUDICIAL_AUTHORIZATION", "PROTECTED_PERSON")))
                .containsExactly("protectedPersons", "noJudge");
    }
}
