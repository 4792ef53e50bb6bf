package org.habeas.transparency;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;

import org.habeas.accounts.UserRole;
import org.habeas.support.CaseSteps;
import org.habeas.support.MutableClock;
import org.habeas.support.TestClock;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * A report is published only for a closed period that has entries in the log, or for the period right after the
 * last published one: never for a period the log knows nothing of, such as {@code 0000-H1}.
 */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.test.clock-start=2026-03-02T09:00:00Z"})
@ActiveProfiles("test")
class PublicationRulesTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    MutableClock clock;

    @Autowired
    WebApplicationContext context;

    @Test
    void onlyAClosedPeriodWithEntriesOrTheOneAfterTheLastPublishedIsPublished() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts accounts = TestAccounts.of(context);
        new CaseSteps(mvc, accounts).submit("01-legit-ransomware-traffic-eu.json"); // an entry in 2026-H1
        String admin = accounts.bearer(UserRole.ADMIN);

        publish(mvc, admin, "2026-H1").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("not closed yet")));
        clock.advance(Duration.ofDays(122)); // 2026-07-02: 2026-H1 is closed
        publish(mvc, admin, "0000-H1").andExpect(status().isConflict())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("no entry in 0000-H1")));
        publish(mvc, admin, "2025-H2").andExpect(status().isConflict());
        publish(mvc, admin, "2026-H1").andExpect(status().isCreated());
        clock.advance(Duration.ofDays(190)); // 2027-01-08: 2026-H2, without entries of its own, is closed
        publish(mvc, admin, "2025-H1").andExpect(status().isConflict())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("2026-H1")));
        publish(mvc, admin, "2026-H2").andExpect(status().isCreated()); // it follows the last published one
        publish(mvc, admin, "2026-H2").andExpect(status().isConflict());
    }

    private static ResultActions publish(MockMvc mvc, String bearer, String period) throws Exception {
        return mvc.perform(post("/api/v1/reports/" + period + "/publication").header("Authorization", bearer));
    }
}
