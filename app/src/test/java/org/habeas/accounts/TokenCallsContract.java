package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.habeas.support.StatementCounter;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * API calls with a bearer token, run once per database: the token acts as its user with the user's role and state
 * as they are at that call, and is refused (401 problem+json) the moment it is revoked or expires or its user is
 * disabled. Checking a token is one query.
 */
@SpringBootTest
@ActiveProfiles("test")
@Import(StatementCounter.Wrapping.class)
public abstract class TokenCallsContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Users users;

    @Autowired
    Tokens tokens;

    MockMvc mvc;
    User user;
    Tokens.Issued issued;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        user = users.createWithCredentials("token-user-" + UUID.randomUUID().toString().substring(0, 8), "Token User",
                UserRole.ANALYST, null, "correct horse battery staple", Totp.newSecret(new SecureRandom()));
        issued = tokens.issueForUser(user, "calls", Duration.ofDays(1), user.username());
    }

    private String bearer() {
        return "Bearer " + issued.value();
    }

    private void refused() throws Exception {
        mvc.perform(get("/api/v1/me").header("Authorization", bearer()))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer error=\"invalid_token\""))
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.errors[0].header").value("Authorization"));
    }

    @Test
    void aTokenActsAsItsUserWithTheRoleTheUserHasAtThatCall() throws Exception {
        mvc.perform(get("/api/v1/me").header("Authorization", bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.userId").value(user.id().toString()))
                .andExpect(jsonPath("$.name").value(user.username()))
                .andExpect(jsonPath("$.role").value("ANALYST"));
        jdbc.sql("update accounts_user set role = 'OVERSIGHT' where id = :id").param("id", user.id()).update();
        mvc.perform(get("/api/v1/me").header("Authorization", bearer()))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.role").value("OVERSIGHT"));
        assertThat(jdbc.sql("select last_used_at from accounts_token where id = :id").param("id", issued.token().id())
                .query().singleValue()).isNotNull();
    }

    @Test
    void aTokenIsRefusedOnceItsUserIsDisabled() throws Exception {
        mvc.perform(get("/api/v1/me").header("Authorization", bearer())).andExpect(status().isOk());
        jdbc.sql("update accounts_user set disabled = true where id = :id").param("id", user.id()).update();
        refused();
    }

    @Test
    void aTokenIsRefusedOnceRevokedOrExpired() throws Exception {
        mvc.perform(get("/api/v1/me").header("Authorization", bearer())).andExpect(status().isOk());
        tokens.revoke(issued.token().id(), user.caller());
        refused();

        issued = tokens.issueForUser(user, "expiring", Duration.ofDays(1), user.username());
        mvc.perform(get("/api/v1/me").header("Authorization", bearer())).andExpect(status().isOk());
        jdbc.sql("update accounts_token set expires_at = :past where id = :id")
                .param("past", Agencies.utc(Instant.now().minusSeconds(1))).param("id", issued.token().id()).update();
        refused();
    }

    @Test
    void anUnknownTokenIsRefused() throws Exception {
        issued = new Tokens.Issued(issued.token(), Tokens.PREFIX + "not-a-token-anyone-was-given");
        refused();
    }

    @Test
    void checkingATokenIsOneQuery() {
        assertThat(tokens.authenticate(issued.value())).isPresent(); // the first call also notes when it was used
        StatementCounter.start();
        var caller = tokens.authenticate(issued.value());
        StatementCounter.Counts counts = StatementCounter.stop();
        assertThat(caller).map(Caller::userId).contains(user.id());
        assertThat(counts.statements()).as(counts.sql().toString()).isEqualTo(1);
    }
}
