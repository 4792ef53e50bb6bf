package org.habeas.support;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;

/** The steps of a case through the API, as tests take them: file a scenario, decide it with four eyes. */
public final class CaseSteps {

    private final MockMvc mvc;
    private final TestAccounts accounts;

    public CaseSteps(MockMvc mvc, TestAccounts accounts) {
        this.mvc = mvc;
        this.accounts = accounts;
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
