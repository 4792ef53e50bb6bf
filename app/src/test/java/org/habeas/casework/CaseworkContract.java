package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.ledger.Audit;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A request through every path of its case, over the API, run once per database: accepted with four eyes,
 * narrowed, escalated and decided by a human-rights officer, refused, withdrawn; the proposer never decides their
 * own proposal; going against the engine needs a justification and is flagged; each decision is in the public
 * log with the rules that decided it, and the audit stays clean.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class CaseworkContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Audit audit;

    MockMvc mvc;
    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        accounts = TestAccounts.of(context);
    }

    private String scenario(String file) throws Exception {
        return Files.readString(Path.of("..", "scenarios", file), StandardCharsets.UTF_8)
                .replaceFirst("\"reference\": \"", "\"reference\": \"CW-" + UUID.randomUUID().toString().substring(0, 6) + "-");
    }

    private String submit(String body) throws Exception {
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private String engine(String id) throws Exception {
        return json(mvc.perform(get("/api/v1/requests/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST))))
                .get("assessment").get("decision").stringValue();
    }

    private ResultActions as(UserRole role, String path, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", accounts.bearer(role))
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    private static JsonNode json(ResultActions r) throws Exception {
        return JSON.readTree(r.andReturn().getResponse().getContentAsString());
    }

    private String propose(String id, String outcome, String justification) {
        return "{\"outcome\":\"" + outcome + "\",\"reason\":\"Analyst's reading of the order\""
                + (justification == null ? "" : ",\"justification\":\"" + justification + "\"") + "}";
    }

    /** The log entries of a request's case, as their JSON. */
    private List<JsonNode> logged(String id) {
        UUID caseId = jdbc.sql("select case_id from ledger_case where request_id = :r").param("r", UUID.fromString(id))
                .query(UUID.class).single();
        return jdbc.sql("select entry from ledger_leaf where case_id = :c order by idx").param("c", caseId)
                .query(byte[].class).list().stream().map(b -> JSON.readTree(new String(b, StandardCharsets.UTF_8))).toList();
    }

    @Test
    void acceptedWithFourEyes() throws Exception {
        String id = submit(scenario("01-legit-ransomware-traffic-eu.json"));
        String engine = engine(id);
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals",
                propose(id, "ACCEPT", engine.equals("ACCEPT") ? null : "Checked with the issuing judge"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.status").value("OPEN"));
        mvc.perform(get("/api/v1/requests/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.status").value("IN_REVIEW")).andExpect(jsonPath("$.case.state").value("IN_REVIEW"));
        JsonNode decided = json(as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Lawful, proportionate\"}").andExpect(status().isOk()));
        assertThat(decided.get("state").stringValue()).isEqualTo("DECIDED");
        assertThat(decided.get("decision").get("outcome").stringValue()).isEqualTo("ACCEPT");
        assertThat(decided.get("decision").get("proposedBy").stringValue())
                .isEqualTo(accounts.users.get(UserRole.ANALYST).username());
        assertThat(decided.get("decision").get("decidedBy").stringValue())
                .isEqualTo(accounts.users.get(UserRole.LEGAL_REVIEWER).username());
        assertThat(decided.get("timeline").findValuesAsString("action"))
                .containsSubsequence("OPENED", "ASSESSED", engine.equals("ACCEPT") ? "PROPOSED" : "PROPOSED_AGAINST_ENGINE");
        JsonNode last = logged(id).getLast();
        assertThat(last.get("event").stringValue()).isEqualTo("DECIDED");
        assertThat(last.get("outcome").stringValue()).isEqualTo("ACCEPT");
        assertThat(last.get("rules")).isEmpty();
        assertThat(mvc.perform(get("/api/v1/cases/" + id + "/letter").header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andReturn().getResponse().getContentAsString()).contains("Your request is ACCEPTED as submitted");
        // a decided case takes no further decision
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"again\"}")
                .andExpect(status().isConflict());
        assertThat(audit.run().problems()).isEmpty();
    }

    @Test
    void commandBodiesAreReadStrictlyAndAScopeIsCheckedWhenProposed() throws Exception {
        String id = submit(scenario("57-period-366-days.json"));
        String proposals = "/api/v1/cases/" + id + "/proposals";
        String reason = ",\"reason\":\"r\"";
        String[][] refused = {
            // a type error names its field
            {"{\"outcome\":\"NARROW\",\"scope\":{\"dataCategories\":\"TRAFFIC\"}" + reason + "}", "/scope/dataCategories"},
            {"{\"outcome\":\"NARROW\",\"scope\":7" + reason + "}", "/scope"},
            {"{\"outcome\":[\"ACCEPT\"]" + reason + "}", "/outcome"},
            {"{\"outcome\":\"ACCEPT\",\"reason\":42}", "/reason"},
            // unknown fields are refused
            {"{\"outcome\":\"ACCEPT\",\"surprise\":true" + reason + "}", "/surprise"},
            // text that is not Unicode
            {"{\"outcome\":\"ACCEPT\",\"reason\":\"a\\u0000b\"}", "/reason"},
            // a scope that no execution could use
            {"{\"outcome\":\"NARROW\",\"scope\":{\"periodFrom\":\"garbage\"}" + reason + "}", "/scope/periodFrom"},
            {"{\"outcome\":\"NARROW\",\"scope\":{\"periodTo\":\"2026-02-30\"}" + reason + "}", "/scope/periodTo"},
        };
        for (String[] c : refused) {
            as(UserRole.ANALYST, proposals, c[0]).andExpect(status().isUnprocessableContent())
                    .andExpect(jsonPath("$.errors[0].pointer").value(c[1]));
        }
        // a member named twice is not JSON Habeas reads
        as(UserRole.ANALYST, proposals, "{\"outcome\":\"ACCEPT\",\"outcome\":\"REFUSE\"" + reason + "}")
                .andExpect(status().isBadRequest());
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"x\",\"extra\":1}")
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/extra"));
        as(UserRole.REQUESTER, "/api/v1/cases/" + id + "/withdrawal", "{\"text\":\"x\",\"text\":\"y\"}")
                .andExpect(status().isBadRequest());
        // nothing was proposed
        assertThat(jdbc.sql("select count(*) from casework_proposal where request_id = :r").param("r", UUID.fromString(id))
                .query(Long.class).single()).isZero();
    }

    @Test
    void narrowedToTheEnginesScope() throws Exception {
        String id = submit(scenario("57-period-366-days.json"));
        assertThat(engine(id)).isEqualTo("NARROW");
        JsonNode p = json(as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals", propose(id, "NARROW", null))
                .andExpect(status().isCreated()));
        assertThat(p.get("againstEngine").asBoolean()).isFalse();
        assertThat(p.get("scope").get("periodFrom").isString()).isTrue();
        JsonNode decided = json(as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"One year at most\"}").andExpect(status().isOk()));
        assertThat(decided.get("decision").get("outcome").stringValue()).isEqualTo("NARROW");
        assertThat(decided.get("decision").get("rules").get(0).stringValue()).isEqualTo("PERIOD_BOUND");
        assertThat(logged(id).getLast().get("rules").get(0).stringValue()).isEqualTo("PERIOD_BOUND");
        assertThat(mvc.perform(get("/api/v1/cases/" + id + "/letter").header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andReturn().getResponse().getContentAsString()).contains("ACCEPTED IN PART").contains("Period: ")
                .contains("Bounded period: ").doesNotContain("[PERIOD_BOUND]").contains("Legal basis: ");
        // widening what the engine narrowed is against the engine: a justification is required, and it is flagged
        String other = submit(scenario("57-period-366-days.json"));
        as(UserRole.ANALYST, "/api/v1/cases/" + other + "/proposals", propose(other, "ACCEPT", null))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/justification"));
        as(UserRole.ANALYST, "/api/v1/cases/" + other + "/proposals", propose(other, "ACCEPT", "The court extended the period"))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.againstEngine").value(true));
        JsonNode flagged = json(as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + other + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}"));
        assertThat(flagged.get("decision").get("againstEngine").asBoolean()).isTrue();
        assertThat(flagged.get("decision").get("justification").stringValue()).isEqualTo("The court extended the period");
        // oversight sees the flag
        mvc.perform(get("/api/v1/cases/" + other).header("Authorization", accounts.bearer(UserRole.OVERSIGHT)))
                .andExpect(jsonPath("$.decision.againstEngine").value(true));
    }

    @Test
    void escalatedAndDecidedByAHumanRightsOfficer() throws Exception {
        String id = submit(scenario("34-security-researcher-illegal-access.json"));
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals", propose(id, "ESCALATE", null)).andExpect(status().isCreated());
        JsonNode escalated = json(as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"A researcher's disclosure: for the human-rights officer\"}"));
        assertThat(escalated.get("escalated").asBoolean()).isTrue();
        assertThat(escalated.get("state").stringValue()).isEqualTo("IN_REVIEW");
        // now only a human-rights officer decides, and with a decision of their own
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CHANGE\",\"outcome\":\"REFUSE\",\"reason\":\"x\"}").andExpect(status().isForbidden());
        as(UserRole.HUMAN_RIGHTS_OFFICER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"x\"}")
                .andExpect(status().isUnprocessableContent());
        JsonNode decided = json(as(UserRole.HUMAN_RIGHTS_OFFICER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CHANGE\",\"outcome\":\"REFUSE\",\"reason\":\"Good-faith security research is protected\"}")
                .andExpect(status().isOk()));
        assertThat(decided.get("decision").get("outcome").stringValue()).isEqualTo("REFUSE");
        assertThat(decided.get("decision").get("decidedRole").stringValue()).isEqualTo("HUMAN_RIGHTS_OFFICER");
        assertThat(decided.get("timeline").findValuesAsString("action")).contains("ESCALATED", "CHANGED");
    }

    @Test
    void refusedAndTheRequesterSeesWhyButNotTheDeliberation() throws Exception {
        String id = submit(scenario("71-content-without-judge.json"));
        assertThat(engine(id)).isEqualTo("REFUSE");
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals", propose(id, "REFUSE", null)).andExpect(status().isCreated());
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"The order does not cover this period\"}").andExpect(status().isOk());
        JsonNode seen = json(mvc.perform(get("/api/v1/cases/" + id).header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk()));
        assertThat(seen.get("decision").get("outcome").stringValue()).isEqualTo("REFUSE");
        assertThat(seen.get("decision").get("reason").stringValue()).isEqualTo("The order does not cover this period");
        assertThat(seen.get("decision").get("decidedBy").isNull()).isTrue();
        assertThat(seen.get("proposals")).isEmpty();
        assertThat(seen.toString()).doesNotContain(accounts.users.get(UserRole.ANALYST).username());
        // the refusal letter: each reason with its legal basis, as text and as PDF
        String letter = mvc.perform(get("/api/v1/cases/" + id + "/letter").header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(letter).contains("Your request is REFUSED").contains("The order does not cover this period")
                .contains("Authorization by an independent authority: ").doesNotContain("JUDICIAL_AUTHORIZATION")
                .contains("Legal basis: ");
        // the same letter in French: the engine's reason in French too, from the English stored with the assessment
        String french = context.getBean(Letters.class).text(java.util.UUID.fromString(id), java.util.Locale.FRENCH);
        assertThat(french).contains("Autorisation d'une autorité indépendante : Les données relatives au trafic et au "
                + "contenu, ainsi que la collecte en temps réel, exigent une décision préalable d'un juge indépendant")
                .doesNotContain("need a prior order").doesNotContain("Obtain an order").doesNotContain("Your request");
        // and in Spanish, the letter and the staff's page
        String spanish = context.getBean(Letters.class).text(java.util.UUID.fromString(id), java.util.Locale.of("es"));
        assertThat(spanish).startsWith("Habeas — decisión sobre una solicitud de pruebas electrónicas")
                .contains("Su solicitud ha sido DENEGADA.").contains("propuesta por un analista y confirmada por un jurista revisor")
                .contains("Autorización de una autoridad independiente: Los datos de tráfico y de contenido, así como la "
                        + "obtención en tiempo real, exigen una orden previa de un juez independiente")
                .doesNotContain("need a prior order").doesNotContain("Your request");
        String page = mvc.perform(get("/requests/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST))
                .header("Accept-Language", "es")).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("lang=\"es\"").contains("Evaluación").contains("exigen una orden previa de un juez independiente")
                .doesNotContain("need a prior order");
        byte[] pdf = mvc.perform(get("/api/v1/cases/" + id + "/letter").param("format", "pdf")
                        .header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsByteArray();
        assertThat(new String(pdf, 0, 5, StandardCharsets.US_ASCII)).isEqualTo("%PDF-");
        try (var doc = org.apache.pdfbox.Loader.loadPDF(pdf)) {
            String extracted = new org.apache.pdfbox.text.PDFTextStripper().getText(doc);
            assertThat(extracted).contains("REFUSED").contains("Authorization by an independent authority").contains("Legal basis")
                    .doesNotContain("JUDICIAL_AUTHORIZATION");
        }
        // another agency's requester does not even see it exists
        mvc.perform(get("/api/v1/cases/" + id).header("Authorization", "Bearer " + accounts.otherRequesterToken))
                .andExpect(status().isNotFound());
    }

    @Test
    void withdrawnByTheRequesterAfterAQuestion() throws Exception {
        String id = submit(scenario("01-legit-ransomware-traffic-eu.json"));
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/questions", "{\"text\":\"Please send the signed order\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("AWAITING_REQUESTER"));
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals", propose(id, "ACCEPT", "x")).andExpect(status().isConflict());
        as(UserRole.REQUESTER, "/api/v1/cases/" + id + "/answers", "{\"text\":\"Attached\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("IN_REVIEW"));
        as(UserRole.REQUESTER, "/api/v1/cases/" + id + "/withdrawal", "{\"text\":\"The suspect was identified otherwise\"}")
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("WITHDRAWN"));
        assertThat(logged(id).getLast().get("event").stringValue()).isEqualTo("WITHDRAWN");
        as(UserRole.REQUESTER, "/api/v1/cases/" + id + "/withdrawal", "{\"text\":\"again\"}").andExpect(status().isConflict());
        mvc.perform(get("/api/v1/requests").param("status", "WITHDRAWN").param("size", "1000")
                        .header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk())
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                        .string(org.hamcrest.Matchers.containsString(id)));
        assertThat(audit.run().problems()).isEmpty();
    }

    @Test
    void theCasePagesRenderTheRightFormsForEachRole() throws Exception {
        String id = submit(scenario("34-security-researcher-illegal-access.json"));
        String analystPage = page("/requests/" + id, UserRole.ANALYST);
        assertThat(analystPage).contains("id=\"h-case\"").contains("/case/propose").doesNotContain("/case/confirm");
        as(UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals", propose(id, "ESCALATE", null)).andExpect(status().isCreated());
        assertThat(page("/requests/" + id, UserRole.LEGAL_REVIEWER)).contains("/case/confirm").contains("/case/change")
                .doesNotContain("/case/propose");
        assertThat(page("/requests/" + id, UserRole.HUMAN_RIGHTS_OFFICER)).doesNotContain("/case/confirm")
                .doesNotContain("/case/change");
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"for HRO\"}")
                .andExpect(status().isOk());
        assertThat(page("/requests/" + id, UserRole.HUMAN_RIGHTS_OFFICER)).contains("/case/change").contains("Escalated");
        assertThat(page("/requests/" + id, UserRole.LEGAL_REVIEWER)).doesNotContain("/case/change");
        assertThat(page("/requests/" + id, UserRole.OVERSIGHT)).contains("Escalated to a human-rights officer")
                .doesNotContain(">ESCALATED<").doesNotContain("/case/");
        String portal = page("/portal/requests/" + id, UserRole.REQUESTER);
        assertThat(portal).contains("id=\"case-state\"").contains("/withdraw").doesNotContain("ESCALATED");
        as(UserRole.HUMAN_RIGHTS_OFFICER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CHANGE\",\"outcome\":\"REFUSE\",\"reason\":\"Protected research\"}").andExpect(status().isOk());
        assertThat(page("/portal/requests/" + id, UserRole.REQUESTER)).contains("<strong>Refuse</strong>").contains("/letter");
        assertThat(page("/requests/" + id, UserRole.ANALYST)).contains("Decided:").doesNotContain("Against the engine").doesNotContain("Execute:");
    }

    /** Words of the pages as they read in English, none of which may be left on a page shown in Spanish. */
    private static final List<String> ENGLISH_WORDS = List.of("Requests", "Sign out", "Skip to content", "Search", "Filter",
            "Status", "Assessment", "Reason", "Outcome", "Propose", "Timeline", "Register", "Revoke", "Access record", "Users",
            "Agencies", "Not assigned", "Legal basis", "Receipt", "Targets", "Send", "Subscriber data", "Refuses", "must",
            "The request", "Your agency", "New request", "Encryption key", "Pre-check");

    @Test
    void theStaffAdminAndPortalPagesReadInSpanish() throws Exception {
        String id = submit(scenario("71-content-without-judge.json"));
        String[][] pages = {{"/requests", "ANALYST"}, {"/requests/" + id, "ANALYST"}, {"/admin/users", "ADMIN"},
                {"/admin/agencies", "ADMIN"}, {"/admin/agencies/" + accounts.agencyA.id(), "ADMIN"}, {"/access", "ADMIN"},
                {"/account", "ANALYST"}, {"/portal", "REQUESTER"}, {"/portal/new", "REQUESTER"},
                {"/portal/requests/" + id, "REQUESTER"}, {"/notifications", "REQUESTER"}};
        for (String[] p : pages) {
            String html = mvc.perform(get(p[0]).header("Authorization", accounts.bearer(UserRole.valueOf(p[1])))
                    .header("Accept-Language", "es")).andExpect(status().isOk()).andReturn().getResponse()
                    .getContentAsString(StandardCharsets.UTF_8);
            assertThat(html).as(p[0]).contains("<html lang=\"es\"");
            // the page's words: without what people and the law wrote (facts, JSON, codes, names of the test accounts)
            String text = html.replaceAll("(?s)<(script|style|code|pre|textarea)\\b.*?</\\1>", " ")
                    .replaceAll("(?s)<[^>]*class=\"[^\"]*facts[^\"]*\"[^>]*>.*?</[a-z]+>", " ")
                    .replaceAll("(?s)<[^>]+>", " ").replace("Test Legal reviewer", "").replace("Test ", "");
            List<String> left = ENGLISH_WORDS.stream().filter(w -> java.util.regex.Pattern.compile("\\b" + w + "\\b",
                    java.util.regex.Pattern.UNICODE_CHARACTER_CLASS).matcher(text).find()).toList();
            assertThat(left).as("English words on " + p[0] + " in Spanish:\n" + text.replaceAll("\\s+", " ")).isEmpty();
        }
    }

    private String page(String path, UserRole role) throws Exception {
        return mvc.perform(get(path).header("Authorization", accounts.bearer(role))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    @Test
    void theProposerCannotDecideTheirOwnProposalEvenAfterChangingRole() throws Exception {
        // a second analyst, who will later be made a legal reviewer
        var users = context.getBean(org.habeas.accounts.Users.class);
        var tokens = context.getBean(org.habeas.accounts.Tokens.class);
        var analyst = users.createWithCredentials("switch-" + UUID.randomUUID().toString().substring(0, 6), "Switching analyst",
                UserRole.ANALYST, null, TestAccounts.PASSWORD, null);
        String token = "Bearer " + tokens.issueForUser(analyst, "t", java.time.Duration.ofDays(1), "test").value();
        String id = submit(scenario("01-legit-ransomware-traffic-eu.json"));
        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", token)
                .contentType(MediaType.APPLICATION_JSON).content(propose(id, "REFUSE", null))).andExpect(status().isCreated());
        mvc.perform(patch("/api/v1/users/" + analyst.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"LEGAL_REVIEWER\"}")).andExpect(status().isAccepted());
        // a second administrator approves the role (four eyes for access)
        var grants = context.getBean(org.habeas.accounts.AccessGrants.class);
        var secondAdmin = users.createWithCredentials("admin-" + UUID.randomUUID().toString().substring(0, 6),
                "Second administrator", UserRole.ADMIN, null, TestAccounts.PASSWORD, null);
        grants.approve(grants.pending().stream().filter(g -> g.userId().equals(analyst.id())).findFirst().orElseThrow().id(),
                secondAdmin.caller());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", token)
                        .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"mine\"}"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("four eyes: the proposer cannot decide on their own proposal"));
        as(UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision", "{\"action\":\"CONFIRM\",\"reason\":\"ok\"}")
                .andExpect(status().isOk());
    }
}
