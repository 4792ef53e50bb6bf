package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

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

/**
 * Signed requests are fresh and accepted once, and Idempotency-Keys belong to their agency, run once per database:
 * a replayed signed emergency, a reused jti, parallel replays, stale and future signatures, a revoked key, the
 * fully-specified Ed25519 algorithm.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class SignedRequestsContract {

    private static final String REQUESTS = "/api/v1/requests";

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    MockMvc mvc;
    TestAccounts accounts;
    KeyPair pair;
    String kid;

    @BeforeEach
    void setUp() throws Exception {
        accounts = TestAccounts.of(context);
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        kid = "k-" + suffix();
        mvc.perform(post("/api/v1/agencies/" + accounts.agencyA.id() + "/keys")
                        .header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content(jwk(pair, kid)))
                .andExpect(status().isCreated());
    }

    @Test
    void aSignedEmergencyPostedThreeTimesOpensOneCase() throws Exception {
        byte[] body = emergency();
        String signature = sign(body, "EdDSA", Instant.now().getEpochSecond(), null);
        long before = count();
        long failures = failures();
        mvc.perform(submit(body, signature)).andExpect(status().isCreated())
                .andExpect(jsonPath("$.sender.verification").value("VERIFIED"))
                .andExpect(jsonPath("$.verification.executable").value(true));
        for (int i = 0; i < 2; i++) {
            mvc.perform(submit(body, signature)).andExpect(status().isConflict())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.title").value("Signature already used"))
                    .andExpect(jsonPath("$.errors[0].header").value("X-JWS-Signature"));
        }
        // a new Idempotency-Key does not make it new either
        mvc.perform(submit(body, signature).header("Idempotency-Key", "again-" + suffix())).andExpect(status().isConflict());
        assertThat(count()).isEqualTo(before + 1);
        assertThat(failures()).isEqualTo(failures + 3);
    }

    @Test
    void aRetryUnderTheSameIdempotencyKeyIsAReplayNotARefusal() throws Exception {
        byte[] body = emergency();
        String signature = sign(body, "EdDSA", Instant.now().getEpochSecond(), "jti-" + suffix());
        String key = "retry-" + suffix();
        String first = mvc.perform(submit(body, signature).header("Idempotency-Key", key))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        mvc.perform(submit(body, signature).header("Idempotency-Key", key)).andExpect(status().isCreated())
                .andExpect(header().string("Location", first))
                .andExpect(header().string("Idempotent-Replayed", "true"));
    }

    @Test
    void theSameJtiOverAnotherBodyIsRefused() throws Exception {
        String jti = "jti-" + suffix();
        byte[] one = emergency();
        byte[] two = emergency();
        mvc.perform(submit(one, sign(one, "EdDSA", Instant.now().getEpochSecond(), jti))).andExpect(status().isCreated());
        long before = count();
        mvc.perform(submit(two, sign(two, "EdDSA", Instant.now().getEpochSecond(), jti))).andExpect(status().isConflict());
        assertThat(count()).isEqualTo(before);
        // another jti for the second body is fine
        mvc.perform(submit(two, sign(two, "EdDSA", Instant.now().getEpochSecond(), jti + "b")))
                .andExpect(status().isCreated());
    }

    @Test
    void parallelReplaysOfOneSignedRequestStoreItOnceAndNoneGets500() throws Exception {
        byte[] body = emergency();
        String signature = sign(body, "EdDSA", Instant.now().getEpochSecond(), "jti-" + suffix());
        long before = count();
        int threads = 12;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Integer>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Callable<Integer> call = () -> mvc.perform(submit(body, signature)).andReturn().getResponse().getStatus();
                answers.add(pool.submit(call));
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : answers) {
                statuses.add(f.get());
            }
            assertThat(statuses).filteredOn(s -> s == 201).hasSize(1);
            assertThat(statuses).filteredOn(s -> s == 409).hasSize(threads - 1);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void aSignatureWithoutIatStaleOrFromTheFutureIsRefusedAndOneWithinTheSkewAccepted() throws Exception {
        long now = Instant.now().getEpochSecond();
        long before = count();
        byte[] body = emergency();
        mvc.perform(submit(body, sign(body, "EdDSA", null, null))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.title").value("Bad signature"))
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("\"iat\"")));
        mvc.perform(submit(body, sign(body, "EdDSA", now - 25 * 3600, null))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("24 hours")));
        mvc.perform(submit(body, sign(body, "EdDSA", now + 600, null))).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("future")));
        assertThat(count()).isEqualTo(before);
        mvc.perform(submit(body, sign(body, "EdDSA", now + 120, null))).andExpect(status().isCreated())
                .andExpect(jsonPath("$.sender.verification").value("VERIFIED"));
    }

    @Test
    void theFullySpecifiedEd25519AlgorithmVerifies() throws Exception {
        byte[] body = emergency();
        mvc.perform(submit(body, sign(body, "Ed25519", Instant.now().getEpochSecond(), null)))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.sender.verification").value("VERIFIED"));
    }

    @Test
    void aSignatureByARevokedKeyIsRefused() throws Exception {
        mvc.perform(delete("/api/v1/agencies/" + accounts.agencyA.id() + "/keys/" + kid)
                .header("Authorization", accounts.bearer(UserRole.ADMIN))).andExpect(status().is2xxSuccessful());
        byte[] body = emergency();
        long before = count();
        long failures = failures();
        mvc.perform(submit(body, sign(body, "EdDSA", Instant.now().getEpochSecond(), null)))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.containsString("revoked")));
        assertThat(count()).isEqualTo(before);
        assertThat(failures()).isEqualTo(failures + 1);
    }

    @Test
    void anotherAgencysIdempotencyKeyIsNeitherAConflictNorAReplay() throws Exception {
        String key = "shared-" + suffix();
        String mine = mvc.perform(post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                        .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                        .content(Samples.json(Samples.production())))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        // agency B uses the same key, with another body and with the same body: each is a new request of its own
        String body = Samples.json(Samples.production());
        String theirs = mvc.perform(post(REQUESTS).header("Authorization", "Bearer " + accounts.otherRequesterToken)
                        .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(header().doesNotExist("Idempotent-Replayed"))
                .andReturn().getResponse().getHeader("Location");
        assertThat(theirs).isNotEqualTo(mine);
        mvc.perform(post(REQUESTS).header("Authorization", "Bearer " + accounts.otherRequesterToken)
                        .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON).content(body))
                .andExpect(status().isCreated()).andExpect(header().string("Location", theirs))
                .andExpect(header().string("Idempotent-Replayed", "true"));
    }

    @Test
    void parallelSubmissionsOfTwoAgenciesUnderOneKeyEachStoreOne() throws Exception {
        String key = "race-" + suffix();
        String bodyA = Samples.json(Samples.production());
        String bodyB = Samples.json(Samples.production());
        long before = count();
        int threads = 10;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                boolean a = i % 2 == 0;
                answers.add(pool.submit(() -> {
                    var r = mvc.perform(post(REQUESTS).header("Authorization",
                                    a ? accounts.bearer(UserRole.REQUESTER) : "Bearer " + accounts.otherRequesterToken)
                                    .header("Idempotency-Key", key).contentType(MediaType.APPLICATION_JSON)
                                    .content(a ? bodyA : bodyB))
                            .andReturn().getResponse();
                    return r.getStatus() + " " + r.getHeader("Location");
                }));
            }
            List<String> results = new ArrayList<>();
            for (Future<String> f : answers) {
                results.add(f.get());
            }
            assertThat(results).allMatch(r -> r.startsWith("201 "));
            assertThat(results.stream().distinct()).hasSize(2);
        } finally {
            pool.shutdownNow();
        }
        assertThat(count()).isEqualTo(before + 2);
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    private MockHttpServletRequestBuilder submit(byte[] body, String signature) {
        return post(REQUESTS).header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .header("X-JWS-Signature", signature).contentType(MediaType.APPLICATION_JSON).content(body);
    }

    private static byte[] emergency() {
        return Samples.demo("04-gb-kidnap-emergency.json")
                .replace("\"reference\": \"", "\"reference\": \"SR" + suffix() + "-").getBytes(StandardCharsets.UTF_8);
    }

    /** A detached JWS with unencoded payload (RFC 7797) by this test's key; iat and jti as given (null: absent). */
    private String sign(byte[] body, String alg, Long iat, String jti) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String json = "{\"alg\":\"" + alg + "\",\"kid\":\"" + kid + "\",\"b64\":false,\"crit\":[\"b64\"]"
                + (iat == null ? "" : ",\"iat\":" + iat) + (jti == null ? "" : ",\"jti\":\"" + jti + "\"") + "}";
        String header = b64.encodeToString(json.getBytes(StandardCharsets.UTF_8));
        byte[] prefix = (header + ".").getBytes(StandardCharsets.US_ASCII);
        byte[] input = Arrays.copyOf(prefix, prefix.length + body.length);
        System.arraycopy(body, 0, input, prefix.length, body.length);
        Signature s = Signature.getInstance("Ed25519");
        s.initSign(pair.getPrivate());
        s.update(input);
        return header + ".." + b64.encodeToString(s.sign());
    }

    private static String jwk(KeyPair pair, String kid) {
        byte[] spki = pair.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(x) + "\"}";
    }

    private long count() {
        return jdbc.sql("select count(*) from intake_request").query(Long.class).single();
    }

    private long failures() {
        return jdbc.sql("select count(*) from accounts_sender_failure where agency_id = :a")
                .param("a", accounts.agencyA.id()).query(Long.class).single();
    }

    private static String suffix() {
        return UUID.randomUUID().toString().substring(0, 8);
    }
}
