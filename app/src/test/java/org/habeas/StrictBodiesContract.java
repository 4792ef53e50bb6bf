package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.CallbackNumber;
import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.json.JsonMapper;

/**
 * The accounts, access-grant and call-back bodies are read as the request and casework bodies are (I-JSON,
 * RFC 7493, at the door), run once per database: a member named twice is 400; an unknown member, a value of the
 * wrong type, a lone surrogate, a noncharacter or a NUL is a 422 problem+json naming the field by its JSON
 * Pointer; and a refused body changes nothing.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class StrictBodiesContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Agencies agencies;

    MockMvc mvc;
    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = TestAccounts.of(context);
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    private MockHttpServletRequestBuilder as(UserRole role, MockHttpServletRequestBuilder call, String body) {
        return call.header("Authorization", accounts.bearer(role)).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    /** Every body is refused with 422 naming {@code pointer}; {@code null} expects 400 (not I-JSON at all). */
    private void refused(UserRole role, String method, String path, String pointer, String... bodies) throws Exception {
        for (String body : bodies) {
            MockHttpServletRequestBuilder call = method.equals("PATCH") ? patch(path) : post(path);
            var r = mvc.perform(as(role, call, body));
            if (pointer == null) {
                r.andExpect(status().isBadRequest()).andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));
            } else {
                r.andExpect(status().isUnprocessableContent())
                        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                        .andExpect(jsonPath("$.errors[0].pointer").value(pointer));
            }
        }
    }

    /** A body holding a lone surrogate is not Unicode text: 400, naming where the surrogate is. */
    private void unreadable(UserRole role, String method, String path, String pointer, String... bodies) throws Exception {
        for (String body : bodies) {
            MockHttpServletRequestBuilder call = method.equals("PATCH") ? patch(path) : post(path);
            mvc.perform(as(role, call, body)).andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].pointer").value(pointer))
                    .andExpect(jsonPath("$.errors[0].detail").value(org.hamcrest.Matchers.containsString("lone surrogate")));
        }
    }

    private long count(String table) {
        return jdbc.sql("select count(*) from " + table).query(Long.class).single();
    }

    @Test
    void agencyBodiesAreReadStrictlyAndARefusedOneRegistersNothing() throws Exception {
        long agenciesBefore = count("accounts_agency");
        String agencies = "/api/v1/agencies";
        refused(UserRole.ADMIN, "POST", agencies, null,
                "{\"name\":\"Twice\",\"name\":\"Again\",\"state\":\"FR\",\"kind\":\"POLICE\"}");
        refused(UserRole.ADMIN, "POST", agencies, "/surprise",
                "{\"name\":\"Extra\",\"state\":\"FR\",\"kind\":\"POLICE\",\"surprise\":true}");
        unreadable(UserRole.ADMIN, "POST", agencies, "/name",
                "{\"name\":\"Lone \\uD800 surrogate\",\"state\":\"FR\",\"kind\":\"POLICE\"}");
        refused(UserRole.ADMIN, "POST", agencies, "/name",
                "{\"name\":\"Non\\uFFFEcharacter\",\"state\":\"FR\",\"kind\":\"POLICE\"}",
                "{\"name\":\"N\\u0000UL\",\"state\":\"FR\",\"kind\":\"POLICE\"}",
                "{\"name\":42,\"state\":\"FR\",\"kind\":\"POLICE\"}");
        refused(UserRole.ADMIN, "POST", agencies, "/emailDomains",
                "{\"name\":\"Domains\",\"state\":\"FR\",\"kind\":\"POLICE\",\"emailDomains\":\"a.example\"}");
        refused(UserRole.ADMIN, "POST", agencies, "/emailDomains/0",
                "{\"name\":\"Domains\",\"state\":\"FR\",\"kind\":\"POLICE\",\"emailDomains\":[\"a\\uFDD0.example\"]}");
        assertThat(count("accounts_agency")).isEqualTo(agenciesBefore);

        String agency = agencies + "/" + accounts.agencyA.id();
        refused(UserRole.ADMIN, "POST", agency + "/status", "/reason", "{\"status\":\"SUSPENDED\",\"reason\":\"x\"}");
        refused(UserRole.ADMIN, "POST", agency + "/status", "/status", "{\"status\":[\"SUSPENDED\"]}");
        refused(UserRole.ADMIN, "POST", agency + "/two-factor", "/required",
                "{\"required\":\"false\"}", "{\"required\":0}");
        refused(UserRole.ADMIN, "POST", agency + "/two-factor", null, "{\"required\":true,\"required\":false}");
        long numbersBefore = count("accounts_callback_number");
        refused(UserRole.ADMIN, "POST", agency + "/callback-numbers", "/number",
                "{\"number\":33140000000,\"label\":\"Switchboard\"}");
        refused(UserRole.ADMIN, "POST", agency + "/callback-numbers", "/label",
                "{\"number\":\"+33 1 40 00 00 00\",\"label\":\"Switch\\u0000board\"}");
        refused(UserRole.ADMIN, "POST", agency + "/callback-numbers", "/verified",
                "{\"number\":\"+33 1 40 00 00 00\",\"label\":\"Switchboard\",\"verified\":true}");
        assertThat(count("accounts_callback_number")).isEqualTo(numbersBefore);
        long keysBefore = count("accounts_agency_key");
        String key = "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"x\":\"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo\",\"kid\":\"%s\"}";
        refused(UserRole.ADMIN, "POST", agency + "/keys", "/jwk",
                key.formatted("k1").replace("\"kid\"", "\"kty\":\"EC\",\"kid\""));
        unreadable(UserRole.ADMIN, "POST", agency + "/keys", "/kid", key.formatted("k\\uD83D"));
        refused(UserRole.ADMIN, "POST", agency + "/keys", "/kid", key.formatted("k\\u0000"));
        assertThat(count("accounts_agency_key")).isEqualTo(keysBefore);
        // the agency is as it was
        assertThat(this.agencies.find(accounts.agencyA.id()).orElseThrow().status().name()).isEqualTo("ACTIVE");
    }

    @Test
    void userAndTokenBodiesAreReadStrictlyAndARefusedOneAsksForNoGrant() throws Exception {
        long grantsBefore = count("accounts_grant");
        long usersBefore = count("accounts_user");
        String name = "strict-" + UUID.randomUUID().toString().substring(0, 8);
        refused(UserRole.ADMIN, "POST", "/api/v1/users", "/agencyId",
                "{\"username\":\"" + name + "\",\"displayName\":\"S\",\"role\":\"REQUESTER\",\"agencyId\":\"agency-a\"}",
                "{\"username\":\"" + name + "\",\"displayName\":\"S\",\"role\":\"REQUESTER\",\"agencyId\":7}");
        refused(UserRole.ADMIN, "POST", "/api/v1/users", "/role",
                "{\"username\":\"" + name + "\",\"displayName\":\"S\",\"role\":[\"ANALYST\"]}");
        unreadable(UserRole.ADMIN, "POST", "/api/v1/users", "/displayName",
                "{\"username\":\"" + name + "\",\"displayName\":\"S\\uDC00\",\"role\":\"ANALYST\"}");
        refused(UserRole.ADMIN, "POST", "/api/v1/users", "/password",
                "{\"username\":\"" + name + "\",\"displayName\":\"S\",\"role\":\"ANALYST\",\"password\":\"chosen\"}");
        refused(UserRole.ADMIN, "POST", "/api/v1/users", null,
                "{\"username\":\"" + name + "\",\"username\":\"other\",\"displayName\":\"S\",\"role\":\"ANALYST\"}");
        String user = "/api/v1/users/" + accounts.users.get(UserRole.ANALYST).id();
        refused(UserRole.ADMIN, "PATCH", user, "/disabled", "{\"disabled\":\"true\"}", "{\"disabled\":1}");
        refused(UserRole.ADMIN, "PATCH", user, "/unlock", "{\"unlock\":\"yes\"}");
        refused(UserRole.ADMIN, "PATCH", user, "/agencyId", "{\"agencyId\":\"" + accounts.agencyB.id() + "\"}");
        refused(UserRole.ADMIN, "PATCH", user, null, "{\"role\":\"AUDITOR\",\"role\":\"ADMIN\"}");
        assertThat(count("accounts_grant")).isEqualTo(grantsBefore);
        assertThat(count("accounts_user")).isEqualTo(usersBefore);
        assertThat(jdbc.sql("select disabled from accounts_user where id = :id")
                .param("id", accounts.users.get(UserRole.ANALYST).id()).query(Boolean.class).single()).isFalse();

        long tokensBefore = count("accounts_token");
        refused(UserRole.ANALYST, "POST", "/api/v1/tokens", "/expiresInDays",
                "{\"name\":\"t\",\"expiresInDays\":\"30\"}", "{\"name\":\"t\",\"expiresInDays\":1.5}",
                "{\"name\":\"t\",\"expiresInDays\":3000000000}", "{\"name\":\"t\",\"expiresInDays\":123456789012345678901234567890.5}");
        refused(UserRole.ANALYST, "POST", "/api/v1/tokens", "/role", "{\"name\":\"t\",\"role\":\"ADMIN\"}");
        refused(UserRole.ANALYST, "POST", "/api/v1/tokens", "/name", "{\"name\":\"t\\uFFFF\"}", "{\"name\":true}");
        refused(UserRole.ANALYST, "POST", "/api/v1/tokens", null, "{\"name\":\"t\"} {\"name\":\"u\"}", "[1,");
        assertThat(count("accounts_token")).isEqualTo(tokensBefore);
    }

    @Test
    void callBackBodiesAreReadStrictlyAndARefusedOneRecordsNoCallBack() throws Exception {
        String emergency = Samples.demo("04-gb-kidnap-emergency.json")
                .replace("\"reference\": \"", "\"reference\": \"SB" + UUID.randomUUID().toString().substring(0, 6) + "-");
        String location = mvc.perform(as(UserRole.REQUESTER, post("/api/v1/requests"), emergency))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        String callbacks = location.substring(location.indexOf("/api/")) + "/callbacks";
        CallbackNumber number = agencies.addCallbackNumber(accounts.agencyA.id(), "+33 1 40 00 00 01",
                "Switchboard, from the ministry's directory", "test");
        String form = "{\"numberId\":\"" + number.id() + "\",\"outcome\":\"CONFIRMED\",\"note\":\"%s\"}";
        long before = count("trust_callback");
        refused(UserRole.ANALYST, "POST", callbacks, "/numberId",
                "{\"numberId\":\"+33 1 40 00 00 01\",\"outcome\":\"CONFIRMED\"}", "{\"numberId\":1,\"outcome\":\"CONFIRMED\"}");
        unreadable(UserRole.ANALYST, "POST", callbacks, "/note", form.formatted("Duty officer \\uD800"));
        refused(UserRole.ANALYST, "POST", callbacks, "/note",
                form.formatted("Duty\\u0000officer"), form.formatted("\\uDBFF\\uDFFF"));
        refused(UserRole.ANALYST, "POST", callbacks, "/confirmedBy",
                form.formatted("ok").replace("}", ",\"confirmedBy\":\"someone\"}"));
        refused(UserRole.ANALYST, "POST", callbacks, "/outcome", form.formatted("ok").replace("\"CONFIRMED\"", "true"));
        refused(UserRole.ANALYST, "POST", callbacks, null,
                form.formatted("ok").replace("\"outcome\"", "\"outcome\":\"NO_ANSWER\",\"outcome\""));
        assertThat(count("trust_callback")).isEqualTo(before);
        // the same body, sound, is recorded
        mvc.perform(as(UserRole.ANALYST, post(callbacks), form.formatted("Duty officer confirmed")))
                .andExpect(status().isCreated());
        assertThat(count("trust_callback")).isEqualTo(before + 1);
        assertThat(JSON.readTree(mvc.perform(as(UserRole.ANALYST, post(callbacks), form.formatted("x")))
                .andReturn().getResponse().getContentAsString()).get("outcome").stringValue()).isEqualTo("CONFIRMED");
    }
}
