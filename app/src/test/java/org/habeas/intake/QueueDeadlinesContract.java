package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.casework.Deadlines;
import org.habeas.support.CaseSteps;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.node.ObjectNode;

/**
 * The queue's deadline filters and orders, once per database: "overdue" lists the undecided requests whose
 * response deadline has passed, "due within N days" those whose deadline falls in the next N days (not those
 * overdue, nor the decided); the queue sorts by deadline (soonest first, requests without a running clock last),
 * by status (the case's progress) and by when received.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class QueueDeadlinesContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Deadlines deadlines;

    @Test
    void theQueueFiltersAndSortsByDeadline() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts accounts = TestAccounts.of(context);
        String prefix = "Q" + UUID.randomUUID().toString().substring(0, 8);
        List<String> ids = new ArrayList<>();
        for (String letter : List.of("A", "B", "C", "D")) {
            ObjectNode r = Samples.production();
            r.put("reference", prefix + "-" + letter);
            String location = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                    .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andExpect(status().isCreated())
                    .andReturn().getResponse().getHeader("Location");
            ids.add(location.substring(location.lastIndexOf('/') + 1));
        }
        Deadlines.Due first = deadlines.clocks(UUID.fromString(ids.get(0))).stream()
                .filter(d -> d.kind().equals("RESPONSE")).findFirst().orElseThrow();
        Instant received = jdbc.sql("select received_at from intake_request where id = :id")
                .param("id", UUID.fromString(ids.get(0))).query(java.time.OffsetDateTime.class).single().toInstant();
        Duration allowed = Duration.between(received, first.dueAt());
        assertThat(allowed).as("the sample's instrument gives more than two days").isGreaterThan(Duration.ofDays(3));
        Instant now = Instant.now();
        // A: its deadline passed a day ago; B: due in a day; C: just received; D: decided, its clock stopped
        receivedAt(ids.get(0), now.minus(allowed).minus(Duration.ofDays(1)));
        receivedAt(ids.get(1), now.minus(allowed).plus(Duration.ofDays(1)));
        receivedAt(ids.get(3), now.minus(allowed).minus(Duration.ofDays(5)));
        new CaseSteps(mvc, accounts).decide(ids.get(3), "ACCEPT");

        String analyst = accounts.bearer(UserRole.ANALYST);
        assertThat(queue(mvc, analyst, prefix, "&due=overdue")).containsExactly(prefix + "-A");
        assertThat(queue(mvc, analyst, prefix, "&due=2")).containsExactly(prefix + "-B");
        // newest first unless asked otherwise
        assertThat(queue(mvc, analyst, prefix, "&due=366")).containsExactly(prefix + "-C", prefix + "-B");
        assertThat(queue(mvc, analyst, prefix, "&due=overdue&sort=DEADLINE")).containsExactly(prefix + "-A");
        assertThat(queue(mvc, analyst, prefix, "&sort=DEADLINE"))
                .containsExactly(prefix + "-A", prefix + "-B", prefix + "-C", prefix + "-D");
        assertThat(queue(mvc, analyst, prefix, "&sort=STATUS"))
                .containsExactly(prefix + "-A", prefix + "-B", prefix + "-C", prefix + "-D");
        assertThat(queue(mvc, analyst, prefix, "&sort=OLDEST"))
                .containsExactly(prefix + "-D", prefix + "-A", prefix + "-B", prefix + "-C");
        assertThat(queue(mvc, analyst, prefix, "&sort=NEWEST"))
                .containsExactly(prefix + "-C", prefix + "-B", prefix + "-A", prefix + "-D");
        // a value that is no deadline filter filters nothing, and the page says which filter it shows
        assertThat(queue(mvc, analyst, prefix, "&due=soon")).hasSize(4);
        String page = mvc.perform(get("/requests?q=" + prefix + "&due=2").header("Authorization", analyst))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("<option value=\"2\" selected=\"selected\">Due within 48 hours</option>")
                .contains("1 request<");

        // the API takes the same deadline filter, and names the parameter it cannot read
        assertThat(api(mvc, analyst, prefix, "due=overdue")).containsExactly(prefix + "-A");
        assertThat(api(mvc, analyst, prefix, "due=2")).containsExactly(prefix + "-B");
        assertThat(api(mvc, analyst, prefix, "due=366")).containsExactly(prefix + "-C", prefix + "-B");
        assertThat(api(mvc, analyst, prefix, "page=0")).hasSize(4);
        String problem = mvc.perform(get("/api/v1/requests?due=soon").header("Authorization", analyst))
                .andExpect(status().isBadRequest()).andReturn().getResponse().getContentAsString();
        assertThat(problem).contains("\"due\"");
    }

    /** The references {@code GET /api/v1/requests} lists with these parameters, in its order. */
    private static List<String> api(MockMvc mvc, String bearer, String prefix, String parameters) throws Exception {
        String json = mvc.perform(get("/api/v1/requests?size=1000&" + parameters).header("Authorization", bearer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"reference\"\\s*:\\s*\"(" + prefix + "-[A-D])\"").matcher(json);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }

    private void receivedAt(String id, Instant at) {
        assertThat(jdbc.sql("update intake_request set received_at = :at where id = :id")
                .param("at", at.atOffset(ZoneOffset.UTC)).param("id", UUID.fromString(id)).update()).isEqualTo(1);
    }

    /** The references the queue lists, in its order. */
    private static List<String> queue(MockMvc mvc, String bearer, String prefix, String filters) throws Exception {
        String html = mvc.perform(get("/requests?q=" + prefix + filters).header("Authorization", bearer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        List<String> out = new ArrayList<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(">(" + prefix + "-[A-D])</a>").matcher(html);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
