package org.habeas.eevidence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.net.ssl.SSLContext;

import org.habeas.accounts.AccessRecord;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The e-Evidence endpoints end to end, over mutual TLS with certificates made in the test, once per database (see
 * the subclasses): an EPOC and an EPOC-PR become assessed requests with their message and form kept; a repeated
 * message creates nothing; every refusal names the element, uses the profile's error code, and stores nothing;
 * only a member state's certificate gets in, and only for its own state.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
abstract class EevidenceContract {

    static final Path PKI = TestDatabases.home("eevidence-pki");
    static final TestPki.Issued HABEAS_CA = TestPki.ca("Habeas test server CA");
    static final TestPki.Issued SERVER = TestPki.issue(HABEAS_CA, "localhost", "localhost");
    static final TestPki.Issued DE_CA = TestPki.ca("DE e-Evidence system CA");
    static final TestPki.Issued DE_SYSTEM = TestPki.issue(DE_CA, "de-national-system", null);
    static final TestPki.Issued FR_CA = TestPki.ca("FR e-Evidence system CA");
    static final TestPki.Issued FR_SYSTEM = TestPki.issue(FR_CA, "fr-national-system", null);
    static final TestPki.Issued ROGUE_CA = TestPki.ca("Nobody's CA");
    static final TestPki.Issued ROGUE = TestPki.issue(ROGUE_CA, "intruder", null);

    /** The e-Evidence settings every subclass adds to its database's. */
    static void eevidence(DynamicPropertyRegistry r) {
        r.add("habeas.eevidence.port", () -> "0");
        r.add("habeas.eevidence.key-store", () -> TestPki.pkcs12(PKI, "server.p12", SERVER).toString());
        r.add("habeas.eevidence.key-store-password", () -> new String(TestPki.PASSWORD));
        r.add("habeas.eevidence.member-states.DE.certificates", () -> TestPki.pem(PKI, "de-ca.pem", DE_CA.certificate()).toString());
        r.add("habeas.eevidence.member-states.FR.certificates", () -> TestPki.pem(PKI, "fr-ca.pem", FR_CA.certificate()).toString());
        r.add("habeas.eevidence.receiver-country", () -> "IE");
        r.add("habeas.eevidence.receiver-identifier", () -> "habeas-test");
        r.add("habeas.eevidence.max-message-bytes", () -> "262144");
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    EevidenceReceiver receiver;

    @Autowired
    EevidenceConfiguration.MutualTlsConnector connector;

    @Autowired
    AccessRecord access;

    @LocalServerPort
    int plainPort;

    TestAccounts accounts;

    @BeforeEach
    void bindTheGermanSender() {
        accounts = TestAccounts.of(context);
        receiver.bind("DE", "issuing-authority-1", accounts.agencyB.id());
    }

    record Reply(int status, String body) {
    }

    Reply post(TestPki.Issued client, String endpoint, byte[] body) throws IOException, InterruptedException {
        SSLContext ssl = TestPki.client(client, HABEAS_CA);
        try (HttpClient http = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(10)).build()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("https://localhost:" + connector.port()
                    + "/eevidence/" + endpoint)).header("Content-Type", "application/xml")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        }
    }

    Reply post(String endpoint, byte[] body) throws IOException, InterruptedException {
        return post(DE_SYSTEM, endpoint, body);
    }

    /** Rows in every table an order writes to. */
    Map<String, Long> counts() {
        Map<String, Long> out = new java.util.TreeMap<>();
        for (String t : new String[] {"intake_request", "intake_document", "eevidence_message", "eevidence_object",
                "safeguards_assessment", "casework_case"}) {
            out.put(t, jdbc.sql("select count(*) from " + t).query(Long.class).single());
        }
        return out;
    }

    UUID requestOf(String authorisationId) {
        return jdbc.sql("select id from intake_request where idempotency_key = :k").param("k", "eevidence:" + authorisationId)
                .query(UUID.class).single();
    }

    @Test
    void anEpocBecomesOneAssessedRequestKeepingTheMessageAndTheSignedForm() throws Exception {
        String auth = UUID.randomUUID().toString();
        String task1 = UUID.randomUUID().toString();
        String doc = UUID.randomUUID().toString();
        byte[] message = Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth, "TASK1", task1, "DOC", doc));
        Reply r = post("production", message);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation")
                .contains("<Identifier>" + auth + "</Identifier>").contains("<Identifier>" + task1 + "</Identifier>")
                .contains("<Identifier>" + doc + "</Identifier>")
                .contains("<SenderIdentifier>").contains("<UniqueIdentifier>issuing-authority-1</UniqueIdentifier>");
        assertThat(r.body().split("<ActionResponse>", -1)).hasSize(5);
        UUID id = requestOf(auth);
        Map<String, Object> row = jdbc.sql("select instrument, channel, measure, requesting_state, requested_state, "
                + "target_count from intake_request where id = :id").param("id", id).query().singleRow();
        assertThat(row).containsEntry("instrument", "EU_EEVIDENCE").containsEntry("channel", "DIRECT")
                .containsEntry("measure", "PRODUCTION").containsEntry("requesting_state", "DE")
                .containsEntry("requested_state", "IE").containsEntry("target_count", 2);
        assertThat(jdbc.sql("select count(*) from safeguards_assessment where request_id = :id").param("id", id)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select sha256 from intake_document where request_id = :id order by filename").param("id", id)
                .query(String.class).list()).containsExactlyInAnyOrder(EevidenceReceiver.sha256(message),
                        "19d0c1b407ca18a57726ae4b806fe8835a2f2a7ae57bd71e292e7ff099eba09e");
        assertThat(jdbc.sql("select object_type from eevidence_object where request_id = :id order by object_type")
                .param("id", id).query(String.class).list())
                .containsExactly("AuthorisationObject", "DocumentObject", "LDTaskObject", "LDTaskObject");
    }

    @Test
    void aRepeatedMessageIsAnsweredAsTheFirstTimeAndCreatesNothing() throws Exception {
        byte[] message = Fixtures.bytes("form1-epoc.xml", Map.of());
        Reply first = post("production", message);
        Map<String, Long> before = counts();
        Reply again = post("production", message);
        assertThat(again.body()).isEqualTo(first.body());
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aTransactionIdentifierUsedForAnotherMessageIsRefused() throws Exception {
        String tx = UUID.randomUUID().toString();
        post("production", Fixtures.bytes("form1-epoc.xml", Map.of("TX", tx)));
        Map<String, Long> before = counts();
        Reply r = post("production", Fixtures.bytes("form1-epoc.xml", Map.of("TX", tx)));
        assertThat(r.body()).contains("<ErrorCode>3000</ErrorCode>").contains("Header/TransactionIdentifier")
                .doesNotContain("<ActionResponse>");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void theSameOrderInAnotherTransactionAlreadyExists() throws Exception {
        Map<String, String> ids = Map.of("AUTH", UUID.randomUUID().toString(), "TASK1", UUID.randomUUID().toString(),
                "TASK2", UUID.randomUUID().toString(), "DOC", UUID.randomUUID().toString(), "REF", "same",
                "TS", "2026-12-01T10:00:00.000000Z");
        post("production", Fixtures.bytes("form1-epoc.xml", ids));
        Map<String, Long> before = counts();
        Map<String, String> again = new java.util.HashMap<>(ids);
        again.put("TX", UUID.randomUUID().toString());
        Reply r = post("production", Fixtures.bytes("form1-epoc.xml", again));
        assertThat(r.body()).contains("<ErrorCode>3010</ErrorCode>").contains("exists already");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anEpocPrBecomesAPreservationRequestForTheRegulationsPeriod() throws Exception {
        String auth = UUID.randomUUID().toString();
        Reply r = post("preservation", Fixtures.bytes("form2-epoc-pr.xml", Map.of("AUTH", auth)));
        assertThat(r.body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        UUID id = requestOf(auth);
        String body = jdbc.sql("select body from intake_request where id = :id").param("id", id).query(String.class).single();
        assertThat(body).contains("\"measure\":\"PRESERVATION\"").contains("\"preservationDays\":60")
                .contains("\"instrument\":\"EU_EEVIDENCE\"");
    }

    @Test
    void anInvalidOrderIsRefusedWholeNamingTheElementAndLeavesNothing() throws Exception {
        Map<String, Long> before = counts();
        Reply r = post("production", Fixtures.bytes("form1-epoc.xml", Map.of("TYPE2", "LocationData")));
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("<ErrorCode>3007</ErrorCode>").contains("task:Type")
                .doesNotContain("<CREATEResponse>");
        // four actions answered: the faulty one, and three not applied
        assertThat(r.body().split("<ErrorCode>3000</ErrorCode>", -1)).hasSize(4);
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void xxeAndOversizedMessagesAreRefusedAndNothingIsStored() throws Exception {
        Map<String, Long> before = counts();
        String xxe = "<?xml version=\"1.0\"?><!DOCTYPE HI1Message [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>"
                + "<HI1Message xmlns=\"http://uri.etsi.org/03120/common/2019/10/Core\">&x;</HI1Message>";
        Reply r = post("production", xxe.getBytes(StandardCharsets.UTF_8));
        assertThat(r.body()).contains("<ErrorCode>3020</ErrorCode>").doesNotContain("root:");
        Reply big = post("production", ("<x>" + "a".repeat(300_000) + "</x>").getBytes(StandardCharsets.UTF_8));
        assertThat(big.body()).contains("<ErrorCode>3022</ErrorCode>");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void anotherStatesCertificateCannotSpeakForThisOne() throws Exception {
        Map<String, Long> before = counts();
        Reply r = post(FR_SYSTEM, "production", Fixtures.bytes("form1-epoc.xml", Map.of()));
        assertThat(r.body()).contains("<ErrorCode>3007</ErrorCode>").contains("Header/SenderIdentifier/CountryCode");
        assertThat(counts()).isEqualTo(before);
        assertThat(access.list(null, null, "EEVIDENCE_REFUSED", 5)).anySatisfy(e ->
                assertThat(e.detail()).contains("the client certificate is FR's"));
    }

    @Test
    void anUnregisteredSenderIsRefusedAndRecorded() throws Exception {
        String xml = Fixtures.message("form1-epoc.xml", Map.of()).replace(
                "<SenderIdentifier><CountryCode>DE</CountryCode><UniqueIdentifier>issuing-authority-1",
                "<SenderIdentifier><CountryCode>DE</CountryCode><UniqueIdentifier>unknown-authority");
        Reply r = post("production", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.body()).contains("<ErrorCode>3007</ErrorCode>").contains("DE/unknown-authority");
        assertThat(access.list(null, "DE/unknown-authority", "EEVIDENCE_REFUSED", 5)).isNotEmpty();
    }

    @Test
    void aCertificateNoMemberStateIssuedCannotConnect() {
        assertThatThrownBy(() -> post(ROGUE, "production", Fixtures.bytes("form1-epoc.xml", Map.of())))
                .isInstanceOf(IOException.class);
        assertThatThrownBy(() -> post(null, "production", Fixtures.bytes("form1-epoc.xml", Map.of())))
                .isInstanceOf(IOException.class);
    }

    @Test
    void withoutTheMutualTlsConnectorTheEndpointsAreForbidden() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/eevidence/production")).POST(HttpRequest.BodyPublishers.ofByteArray(
                            Fixtures.bytes("form1-epoc.xml", Map.of()))).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void theCapabilityQueryIsAnsweredAndAnUnknownEndpointIsNotFound() throws Exception {
        Reply r = post("production", Fixtures.bytes("getcspconfig.xml", Map.of()));
        assertThat(r.body()).contains("<GETCSPCONFIGResponse>").contains("<TargetingConfigurations/>");
        assertThat(post("nosuchthing", Fixtures.bytes("getcspconfig.xml", Map.of())).status()).isEqualTo(404);
        Reply later = post("newdeadline", Fixtures.bytes("form1-epoc.xml", Map.of()));
        assertThat(later.body()).contains("<ErrorCode>3001</ErrorCode>").contains("/eevidence/newdeadline");
    }

    @Test
    void anAdministratorBindsASenderToAnAgencyAndBadInputNamesTheField() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/api/v1/eevidence/senders")).header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ADMIN))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"country\":\"de\",\"identifier\":\"x\",\"agencyId\":\""
                            + UUID.randomUUID() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(bad.statusCode()).isEqualTo(422);
            assertThat(bad.body()).contains("/country").contains("/agencyId").doesNotContain("/identifier");
            String sender = "issuing-authority-" + UUID.randomUUID().toString().substring(0, 6);
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/api/v1/eevidence/senders")).header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ADMIN))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"country\":\"DE\",\"identifier\":\"" + sender
                            + "\",\"agencyId\":\"" + accounts.agencyB.id() + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(201);
            String xml = Fixtures.message("form1-epoc.xml", Map.of()).replace(
                    "<UniqueIdentifier>issuing-authority-1</UniqueIdentifier></SenderIdentifier>",
                    "<UniqueIdentifier>" + sender + "</UniqueIdentifier></SenderIdentifier>");
            assertThat(post("production", xml.getBytes(StandardCharsets.UTF_8)).body()).contains("<CREATEResponse>")
                    .doesNotContain("ErrorInformation");
        }
    }

    @Test
    void theIssuingAuthorityWithdrawsItsOrderOnce() throws Exception {
        String auth = UUID.randomUUID().toString();
        post("production", Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth)));
        UUID id = requestOf(auth);
        Reply r = post("withdraw", Fixtures.bytes("withdraw.xml", Map.of("AUTH", auth)));
        assertThat(r.body()).contains("<UPDATEResponse>").contains("<Identifier>" + auth + "</Identifier>")
                .doesNotContain("ErrorInformation");
        assertThat(jdbc.sql("select state from casework_case where request_id = :id").param("id", id)
                .query(String.class).single()).isEqualTo("WITHDRAWN");
        Reply again = post("withdraw", Fixtures.bytes("withdraw.xml", Map.of("AUTH", auth)));
        assertThat(again.body()).contains("<ErrorCode>3000</ErrorCode>").contains("cannot be withdrawn");
        Reply unknown = post("withdraw", Fixtures.bytes("withdraw.xml", Map.of()));
        assertThat(unknown.body()).contains("<ErrorCode>3011</ErrorCode>").contains("does not exist");
    }

    @Test
    void anotherAgencysOrderCannotBeWithdrawn() throws Exception {
        String auth = UUID.randomUUID().toString();
        post("production", Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth)));
        receiver.bind("DE", "issuing-authority-9", accounts.agencyA.id());
        String xml = Fixtures.message("withdraw.xml", Map.of("AUTH", auth)).replace(
                "<UniqueIdentifier>issuing-authority-1</UniqueIdentifier></SenderIdentifier>",
                "<UniqueIdentifier>issuing-authority-9</UniqueIdentifier></SenderIdentifier>");
        Reply r = post("withdraw", xml.getBytes(StandardCharsets.UTF_8));
        assertThat(r.body()).contains("<ErrorCode>3011</ErrorCode>");
        assertThat(jdbc.sql("select state from casework_case where request_id = :id").param("id", requestOf(auth))
                .query(String.class).single()).isNotEqualTo("WITHDRAWN");
    }

    @Test
    void anOrderRunsTheRegulationsClockTenDaysOrEightHoursInAnEmergency() throws Exception {
        org.habeas.casework.Deadlines deadlines = context.getBean(org.habeas.casework.Deadlines.class);
        for (String[] c : new String[][] {{"TenDaysASAP", "PT240H"}, {"EightHours", "PT8H"}}) {
            String auth = UUID.randomUUID().toString();
            assertThat(post("production", Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth, "PRIORITY", c[0]))).body())
                    .contains("<CREATEResponse>");
            UUID id = requestOf(auth);
            java.time.Instant received = jdbc.sql("select received_at from intake_request where id = :id").param("id", id)
                    .query(java.time.OffsetDateTime.class).single().toInstant();
            assertThat(deadlines.clocks(id)).filteredOn(d -> d.kind().equals("RESPONSE")).singleElement()
                    .satisfies(d -> {
                        assertThat(Duration.between(received, d.dueAt())).isEqualTo(Duration.parse(c[1]));
                        assertThat(d.basis()).contains("2023/1543");
                    });
        }
    }

    @Test
    void theSameMessageSentFourTimesAtOnceMakesOneRequestAndFourEqualAnswers() throws Exception {
        String auth = UUID.randomUUID().toString();
        byte[] message = Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth));
        long before = counts().get("intake_request");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Reply>> replies = new java.util.ArrayList<>();
            for (int i = 0; i < 4; i++) {
                replies.add(pool.submit(() -> post("production", message)));
            }
            java.util.Set<String> bodies = new java.util.HashSet<>();
            for (var f : replies) {
                bodies.add(f.get().body());
            }
            assertThat(bodies).singleElement().satisfies(b -> assertThat(b).contains("<CREATEResponse>"));
        } finally {
            pool.shutdown();
        }
        assertThat(counts().get("intake_request")).isEqualTo(before + 1);
        assertThat(requestOf(auth)).isNotNull();
    }

    @Test
    void theCommandLinePlaysTheMemberStatesSystem() throws Exception {
        Path message = java.nio.file.Files.write(PKI.resolve("epoc-" + UUID.randomUUID() + ".xml"),
                Fixtures.bytes("form1-epoc.xml", Map.of()));
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = org.habeas.cli.HabeasCommand.commandLine(Object.class);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int code = cli.execute("eevidence", "send", message.toString(), "--to", "https://localhost:" + connector.port()
                + "/eevidence/production", "--client-certificate", TestPki.pkcs12(PKI, "de-system.p12", DE_SYSTEM).toString(),
                "--password", new String(TestPki.PASSWORD), "--trust", TestPki.pem(PKI, "habeas-ca.pem",
                        HABEAS_CA.certificate()).toString());
        assertThat(err.toString()).isEmpty();
        assertThat(code).isZero();
        assertThat(out.toString()).contains("<CREATEResponse>");
        // the same transaction again, on another endpoint: refused, and the command says so by its exit code
        out.getBuffer().setLength(0);
        int refused = cli.execute("eevidence", "send", message.toString(), "--to",
                "https://localhost:" + connector.port() + "/eevidence/preservation", "--client-certificate",
                PKI.resolve("de-system.p12").toString(), "--password", new String(TestPki.PASSWORD), "--trust",
                PKI.resolve("habeas-ca.pem").toString());
        assertThat(refused).isEqualTo(1);
        assertThat(out.toString()).contains("<ErrorCode>3000</ErrorCode>").contains("on /eevidence/production");
    }
}
