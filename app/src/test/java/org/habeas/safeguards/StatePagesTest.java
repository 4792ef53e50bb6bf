package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import org.habeas.accounts.UserRole;
import org.habeas.support.CaseSteps;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/** The request page links each state to what Habeas holds about it, as of the day the request was received. */
@SpringBootTest
@ActiveProfiles("test")
class StatePagesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    WebApplicationContext context;

    @Test
    void theRequestPageLinksToTheStateViewWithItsSources() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        String id = new CaseSteps(mvc, a).submit("03-legit-csam-content-budapest.json");

        String page = mvc.perform(get("/requests/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).containsPattern("href=\"/law/states/US\\?on=\\d{4}-\\d{2}-\\d{2}\"")
                .containsPattern("href=\"/law/states/NL\\?on=\\d{4}-\\d{2}-\\d{2}\"");

        String state = mvc.perform(get("/law/states/HU").param("on", "2026-12-01")
                .header("Authorization", a.bearer(UserRole.OVERSIGHT)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(state).contains("Hungary").contains("Freedom on the Net 2025: partly free (69/100)")
                .contains("not high-risk").contains("FH-FIW26").contains("BUDAPEST_2AP").contains("states.yaml");

        String china = mvc.perform(get("/law/states/CN").param("on", "2026-12-01")
                .header("Authorization", a.bearer(UserRole.HUMAN_RIGHTS_OFFICER)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(china).contains("high-risk: a human-rights officer reviews its requests");

        String kosovo = mvc.perform(get("/law/states/XK").param("on", "2026-12-01")
                .header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(kosovo).contains("Kosovo").contains("Freedom in the World 2026: partly free (61/100)");
        mvc.perform(get("/law/states/XX").header("Authorization", a.bearer(UserRole.ANALYST))).andExpect(status().isNotFound());
        mvc.perform(get("/law/states/HU").param("on", "someday").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isNotFound());
        mvc.perform(get("/law/states/HU").header("Authorization", a.bearer(UserRole.REQUESTER))).andExpect(status().isForbidden());
    }
}
