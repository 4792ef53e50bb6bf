package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.CallbackNumber;
import org.habeas.accounts.Totp;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.habeas.trust.ExecutionBlocked;
import org.habeas.trust.SenderTrust;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import tools.jackson.databind.node.ObjectNode;

/**
 * Who may do what, run once per database: sign-in with a second factor and lock-out, signed requests, the
 * call-back gate on unverified emergencies, agency separation, what oversight sees, and the security headers.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class AccessContract {

    private static final String REQUESTS = "/api/v1/requests";

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

    @Autowired
    SenderTrust trust;

    MockMvc mvc;
    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        accounts = TestAccounts.of(context);
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    // ---- sign-in ---------------------------------------------------------------------------------------------

    @Test
    void staffSignInNeedsPasswordAndTheCurrentCodeWhichWorksOnce() throws Exception {
        String secret = Totp.newSecret(new java.security.SecureRandom());
        User u = users.createWithCredentials("signin-" + suffix(), "Sign-in test", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, secret);
        String code = Totp.code(secret, Instant.now());

        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, null)).andExpect(redirectedUrl("/login?error"));
        mvc.perform(signIn(u.username(), "wrong password", code)).andExpect(redirectedUrl("/login?error"));
        MvcResult ok = mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, code))
                .andExpect(redirectedUrl("/")).andReturn();
        // the session now reaches the analyst's pages
        mvc.perform(get("/requests").session((org.springframework.mock.web.MockHttpSession) ok.getRequest().getSession()))
                .andExpect(status().isOk());
        // the same code cannot be used again
        mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, code)).andExpect(redirectedUrl("/login?error"));
        assertThat(access.list(u.username(), null, "SIGN_IN", 10)).hasSize(1);
        assertThat(access.list(u.username(), null, "SIGN_IN_FAILED", 10)).extracting(AccessRecord.Entry::detail)
                .containsExactly("code used before", "wrong password", "wrong code");
    }

    @Test
    void tenWrongPasswordsLockTheAccountAndTheLockIsRecorded() throws Exception {
        String secret = Totp.newSecret(new java.security.SecureRandom());
        User u = users.createWithCredentials("lockme-" + suffix(), "Lock test", UserRole.LEGAL_REVIEWER, null,
                TestAccounts.PASSWORD, secret);
        for (int i = 0; i < 10; i++) {
            mvc.perform(signIn(u.username(), "guess " + i, Totp.code(secret, Instant.now())))
                    .andExpect(redirectedUrl("/login?error"));
        }
        assertThat(users.find(u.id()).orElseThrow().lockedAt(Instant.now())).isTrue();
        // now even the right password and code are refused, and the page says why
        MvcResult locked = mvc.perform(signIn(u.username(), TestAccounts.PASSWORD, Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/login?error")).andReturn();
        mvc.perform(get("/login").param("error", "").session(
                        (org.springframework.mock.web.MockHttpSession) locked.getRequest().getSession()))
                .andExpect(content().string(containsString("After repeated failures an account is locked")));
        assertThat(access.list(u.username(), null, "LOCKED", 10)).hasSize(1);
        assertThat(access.list(u.username(), null, "SIGN_IN_FAILED", 20)).hasSize(10);
        assertThat(access.list(u.username(), null, "SIGN_IN_REFUSED", 10)).hasSize(1);

        // an administrator unlocks it
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.patch("/api/v1/users/" + u.id())
                        .header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"unlock\": true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.lockedUntil").doesNotExist());
    }

    @Test
    void aSetUpLinkSetsThePasswordAndSecondFactorOnce() throws Exception {
        String name = "new-" + suffix();
        User created = users.createWithCredentials(name, "New analyst", UserRole.ANALYST, null,
                TestAccounts.PASSWORD, null, name + "@staff.example");
        context.getBean(org.habeas.accounts.AccessGrants.class).sendSetupLink(created.id(),
                accounts.users.get(UserRole.ADMIN).caller());
        String link = org.habeas.support.TestMail.linkFor(context, name + "@staff.example");
        String username = created.username();
        String page = mvc.perform(get(link)).andExpect(status().isOk())
                .andExpect(content().string(containsString("otpauth://totp/"))).andReturn().getResponse().getContentAsString();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("id=\"secret\" class=\"secret\">([A-Z2-7]{32})<")
                .matcher(page);
        assertThat(m.find()).isTrue();
        String secret = m.group(1);
        mvc.perform(post(link).with(csrf()).param("password", "short").param("confirm", "short")
                        .param("code", Totp.code(secret, Instant.now())))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(post(link).with(csrf()).param("password", TestAccounts.PASSWORD).param("confirm", TestAccounts.PASSWORD)
                        .param("code", Totp.code(secret, Instant.now())))
                .andExpect(redirectedUrl("/login?setUp"));
        mvc.perform(get(link)).andExpect(status().isNotFound());
        // the code used to enrol cannot sign in again; the next step's can
        mvc.perform(signIn(username, TestAccounts.PASSWORD, Totp.code(secret, Instant.now().plusSeconds(30))))
                .andExpect(redirectedUrl("/"));
    }

    // ---- API tokens ------------------------------------------------------------------------------------------

    @Test
    void theApiNeedsAValidTokenAndAnsweredInProblemJson() throws Exception {
        mvc.perform(get(REQUESTS)).andExpect(status().isUnauthorized())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string("WWW-Authenticate", "Bearer"));
        mvc.perform(get(REQUESTS).header("Authorization", "Bearer hab_nonsense")).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("invalid_token")));
        mvc.perform(get("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isForbidden())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON));

        MvcResult issued = mvc.perform(post("/api/v1/tokens").header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"name\":\"script\",\"expiresInDays\":7}"))
                .andExpect(status().isCreated()).andReturn();
        ObjectNode t = Samples.parse(issued.getResponse().getContentAsString());
        String value = t.get("value").stringValue();
        assertThat(jdbc.sql("select count(*) from accounts_token where token_sha256 like :v").param("v", "%" + value + "%")
                .query(Long.class).single()).isZero();
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + value))
                .andExpect(jsonPath("$.role").value("ANALYST"));
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                        .delete("/api/v1/tokens/" + t.get("token").get("id").stringValue())
                        .header("Authorization", "Bearer " + value))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/me").header("Authorization", "Bearer " + value)).andExpect(status().isUnauthorized());
    }

    // ---- signed requests -------------------------------------------------------------------------------------

    @Test
    void aRequestSignedWithARegisteredEd25519KeyIsVerifiedAndAFlippedByteIsRefused() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String kid = "ed-" + suffix();
        registerKey(ed25519Jwk(pair, kid));
        byte[] body = Samples.json(Samples.production()).getBytes(StandardCharsets.UTF_8);

        String id = submitted(mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("X-JWS-Signature", signEd25519(pair, kid, body))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sender.verification").value("VERIFIED"))
                .andExpect(jsonPath("$.sender.signatureKid").value(kid))
                .andExpect(jsonPath("$.verification.signature").value("VERIFIED")));
        assertThat(jdbc.sql("select sender_verification from intake_request where id = :id")
                .param("id", UUID.fromString(id)).query(String.class).single()).isEqualTo("VERIFIED");

        long before = count();
        long failuresBefore = failures();
        byte[] tampered = Samples.json(Samples.production()).getBytes(StandardCharsets.UTF_8);
        String signature = signEd25519(pair, kid, tampered);
        tampered[tampered.length / 2] ^= 0x01;
        mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("X-JWS-Signature", signature)
                        .contentType(MediaType.APPLICATION_JSON).content(tampered))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Bad signature"))
                .andExpect(jsonPath("$.errors[0].header").value("X-JWS-Signature"));
        assertThat(count()).isEqualTo(before);
        assertThat(failures()).isEqualTo(failuresBefore + 1);
    }

    @Test
    void p256SignaturesVerifyUnknownKeysAreRecordedAndSuspendedAgenciesAreRefused() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("ec-" + suffix()).generate();
        registerKey(key.toPublicJWK().toJSONString());
        byte[] body = Samples.json(Samples.production()).getBytes(StandardCharsets.UTF_8);
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID())
                .base64URLEncodePayload(false).criticalParams(java.util.Set.of("b64"))
                .customParam("iat", Instant.now().getEpochSecond()).build(), new Payload(body));
        jws.sign(new ECDSASigner(key));
        mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("X-JWS-Signature", jws.serialize(true))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.sender.verification").value("VERIFIED"));

        // a key this agency never registered: accepted, marked, counted
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("unknown-" + suffix()).generate();
        byte[] other = Samples.json(Samples.production()).getBytes(StandardCharsets.UTF_8);
        JWSObject unknown = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(stranger.getKeyID())
                .base64URLEncodePayload(false).criticalParams(java.util.Set.of("b64"))
                .customParam("iat", Instant.now().getEpochSecond()).build(), new Payload(other));
        unknown.sign(new ECDSASigner(stranger));
        mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("X-JWS-Signature", unknown.serialize(true))
                        .contentType(MediaType.APPLICATION_JSON).content(other))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.sender.verification").value("UNKNOWN_KEY"));

        // a suspended agency's requests are refused at the door, and nothing is stored
        UUID agency = accounts.agencyB.id();
        mvc.perform(post("/api/v1/agencies/" + agency + "/status").header("Authorization", accounts.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"SUSPENDED\"}")).andExpect(status().isOk());
        long before = count();
        try {
            mvc.perform(post(REQUESTS).header("Authorization", "Bearer " + accounts.otherRequesterToken)
                            .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production())))
                    .andExpect(status().isForbidden()).andExpect(jsonPath("$.title").value("Agency suspended"));
            assertThat(count()).isEqualTo(before);
        } finally {
            mvc.perform(post("/api/v1/agencies/" + agency + "/status").header("Authorization", accounts.bearer(UserRole.ADMIN))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"ACTIVE\"}")).andExpect(status().isOk());
        }
    }

    @Test
    void anUnsignedEmergencyCannotBeExecutedUntilACallBackConfirmsIt() throws Exception {
        String emergency = Samples.demo("04-gb-kidnap-emergency.json")
                .replace("\"reference\": \"", "\"reference\": \"T" + suffix() + "-");
        String id = submitted(mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .contentType(MediaType.APPLICATION_JSON).content(emergency))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sender.verification").value("UNSIGNED"))
                .andExpect(jsonPath("$.verification.executable").value(false))
                .andExpect(jsonPath("$.verification.openConditions[0]").value(SenderTrust.VERIFY)));
        UUID requestId = UUID.fromString(id);
        assertThatThrownBy(() -> trust.requireExecutable(requestId)).isInstanceOf(ExecutionBlocked.class)
                .hasMessageContaining(SenderTrust.VERIFY);

        // a requester cannot record a call-back for their own request
        CallbackNumber number = agencies.addCallbackNumber(accounts.agencyA.id(), "+33 1 40 00 00 00",
                "Switchboard, from the ministry's directory", "test");
        String form = "{\"numberId\":\"" + number.id() + "\",\"outcome\":\"CONFIRMED\",\"note\":\"Duty officer confirmed\"}";
        mvc.perform(post(REQUESTS + "/" + id + "/callbacks").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(form)).andExpect(status().isForbidden());
        // a number of another agency does not count
        CallbackNumber foreign = agencies.addCallbackNumber(accounts.agencyB.id(), "+49 30 0000 0000", "Other", "test");
        mvc.perform(post(REQUESTS + "/" + id + "/callbacks").header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(form.replace(number.id().toString(), foreign.id().toString())))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/numberId"));
        // no answer leaves it blocked
        mvc.perform(post(REQUESTS + "/" + id + "/callbacks").header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON).content(form.replace("CONFIRMED", "NO_ANSWER")))
                .andExpect(status().isCreated());
        assertThatThrownBy(() -> trust.requireExecutable(requestId)).isInstanceOf(ExecutionBlocked.class);
        // a confirmed call-back on a registered number opens it
        mvc.perform(post(REQUESTS + "/" + id + "/callbacks").header("Authorization", accounts.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON).content(form)).andExpect(status().isCreated());
        trust.requireExecutable(requestId);
        mvc.perform(get(REQUESTS + "/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.verification.executable").value(true))
                .andExpect(jsonPath("$.verification.callbacks.length()").value(2))
                .andExpect(jsonPath("$.verification.callbacks[1].calledBy").value(accounts.users.get(UserRole.ANALYST).username()));
    }

    @Test
    void aSignedEmergencyNeedsNoCallBack() throws Exception {
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        String kid = "em-" + suffix();
        registerKey(ed25519Jwk(pair, kid));
        byte[] body = Samples.demo("04-gb-kidnap-emergency.json")
                .replace("\"reference\": \"", "\"reference\": \"S" + suffix() + "-").getBytes(StandardCharsets.UTF_8);
        String id = submitted(mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("X-JWS-Signature", signEd25519(pair, kid, body))
                        .contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.verification.executable").value(true)));
        trust.requireExecutable(UUID.fromString(id));
    }

    // ---- separation ------------------------------------------------------------------------------------------

    @Test
    void aRequesterSeesOnlyTheirAgencysRequestsAndGets404ForOthers() throws Exception {
        String mine = submitted(mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production()))));
        String theirs = submitted(mvc.perform(post(REQUESTS).header("Authorization", "Bearer " + accounts.otherRequesterToken)
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production()))));

        mvc.perform(get(REQUESTS + "/" + theirs).header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNotFound());
        mvc.perform(get(REQUESTS + "/" + theirs + "/documents").header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNotFound());
        mvc.perform(multipart(REQUESTS + "/" + theirs + "/documents")
                        .file(new MockMultipartFile("file", "order.txt", "text/plain", "order".getBytes()))
                        .header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNotFound());
        mvc.perform(get(REQUESTS + "/" + mine).header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk());
        mvc.perform(get(REQUESTS).param("size", "1000").header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .andExpect(content().string(containsString(mine)))
                .andExpect(content().string(not(containsString(theirs))));
        // staff see both
        mvc.perform(get(REQUESTS + "/" + theirs).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk());
        // staff register a request received by post on behalf of an agency
        mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production())))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[0].parameter").value("onBehalfOf"));
        mvc.perform(post(REQUESTS).param("onBehalfOf", accounts.agencyB.id().toString())
                        .header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production())))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.sender.agency.id").value(accounts.agencyB.id().toString()))
                .andExpect(jsonPath("$.sender.submittedBy").value(accounts.users.get(UserRole.ANALYST).username()));
    }

    @Test
    void oversightSeesAssessmentsButNoTargetIdentifiers() throws Exception {
        ObjectNode r = Samples.production();
        String identifier = "target-" + suffix() + "@mail.example";
        ((ObjectNode) r.get("targets").get(0)).put("value", identifier);
        String id = submitted(mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))));
        String oversight = accounts.bearer(UserRole.OVERSIGHT);

        mvc.perform(get(REQUESTS + "/" + id).header("Authorization", oversight))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.assessment.decision").exists())
                .andExpect(jsonPath("$.request.targets[0].value").value("(withheld)"))
                .andExpect(jsonPath("$.links.documents").doesNotExist())
                .andExpect(content().string(not(containsString(identifier))));
        mvc.perform(get(REQUESTS).param("size", "1000").header("Authorization", oversight))
                .andExpect(status().isOk()).andExpect(content().string(not(containsString(identifier))));
        mvc.perform(get("/requests/" + id).header("Authorization", oversight))
                .andExpect(status().isOk()).andExpect(content().string(not(containsString(identifier))))
                .andExpect(content().string(containsString("(withheld)")));
        mvc.perform(get("/requests").header("Authorization", oversight))
                .andExpect(status().isOk()).andExpect(content().string(not(containsString(identifier))));
        mvc.perform(get(REQUESTS + "/" + id + "/documents").header("Authorization", oversight))
                .andExpect(status().isForbidden());
        // the analyst sees it, and the view is in the access record
        mvc.perform(get(REQUESTS + "/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(content().string(containsString(identifier)));
        assertThat(access.list(accounts.users.get(UserRole.ANALYST).username(), id, "VIEW_REQUEST", 10)).hasSize(1);
        mvc.perform(get("/api/v1/access").param("subject", id).header("Authorization", oversight))
                .andExpect(status().isOk()).andExpect(jsonPath("$[0].action").value("VIEW_REQUEST"));
    }

    // ---- pages -------------------------------------------------------------------------------------------------

    @Test
    void pagesSendSecurityHeadersAndTheSessionCookieIsLockedDown() throws Exception {
        MvcResult login = mvc.perform(get("/login"))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", containsString("script-src 'self'")))
                .andExpect(header().string("Content-Security-Policy", containsString("frame-ancestors 'none'")))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("X-Frame-Options", "DENY"))
                .andExpect(header().string("Referrer-Policy", "no-referrer"))
                .andExpect(content().string(containsString("name=\"_csrf\"")))
                .andExpect(content().string(not(containsString("<script>"))))
                .andReturn();
        assertThat(login.getResponse().getContentAsString()).doesNotContain("onclick=", "style=\"");
        // a form post without the CSRF token is refused
        mvc.perform(post("/login").param("username", "x").param("password", "y")).andExpect(status().isForbidden());
        // anonymous visitors go to the sign-in page
        mvc.perform(get("/requests")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        String secret = accounts.secrets.get(UserRole.ANALYST);
        MvcResult in = mvc.perform(signIn(accounts.users.get(UserRole.ANALYST).username(), TestAccounts.PASSWORD,
                Totp.code(secret, Instant.now()))).andReturn();
        String cookie = String.join("\n", in.getResponse().getHeaders("Set-Cookie"));
        assertThat(in.getResponse().getRedirectedUrl()).isEqualTo("/");
        assertThat(context.getEnvironment().getProperty("server.servlet.session.cookie.http-only")).isEqualTo("true");
        assertThat(context.getEnvironment().getProperty("server.servlet.session.cookie.secure")).isEqualTo("true");
        assertThat(context.getEnvironment().getProperty("server.servlet.session.cookie.same-site")).isEqualTo("lax");
        assertThat(cookie).doesNotContain("password");
    }

    @Test
    void aKeyThatIsNotAJwkIsRefusedWithoutTheParsersWords() throws Exception {
        for (String bad : List.of("{not json", "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"k\",\"x\":7}")) {
            String body = mvc.perform(post("/api/v1/agencies/" + accounts.agencyA.id() + "/keys")
                            .header("Authorization", accounts.bearer(UserRole.ADMIN))
                            .contentType(MediaType.APPLICATION_JSON).content(bad))
                    .andExpect(status().is4xxClientError()).andReturn().getResponse().getContentAsString();
            assertThat(body).as(bad).contains("jwk").contains("give a JSON object with")
                    .doesNotContainIgnoringCase("exception").doesNotContain("Unexpected").doesNotContain("minidev");
        }
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private static org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder signIn(String username,
            String password, String code) {
        var b = post("/login").with(csrf()).param("username", username).param("password", password);
        return code == null ? b : b.param("code", code);
    }

    private void registerKey(String jwk) throws Exception {
        mvc.perform(post("/api/v1/agencies/" + accounts.agencyA.id() + "/keys")
                        .header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content(jwk))
                .andExpect(status().isCreated());
    }

    private static String ed25519Jwk(KeyPair pair, String kid) {
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(x) + "\"}";
    }

    /** A detached JWS with unencoded payload (RFC 7797), signed with the platform's Ed25519. */
    private static String signEd25519(KeyPair pair, String kid, byte[] body) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString(("{\"alg\":\"EdDSA\",\"kid\":\"" + kid + "\",\"b64\":false,\"crit\":[\"b64\"],\"iat\":"
                + Instant.now().getEpochSecond() + "}")
                .getBytes(StandardCharsets.UTF_8));
        byte[] prefix = (header + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] input = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, input, 0, prefix.length);
        System.arraycopy(body, 0, input, prefix.length, body.length);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(input);
        return header + ".." + b64.encodeToString(s.sign());
    }

    private static String submitted(org.springframework.test.web.servlet.ResultActions result) throws Exception {
        String location = result.andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private long count() {
        return jdbc.sql("select count(*) from intake_request").query(Long.class).single();
    }

    private long failures() {
        return jdbc.sql("select count(*) from accounts_sender_failure").query(Long.class).single();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

}
