package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestMail;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;


/**
 * The accounts' trust rules, run once per database: sessions follow the account, four eyes for access, one-time
 * rules that hold under parallel requests, what an administrator cannot reach, two-factor for requesters, and
 * sign-in behind a proxy.
 */
@SpringBootTest(properties = {"habeas.trusted-proxies=10.9.0.0/16, 192.0.2.1",
        "habeas.accounts.max-failed-sign-ins-per-address=50", "habeas.accounts.over-limit-pause-ms=1"})
@ActiveProfiles("test")
@org.junit.jupiter.api.extension.ExtendWith(org.springframework.boot.test.system.OutputCaptureExtension.class)
public abstract class AccountsContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    Users users;

    @Autowired
    Agencies agencies;

    @Autowired
    AccessRecord access;

    MockMvc mvc;
    TestAccounts accounts;
    /** A second administrator (the test accounts hold one), with a token. */
    String secondAdmin;
    User secondAdminUser;

    private static final Map<WebApplicationContext, Object[]> SECOND = new ConcurrentHashMap<>();

    @BeforeEach
    void setUp() {
        accounts = TestAccounts.of(context);
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        Object[] second = SECOND.computeIfAbsent(context, c -> {
            User u = users.createWithCredentials("admin2-" + suffix(), "Second administrator", UserRole.ADMIN, null,
                    TestAccounts.PASSWORD, Totp.newSecret(new SecureRandom()));
            String token = context.getBean(Tokens.class).issueForUser(u, "test", Duration.ofDays(1), "test").value();
            return new Object[] {u, "Bearer " + token};
        });
        secondAdminUser = (User) second[0];
        secondAdmin = (String) second[1];
    }

    // ---- 0. sessions live in the database, so any node serves any signed-in user --------------------------------

    @Test
    void aSignedInSessionIsKeptInTheDatabaseAndEndsWhenItsRowIsGone() throws Exception {
        MockMvc nodes = MockMvcBuilders.webAppContextSetup(context)
                .addFilters(context.getBean(org.springframework.session.web.http.SessionRepositoryFilter.class))
                .apply(SecurityMockMvcConfigurers.springSecurity()).build();
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("stored-" + suffix(), "Analyst", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        MvcResult in = nodes.perform(signIn(u.username(), TestAccounts.PASSWORD, Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/")).andReturn();
        jakarta.servlet.http.Cookie cookie = in.getResponse().getCookie("SESSION");
        assertThat(cookie).as("the session cookie").isNotNull();
        assertThat(jdbc.sql("select count(*) from spring_session where principal_name = :p").param("p", u.username())
                .query(Long.class).single()).isEqualTo(1);
        // a fresh request with only the cookie (as on another node) is signed in
        nodes.perform(get("/requests").cookie(cookie)).andExpect(status().isOk());
        jdbc.sql("delete from spring_session where principal_name = :p").param("p", u.username()).update();
        nodes.perform(get("/requests").cookie(cookie)).andExpect(redirectedUrl("/login"));
    }

    // ---- 1. sessions follow the account ------------------------------------------------------------------------

    @Test
    void anAnalystsSessionEndsWhenTheRoleChangesAndASignInAfterDisablingIsRefused() throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("moved-" + suffix(), "Analyst", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        MockHttpSession session = signedIn(u.username(), secret, Instant.now());
        String proposal = "/api/v1/cases/" + UUID.randomUUID() + "/proposals";
        assertThat(propose(proposal, session).getStatus()).isNotIn(401, 403);

        mvc.perform(patch("/api/v1/users/" + u.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"OVERSIGHT\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.role").value("OVERSIGHT"));
        // the open session no longer proposes: it has ended
        assertThat(propose(proposal, session).getStatus()).isEqualTo(401);
        mvc.perform(get("/requests").session(session)).andExpect(redirectedUrl("/login"));

        // signed in again, now as oversight; disabling ends that session too
        MockHttpSession again = signedIn(u.username(), secret, Instant.now().plusSeconds(30));
        mvc.perform(get("/requests").session(again)).andExpect(status().isOk());
        mvc.perform(patch("/api/v1/users/" + u.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content("{\"disabled\":true}")).andExpect(status().isOk());
        mvc.perform(get("/requests").session(again)).andExpect(redirectedUrl("/login"));
    }

    @Test
    void anAdministratorCannotChangeTheirOwnRoleAndADemotedAdministratorLosesTheSession() throws Exception {
        User admin = accounts.users.get(UserRole.ADMIN);
        mvc.perform(patch("/api/v1/users/" + admin.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"ANALYST\"}"))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/role"));
        mvc.perform(patch("/api/v1/users/" + admin.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"OVERSIGHT\"}"))
                .andExpect(status().isUnprocessableContent());
        assertThat(users.find(admin.id()).orElseThrow().role()).isEqualTo(UserRole.ADMIN);
        // a refused change leaves nothing half done
        User officer = users.createWithCredentials("officer-" + suffix(), "Officer", UserRole.REQUESTER,
                accounts.agencyA.id(), TestAccounts.PASSWORD, null);
        mvc.perform(patch("/api/v1/users/" + officer.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"ANALYST\",\"disabled\":true}"))
                .andExpect(status().isUnprocessableContent());
        assertThat(users.find(officer.id()).orElseThrow().disabled()).isFalse();

        String secret = Totp.newSecret(new SecureRandom());
        User other = users.createWithCredentials("demoted-" + suffix(), "Admin", UserRole.ADMIN, null,
                TestAccounts.PASSWORD, secret);
        MockHttpSession session = signedIn(other.username(), secret, Instant.now());
        mvc.perform(get("/admin/users").session(session)).andExpect(status().isOk());
        mvc.perform(patch("/api/v1/users/" + other.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"OVERSIGHT\"}")).andExpect(status().isOk());
        mvc.perform(get("/admin/users").session(session)).andExpect(redirectedUrl("/login"));
    }

    // ---- 4. one-time rules under concurrency -------------------------------------------------------------------

    @Test
    void parallelSignInsWithOneCodeSucceedOnce() throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("parallel-" + suffix(), "Parallel", UserRole.LEGAL_REVIEWER, null,
                TestAccounts.PASSWORD, secret);
        String code = Totp.code(secret, Instant.now());
        List<MockHttpServletResponse> answers = parallel(8,
                () -> mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, code)).andReturn().getResponse());
        assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsOnly(302);
        assertThat(answers).extracting(MockHttpServletResponse::getRedirectedUrl).filteredOn("/"::equals).hasSize(1);
        assertThat(access.list(u.username(), null, "SIGN_IN", 20)).hasSize(1);
    }

    @Test
    void parallelWrongPasswordsLockTheAccountAtTheConfiguredCount() throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("guessed-" + suffix(), "Guessed", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        List<MockHttpServletResponse> answers = parallel(26,
                () -> mvc.perform(signIn(u.username(), "wrong " + UUID.randomUUID(), Totp.code(secret, Instant.now())))
                        .andReturn().getResponse());
        assertThat(answers).extracting(MockHttpServletResponse::getStatus).containsOnly(302);
        assertThat(answers).extracting(MockHttpServletResponse::getRedirectedUrl).containsOnly("/login?error");
        assertThat(users.find(u.id()).orElseThrow().lockedAt(Instant.now())).isTrue();
        assertThat(access.list(u.username(), null, "LOCKED", 10)).hasSize(1);
        assertThat(access.list(u.username(), null, "SIGN_IN_FAILED", 50)).hasSize(10);
        // locked: the right password and code are refused too
        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void aSetUpLinkCompletedInParallelWorksOnceAndEndsTheOtherLinksSessionsAndTokens() throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        String name = "reset-" + suffix();
        User u = users.createWithCredentials(name, "Reset", UserRole.ANALYST, null, TestAccounts.PASSWORD, secret,
                name + "@staff.example");
        MockHttpSession session = signedIn(u.username(), secret, Instant.now());
        String token = context.getBean(Tokens.class).issueForUser(u, "script", Duration.ofDays(1), u.username()).value();
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andExpect(status().isOk());

        String older = sentLink(u);
        String link = sentLink(u);
        // sending a link revokes the older one
        mvc.perform(get(older)).andExpect(status().isNotFound());
        String newSecret = secretOn(link);
        String code = Totp.code(newSecret, Instant.now());
        String password = "a brand new password " + suffix();
        List<MockHttpServletResponse> answers = parallel(6, () -> mvc.perform(post(link).with(csrf())
                .param("password", password).param("confirm", password).param("code", code)).andReturn().getResponse());
        assertThat(answers).extracting(MockHttpServletResponse::getStatus).doesNotContain(500);
        assertThat(answers).extracting(MockHttpServletResponse::getRedirectedUrl).filteredOn("/login?setUp"::equals)
                .hasSize(1);
        assertThat(access.list(u.username(), null, "SETUP_COMPLETED", 10)).hasSize(1);
        mvc.perform(get(link)).andExpect(status().isNotFound());
        // the reset ended the session and the token
        mvc.perform(get("/requests").session(session)).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + token)).andExpect(status().isUnauthorized());
        // the new password and second factor work
        signedIn(u.username(), password, newSecret, Instant.now().plusSeconds(30));
    }

    // ---- 2. four eyes for access -------------------------------------------------------------------------------

    @Test
    void aNewAnalystNeedsASecondAdministratorWhoAloneReceivesTheSetUpLink() throws Exception {
        String name = "asked-" + suffix();
        MvcResult asked = mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"username\":\"" + name + "\",\"displayName\":\"New analyst\",\"role\":\"ANALYST\","
                                + "\"email\":\"" + name + "@staff.example\"}"))
                .andExpect(status().isAccepted())
                .andExpect(jsonPath("$.setupLink").doesNotExist())
                .andExpect(jsonPath("$.grant.kind").value("NEW_USER")).andReturn();
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        assertThat(jdbc.sql("select count(*) from accounts_setup_link l join accounts_user u on u.id = l.user_id "
                + "where u.username = :u").param("u", name).query(Long.class).single()).isZero();

        // the administrator who asked cannot approve
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isForbidden());
        mvc.perform(get("/api/v1/grants").header("Authorization", secondAdmin))
                .andExpect(content().string(containsString(grant)));
        MvcResult approved = mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isOk()).andExpect(jsonPath("$.grant.outcome").value("APPROVED"))
                .andExpect(jsonPath("$.setupLink").doesNotExist())
                .andExpect(jsonPath("$.setupLinkSentTo").value(name.charAt(0) + "…@staff.example")).andReturn();
        // the link went to the user's own address, and only there
        String link = TestMail.linkFor(context, name + "@staff.example");
        assertThat(approved.getResponse().getContentAsString()).doesNotContain(link.substring("/setup/".length()));
        mvc.perform(get(link)).andExpect(status().isOk());
        // decided once
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isConflict());
        assertThat(access.list(secondAdminUser.username(), name, "GRANT_APPROVED", 10)).hasSize(1);
    }

    @Test
    void aRoleThatReachesCaseworkIsSetOnlyWhenAnotherAdministratorApproves() throws Exception {
        String name = "promoted-" + suffix();
        User u = users.createWithCredentials(name, "Oversight", UserRole.OVERSIGHT, null,
                TestAccounts.PASSWORD, Totp.newSecret(new SecureRandom()), name + "@staff.example");
        MvcResult asked = mvc.perform(patch("/api/v1/users/" + u.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"role\":\"LEGAL_REVIEWER\"}"))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.user.role").value("OVERSIGHT")).andReturn();
        assertThat(users.find(u.id()).orElseThrow().role()).isEqualTo(UserRole.OVERSIGHT);
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isOk()).andExpect(jsonPath("$.setupLink").doesNotExist());
        assertThat(users.find(u.id()).orElseThrow().role()).isEqualTo(UserRole.LEGAL_REVIEWER);
        // a new set-up link for an existing user goes to their own address: the admin who sends it never sees it
        mvc.perform(post("/api/v1/users/" + u.id() + "/setup-link").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.setupLink").doesNotExist())
                .andExpect(jsonPath("$.setupLinkSentTo").value("p…@staff.example"));
    }

    @Test
    void onTheUsersPageOneAdministratorAsksAndAnotherApprovesAndAloneReceivesTheLink() throws Exception {
        String name = "paged-" + suffix();
        mvc.perform(post("/admin/users").with(csrf()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .param("username", name).param("displayName", "Paged").param("role", "HUMAN_RIGHTS_OFFICER")
                        .param("email", name + "@staff.example"))
                .andExpect(redirectedUrl("/admin/users"))
                .andExpect(flash().attribute("link", org.hamcrest.Matchers.nullValue()))
                .andExpect(flash().attribute("message", containsString("Another administrator approves it")));
        AccessGrants.Grant g = context.getBean(AccessGrants.class).pending().stream()
                .filter(x -> x.username().equals(name)).findFirst().orElseThrow();
        mvc.perform(get("/admin/users").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(content().string(containsString("another administrator decides")));
        mvc.perform(get("/admin/users").header("Authorization", secondAdmin))
                .andExpect(content().string(containsString("/admin/grants/" + g.id())));
        mvc.perform(post("/admin/grants/" + g.id()).with(csrf()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .param("action", "approve"))
                .andExpect(flash().attribute("error", containsString("another administrator")))
                .andExpect(flash().attribute("link", org.hamcrest.Matchers.nullValue()));
        MvcResult approved = mvc.perform(post("/admin/grants/" + g.id()).with(csrf()).header("Authorization", secondAdmin)
                        .param("action", "approve"))
                .andExpect(flash().attribute("link", org.hamcrest.Matchers.nullValue()))
                .andExpect(flash().attribute("message", containsString("A set-up link was sent to p…@staff.example")))
                .andReturn();
        // the page after the approval shows where the link went, not the link
        mvc.perform(get("/admin/users").header("Authorization", secondAdmin).flashAttrs(approved.getFlashMap()))
                .andExpect(content().string(containsString("A set-up link was sent to p…@staff.example")))
                .andExpect(content().string(not(containsString("/setup/"))));
        String link = TestMail.linkFor(context, name + "@staff.example");
        mvc.perform(get(link)).andExpect(status().isOk());
    }

    // ---- 2b. set-up links go to the user, never to an administrator -------------------------------------------

    @Test
    void aNewUserNeedsAPlainEmailAddressOfTheirOwnAndARefusalLeavesNothing() throws Exception {
        String taken = accountsEmail();
        String inAgency = "{\"username\":\"%s\",\"displayName\":\"N\",\"role\":\"REQUESTER\",\"agencyId\":\""
                + accounts.agencyA.id() + "\",\"email\":\"%s\"}";
        String staff = "{\"username\":\"%s\",\"displayName\":\"N\",\"role\":\"ANALYST\"%s}";
        for (String body : List.of(staff.formatted("nomail-" + suffix(), ""),
                staff.formatted("blank-" + suffix(), ",\"email\":\" \""),
                staff.formatted("named-" + suffix(), ",\"email\":\"Eve <eve@staff.example>\""),
                staff.formatted("two-" + suffix(), ",\"email\":\"a@staff.example, b@staff.example\""),
                staff.formatted("nodomain-" + suffix(), ",\"email\":\"eve@localhost\""),
                staff.formatted("taken-" + suffix(), ",\"email\":\"" + taken.toUpperCase() + "\""),
                inAgency.formatted("outside-" + suffix(), "officer@elsewhere.example"))) {
            mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                            .contentType(MediaType.APPLICATION_JSON).content(body))
                    .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/email"));
            String name = Samples.parse(body).get("username").stringValue();
            assertThat(users.findByUsername(name)).as(body).isEmpty();
        }
        // a requester's address in the agency's verified domain is accepted, in lower case
        String name = "inside-" + suffix();
        mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content(inAgency.formatted(name, "Officer@A.example")))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.user.email").value("officer@a.example"));
    }

    @Test
    void changingAnEmailAddressNeedsASecondAdministratorAndEndsTheLinksSentToTheOldOne() throws Exception {
        String name = "moving-" + suffix();
        User u = users.createWithCredentials(name, "Moving", UserRole.LEGAL_REVIEWER, null, TestAccounts.PASSWORD,
                Totp.newSecret(new SecureRandom()), name + "@old.example");
        String oldLink = sentLink(u);
        // one administrator asks to send the user's links to another address: nothing changes yet
        MvcResult asked = mvc.perform(patch("/api/v1/users/" + u.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"email\":\"" + name + "@new.example\"}"))
                .andExpect(status().isAccepted()).andExpect(jsonPath("$.grant.kind").value("EMAIL"))
                .andExpect(jsonPath("$.user.email").value(name + "@old.example")).andReturn();
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        assertThat(users.find(u.id()).orElseThrow().email()).isEqualTo(name + "@old.example");
        mvc.perform(get(oldLink)).andExpect(status().isOk());
        // ... not even on the users page, where it is asked for the same way
        mvc.perform(post("/admin/users/" + u.id()).with(csrf()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .param("action", "email").param("email", "admin-own@new.example"))
                .andExpect(flash().attribute("message", containsString("another administrator approves it")));
        assertThat(users.find(u.id()).orElseThrow().email()).isEqualTo(name + "@old.example");
        // the one who asked cannot approve; another administrator can, once
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isOk()).andExpect(jsonPath("$.grant.outcome").value("APPROVED"));
        assertThat(users.find(u.id()).orElseThrow().email()).isEqualTo(name + "@new.example");
        // the link sent to the old address no longer works; the next goes to the new one
        mvc.perform(get(oldLink)).andExpect(status().isNotFound());
        String newLink = sentLink(users.find(u.id()).orElseThrow());
        assertThat(newLink).isNotEqualTo(oldLink);
        mvc.perform(get(newLink)).andExpect(status().isOk());

        // an administrator's own address needs another administrator too
        User admin = accounts.users.get(UserRole.ADMIN);
        MvcResult own = mvc.perform(patch("/api/v1/users/" + admin.id()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"email\":\"me-" + suffix() + "@staff.example\"}"))
                .andExpect(status().isAccepted()).andReturn();
        String ownGrant = Samples.parse(own.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        mvc.perform(post("/api/v1/grants/" + ownGrant + "/approval").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isForbidden());
        assertThat(users.find(admin.id()).orElseThrow().email()).isNull();
        // nobody sends themself a link
        mvc.perform(post("/api/v1/users/" + admin.id() + "/setup-link").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isUnprocessableContent());
    }

    @Test
    void noRepresentationAnAdministratorSeesContainsASetUpLink(CapturedOutput output) throws Exception {
        List<String> seen = new ArrayList<>();
        List<String> links = new ArrayList<>();
        // a new analyst by the API: asked by one administrator, approved by the other
        String api = "seen-" + suffix();
        MvcResult asked = mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"" + api
                                + "\",\"displayName\":\"Seen\",\"role\":\"ANALYST\",\"email\":\"" + api + "@staff.example\"}"))
                .andExpect(status().isAccepted()).andReturn();
        seen.add(asked.getResponse().getContentAsString());
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        seen.add(mvc.perform(get("/api/v1/grants").header("Authorization", secondAdmin)).andReturn().getResponse()
                .getContentAsString());
        seen.add(mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString());
        links.add(TestMail.linkFor(context, api + "@staff.example"));
        // a new set-up link for them
        seen.add(mvc.perform(post("/api/v1/users/" + users.findByUsername(api).orElseThrow().id() + "/setup-link")
                .header("Authorization", accounts.bearer(UserRole.ADMIN))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString());
        links.add(TestMail.linkFor(context, api + "@staff.example"));
        // a new reviewer on the pages, with every page the approving administrator sees on the way
        String page = "paged-" + suffix();
        MvcResult created = mvc.perform(post("/admin/users").with(csrf()).header("Authorization", accounts.bearer(UserRole.ADMIN))
                .param("username", page).param("displayName", "Paged").param("role", "LEGAL_REVIEWER")
                .param("email", page + "@staff.example")).andReturn();
        seen.add(created.getFlashMap().toString());
        UUID pageGrant = context.getBean(AccessGrants.class).pending().stream()
                .filter(x -> x.username().equals(page)).findFirst().orElseThrow().id();
        seen.add(mvc.perform(get("/admin/users").header("Authorization", secondAdmin)).andReturn().getResponse()
                .getContentAsString());
        MvcResult approved = mvc.perform(post("/admin/grants/" + pageGrant).with(csrf()).header("Authorization", secondAdmin)
                .param("action", "approve")).andReturn();
        seen.add(approved.getFlashMap().toString());
        seen.add(mvc.perform(get("/admin/users").header("Authorization", secondAdmin).flashAttrs(approved.getFlashMap()))
                .andReturn().getResponse().getContentAsString());
        links.add(TestMail.linkFor(context, page + "@staff.example"));
        MvcResult resent = mvc.perform(post("/admin/users/" + users.findByUsername(page).orElseThrow().id()).with(csrf())
                .header("Authorization", accounts.bearer(UserRole.ADMIN)).param("action", "link")).andReturn();
        seen.add(resent.getFlashMap().toString());
        seen.add(mvc.perform(get("/admin/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                .flashAttrs(resent.getFlashMap())).andReturn().getResponse().getContentAsString());
        links.add(TestMail.linkFor(context, page + "@staff.example"));
        // everything else an administrator reads about users
        for (String path : List.of("/api/v1/users", "/api/v1/grants", "/api/v1/access?limit=500", "/access")) {
            seen.add(mvc.perform(get(path).header("Authorization", secondAdmin)).andReturn().getResponse().getContentAsString());
        }
        assertThat(String.join("\n", seen)).contains("s…@staff.example").contains("p…@staff.example");
        assertThat(links).doesNotHaveDuplicates().hasSize(4);
        for (String link : links) {
            String token = link.substring("/setup/".length());
            assertThat(seen).as("what an administrator sees").noneMatch(x -> x.contains(token));
            assertThat(output.getAll()).as("the log").doesNotContain(token);
        }
        mvc.perform(get(links.get(3))).andExpect(status().isOk());
    }

    // ---- 3. an administrator cannot reach case data ------------------------------------------------------------

    @Test
    void anAdministratorCannotIssueAnAgencyTokenAndCallsWithAnOldOneAreInTheAccessRecord() throws Exception {
        mvc.perform(post("/api/v1/agencies/" + accounts.agencyA.id() + "/tokens")
                        .header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"mine\"}"))
                .andExpect(result -> assertThat(result.getResponse().getStatus()).isIn(403, 404, 405))
                .andExpect(content().string(not(containsString("hab_"))));

        // a token issued to the agency before this rule still works, and every call with it is recorded
        String value = Tokens.PREFIX + "legacy" + suffix() + suffix();
        jdbc.sql("""
                insert into accounts_token (id, token_sha256, name, agency_id, role, created_by, created_at, expires_at)
                values (:id, :h, 'legacy', :a, 'REQUESTER', 'admin', current_timestamp, :e)""")
                .param("id", UUID.randomUUID()).param("h", Tokens.sha256(value)).param("a", accounts.agencyA.id())
                .param("e", java.time.OffsetDateTime.now().plusDays(1)).update();
        mvc.perform(get("/api/v1/requests").header("Authorization", "Bearer " + value)).andExpect(status().isOk());
        assertThat(access.list(null, accounts.agencyA.id().toString(), "AGENCY_TOKEN_CALL", 10))
                .extracting(AccessRecord.Entry::detail).contains("GET /api/v1/requests");
    }

    // ---- 6. two-factor for requesters --------------------------------------------------------------------------

    @Test
    void requestersNeedASecondFactorUnlessTheirAgencyOptsOutAndTheRecordShowsIt() throws Exception {
        Agency agency = agencies.register("Two-factor " + suffix(), "FR", Agency.Kind.POLICE, List.of());
        assertThat(agency.requesterTwoFactor()).isTrue();
        User u = users.createWithCredentials("officer-" + suffix(), "Officer", UserRole.REQUESTER, agency.id(),
                TestAccounts.PASSWORD, null);
        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, null)).andExpect(redirectedUrl("/login?error"));
        assertThat(access.list(u.username(), null, "SIGN_IN_FAILED", 10)).extracting(AccessRecord.Entry::detail)
                .containsExactly("no second factor enrolled");

        mvc.perform(post("/api/v1/agencies/" + agency.id() + "/two-factor").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"required\":false}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.requesterTwoFactor").value(false));
        assertThat(access.list(null, agency.id().toString(), "AGENCY_TWO_FACTOR", 10))
                .extracting(AccessRecord.Entry::detail).containsExactly("optional for requesters");
        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, null)).andExpect(redirectedUrl("/"));
    }

    @Test
    void anAgencysLettersLanguageIsSetOrLeftToItsStatesAndTheRecordShowsIt() throws Exception {
        Agency agency = agencies.register("Language " + suffix(), "ES", Agency.Kind.POLICE, List.of());
        assertThat(agency.language()).isNull();
        mvc.perform(post("/api/v1/agencies/" + agency.id() + "/language").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"language\":\"fr\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.language").value("fr"));
        mvc.perform(post("/api/v1/agencies/" + agency.id() + "/language").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"language\":\"de\"}"))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/language"));
        mvc.perform(post("/api/v1/agencies/" + agency.id() + "/language").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"language\":\"en\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/api/v1/agencies/" + agency.id() + "/language").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"language\":null}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.language").doesNotExist());
        assertThat(agencies.find(agency.id()).orElseThrow().language()).isNull();
        assertThat(access.list(null, agency.id().toString(), "AGENCY_LANGUAGE", 10)).extracting(AccessRecord.Entry::detail)
                .containsExactlyInAnyOrder("fr", "default");
        // left to the default, an agency of Spain reads its letters in Spanish
        assertThat(context.getBean(LetterLanguage.class).of(agencies.find(agency.id()).orElseThrow()))
                .isEqualTo(java.util.Locale.of("es"));
    }

    @Test
    void theSetUpPageShowsAQrCodeOfTheServersSecretAndAClientChosenSecretIsIgnored() throws Exception {
        String name = "qr-" + suffix();
        User u = users.createWithCredentials(name, "QR", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, Totp.newSecret(new SecureRandom()), name + "@staff.example");
        String link = sentLink(u);
        MvcResult page = mvc.perform(get(link)).andExpect(status().isOk())
                .andExpect(content().string(containsString("src=\"data:image/svg+xml;base64,")))
                .andExpect(content().string(not(containsString("name=\"secret\"")))).andReturn();
        String secret = secretOn(link);
        Matcher qr = Pattern.compile("data:image/svg\\+xml;base64,([A-Za-z0-9+/=]+)")
                .matcher(page.getResponse().getContentAsString());
        assertThat(qr.find()).isTrue();
        assertThat(new String(java.util.Base64.getDecoder().decode(qr.group(1)))).startsWith("<svg").contains("<path");
        assertThat(page.getResponse().getContentAsString()).contains("otpauth://totp/Habeas:" + u.username() + "?secret=" + secret);

        String mine = "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        String password = "another good password " + suffix();
        mvc.perform(post(link).with(csrf()).param("password", password).param("confirm", password)
                        .param("secret", mine).param("code", Totp.code(mine, Instant.now())))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(post(link).with(csrf()).param("password", password).param("confirm", password)
                        .param("code", Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/login?setUp"));
    }

    // ---- 7. behind a proxy; what the record and the page reveal ------------------------------------------------

    @Test
    void behindATrustedProxyFailuresCountPerClientAndNeverRefuseACorrectSignIn() throws Exception {
        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("proxied-" + suffix(), "Proxied", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        // sixty failures for many names from one client behind the proxy: over the per-address limit
        for (int i = 0; i < 60; i++) {
            mvc.perform(signIn("nobody-" + i, "guess", "123456").with(r -> {
                r.setRemoteAddr("10.9.0.7");
                r.addHeader("X-Forwarded-For", "203.0.113.9, 10.9.0.8");
                return r;
            })).andExpect(redirectedUrl("/login?error"));
        }
        assertThat(access.list(null, null, "ADDRESS_OVER_LIMIT", 10)).extracting(AccessRecord.Entry::subject)
                .contains("203.0.113.9");
        // a correct sign-in from that very client still works
        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, Totp.code(secret, Instant.now())).with(r -> {
            r.setRemoteAddr("10.9.0.7");
            r.addHeader("X-Forwarded-For", "203.0.113.9");
            return r;
        })).andExpect(redirectedUrl("/"));
        assertThat(access.list(u.username(), null, "SIGN_IN", 1)).extracting(AccessRecord.Entry::remoteAddress)
                .containsExactly("203.0.113.9");
        // a client that is not a trusted proxy cannot choose its address
        mvc.perform(signIn("forged-" + suffix(), "guess", "123456").with(r -> {
            r.setRemoteAddr("198.51.100.4");
            r.addHeader("X-Forwarded-For", "203.0.113.200");
            return r;
        }));
        assertThat(access.list(null, null, "SIGN_IN_FAILED", 1)).extracting(AccessRecord.Entry::remoteAddress)
                .containsExactly("198.51.100.4");
    }

    @Test
    void unknownNamesAreNotRecordedVerbatimAndALockedAccountLooksLikeAWrongPassword() throws Exception {
        String typedPassword = "Tr0ub4dor&3-" + suffix();
        MvcResult unknown = mvc.perform(signIn(typedPassword, "x", "123456")).andExpect(redirectedUrl("/login?error"))
                .andReturn();
        assertThat(jdbc.sql("select count(*) from accounts_access where actor like :p or subject like :p or detail like :p")
                .param("p", "%" + typedPassword + "%").query(Long.class).single()).isZero();
        assertThat(access.list(Users.UNKNOWN_USER, null, "SIGN_IN_FAILED", 1)).extracting(AccessRecord.Entry::detail)
                .containsExactly("unknown user " + Users.fingerprint(typedPassword));

        String secret = Totp.newSecret(new SecureRandom());
        User u = users.createWithCredentials("locked-" + suffix(), "Locked", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        jdbc.sql("update accounts_user set locked_until = :t where id = :id")
                .param("t", java.time.OffsetDateTime.now().plusMinutes(10)).param("id", u.id()).update();
        MvcResult locked = mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/login?error")).andReturn();
        assertThat(errorShown(locked)).isEqualTo(errorShown(unknown)).doesNotContain("locked until");
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /** The e-mail address of a user that exists already. */
    private String accountsEmail() {
        String name = "holder-" + suffix();
        return users.createWithCredentials(name, "Holder", UserRole.ANALYST, null, TestAccounts.PASSWORD, null,
                name + "@staff.example").email();
    }

    private String errorShown(MvcResult failed) throws Exception {
        String page = mvc.perform(get("/login").param("error", "")
                .session((MockHttpSession) failed.getRequest().getSession())).andReturn().getResponse().getContentAsString();
        Matcher m = Pattern.compile("id=\"sign-in-error\">([^<]*)<").matcher(page);
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** A new set-up link for {@code u}, sent by an administrator to the user's address; read from the outbox. */
    private String sentLink(User u) throws Exception {
        mvc.perform(post("/api/v1/users/" + u.id() + "/setup-link").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isOk()).andExpect(jsonPath("$.setupLink").doesNotExist())
                .andExpect(jsonPath("$.setupLinkSentTo").value(EmailAddress.masked(u.email())));
        return TestMail.linkFor(context, u.email());
    }

    private String secretOn(String link) throws Exception {
        String page = mvc.perform(get(link)).andReturn().getResponse().getContentAsString();
        Matcher m = Pattern.compile("id=\"secret\" class=\"secret\">([A-Z2-7]{32})<").matcher(page);
        assertThat(m.find()).as("the set-up page shows the secret").isTrue();
        return m.group(1);
    }

    private MockHttpServletResponse propose(String path, MockHttpSession session) throws Exception {
        return mvc.perform(post(path).session(session).with(csrf()).contentType(MediaType.APPLICATION_JSON)
                .content("{\"outcome\":\"ACCEPT\",\"reason\":\"r\"}")).andReturn().getResponse();
    }

    private MockHttpSession signedIn(String username, String secret, Instant at) throws Exception {
        return signedIn(username, TestAccounts.PASSWORD, secret, at);
    }

    private MockHttpSession signedIn(String username, String password, String secret, Instant at) throws Exception {
        MvcResult in = mvc.perform(signIn(username, password, Totp.code(secret, at))).andExpect(redirectedUrl("/"))
                .andReturn();
        return (MockHttpSession) in.getRequest().getSession();
    }

    static MockHttpServletRequestBuilder signIn(String username, String password, String code) {
        var b = post("/login").with(csrf()).param("username", username).param("password", password);
        return code == null ? b : b.param("code", code);
    }

    /** Runs {@code work} on {@code n} threads released at once; fails on any exception. */
    static <T> List<T> parallel(int n, Callable<T> work) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<T>> futures = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                futures.add(pool.submit(() -> {
                    start.await();
                    return work.call();
                }));
            }
            start.countDown();
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get());
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
