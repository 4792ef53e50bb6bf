package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** RFC 6238 Appendix B test vectors (HMAC-SHA-1, eight digits) and the behaviour around them. */
class TotpTest {

    private static final byte[] RFC_KEY = "12345678901234567890".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest
    @CsvSource({"59, 94287082", "1111111109, 07081804", "1111111111, 14050471", "1234567890, 89005924",
            "2000000000, 69279037", "20000000000, 65353130"})
    void matchesTheRfcVectors(long seconds, String expected) {
        assertThat(Totp.code(RFC_KEY, Totp.step(Instant.ofEpochSecond(seconds)), "HmacSHA1", 8)).isEqualTo(expected);
    }

    @Test
    void base32RoundTripsAndMatchesRfc4648() {
        assertThat(Totp.base32("foobar".getBytes(StandardCharsets.US_ASCII))).isEqualTo("MZXW6YTBOI");
        assertThat(new String(Totp.base32Decode("MZXW6YTBOI======"), StandardCharsets.US_ASCII)).isEqualTo("foobar");
        String secret = Totp.base32(RFC_KEY);
        assertThat(Totp.base32Decode(secret)).isEqualTo(RFC_KEY);
    }

    @Test
    void acceptsTheCurrentCodeAndOneStepOfDriftButNotMore() {
        String secret = Totp.newSecret(new SecureRandom());
        Instant now = Instant.parse("2026-11-28T10:00:15Z");
        String code = Totp.code(secret, now);
        assertThat(Totp.verify(secret, code, now)).hasValue(Totp.step(now));
        assertThat(Totp.verify(secret, code, now.plusSeconds(30))).isPresent();
        assertThat(Totp.verify(secret, code, now.minusSeconds(30))).isPresent();
        assertThat(Totp.verify(secret, code, now.plusSeconds(90))).isEmpty();
        assertThat(Totp.verify(secret, "12345", now)).isEmpty();
        assertThat(Totp.verify(secret, null, now)).isEmpty();
        String wrong = String.format("%06d", (Integer.parseInt(code) + 1) % 1_000_000);
        assertThat(Totp.verify(secret, wrong, now)).isEmpty();
    }

    @Test
    void theKeyUriNamesIssuerAccountAndParameters() {
        assertThat(Totp.uri("Habeas", "ana lyst", "ABC")).isEqualTo(
                "otpauth://totp/Habeas:ana%20lyst?secret=ABC&issuer=Habeas&algorithm=SHA1&digits=6&period=30");
    }
}
