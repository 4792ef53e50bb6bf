package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.LawLoader;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import com.ibm.icu.text.Normalizer2;

import tools.jackson.databind.json.JsonMapper;

class TargetsTest {

    private static final Safeguards ENGINE = new Safeguards(LawLoader.builtIn());
    private static final Profile RIGHTS_FIRST = Profiles.load("rights-first");

    private static Assessment withTarget(String type, String value) throws IOException {
        EvidenceRequest r = Requests.from("52-ipv4-slash-24.json", t -> {
            var target = t.putArray("targets").addObject();
            target.put("type", type);
            target.put("value", value);
        });
        return ENGINE.assess(r, RIGHTS_FIRST, r.receivedAt().toInstant());
    }

    /** Every notation of a wide block is a dragnet: the same 16,777,216 (or 2^32) addresses however written. */
    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/8", "10.0.0.0/255.0.0.0", "10.0.0.0-10.255.255.255", "10.0.0.0 – 10.255.255.255",
            "::ffff:0.0.0.0/96", "::0.0.0.0/96", "::ffff:10.0.0.0/104", "010.000.000.000/8", "0x0a.0.0.0/8", "012.0.0.0/8",
            "10.*.*.*", "167772160/8", "10.0/8", "10.0.0.1/8", "１０．０．０．０／８", "0.0.0.0/0", "2001:db8::/32"})
    void everyNotationOfAWideBlockIsRefusedAsADragnet(String value) throws IOException {
        Assessment a = withTarget("IP", value);
        assertThat(a.decision()).as(value).isEqualTo(Decision.REFUSE);
        Finding f = a.findings().stream().filter(x -> x.rule().equals("TARGET_SPECIFICITY")).findFirst().orElseThrow();
        assertThat(f.reason()).doesNotContain(value).contains("target 1");
        assertThat(f.evidence()).containsExactly(new Finding.Evidence("targets[0].value", value));
    }

    @ParameterizedTest
    @ValueSource(strings = {"198.51.100.7", "198.51.100.0/24", "198.51.100.0/255.255.255.0", "198.51.100.0-198.51.100.255",
            "::ffff:198.51.100.0/120", "2001:db8:1::/48", "2001:db8::1"})
    void aBlockWithinTheLimitsIsSpecific(String value) throws IOException {
        assertThat(withTarget("IP", value).rules()).as(value).doesNotContain("TARGET_SPECIFICITY");
    }

    @Test
    void rangesAreMeasuredByTheAddressesTheyCover() {
        assertThat(Targets.range("10.0.0.0/255.0.0.0")).isEqualTo(new Targets.Range(BigInteger.valueOf(16_777_216), true));
        assertThat(Targets.range("::ffff:0.0.0.0/96")).isEqualTo(new Targets.Range(BigInteger.TWO.pow(32), true));
        assertThat(Targets.range("10.0.0.0-10.0.1.255")).isEqualTo(new Targets.Range(BigInteger.valueOf(512), true));
        assertThat(Targets.range("alice@example.org")).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"*@example.org", "＊@example.org", "∗@example.org", "user%@example.org", "user٭@example.org"})
    void wildcardsInAnyFormAreSets(String value) throws IOException {
        assertThat(withTarget("EMAIL", value).decision()).as(value).isEqualTo(Decision.REFUSE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"all accounts in Paris", "\u0435very account in Paris", "A\u200BLL users", "ALL USERS",
            "todos los usuarios de Bogotá", "toutes les personnes abonnées", "все пользователи", "جميع المستخدمين"})
    void setDescriptionsInAnyLanguageAndDisguiseAreSets(String value) throws IOException {
        Assessment a = withTarget("OTHER", value);
        assertThat(a.decision()).as(value).isEqualTo(Decision.REFUSE);
        assertThat(a.rules()).as(value).contains("TARGET_SPECIFICITY");
    }

    @Test
    void aDisguisedTargetIsAlsoAnObfuscationFindingNamingTheTarget() throws IOException {
        Assessment a = withTarget("OTHER", "\u0435very account in Paris");
        Finding f = a.findings().stream().filter(x -> x.rule().equals("OBFUSCATED_TEXT")).findFirst().orElseThrow();
        assertThat(f.effect()).isEqualTo(Effect.ESCALATE);
        assertThat(f.reason()).contains("target 1").doesNotContain("\u0435very");
        assertThat(f.evidence()).extracting(Finding.Evidence::field).containsOnly("targets[0].value");
        assertThat(withTarget("OTHER", "account 4471 of the seller").rules()).doesNotContain("OBFUSCATED_TEXT");
    }

    /**
     * The shortcut that skips the skeleton of a value with no character a wildcard's skeleton could come from says
     * what the skeleton says: on every character of the Basic Multilingual Plane alone and after a letter, the
     * scenarios' target values, and generated values mixing wildcards and their look-alikes, Latin, Cyrillic and
     * Greek look-alikes, invisible characters, fullwidth forms, CJK, Thai and characters beyond the plane.
     */
    @Test
    void theWildcardShortcutAgreesWithTheSkeleton() throws IOException {
        Normalizer2 nfkc = Normalizer2.getNFKCCasefoldInstance();
        List<String> values = new ArrayList<>();
        for (int cp = 0; cp < 0x10000; cp++) {
            if (!Character.isSurrogate((char) cp)) {
                values.add(String.valueOf((char) cp));
                values.add("a" + (char) cp);
            }
        }
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.walk(ScenarioTest.DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                json.readTree(Files.readAllBytes(f)).path("targets").forEach(t -> values.add(t.path("value").asString()));
            }
        }
        String alphabet = "*%\u066d\u2217\u204e\ufe61\uff0a\uff05\u066a\u2030\u2052\ufe6a\u00ba/\u2080\u00b0oO0a\u0435\u0430\u043e\u03c1"
                + "\u200b\u200d\u00ad\ufe0f\u202e\uff21\u52d2\u7d22\u8f6f\u4ef6\u30e9\u30f3\u30b5\u30e0\u0e21\u0e31\u0e25\u0e41\u0e27@.:-_ "
                + "\ud835\udc1a\ud83d\ude00\ud800\udf1f";
        int[] chars = alphabet.codePoints().toArray();
        Random random = new Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 16); k > 0; k--) {
                b.appendCodePoint(chars[random.nextInt(chars.length)]);
            }
            values.add(b.toString());
        }
        int wildcards = 0;
        for (String value : values) {
            String v = nfkc.normalize(value);
            boolean bySkeleton = Targets.wildcardBySkeleton(v);
            assertThat(Targets.wildcardOfNormalised(v)).as(value).isEqualTo(bySkeleton);
            wildcards += bySkeleton ? 1 : 0;
        }
        assertThat(wildcards).as("values with a wildcard").isGreaterThan(1_000);
    }

    /**
     * A value is kept from the IP library only when no notation the library reads could write it: the scenarios'
     * target values, and values made of the characters of every notation mixed with others, read the same with and
     * without that screen.
     */
    @Test
    void screeningValuesBeforeTheLibraryChangesNoRange() throws IOException {
        List<String> values = new ArrayList<>(List.of("10.0.0.0/8", "10.0.0.0 – 10.255.255.255", "fe80::1%eth0",
                "fe80::1§eth0", "4)+k&C#VzJ4br>0wv%Yp", "1.2.3.4»1.2.3.9", "1-2.3.4.*", "0x0a.0.0.1", "0b1010.0.0.1",
                "::ffff:1.2.3.4", "[2001:db8::1]", "10.0.0.0-10.255.255.255", "alice@example.org", "every account",
                "1.2.3.4.in-addr.arpa", "fe80-0-0-0-0-0-0-1s1.ipv6-literal.net", "1.2.3.4/24 x", "10.0.0.0—10.0.0.255"));
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.walk(ScenarioTest.DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                json.readTree(Files.readAllBytes(f)).path("targets").forEach(t -> values.add(t.path("value").asString()));
            }
        }
        String alphabet = "0123456789abcdefABCDEFxXsS.:/-*_%[] \u00bb\u00bf\u00a7\u2013\u2014@ghijklmnopqrtuvwyz!#$&()+;<=>?^`{|}~,'";
        Random random = new Random(12);
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            for (int k = random.nextInt(1, 26); k > 0; k--) {
                b.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            values.add(b.toString());
        }
        Normalizer2 nfkc = Normalizer2.getNFKCCasefoldInstance();
        int ranges = 0;
        for (String value : values) {
            String v = nfkc.normalize(value);
            Targets.Range screened = Targets.rangeOfNormalised(v, true);
            assertThat(screened).as(value).isEqualTo(Targets.rangeOfNormalised(v, false));
            ranges += screened == null ? 0 : 1;
        }
        assertThat(ranges).isGreaterThan(10);
        assertThat(Targets.mayBeAddress("alice@example.org")).isFalse();
    }

    /** A prefix length beyond an {@code int}, on which the IP library fails, is no address and no failure. */
    @ParameterizedTest
    @ValueSource(strings = {"1.2.3.4/2147483648", "1.2.3.4/3000000000", "1.2.3.4/3000000000-1.2.3.5"})
    void aPrefixTooLongForTheLibraryIsNoAddress(String value) throws IOException {
        assertThat(Targets.range(value)).isNull();
        assertThat(withTarget("IP", value).rules()).doesNotContain("TARGET_SPECIFICITY");
    }

    /**
     * The common IPv4 notation, and dash ranges between two addresses in it, read without the library give the
     * library's range: on the scenarios' targets, the edge cases (leading zeros, octets above 255, prefixes above 32,
     * fullwidth digits, spaces, ranges backwards, other dashes) and 20,000 values generated from digits, dots,
     * slashes and dashes.
     */
    @Test
    void theDottedQuadShortcutAgreesWithTheLibrary() throws IOException {
        List<String> values = new ArrayList<>(List.of("198.51.100.7", "10.0.0.0/8", "10.0.0.1/8", "0.0.0.0/0",
                "255.255.255.255/32", "256.1.1.1", "01.2.3.4", "1.2.3.4/033", "1.2.3.4/33", "1.2.3.4/", "1.2.3",
                "1.2.3.4.5", "1.2.3.4/8/8", "1..2.3", ".1.2.3", "1.2.3.4 ", "1.2.3.0004", "0.0.0.0", "1.2.3.4/00",
                "１.２.３.４", "1.2.3.4/24 x", "1.2.3.-4", "999.1.1.1", "1.2.3.4/ 8", "10.0.0.0-10.255.255.255",
                "10.255.255.255-10.0.0.0", "1.2.3.4-1.2.3.4", "0.0.0.0-255.255.255.255", "1.2.3.4-01.2.3.5", "1.2.3.4-1.2.3",
                "1.2.3.4-", "-1.2.3.4", "1.2.3.4/8-1.2.3.5", "1.2.3.4-1.2.3.5/24", "1.2.3.4–1.2.3.5"));
        JsonMapper json = JsonMapper.builder().build();
        try (var files = Files.walk(ScenarioTest.DIR)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                json.readTree(Files.readAllBytes(f)).path("targets").forEach(t -> values.add(t.path("value").asString()));
            }
        }
        Random random = new Random(12);
        String alphabet = "0123456789012345678901234567890123456789...////x: ";
        for (int n = 0; n < 20_000; n++) {
            StringBuilder b = new StringBuilder();
            if (n % 2 == 0) { // close to the notation: four numbers, perhaps a prefix, perhaps a dash and four more
                boolean pair = n % 4 == 0;
                for (int end = pair ? 2 : 1; end > 0; end--) {
                    for (int k = 0; k < 4; k++) {
                        b.append(k == 0 ? "" : ".").append(random.nextInt(pair ? 32 : 4) == 0 ? "0" : "")
                                .append(random.nextInt(pair ? 258 : 300));
                    }
                    if (random.nextInt(pair ? 8 : 2) == 0) {
                        b.append('/').append(random.nextInt(4) == 0 ? "0" : "").append(random.nextInt(36));
                    }
                    if (end == 2) {
                        b.append(random.nextInt(8) == 0 ? " - " : random.nextInt(8) == 0 ? "--" : "-");
                    }
                }
            } else {
                for (int k = random.nextInt(1, 20); k > 0; k--) {
                    b.append(alphabet.charAt(random.nextInt(alphabet.length())));
                }
            }
            values.add(b.toString());
        }
        Normalizer2 nfkc = Normalizer2.getNFKCCasefoldInstance();
        int shortcuts = 0;
        int dashed = 0;
        for (String value : values) {
            String v = nfkc.normalize(value);
            Targets.Range quick = Targets.dottedQuad(v.strip());
            if (quick == null) {
                quick = Targets.dashedQuads(v.strip());
                dashed += quick == null ? 0 : 1;
            }
            if (quick != null) {
                shortcuts++;
                assertThat(quick).as(value).isEqualTo(Targets.rangeOfNormalised(v, false));
            }
            assertThat(Targets.rangeOfNormalised(v, true)).as(value).isEqualTo(Targets.rangeOfNormalised(v, false));
        }
        assertThat(shortcuts).as("values read by the shortcuts").isGreaterThan(1_000);
        assertThat(dashed).as("dash ranges read by the shortcut").isGreaterThan(1_000);
    }
}
