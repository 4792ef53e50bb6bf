package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.CallbackNumber;
import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * What a requesting agency is shown of the staff who handle its request: their roles, never their user names, and
 * never the staff's internal notes — in the request's API representation, the list, the case and the portal page.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class RequesterViewsContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    Agencies agencies;

    @Test
    void requestersSeeStaffRolesNotUserNamesAndNoInternalNotes() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        String analyst = a.users.get(UserRole.ANALYST).username();
        String note = "internal-" + UUID.randomUUID() + ": the duty officer sounded unsure";
        // an emergency received by telephone, registered by an analyst on the agency's behalf
        String body = Samples.demo("04-gb-kidnap-emergency.json")
                .replace("\"reference\": \"", "\"reference\": \"RV" + UUID.randomUUID().toString().substring(0, 6) + "-");
        String location = mvc.perform(post("/api/v1/requests").param("onBehalfOf", a.agencyA.id().toString())
                        .header("Authorization", a.bearer(UserRole.ANALYST)).contentType(MediaType.APPLICATION_JSON)
                        .content(body))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        CallbackNumber number = agencies.addCallbackNumber(a.agencyA.id(), "+33 1 40 00 00 01", "Switchboard", "test");
        mvc.perform(post("/api/v1/requests/" + id + "/callbacks").header("Authorization", a.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"numberId\":\"" + number.id() + "\",\"outcome\":\"CONFIRMED\",\"note\":\"" + note + "\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/questions").header("Authorization", a.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON).content("{\"text\":\"Which account exactly?\"}"))
                .andExpect(status().isOk());

        String requester = a.bearer(UserRole.REQUESTER);
        mvc.perform(get("/api/v1/requests/" + id).header("Authorization", requester)).andExpect(status().isOk())
                .andExpect(jsonPath("$.sender.submittedBy").value("Analyst"))
                .andExpect(jsonPath("$.verification.callbacks[0].calledBy").value("Analyst"))
                .andExpect(jsonPath("$.verification.callbacks[0].note").doesNotExist());
        for (String path : new String[] {"/api/v1/requests/" + id, "/api/v1/requests?size=1000", "/api/v1/cases/" + id,
                "/portal/requests/" + id}) {
            String seen = mvc.perform(get(path).header("Authorization", requester)).andExpect(status().isOk())
                    .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
            assertThat(seen).as(path).doesNotContain(analyst).doesNotContain(note);
        }
        // staff still see who did what, and the note
        mvc.perform(get("/api/v1/requests/" + id).header("Authorization", a.bearer(UserRole.LEGAL_REVIEWER)))
                .andExpect(jsonPath("$.sender.submittedBy").value(analyst))
                .andExpect(jsonPath("$.verification.callbacks[0].calledBy").value(analyst))
                .andExpect(jsonPath("$.verification.callbacks[0].note").value(note));
    }
}
