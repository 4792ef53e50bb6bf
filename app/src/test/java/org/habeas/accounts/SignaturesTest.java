package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/**
 * The signature check on its own, against signatures made by another implementation: the vectors below were made
 * with panva's {@code jose} for Node.js ({@code FlattenedSign} with {@code b64:false, crit:["b64"]}, an {@code iat}
 * and a {@code jti}), and sent as {@code BASE64URL(header)..BASE64URL(signature)}.
 */
class SignaturesTest {

    private static final byte[] BODY = "{\"reference\":\"JOSE-1\",\"x\":\"détail\"}".getBytes(StandardCharsets.UTF_8);
    private static final Instant IAT = Instant.ofEpochSecond(1790000000L);
    private static final Duration DAY = Duration.ofHours(24);
    private static final Duration SKEW = Duration.ofMinutes(5);

    private static final Map<String, String> JWKS = Map.of(
            "ed", "{\"crv\":\"Ed25519\",\"x\":\"Lm7pnIwIJIxI8W2fQEcUDUNyQwv1U7RDyVpoRmaIDqE\",\"kty\":\"OKP\",\"kid\":\"ed\"}",
            "ed9864", "{\"crv\":\"Ed25519\",\"x\":\"EGTBkOnTeH4XmO_fua9k1pRCYT9YK7gUdzwNBFsWXHA\",\"kty\":\"OKP\",\"kid\":\"ed9864\"}",
            "es", "{\"kty\":\"EC\",\"x\":\"r7ucs65fN01Phe76Fl-6Ztc8pf6Dm5rUJlHG9-2k9ps\",\"y\":\"_F2BHxrStHd270URy_DbOst2C3-wddnbusihkwk2Vz0\",\"crv\":\"P-256\",\"kid\":\"es\"}");
    private static final String ED = "eyJhbGciOiJFZERTQSIsImtpZCI6ImVkIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXSwiaWF0IjoxNzkwMDAwMDAwLCJqdGkiOiJqdGktZWQifQ..5BkaSQVI0TB-mIUIHy5l4gwVh0EkZuJIf8Jn9yBEVEZUM69NjeqH5uq8iwk04rIEe8Pflc-o2cW63eRISlzeCQ";
    private static final String ED_9864 = "eyJhbGciOiJFZDI1NTE5Iiwia2lkIjoiZWQ5ODY0IiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXSwiaWF0IjoxNzkwMDAwMDAwLCJqdGkiOiJqdGktZWQ5ODY0In0..gBPpEUPhb3MTiyKwClZyVlDP2zAUcwpBOljEnkPQk120qs6afU2pAqHXsQp3h2P42MrRiUHJJJCGD1M4hUksAA";
    private static final String ES = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImVzIiwiYjY0IjpmYWxzZSwiY3JpdCI6WyJiNjQiXSwiaWF0IjoxNzkwMDAwMDAwLCJqdGkiOiJqdGktZXMifQ..-n2Kt2nlR9hAu7g4K-zhk2MjPRWMhC04GJsUjViUW1oRx9Jvqvn5ajiOkUYqF279YAkQVCQwvtqvqKtO6fBwxg";

    private static Optional<AgencyKey> key(String kid, Instant revokedAt) {
        String jwk = JWKS.get(kid);
        return jwk == null ? Optional.empty() : Optional.of(new AgencyKey(UUID.randomUUID(), kid,
                jwk.contains("\"EC\"") ? "ES256" : "EdDSA", jwk, "test", IAT.minusSeconds(86400 * 30), revokedAt));
    }

    private static Signatures.Check check(byte[] body, String jws, Instant now) {
        return Signatures.verify(body, jws, kid -> key(kid, null), now, DAY, SKEW);
    }

    @Test
    void signaturesMadeByJoseVerifyWithEdDsaTheFullySpecifiedEd25519AndEs256() {
        for (String[] v : new String[][] {{ED, "ed"}, {ED_9864, "ed9864"}, {ES, "es"}}) {
            Signatures.Check c = check(BODY, v[0], IAT.plusSeconds(60));
            assertThat(c.result()).as(v[1]).isEqualTo(SenderVerification.VERIFIED);
            assertThat(c.kid()).isEqualTo(v[1]);
            assertThat(c.jti()).isEqualTo("jti-" + v[1]);
            assertThat(c.signedSha256()).hasSize(64);
        }
        byte[] flipped = BODY.clone();
        flipped[5] ^= 1;
        assertThat(check(flipped, ED_9864, IAT).result()).isEqualTo(SenderVerification.BAD_SIGNATURE);
    }

    @Test
    void aSignatureOlderThanTheWindowOrAheadOfTheClockBeyondTheSkewIsRefused() {
        assertThat(check(BODY, ED, IAT.plus(DAY).minusSeconds(1)).result()).isEqualTo(SenderVerification.VERIFIED);
        Signatures.Check stale = check(BODY, ED, IAT.plus(DAY).plusSeconds(1));
        assertThat(stale.result()).isEqualTo(SenderVerification.BAD_SIGNATURE);
        assertThat(stale.detail()).contains("more than 24 hours ago");
        assertThat(check(BODY, ES, IAT.minus(SKEW).plusSeconds(1)).result()).isEqualTo(SenderVerification.VERIFIED);
        Signatures.Check future = check(BODY, ES, IAT.minus(SKEW).minusSeconds(1));
        assertThat(future.result()).isEqualTo(SenderVerification.BAD_SIGNATURE);
        assertThat(future.detail()).contains("future", "5 minutes");
    }

    @Test
    void aRevokedKeyIsRefusedAndAnUnknownOneIsMarked() {
        Signatures.Check revoked = Signatures.verify(BODY, ED, kid -> key(kid, IAT.minusSeconds(3600)), IAT, DAY, SKEW);
        assertThat(revoked.result()).isEqualTo(SenderVerification.BAD_SIGNATURE);
        assertThat(revoked.detail()).contains("revoked");
        Signatures.Check unknown = Signatures.verify(BODY, ED, kid -> Optional.empty(), IAT, DAY, SKEW);
        assertThat(unknown.result()).isEqualTo(SenderVerification.UNKNOWN_KEY);
        assertThat(unknown.jti()).isNull();
    }

    @Test
    void theProtectedHeaderMustCarryIatAndFollowTheRulesOfCrit() {
        long now = IAT.getEpochSecond();
        String ok = "{\"alg\":\"EdDSA\",\"kid\":\"ed\",\"b64\":false,\"crit\":[\"b64\"],\"iat\":" + now + "}";
        assertThat(headerProblem(ok)).contains("does not match"); // well-formed, only the signature is wrong
        assertThat(headerProblem("{\"alg\":\"EdDSA\",\"kid\":\"ed\",\"b64\":false,\"crit\":[\"b64\"]}"))
                .contains("\"iat\"");
        assertThat(headerProblem(ok.replace("" + now, "\"" + now + "\""))).contains("\"iat\" must be a number");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[\"b64\",\"iat\"]"))).contains("does not match");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[\"b64\",\"exp\"]"))).contains("does not understand");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[\"b64\",\"jti\"]"))).contains("lacks");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[\"b64\",\"b64\"]"))).contains("distinct");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[]"))).contains("\"b64\":false");
        assertThat(headerProblem(ok.replace("[\"b64\"]", "[\"iat\"]"))).contains("\"b64\":false");
        assertThat(headerProblem(ok.replace("false", "true"))).contains("\"b64\":false");
        assertThat(headerProblem(ok.replace("EdDSA", "HS256"))).contains("\"alg\"");
        assertThat(headerProblem(ok.replace("}", ",\"jti\":42}"))).contains("\"jti\"");
        assertThat(headerProblem(ok.replace("\"kid\":\"ed\",", "\"kid\":\"ed\",\"kid\":\"es\","))).contains("JSON object");
    }

    @Test
    void errorDetailsNameNoParserInternals() {
        for (String jws : new String[] {"not a jws", "a.b.c", "e30..", "!!..!!", "eyJ..AAAA",
                b64("{\"alg\":") + "..AAAA", b64("[1,2]") + "..AAAA", b64("\u0000") + "..AAAA"}) {
            Signatures.Check c = check(BODY, jws, IAT);
            assertThat(c.result()).as(jws).isEqualTo(SenderVerification.BAD_SIGNATURE);
            assertThat(c.detail()).as(jws).doesNotContainIgnoringCase("exception").doesNotContain("line", "column",
                    "Unexpected", "token", "nimbus", "jackson", "at [");
        }
    }

    private static String headerProblem(String header) {
        return check(BODY, b64(header) + ".." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[64]),
                IAT).detail();
    }

    private static String b64(String s) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
