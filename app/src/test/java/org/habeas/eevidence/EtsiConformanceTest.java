package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * Conformance with ETSI's own material, where the machine has it ({@code ../shared/etsi}, which the Maven profile
 * {@code etsi} detects; ETSI's files are never copied into the repository): Habeas's fixtures and answers validate
 * against the TS 103 120 schemas, and every ETSI example request is parsed, then either read or refused with a
 * precise TS 103 120 error, never an exception of another kind.
 */
class EtsiConformanceTest {

    private final List<Path> schemas = List.of(Fixtures.ETSI.resolve("103120/schema/xsd"), Fixtures.ETSI.resolve("103280"));
    private final EevidenceProperties config = Fixtures.properties(schemas);
    private final Hi1Schemas xsd = Hi1Schemas.load(schemas).orElseThrow();
    private final EpocReader reader = new EpocReader(Dictionaries.bundled(), 60);

    @Test
    void theSchemasComeFromTheFolderAndHabeasFillsOnlyTheMissingNamespaces() {
        assertThat(xsd.sources().get(Hi1.CORE)).endsWith("ts_103120_Core.xsd");
        assertThat(xsd.sources().get(Hi1.TASK)).endsWith("ts_103120_Task.xsd");
        assertThat(xsd.sources().get(Hi1.AUTH)).isEqualTo("Habeas habeas_103120_Authorisation.xsd");
        assertThat(xsd.sources().get(Hi1.DOC)).isEqualTo("Habeas habeas_103120_Document.xsd");
    }

    @Test
    void habeasFixturesValidateAgainstTheSchemas() {
        for (String f : List.of("form1-epoc.xml", "form2-epoc-pr.xml", "getcspconfig.xml", "withdraw.xml",
                "form5-subsequent-production.xml", "form6-preservation-extension.xml", "end-preservation.xml",
                "new-deadline.xml", "grounds-for-refusal.xml", "correspondence.xml", "delivery-status.xml")) {
            Document d = Hi1.parse(Fixtures.bytes(f, Map.of("EXPIRATION",
                    "<task:DesiredPreservationExpiration>2027-03-01T10:00:00Z</task:DesiredPreservationExpiration>")), 64);
            assertThatCode(() -> xsd.validate(d)).as(f).doesNotThrowAnyException();
        }
    }

    @Test
    void aMessageOutOfSchemaOrderIsAValidationErrorNamingTheElement() {
        String xml = Fixtures.message("form1-epoc.xml", Map.of());
        String legal = xml.substring(xml.indexOf("<auth:AuthorisationLegalType>"),
                xml.indexOf("</auth:AuthorisationLegalType>") + "</auth:AuthorisationLegalType>".length());
        String swapped = xml.replace(legal, "").replace("</auth:AuthorisationDesiredStatus>",
                "</auth:AuthorisationDesiredStatus>" + legal);
        Hi1Fault f = org.junit.jupiter.api.Assertions.assertThrows(Hi1Fault.class,
                () -> xsd.validate(Hi1.parse(swapped.getBytes(java.nio.charset.StandardCharsets.UTF_8), 64)));
        assertThat(f.code()).isEqualTo(3020);
        assertThat(f.getMessage()).contains("AuthorisationLegalType");
    }

    @Test
    void habeasAnswersValidateAgainstTheSchemas() {
        Hi1Responses responses = new Hi1Responses(java.time.Clock.systemUTC(), config);
        Hi1Message m = Hi1Message.read(Hi1.parse(Fixtures.bytes("form1-epoc.xml", Map.of()), 64), config);
        List<String> answers = List.of(
                responses.actions(m.header().element(), List.of(Hi1Responses.Result.ok("0", "CREATE", m.actions()
                        .getFirst().object().getElementsByTagNameNS(Hi1.CORE, "ObjectIdentifier").item(0).getTextContent()))),
                responses.refused(m.header().element(), List.of("0", "1", "2", "3"), new Hi1Fault(3007, "2", "x")),
                responses.message(m.header().element(), Hi1Fault.message(3021, "version")),
                responses.message(null, Hi1Fault.message(3020, "not XML")),
                responses.actions(m.header().element(), List.of(Hi1Responses.Result.ok("0", "GETCSPCONFIG",
                        "2026-08-18T00:00:00Z"))));
        for (String a : answers) {
            assertThatCode(() -> xsd.validate(Hi1.parse(a.getBytes(java.nio.charset.StandardCharsets.UTF_8), 64)))
                    .as(a).doesNotThrowAnyException();
        }
    }

    @Test
    void everyEtsiExampleIsParsedAndReadOrPreciselyRefusedNoneSkipped() throws IOException {
        Path examples = Fixtures.ETSI.resolve("103120/examples/xml");
        List<Path> all;
        try (Stream<Path> files = Files.list(examples)) {
            all = files.sorted().toList();
        }
        // a schema among the examples (request5-XML-Delivery.xml carries data of FooServiceSchema.xsd) is one an
        // operator adds to the schema folders: the whole folder is given, so every .xsd in it is loaded
        Hi1Schemas xsd = Hi1Schemas.load(List.of(schemas.get(0), schemas.get(1), examples)).orElseThrow();
        Map<String, String> outcome = new TreeMap<>();
        for (Path p : all) {
            String name = p.getFileName().toString();
            if (name.endsWith(".xsd")) {
                assertThat(xsd.sources().values()).as(name + " is loaded as a schema").anyMatch(s -> s.endsWith(name));
                outcome.put(name, "schema");
                continue;
            }
            assertThat(name).as("an example Habeas does not know how to treat").endsWith(".xml");
            byte[] bytes = Files.readAllBytes(p);
            String result;
            try {
                // the receiver's own order: parse, validate, read the envelope, then the order
                Document d = Hi1.parse(bytes, 64);
                xsd.validate(d);
                // each example is read as its addressee would: the examples are addressed to various XX actors under
                // the "XX" profile, in versions older than the e-Evidence ones
                org.w3c.dom.Element to = Hi1.path(d.getDocumentElement(), Hi1.CORE, "Header", Hi1.CORE,
                        "ReceiverIdentifier").orElseThrow();
                EevidenceProperties lenient = new EevidenceProperties(null, null, "", "PKCS12", Map.of(),
                        Hi1.text(to, Hi1.CORE, "CountryCode").orElseThrow(), Hi1.text(to, Hi1.CORE, "UniqueIdentifier")
                                .orElseThrow(), List.of("V1.13.1", "V1.14.1", "V1.16.1", "V1.18.1", "V1.20.1",
                                        "V1.22.1", "V1.23.1"), "XX", "v1.0", schemas, 1 << 20, 64, "", null);
                Hi1Message m = Hi1Message.read(d, lenient);
                if (m.actions().stream().allMatch(a -> "GETCSPCONFIG".equals(a.verb()))) {
                    result = "GETCSPCONFIG";
                } else {
                    boolean preservation = new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                            .contains("task:LPTaskObject");
                    reader.read(m, preservation ? Epoc.Kind.PRESERVATION : Epoc.Kind.PRODUCTION);
                    result = "EPOC";
                }
            } catch (Hi1Fault f) {
                assertThat(f.getMessage()).as(name).isNotBlank();
                result = f.code() + (f.action() == null ? "" : " (action " + f.action() + ")") + ": " + f.getMessage();
            }
            outcome.put(name, result);
        }
        outcome.forEach((k, v) -> System.out.println("ETSI example " + k + " → " + v));
        // nothing in the folder is left out
        assertThat(outcome.keySet()).containsExactlyInAnyOrderElementsOf(all.stream().map(p -> p.getFileName().toString())
                .toList());
        assertThat(outcome).hasSizeGreaterThanOrEqualTo(20);
        // the capability queries are answered; none of the requests (LI, LD without a form, ...) is an EPOC
        assertThat(outcome.get("request_ee_config.xml")).isEqualTo("GETCSPCONFIG");
        assertThat(outcome.get("request_config.xml")).isEqualTo("GETCSPCONFIG");
        outcome.forEach((k, v) -> {
            if (!v.equals("schema") && !v.equals("GETCSPCONFIG")) {
                assertThat(v).as(k).matches("30[0-2][0-9].*");
                // read past the envelope: each is refused for what it carries, not for whom it is addressed to
                assertThat(v).as(k).doesNotContain("Header/");
            }
            // a response sent to a receiver is refused as such, naming the missing request payload
            if (k.startsWith("response")) {
                assertThat(v).as(k).startsWith("3001: Payload/RequestPayload is missing");
            }
        });
    }

    @Test
    void everyTs103120DictionaryEntryHabeasAcceptsIsInEtsisDictionaryFile() throws Exception {
        Path file = Fixtures.ETSI.resolve("103120/dictionaries/ts_103120_ETSIDictionaryDefinitions.xml");
        Document d = Hi1.parse(Files.readAllBytes(file), 64);
        String ns = "http://uri.etsi.org/03280/common/2019/10/Dictionaries";
        Map<String, java.util.Set<String>> etsi = new TreeMap<>();
        for (org.w3c.dom.Element dict : Hi1.children(d.getDocumentElement(), ns, "Dictionary")) {
            String key = Hi1.text(dict, ns, "Owner").orElseThrow() + "/" + Hi1.text(dict, ns, "Name").orElseThrow();
            java.util.Set<String> values = new java.util.TreeSet<>();
            Hi1.child(dict, ns, "DictionaryEntries").ifPresent(e -> Hi1.children(e, ns, "DictionaryEntry")
                    .forEach(x -> values.add(Hi1.text(x, ns, "Value").orElseThrow())));
            etsi.put(key, values);
        }
        assertThat(etsi).containsKey("ETSI/RequestType");
        tools.jackson.databind.JsonNode bundled;
        try (java.io.InputStream in = getClass().getResourceAsStream("/eevidence/dictionaries.yaml")) {
            bundled = tools.jackson.dataformat.yaml.YAMLMapper.builder().build().readTree(in);
        }
        int checked = 0;
        for (tools.jackson.databind.JsonNode entry : bundled) {
            String key = entry.path("owner").stringValue() + "/" + entry.path("name").stringValue();
            String source = entry.path("source").stringValue();
            if (source.startsWith("TS 103 120")) {
                assertThat(etsi).as(key + " is a TS 103 120 dictionary").containsKey(key);
                for (tools.jackson.databind.JsonNode v : entry.path("values")) {
                    assertThat(etsi.get(key)).as(key).contains(v.stringValue());
                    checked++;
                }
                for (tools.jackson.databind.JsonNode v : entry.path("profileValues")) {
                    assertThat(etsi.get(key)).as(key + " profile value " + v.stringValue() + " is marked as not ETSI's")
                            .doesNotContain(v.stringValue());
                }
            } else {
                // the e-Evidence profile's own dictionaries (TS 104 144 Annex C) are not in this file
                assertThat(source).as(key).contains("TS 104 144");
                assertThat(etsi).as(key + " is not a TS 103 120 dictionary").doesNotContainKey(key);
            }
        }
        assertThat(checked).isGreaterThan(30);
    }
}
