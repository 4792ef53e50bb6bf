package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

import tools.jackson.databind.node.ObjectNode;

class RequestValidatorTest {

    private final RequestValidator validator = new RequestValidator();

    static Stream<String> demoFiles() throws IOException {
        return Stream.of(new PathMatchingResourcePatternResolver().getResources("classpath:demo/*.json"))
                .map(Resource::getFilename).sorted();
    }

    @ParameterizedTest
    @MethodSource("demoFiles")
    void everyDemoSampleIsValid(String file) {
        assertThat(validator.validate(bytes(Samples.demo(file)))).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void thereAreAboutTwentyDemoSamplesCoveringEveryMeasure() throws IOException {
        List<String> files = demoFiles().toList();
        assertThat(files).hasSizeBetween(18, 25);
        assertThat(files.stream().map(f -> Samples.parse(Samples.demo(f)).get("measure").stringValue()).distinct())
                .containsExactlyInAnyOrderElementsOf(validator.allowedValues("measure"));
    }

    @Test
    void aValidRequestIsCanonicalized() {
        var result = validator.validate(bytes("  " + Samples.demo("02-de-ransomware-preservation.json") + "\n"));
        assertThat(result).isInstanceOfSatisfying(Validation.Valid.class, v -> {
            assertThat(v.canonical()).startsWith("{\"authorization\":{").doesNotContain("\n").doesNotContain(": ");
        });
    }

    @Test
    void malformedJsonIsNotAValidationError() {
        assertThat(validator.validate(bytes("{\"reference\": "))).isInstanceOf(Validation.Malformed.class);
        assertThat(validator.validate(bytes(""))).isInstanceOf(Validation.Malformed.class);
        assertThat(validator.validate(bytes("{} {}"))).isInstanceOf(Validation.Malformed.class);
    }

    @Test
    void duplicateMemberNamesAreRefused() {
        String twice = Samples.demo("01-fr-fraud.json").replaceFirst("\\{", "{\"measure\": \"PRESERVATION\",");
        assertThat(validator.validate(bytes(twice)))
                .isInstanceOfSatisfying(Validation.Malformed.class, m -> assertThat(m.detail()).contains("measure"));
    }

    @Test
    void kosovoIsKnownByTheUserAssignedCodeXkButNoOtherUserAssignedCode() {
        ObjectNode r = Samples.production();
        r.put("requestingState", "XK");
        assertThat(validator.validate(bytes(Samples.json(r)))).isInstanceOf(Validation.Valid.class);
        r.put("requestingState", "XA");
        assertThat(pointers(r)).containsExactly("/requestingState");
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsPointer() {
        ObjectNode r = Samples.production();
        r.remove("facts");
        r.put("instrument", "TREATY_OF_NOWHERE");
        r.put("requestingState", "XX");
        r.put("requestedState", "fr");
        r.put("colour", "blue");
        r.putArray("targets");
        r.putArray("dataCategories");
        ((ObjectNode) r.get("offence")).put("description", "   ");
        ((ObjectNode) r.get("offence")).put("unknown", 1);
        ((ObjectNode) r.get("period")).put("from", "2026-12-01").put("to", "2026-01-01");
        ((ObjectNode) r.get("authorization")).put("issuedOn", "yesterday");
        r.put("preservationDays", 30);
        r.put("durationDays", 10);
        r.putObject("emergency").put("threat", "LIFE").put("imminent", true).put("justification", "x");
        r.putObject("onwardTransfer").put("toState", "ZZ");

        assertThat(pointers(r)).containsExactly(
                "/authorization/issuedOn",
                "/colour",
                "/dataCategories",
                "/durationDays",
                "/emergency",
                "/facts",
                "/instrument",
                "/offence/description",
                "/offence/unknown",
                "/onwardTransfer/toState",
                "/period/to",
                "/preservationDays",
                "/requestedState",
                "/requestingState",
                "/targets");
    }

    @Test
    void emergencyIsRequiredForEmergencyChannelAndMeasure() {
        ObjectNode byChannel = Samples.production();
        byChannel.put("channel", "EMERGENCY");
        assertThat(pointers(byChannel)).containsExactly("/emergency");

        ObjectNode byMeasure = Samples.production();
        byMeasure.put("measure", "EMERGENCY_DISCLOSURE");
        assertThat(pointers(byMeasure)).containsExactly("/emergency");

        byMeasure.putObject("emergency").put("threat", "SERIOUS_INJURY").put("imminent", false).put("justification", "j");
        assertThat(validator.validate(bytes(Samples.json(byMeasure)))).isInstanceOf(Validation.Valid.class);
    }

    @Test
    void measureSpecificDurationsBelongToTheirMeasure() {
        ObjectNode realtime = Samples.production();
        realtime.put("measure", "REALTIME_TRAFFIC");
        realtime.put("durationDays", 30);
        assertThat(validator.validate(bytes(Samples.json(realtime)))).isInstanceOf(Validation.Valid.class);

        realtime.put("preservationDays", 30);
        assertThat(pointers(realtime)).containsExactly("/preservationDays");
    }

    @Test
    void nonObjectsAndMissingRequiredFieldsAreNamed() {
        assertThat(pointers(bytes("[]"))).containsExactly("");
        assertThat(pointers(bytes("{}"))).containsExactly("/channel", "/dataCategories", "/facts", "/instrument",
                "/measure", "/offence", "/reference", "/requestedState", "/requestingAuthority", "/requestingState",
                "/targets");
    }

    private List<String> pointers(ObjectNode request) {
        return pointers(bytes(Samples.json(request)));
    }

    private List<String> pointers(byte[] body) {
        var result = validator.validate(body);
        assertThat(result).isInstanceOf(Validation.Invalid.class);
        return ((Validation.Invalid) result).errors().stream().map(FieldError::pointer).distinct().toList();
    }

    /** A production request with {@code member} replaced by raw JSON text (so that escapes and numbers stay as written). */
    private static String withRaw(String member, String rawValue) {
        ObjectNode r = Samples.production();
        r.put(member, "@@");
        return Samples.json(r).replace("\"@@\"", rawValue);
    }

    private Validation.Invalid invalid(byte[] body) {
        Validation v = validator.validate(body);
        assertThat(v).isInstanceOf(Validation.Invalid.class);
        return (Validation.Invalid) v;
    }

    @Test
    void stringsThatAreNotUnicodeTextAreRefusedNotAltered() {
        // a lone surrogate, noncharacters (U+FFFE, U+FDD0, U+10FFFF) and NUL: refused with the field named
        // a lone surrogate: not Unicode text at all, so the body is malformed, the field still named
        for (String raw : List.of("\"A\\uD800B\"", "\"A\\uDC00\"")) {
            assertThat(validator.validate(bytes(withRaw("reference", raw)))).as(raw).isInstanceOfSatisfying(
                    Validation.Malformed.class, m -> assertThat(m.errors()).extracting(FieldError::pointer)
                            .containsExactly("/reference"));
        }
        for (String raw : List.of("\"x\\uFFFE\"", "\"x\\uFDD0\"",
                "\"x\\uDBFF\\uDFFF\"", "\"x\\u0000y\"", "\"x\uDBFF\uDFFF\"")) {
            assertThat(invalid(bytes(withRaw("reference", raw))).errors())
                    .as(raw).extracting(FieldError::pointer).containsExactly("/reference");
        }
        // a surrogate encoded in UTF-8 (CESU) is not UTF-8
        byte[] cesu = withRaw("reference", "\"@\"").getBytes(StandardCharsets.UTF_8);
        int at = new String(cesu, StandardCharsets.ISO_8859_1).indexOf("\"@\"") + 1;
        byte[] body = new byte[cesu.length + 2];
        System.arraycopy(cesu, 0, body, 0, at);
        body[at] = (byte) 0xED;
        body[at + 1] = (byte) 0xA0;
        body[at + 2] = (byte) 0x80;
        System.arraycopy(cesu, at + 1, body, at + 3, cesu.length - at - 1);
        assertThat(validator.validate(body)).isInstanceOfSatisfying(Validation.Malformed.class,
                m -> assertThat(m.detail()).contains("not UTF-8"));
        // member names too
        assertThat(invalid(bytes("{\"a\\u0000\": 1}")).errors()).extracting(FieldError::pointer).contains("/a\u0000");
        // astral characters that are text stay valid
        assertThat(validator.validate(bytes(withRaw("reference", "\"ref \uD83D\uDE00\""))))
                .isInstanceOf(Validation.Valid.class);
    }

    @Test
    void numbersOutOfRangeAreRefusedBeforeTheSchema() {
        ObjectNode preservation = (ObjectNode) Samples.parse(Samples.demo("02-de-ransomware-preservation.json"));
        for (String n : List.of("123456789012345678901234567890.5", "1e400", "1e99999999999", "9007199254740993", "1e-400",
                "3.14159265358979323846")) {
            String body = Samples.json(preservation.put("preservationDays", 424242)).replace("424242", n);
            assertThat(invalid(bytes(body)).errors()).as(n)
                    .singleElement().satisfies(e -> assertThat(e.pointer()).isEqualTo("/preservationDays"));
        }
    }

    @Test
    void instantsAreParsedStrictly() {
        for (String t : List.of("2016-12-31T23:59:60Z", "2026-01-01T00:00:00.123456789012Z")) {
            assertThat(invalid(bytes(withRaw("receivedAt", "\"" + t + "\""))).errors()).as(t)
                    .extracting(FieldError::pointer).containsExactly("/receivedAt");
        }
        assertThat(validator.validate(bytes(withRaw("receivedAt", "\"2026-01-01T00:00:00.123456789Z\""))))
                .isInstanceOf(Validation.Valid.class);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
