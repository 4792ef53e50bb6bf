package org.habeas.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CanonicalJsonTest {

    private final JsonMapper mapper = JsonMapper.builder().build();

    /** RFC 8785 Appendix B: IEEE 754 bit patterns and their canonical spelling. */
    @ParameterizedTest
    @CsvSource({
        "0000000000000000, 0",
        "8000000000000000, 0",
        "0000000000000001, 5e-324",
        "8000000000000001, -5e-324",
        "7fefffffffffffff, 1.7976931348623157e+308",
        "ffefffffffffffff, -1.7976931348623157e+308",
        "4340000000000000, 9007199254740992",
        "c340000000000000, -9007199254740992",
        "4430000000000000, 295147905179352830000",
        "44b52d02c7e14af5, 9.999999999999997e+22",
        "44b52d02c7e14af6, 1e+23",
        "44b52d02c7e14af7, 1.0000000000000001e+23",
        "444b1ae4d6e2ef4e, 999999999999999700000",
        "444b1ae4d6e2ef4f, 999999999999999900000",
        "444b1ae4d6e2ef50, 1e+21",
        "3eb0c6f7a0b5ed8c, 9.999999999999997e-7",
        "3eb0c6f7a0b5ed8d, 0.000001",
        "41b3de4355555553, 333333333.3333332",
        "41b3de4355555554, 333333333.33333325",
        "41b3de4355555555, 333333333.3333333",
        "41b3de4355555556, 333333333.3333334",
        "41b3de4355555557, 333333333.33333343",
        "becbf647612f3696, -0.0000033333333333333333",
        "43143ff3c1cb0959, 1424953923781206.2"
    })
    void writesNumbersAsEcmaScriptDoes(String bits, String expected) {
        double v = Double.longBitsToDouble(Long.parseUnsignedLong(bits, 16));
        assertThat(CanonicalJson.number(v)).isEqualTo(expected);
    }

    /** Any finite double's canonical spelling reads back as the same double, and is never longer than Java's. */
    @Test
    void numbersRoundTrip() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(8785);
        for (int i = 0; i < 200_000; i++) {
            double v = Double.longBitsToDouble(random.nextLong());
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                continue;
            }
            String s = CanonicalJson.number(v);
            assertThat(Double.parseDouble(s)).isEqualTo(v == 0 ? 0.0 : v);
            assertThat(significantDigits(s)).isLessThanOrEqualTo(significantDigits(Double.toString(v)));
        }
    }

    private static int significantDigits(String number) {
        return number.replaceAll("[eE].*", "").replaceAll("[-.]", "").replaceFirst("^0+", "").replaceFirst("0+$", "").length();
    }

    @Test
    void refusesNaNAndInfinity() {
        assertThatThrownBy(() -> CanonicalJson.number(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalJson.number(Double.POSITIVE_INFINITY)).isInstanceOf(IllegalArgumentException.class);
    }

    /** RFC 8785 §3.2.3: members sorted by UTF-16 code units, recursively; whitespace removed. */
    @Test
    void refusesToWriteALoneSurrogateInAValueOrAName() {
        for (String input : List.of("\"a\\ud800\"", "\"\\udc00b\"", "[\"x\\ud800\\ud800\\udc00\"]",
                "{\"k\":{\"n\":\"\\udbff\"}}", "{\"\\ud800\":1}")) {
            JsonNode node = mapper.readTree(input);
            Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> CanonicalJson.write(node));
            assertThat(thrown).as(input + " read as " + node + " " + node.toString().chars().mapToObj(Integer::toHexString).toList())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("lone surrogate");
        }
        // a pair is one character, written as itself
        assertThat(CanonicalJson.write(mapper.readTree("\"\\ud83d\\ude00\""))).isEqualTo("\"\ud83d\ude00\"");
    }

    @Test
    void sortsMembersByUtf16CodeUnits() {
        String input = """
                {
                  "\\u20ac": "Euro Sign",
                  "\\r": "Carriage Return",
                  "\\ufb33": "Hebrew Letter Dalet With Dagesh",
                  "1": "One",
                  "\\ud83d\\ude00": "Emoji: Grinning Face",
                  "\\u0080": "Control",
                  "\\u00f6": "Latin Small Letter O With Diaeresis"
                }""";
        String out = CanonicalJson.write(mapper.readTree(input));
        assertThat(out).isEqualTo("{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\","
                + "\"\u00f6\":\"Latin Small Letter O With Diaeresis\",\"\u20ac\":\"Euro Sign\","
                + "\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}");
    }

    /** RFC 8785 §3.2.2.2 and the example of §3.2.4. */
    @Test
    void escapesStringsAsJsonStringifyDoes() {
        String input = "{\"numbers\": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],"
                + " \"string\": \"\\u20ac$\\u000F\\u000aA'\\u0042\\u0022\\u005c\\\\\\\"\\/\","
                + " \"literals\": [null, true, false]}";
        String out = CanonicalJson.write(mapper.readTree(input));
        assertThat(out).isEqualTo("{\"literals\":[null,true,false],"
                + "\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
                + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}");
    }

    @Test
    void documentsThatDifferOnlyInLayoutCanonicalizeAlike() {
        String a = CanonicalJson.write(mapper.readTree("{\"b\": [1, 2.0, {\"y\": 1, \"x\": null}], \"a\": \"é\"}"));
        String b = CanonicalJson.write(mapper.readTree("{\"a\":\"\\u00e9\",\"b\":[1.0,2,{\"x\":null,\"y\":1e0}]}"));
        assertThat(a).isEqualTo(b).isEqualTo("{\"a\":\"é\",\"b\":[1,2,{\"x\":null,\"y\":1}]}");
    }
}
