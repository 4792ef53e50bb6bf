package org.habeas.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** The steps of a case through the API, as tests take them: file a scenario, decide it with four eyes. */
public final class CaseSteps {

    private final MockMvc mvc;
    private final TestAccounts accounts;
    private final JdbcClient jdbc;

    public CaseSteps(MockMvc mvc, TestAccounts accounts) {
        this(mvc, accounts, null);
    }

    private CaseSteps(MockMvc mvc, TestAccounts accounts, JdbcClient jdbc) {
        this.mvc = mvc;
        this.accounts = accounts;
        this.jdbc = jdbc;
    }

    /** The steps on a context's API through MockMvc with its security filters, as the context's test accounts. */
    public static CaseSteps of(WebApplicationContext context) {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        return new CaseSteps(mvc, TestAccounts.of(context), context.getBean(JdbcClient.class));
    }

    public MockMvc mvc() {
        return mvc;
    }

    public TestAccounts accounts() {
        return accounts;
    }

    /** A JSON body posted to {@code path} with {@code bearer}. */
    public ResultActions send(String bearer, String path, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", bearer)
                .contentType(MediaType.APPLICATION_JSON).content(body));
    }

    /** The body of the page (or JSON document) at {@code path}, which must answer 200. */
    public String page(String path, String bearer) throws Exception {
        return mvc.perform(get(path).header("Authorization", bearer)).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    /** A count query with the request's id as parameter {@code :r}. */
    public long count(String sql, String id) {
        return jdbc.sql(sql).param("r", UUID.fromString(id)).query(Long.class).single();
    }

    /** Files a scenario of {@code scenarios/} as agency A's requester, under a fresh reference; returns its id. */
    public String submit(String file) throws Exception {
        String body = Files.readString(Path.of("..", "scenarios", file), StandardCharsets.UTF_8)
                .replaceFirst("\"reference\": \"", "\"reference\": \"T-" + UUID.randomUUID().toString().substring(0, 6) + "-");
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** The analyst proposes {@code outcome} (with a justification, in case it goes against the engine); a legal reviewer confirms. */
    public void decide(String id, String outcome) throws Exception {
        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", accounts.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"outcome\":\"" + outcome + "\",\"reason\":\"r\",\"justification\":\"j\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", accounts.bearer(UserRole.LEGAL_REVIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"r\"}"))
                .andExpect(status().isOk());
    }
}
