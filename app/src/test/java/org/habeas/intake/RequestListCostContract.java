package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.CaseSteps;
import org.habeas.support.StatementCounter;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A list of requests costs a fixed number of SQL statements, whatever its length and whatever the agency's
 * history: every part of a representation is read for the whole page at once. And a page shows each request
 * exactly as its own GET does. Run once per database (see the subclasses).
 */
@SpringBootTest(properties = "habeas.ledger.checkpoint-interval=1h")
@AutoConfigureMockMvc
@ActiveProfiles("test")
@Import(StatementCounter.Wrapping.class)
abstract class RequestListCostContract {

    /** Statements a list may issue, of any length. */
    static final int PAGE_STATEMENTS = 40;

    @Autowired
    MockMvc mvc;

    @Autowired
    ApplicationContext context;

    @Autowired
    Intake intake;

    @Autowired
    List<RequestExtension> extensions;

    final JsonMapper json = JsonMapper.builder().build();

    @Test
    void aListCostsTheSameStatementsWhateverItsLengthAndTheAgencysHistory() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        history(accounts, 12);
        for (UserRole role : List.of(UserRole.REQUESTER, UserRole.ANALYST)) {
            String token = accounts.bearer(role);
            Map<Integer, Long> bySize = new LinkedHashMap<>();
            for (int size : new int[] {1, 4, 12}) {
                bySize.put(size, listed(token, size).statements());
            }
            System.out.println("list statements by page size, " + role + ": " + bySize);
            assertThat(bySize.values()).as("statements of a list by its length, " + role).containsOnly(bySize.get(1));
            assertThat(bySize.get(1)).isLessThanOrEqualTo(PAGE_STATEMENTS);

            // more history changes nothing
            Sender sender = new Sender(accounts.agencyA.id(), "history", "UNSIGNED", null);
            for (int i = 0; i < 40; i++) {
                intake.receive(refused().getBytes(StandardCharsets.UTF_8), null, sender);
            }
            // never more; one fewer when the page no longer holds an e-Evidence order (no query for form signatures)
            assertThat(listed(token, 12).statements()).as("after 40 more refusals, " + role)
                    .isBetween(bySize.get(1) - 1, bySize.get(1));
            assertThat(listed(token, 50).statements()).as("a page of 50, " + role).isEqualTo(bySize.get(1));
        }
    }

    @Test
    void theRequestsPageCostsTheSameStatementsWhateverItsLength() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        CaseSteps steps = new CaseSteps(mvc, accounts);
        String mark = "PAGE-" + UUID.randomUUID().toString().substring(0, 8);
        String staff = accounts.bearer(UserRole.ANALYST);
        Map<Integer, Long> byLength = new LinkedHashMap<>();
        int filed = 0;
        for (int length : new int[] {1, 4, 12}) {
            for (; filed < length; filed++) {
                ObjectNode r = Samples.production();
                r.put("reference", mark + "-" + filed);
                MvcResult created = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .contentType(org.springframework.http.MediaType.APPLICATION_JSON).content(Samples.json(r)))
                        .andReturn();
                assertThat(created.getResponse().getStatus()).isEqualTo(201);
                if (filed % 3 == 0) {
                    String location = created.getResponse().getHeader("Location");
                    steps.decide(location.substring(location.lastIndexOf('/') + 1), "REFUSE");
                }
            }
            // a token's use is recorded at most once a minute: one call first, so that the measured one is like any other
            mvc.perform(get("/requests?q=" + mark).header("Authorization", staff)).andReturn();
            StatementCounter.start();
            MvcResult page = mvc.perform(get("/requests?q=" + mark).header("Authorization", staff)).andReturn();
            StatementCounter.Counts c = StatementCounter.stop();
            assertThat(page.getResponse().getStatus()).isEqualTo(200);
            String html = page.getResponse().getContentAsString(StandardCharsets.UTF_8);
            for (int i = 0; i < length; i++) {
                assertThat(html).contains(mark + "-" + i + "<");
            }
            byLength.put(length, c.statements());
        }
        System.out.println("requests page statements by its length: " + byLength);
        assertThat(byLength.values()).as("statements of the requests page by its length").containsOnly(byLength.get(1));
        assertThat(byLength.get(1)).isLessThanOrEqualTo(PAGE_STATEMENTS);
    }

    @Test
    void aRequestsPageAndItsGetReadTheCasesTimelineOnce() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        String id = new CaseSteps(mvc, accounts).submit("01-legit-ransomware-traffic-eu.json");
        MvcResult asked = mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post("/api/v1/cases/" + id + "/questions").header("Authorization", accounts.bearer(UserRole.ANALYST))
                .contentType(org.springframework.http.MediaType.APPLICATION_JSON)
                .content("{\"text\":\"Please send the court's order.\"}")).andReturn();
        assertThat(asked.getResponse().getStatus()).isEqualTo(200);
        for (String path : List.of("/requests/" + id, "/api/v1/requests/" + id)) {
            StatementCounter.start();
            MvcResult r = mvc.perform(get(path).header("Authorization", accounts.bearer(UserRole.ANALYST))).andReturn();
            StatementCounter.Counts c = StatementCounter.stop();
            assertThat(r.getResponse().getStatus()).isEqualTo(200);
            assertThat(r.getResponse().getContentAsString(StandardCharsets.UTF_8)).contains("Please send the court");
            List<String> timeline = c.sql().stream().filter(sql -> sql.toLowerCase(java.util.Locale.ROOT)
                    .contains("casework_event")).toList();
            assertThat(timeline).as("statements reading the timeline for " + path).hasSize(1);
        }
    }

    @Test
    void aPageShowsEachRequestAsItsOwnGetDoes() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        history(accounts, 10);
        for (UserRole role : List.of(UserRole.REQUESTER, UserRole.ANALYST)) {
            String token = accounts.bearer(role);
            MvcResult list = mvc.perform(get("/api/v1/requests?size=10").header("Authorization", token)).andReturn();
            assertThat(list.getResponse().getStatus()).isEqualTo(200);
            JsonNode items = json.readTree(list.getResponse().getContentAsString()).path("items");
            assertThat(items.size()).isEqualTo(10);
            List<String> kinds = new ArrayList<>();
            for (JsonNode item : items) {
                MvcResult one = mvc.perform(get("/api/v1/requests/" + item.path("id").stringValue())
                        .header("Authorization", token)).andReturn();
                assertThat(one.getResponse().getStatus()).isEqualTo(200);
                JsonNode alone = json.readTree(one.getResponse().getContentAsString());
                assertThat(item).as("list item %s as %s", item.path("id"), role).isEqualTo(alone);
                kinds.add(item.path("case").path("state").stringValue());
            }
            // the page covers cases in several states, decided ones among them
            assertThat(kinds).contains("DECIDED").hasSizeGreaterThan(1);
            assertThat(new java.util.HashSet<>(kinds)).hasSizeGreaterThan(1);
        }
    }

    @Test
    void everyExtensionGivesForAPageWhatItGivesForEachRequest() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        history(accounts, 4);
        List<ReceivedRequest> page = intake.list(RequestQuery.firstPage(10)).items();
        assertThat(page).hasSize(10);
        for (RequestExtension e : extensions) {
            Map<UUID, Object> batch = e.forRequests(page);
            for (ReceivedRequest r : page) {
                JsonNode batched = json.valueToTree(batch.get(r.id()));
                JsonNode single = json.valueToTree(e.forRequest(r.id()).orElse(null));
                assertThat(batched).as("%s of %s", e.name(), r.id()).isEqualTo(single);
            }
        }
    }

    /** Agency A's requests of several kinds: refused, accepted, decided by four eyes. */
    private void history(TestAccounts accounts, int n) throws Exception {
        CaseSteps steps = new CaseSteps(mvc, accounts);
        for (int i = 0; i < n; i++) {
            String id = steps.submit(i % 2 == 0 ? "40-es-protesta.json" : "01-legit-ransomware-traffic-eu.json");
            if (i % 3 == 0) {
                steps.decide(id, "REFUSE");
            }
        }
    }

    private StatementCounter.Counts listed(String token, int size) throws Exception {
        StatementCounter.start();
        MvcResult r = mvc.perform(get("/api/v1/requests?size=" + size).header("Authorization", token)).andReturn();
        StatementCounter.Counts c = StatementCounter.stop();
        assertThat(r.getResponse().getStatus()).isEqualTo(200);
        assertThat(json.readTree(r.getResponse().getContentAsString()).path("items").size()).isEqualTo(size);
        return c;
    }

    private String refused() throws java.io.IOException {
        ObjectNode r = (ObjectNode) json.readTree(Files.readString(Path.of("../scenarios/40-es-protesta.json")));
        r.put("reference", "HIST-" + UUID.randomUUID());
        return Samples.json(r);
    }
}
