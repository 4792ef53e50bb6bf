package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.node.ObjectNode;

/**
 * Reading HI-1 messages without a server: the parser's limits, the header's checks, and how Form 1 and Form 2 become
 * Request v1 documents, on Habeas's own fixtures.
 */
class Hi1ReadingTest {

    private final EevidenceProperties config = Fixtures.properties(null);
    private final EpocReader reader = new EpocReader(Dictionaries.bundled(), 60);

    private Hi1Message message(String fixture, Map<String, String> values) {
        return Hi1Message.read(Hi1.parse(Fixtures.bytes(fixture, values), 64), config);
    }

    private ObjectNode epoc(Map<String, String> values) {
        return reader.read(message("form1-epoc.xml", values), Epoc.Kind.PRODUCTION).request();
    }

    private static Hi1Fault fault(Runnable r) {
        try {
            r.run();
        } catch (Hi1Fault f) {
            return f;
        }
        throw new AssertionError("no fault");
    }

    @Test
    void form1BecomesAProductionRequestUnderTheEEvidenceRegulation() {
        ObjectNode r = epoc(Map.of("AUTH", "0b0e7a31-7c37-4a4e-9a53-3f7b4f0c2a11"));
        assertThat(r.path("instrument").stringValue()).isEqualTo("EU_EEVIDENCE");
        assertThat(r.path("channel").stringValue()).isEqualTo("DIRECT");
        assertThat(r.path("measure").stringValue()).isEqualTo("PRODUCTION");
        assertThat(r.path("requestingState").stringValue()).isEqualTo("DE");
        assertThat(r.path("requestedState").stringValue()).isEqualTo("IE");
        assertThat(r.path("dataCategories").toString()).isEqualTo("[\"SUBSCRIBER\",\"TRAFFIC\"]");
        assertThat(r.path("targets").toString()).isEqualTo(
                "[{\"type\":\"EMAIL\",\"value\":\"suspect@mail.example\"},{\"type\":\"PHONE\",\"value\":\"4915112345678\"}]");
        assertThat(r.path("requestingAuthority").path("name").stringValue()).isEqualTo("Staatsanwaltschaft Beispielstadt");
        assertThat(r.path("requestingAuthority").path("kind").stringValue()).isEqualTo("PROSECUTOR");
        assertThat(r.path("requestingAuthority").path("email").stringValue()).isEqualTo("epoc@sta-beispielstadt.example");
        assertThat(r.path("requestingAuthority").path("phone").stringValue()).isEqualTo("+4930123456");
        // validated by a judge: the order is judicial
        assertThat(r.path("authorization").path("kind").stringValue()).isEqualTo("JUDICIAL");
        assertThat(r.path("authorization").path("issuedBy").stringValue()).isEqualTo("Amtsgericht Beispielstadt");
        assertThat(r.path("authorization").path("reference").stringValue()).isEqualTo("AG-Gs-99/26");
        assertThat(r.path("authorization").path("issuedOn").stringValue()).isEqualTo("2026-11-30");
        assertThat(r.path("period").path("from").stringValue()).isEqualTo("2026-10-01");
        assertThat(r.path("period").path("to").stringValue()).isEqualTo("2026-11-15");
        assertThat(r.has("emergency")).isFalse();
        assertThat(r.path("confidentiality").path("reason").stringValue()).contains("not be informed");
        assertThat(r.path("facts").stringValue()).contains("0b0e7a31-7c37-4a4e-9a53-3f7b4f0c2a11")
                .contains("UserInformation").contains("Only the numbers called");
        assertThat(r.path("reference").stringValue()).startsWith("EPOC-");
    }

    @Test
    void whoValidatedDecidesTheKindOfAuthorization() {
        ObjectNode r = epoc(Map.of("VALIDATOR_ROLE", "PublicProsecutor"));
        assertThat(r.path("authorization").path("kind").stringValue()).isEqualTo("PROSECUTORIAL");
        assertThat(r.path("authorization").has("independent")).isFalse();
        assertThat(fault(() -> epoc(Map.of("VALIDATOR_ROLE", "OtherCompetentAuthority"))).code()).isEqualTo(3007);
    }

    @Test
    void anEightHourOrderIsAnEmergency() {
        ObjectNode r = epoc(Map.of("PRIORITY", "EightHours"));
        assertThat(r.path("channel").stringValue()).isEqualTo("EMERGENCY");
        assertThat(r.path("measure").stringValue()).isEqualTo("PRODUCTION");
        assertThat(r.path("emergency").path("imminent").asBoolean()).isTrue();
    }

    @Test
    void form2BecomesAPreservationRequestForSixtyDaysUnlessAnExpiryIsAsked() {
        Epoc pr = reader.read(message("form2-epoc-pr.xml", Map.of("IP", "192.0.2.10")), Epoc.Kind.PRESERVATION);
        assertThat(pr.request().path("measure").stringValue()).isEqualTo("PRESERVATION");
        assertThat(pr.request().path("preservationDays").asInt()).isEqualTo(60);
        assertThat(pr.request().path("dataCategories").toString()).isEqualTo("[\"SUBSCRIBER\",\"IDENTIFICATION\"]");
        assertThat(pr.request().path("targets").toString()).isEqualTo("[{\"type\":\"IP\",\"value\":\"192.0.2.10\"}]");
        assertThat(pr.documents()).singleElement().satisfies(d -> {
            assertThat(d.name()).isEqualTo("Form2.pdf");
            assertThat(new String(d.content(), StandardCharsets.US_ASCII)).startsWith("%PDF-");
        });
        Epoc longer = reader.read(message("form2-epoc-pr.xml", Map.of("TS", "2026-12-01T10:00:00.000000Z",
                "EXPIRATION", "<task:DesiredPreservationExpiration>2027-03-01T10:00:00Z</task:DesiredPreservationExpiration>")),
                Epoc.Kind.PRESERVATION);
        assertThat(longer.request().path("preservationDays").asInt()).isEqualTo(90);
    }

    @Test
    void aFormSentToTheWrongEndpointIsRefused() {
        Hi1Fault f = fault(() -> reader.read(message("form2-epoc-pr.xml", Map.of()), Epoc.Kind.PRODUCTION));
        assertThat(f.code()).isEqualTo(3001);
        assertThat(f.action()).isEqualTo("1");
        assertThat(f.getMessage()).contains("LPTaskObject");
    }

    @Test
    void anUnknownDictionaryEntryIsRefusedNamingTheElement() {
        Hi1Fault f = fault(() -> epoc(Map.of("TYPE2", "LocationData")));
        assertThat(f.code()).isEqualTo(3007);
        assertThat(f.action()).isEqualTo("2");
        assertThat(f.getMessage()).contains("task:Type").contains("LocationData");
        Hi1Fault p = fault(() -> epoc(Map.of("PRIORITY", "Whenever")));
        assertThat(p.code()).isEqualTo(3007);
        assertThat(p.action()).isEqualTo("0");
        assertThat(p.getMessage()).contains("auth:AuthorisationPriority");
    }

    @Test
    void anIdentifierThatBreaksItsTs103280PatternIsRefused() {
        Hi1Fault f = fault(() -> epoc(Map.of("PHONE", "+49 151 123")));
        assertThat(f.code()).isEqualTo(3007);
        assertThat(f.getMessage()).contains("task:RequestValue/task:Value").contains("InternationalE164");
    }

    @Test
    void aSenderMayNotSetAStatus() {
        String xml = Fixtures.message("form1-epoc.xml", Map.of()).replace("<task:DesiredStatus>",
                "<task:Status><common:Owner>ETSI</common:Owner><common:Name>LDTaskStatus</common:Name>"
                        + "<common:Value>Disclosed</common:Value></task:Status><task:DesiredStatus>");
        Hi1Fault f = fault(() -> reader.read(Hi1Message.read(Hi1.parse(xml.getBytes(StandardCharsets.UTF_8), 64),
                config), Epoc.Kind.PRODUCTION));
        assertThat(f.code()).isEqualTo(3006);
        assertThat(f.getMessage()).contains("task:Status");
    }

    @Test
    void theHeaderIsCheckedToTheSchemasPatterns() {
        assertThat(fault(() -> message("form1-epoc.xml", Map.of("TX", "0B0E7A31-7C37-4A4E-9A53-3F7B4F0C2A11"))))
                .satisfies(f -> {
                    assertThat(f.code()).isEqualTo(3007);
                    assertThat(f.action()).isNull();
                    assertThat(f.getMessage()).contains("Header/TransactionIdentifier");
                });
        assertThat(fault(() -> message("form1-epoc.xml", Map.of("TS", "2026-12-01T10:00:00.000Z"))).getMessage())
                .contains("Header/Timestamp");
        String old = Fixtures.message("form1-epoc.xml", Map.of()).replace("V1.20.1", "V1.5.1");
        Hi1Fault v = fault(() -> Hi1Message.read(Hi1.parse(old.getBytes(StandardCharsets.UTF_8), 64), config));
        assertThat(v.code()).isEqualTo(3021);
        String elsewhere = Fixtures.message("form1-epoc.xml", Map.of()).replace("habeas-test", "another-provider");
        Hi1Fault r = fault(() -> Hi1Message.read(Hi1.parse(elsewhere.getBytes(StandardCharsets.UTF_8), 64), config));
        assertThat(r.getMessage()).contains("Header/ReceiverIdentifier");
    }

    @Test
    void externalEntitiesAreNeverRead(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "TOP-SECRET");
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE HI1Message [<!ENTITY x SYSTEM \"" + secret.toUri()
                + "\">]><HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\">&x;</HI1Message>";
        Hi1Fault f = fault(() -> Hi1.parse(xxe.getBytes(StandardCharsets.UTF_8), 64));
        assertThat(f.code()).isEqualTo(3020);
        assertThat(f.getMessage()).doesNotContain("TOP-SECRET").contains("DOCTYPE");
    }

    @Test
    void entityExpansionAndDeepNestingAreRefused() {
        StringBuilder laughs = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE l [<!ENTITY l0 \"ha\">");
        for (int i = 1; i < 10; i++) {
            laughs.append("<!ENTITY l").append(i).append(" \"").append(("&l" + (i - 1) + ";").repeat(10)).append("\">");
        }
        laughs.append("]><l>&l9;</l>");
        assertThat(fault(() -> Hi1.parse(laughs.toString().getBytes(StandardCharsets.UTF_8), 64)).code()).isEqualTo(3020);
        String deep = "<a>".repeat(100) + "</a>".repeat(100);
        Hi1Fault f = fault(() -> Hi1.parse(deep.getBytes(StandardCharsets.UTF_8), 64));
        assertThat(f.code()).isEqualTo(3020);
        assertThat(Hi1.parse(("<a>".repeat(60) + "</a>".repeat(60)).getBytes(StandardCharsets.UTF_8), 64)).isNotNull();
    }

    @Test
    void notXmlIsAValidationError() {
        assertThatThrownBy(() -> Hi1.parse("{\"json\": true}".getBytes(StandardCharsets.UTF_8), 64))
                .isInstanceOfSatisfying(Hi1Fault.class, f -> assertThat(f.code()).isEqualTo(3020));
        assertThat(fault(() -> Hi1Message.read(Hi1.parse("<Other/>".getBytes(StandardCharsets.UTF_8), 64), config))
                .getMessage()).contains("HI1Message");
    }

    @Test
    void anAnswerEchoesTheHeaderWithANewTimestamp() {
        Hi1Message m = message("form1-epoc.xml", Map.of("TX", "0b0e7a31-7c37-4a4e-9a53-3f7b4f0c2a11",
                "TS", "2026-12-01T10:00:00.000000Z"));
        String xml = new Hi1Responses(java.time.Clock.fixed(java.time.Instant.parse("2026-12-01T10:00:01.5Z"),
                java.time.ZoneOffset.UTC), config).refused(m.header().element(), List.of("0", "1"),
                new Hi1Fault(3007, "1", "task:Type: nope"));
        assertThat(xml).contains("<TransactionIdentifier>0b0e7a31-7c37-4a4e-9a53-3f7b4f0c2a11</TransactionIdentifier>")
                .contains("<Timestamp>2026-12-01T10:00:01.500000Z</Timestamp>")
                .contains("<ErrorCode>3007</ErrorCode>").contains("<ErrorCode>3000</ErrorCode>")
                .contains("<UniqueIdentifier>issuing-authority-1</UniqueIdentifier>");
    }

    @Test
    void aQualifiedDateTimeHasNoFractionalSecondsAsInTs103280() {
        Hi1Fault f = fault(() -> reader.read(message("form2-epoc-pr.xml", Map.of("TS", "2026-12-01T10:00:00.000000Z",
                "EXPIRATION", "<task:DesiredPreservationExpiration>2027-03-01T10:00:00.5Z</task:DesiredPreservationExpiration>")),
                Epoc.Kind.PRESERVATION));
        assertThat(f.code()).isEqualTo(3007);
        assertThat(f.getMessage()).contains("task:DesiredPreservationExpiration");
    }
}
