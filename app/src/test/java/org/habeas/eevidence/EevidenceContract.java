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
import org.habeas.casework.Deadlines;
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
    static final TestPki.Issued IE_CA = TestPki.ca("IE e-Evidence system CA");
    static final TestPki.Issued IE_SYSTEM = TestPki.issue(IE_CA, "ie-national-system", null);
    static final TestPki.Issued HABEAS_CLIENT = TestPki.issue(HABEAS_CA, "habeas-client", null);
    static final TestPki.Issued DE_WISP = TestPki.issue(DE_CA, "localhost", "localhost");
    /** The German system's side for messages from Habeas: requires Habeas's client certificate. */
    static final FakeIssuingAuthority DE_AUTHORITY = new FakeIssuingAuthority(TestPki.client(DE_WISP, HABEAS_CA));
    static final TestPki.Issued ROGUE_CA = TestPki.ca("Nobody's CA");
    static final TestPki.Issued ROGUE = TestPki.issue(ROGUE_CA, "intruder", null);

    /** The e-Evidence settings every subclass adds to its database's. */
    static void eevidence(DynamicPropertyRegistry r) {
        r.add("habeas.eevidence.port", () -> "0");
        r.add("habeas.eevidence.key-store", () -> TestPki.pkcs12(PKI, "server.p12", SERVER).toString());
        r.add("habeas.eevidence.key-store-password", () -> new String(TestPki.PASSWORD));
        r.add("habeas.eevidence.member-states.DE.certificates", () -> TestPki.pem(PKI, "de-ca.pem", DE_CA.certificate()).toString());
        r.add("habeas.eevidence.member-states.FR.certificates", () -> TestPki.pem(PKI, "fr-ca.pem", FR_CA.certificate()).toString());
        r.add("habeas.eevidence.member-states.FR.require-signature", () -> "true");
        r.add("habeas.eevidence.member-states.FR.signers", () -> TestPki.pem(PKI, "fr-signers.pem", FR_CA.certificate()).toString());
        r.add("habeas.eevidence.member-states.IE.certificates", () -> TestPki.pem(PKI, "ie-ca.pem", IE_CA.certificate()).toString());
        r.add("habeas.eevidence.member-states.DE.outbound", () -> DE_AUTHORITY.base());
        r.add("habeas.eevidence.member-states.DE.client-key-store", () -> TestPki.pkcs12(PKI, "habeas-client.p12",
                HABEAS_CLIENT).toString());
        r.add("habeas.eevidence.member-states.DE.client-key-store-password", () -> new String(TestPki.PASSWORD));
        r.add("habeas.eevidence.member-states.DE.trust", () -> TestPki.pem(PKI, "de-ca-trust.pem", DE_CA.certificate()).toString());
        r.add("habeas.eevidence.notification-dictionary", () -> "ETSI/EPOCNotificationType");
        r.add("habeas.eevidence.outbound-interval", () -> "1h");
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
        assertThat(later.body()).contains("<ErrorCode>3001</ErrorCode>").contains("NewDeadlineObject")
                .doesNotContain("<CREATEResponse>");
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

    // --- the messages that follow an order ---

    java.net.http.HttpResponse<String> api(org.habeas.accounts.UserRole role, String path, String json) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + path))
                    .header("Authorization", accounts.bearer(role)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        }
    }

    /** The analyst proposes to accept, a legal reviewer confirms. */
    void accept(UUID id) throws Exception {
        assertThat(api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + id + "/proposals",
                "{\"outcome\":\"ACCEPT\",\"reason\":\"r\",\"justification\":\"j\"}").statusCode()).isEqualTo(201);
        assertThat(api(org.habeas.accounts.UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + id + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"r\"}").statusCode()).isEqualTo(200);
    }

    String state(UUID id) {
        return jdbc.sql("select state from casework_case where request_id = :id").param("id", id).query(String.class).single();
    }

    java.util.List<String> events(UUID id) {
        return jdbc.sql("select action from casework_event where request_id = :id order by id").param("id", id)
                .query(String.class).list();
    }

    /** An EPOC-PR received: its authorisation, task and document identifiers, and its request. */
    record Order(String auth, String task, UUID request, String ip) {
    }

    Order preservation() throws Exception {
        String auth = UUID.randomUUID().toString();
        String task = UUID.randomUUID().toString();
        String ip = "10.1." + java.util.concurrent.ThreadLocalRandom.current().nextInt(256) + "."
                + java.util.concurrent.ThreadLocalRandom.current().nextInt(1, 255);
        assertThat(post("preservation", Fixtures.bytes("form2-epoc-pr.xml", Map.of("AUTH", auth, "TASK1", task,
                "IP", ip))).body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        return new Order(auth, task, requestOf(auth), ip);
    }

    Order production(Map<String, String> values) throws Exception {
        Map<String, String> v = new java.util.HashMap<>(values);
        v.putIfAbsent("AUTH", UUID.randomUUID().toString());
        v.putIfAbsent("TASK1", UUID.randomUUID().toString());
        assertThat(post("production", Fixtures.bytes("form1-epoc.xml", v)).body()).contains("<CREATEResponse>")
                .doesNotContain("ErrorInformation");
        return new Order(v.get("AUTH"), v.get("TASK1"), requestOf(v.get("AUTH")), null);
    }

    @Test
    void aSubsequentProductionBecomesAProductionRequestForThePreservedAccounts() throws Exception {
        Order pr = preservation();
        String doc = UUID.randomUUID().toString();
        byte[] form5 = Fixtures.bytes("form5-subsequent-production.xml", Map.of("AUTH", pr.auth(), "TASK1", pr.task(),
                "DOC", doc));
        Reply r = post("subsequentproduction", form5);
        assertThat(r.body()).contains("<UPDATEResponse>").contains("<Identifier>" + pr.task() + "</Identifier>")
                .contains("<CREATEResponse>").contains("<Identifier>" + doc + "</Identifier>").doesNotContain("ErrorInformation");
        UUID production = requestOf(doc);
        Map<String, Object> row = jdbc.sql("select measure, instrument, agency_id from intake_request where id = :id")
                .param("id", production).query().singleRow();
        assertThat(row).containsEntry("measure", "PRODUCTION").containsEntry("instrument", "EU_EEVIDENCE");
        assertThat(row.get("agency_id").toString()).isEqualTo(accounts.agencyB.id().toString());
        assertThat(jdbc.sql("select body from intake_request where id = :id").param("id", production).query(String.class)
                .single()).contains(pr.ip()).doesNotContain("preservationDays");
        assertThat(jdbc.sql("select count(*) from safeguards_assessment where request_id = :id").param("id", production)
                .query(Long.class).single()).isEqualTo(1);
        assertThat(jdbc.sql("select filename from intake_document where request_id = :id").param("id", production)
                .query(String.class).list()).anyMatch(f -> f.startsWith("Form5")).anyMatch(f -> f.startsWith("HI1-subsequentproduction"));
        assertThat(events(pr.request())).contains("SUBSEQUENT_PRODUCTION");
        Map<String, Long> before = counts();
        assertThat(post("subsequentproduction", form5).body()).isEqualTo(r.body());
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void aFollowUpNamingTheElementIsRefusedWholeAndLeavesNothing() throws Exception {
        Order pr = preservation();
        Map<String, Long> before = counts();
        // a status other than the profile's for Form 5
        Reply wrong = post("subsequentproduction", Fixtures.bytes("form5-subsequent-production.xml", Map.of("AUTH",
                pr.auth(), "TASK1", pr.task(), "DESIRED", "Preserved")));
        assertThat(wrong.body()).contains("<ErrorCode>3007</ErrorCode>").contains("task:DesiredStatus is Preserved")
                .contains("<ErrorCode>3000</ErrorCode>").doesNotContain("<UPDATEResponse>");
        // an entry no dictionary has
        assertThat(post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", pr.task(),
                "DESIRED", "Frozen"))).body()).contains("<ErrorCode>3007</ErrorCode>").contains("task:DesiredStatus: Frozen");
        // a task this receiver never received
        assertThat(post("preservationextension", Fixtures.bytes("form6-preservation-extension.xml", Map.of("AUTH",
                pr.auth()))).body()).contains("<ErrorCode>3011</ErrorCode>").contains("does not exist");
        // a status only the receiver sets
        String withStatus = Fixtures.message("end-preservation.xml", Map.of("TASK1", pr.task())).replace("<task:DesiredStatus>",
                "<task:Status><common:Owner>ETSI</common:Owner><common:Name>LPTaskStatus</common:Name><common:Value>Preserved"
                        + "</common:Value></task:Status><task:DesiredStatus>");
        assertThat(post("endpreservation", withStatus.getBytes(StandardCharsets.UTF_8)).body())
                .contains("<ErrorCode>3006</ErrorCode>").contains("task:Status is set by the receiver only");
        // a document linked to nothing this sender sent
        assertThat(post("correspondence", Fixtures.bytes("correspondence.xml", Map.of())).body())
                .contains("<ErrorCode>3016</ErrorCode>").contains("AssociatedObjects/AssociatedObject");
        // a document type that is not one of this endpoint's
        assertThat(post("groundsforrefusal", Fixtures.bytes("grounds-for-refusal.xml", Map.of("AUTH", pr.auth(),
                "DOCTYPE", "Form1"))).body()).contains("<ErrorCode>3007</ErrorCode>").contains("doc:DocumentType Form1");
        // an extension before any hold exists
        assertThat(post("preservationextension", Fixtures.bytes("form6-preservation-extension.xml", Map.of("AUTH",
                pr.auth(), "TASK1", pr.task()))).body()).contains("<ErrorCode>3000</ErrorCode>")
                .contains("no active preservation hold");
        assertThat(counts()).isEqualTo(before);
        assertThat(state(pr.request())).isEqualTo("ASSESSED");
    }

    @Test
    void aPreservationExtensionExtendsTheHoldByTheLawsPeriodOrToTheDateAsked() throws Exception {
        org.habeas.casework.Deadlines deadlines = context.getBean(org.habeas.casework.Deadlines.class);
        Order pr = preservation();
        accept(pr.request());
        java.time.LocalDate expires = deadlines.hold(pr.request()).orElseThrow().expiresOn();
        Reply r = post("preservationextension", Fixtures.bytes("form6-preservation-extension.xml", Map.of("AUTH",
                pr.auth(), "TASK1", pr.task())));
        assertThat(r.body()).contains("<UPDATEResponse>").contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        assertThat(deadlines.hold(pr.request()).orElseThrow().expiresOn()).isEqualTo(expires.plusDays(30));
        assertThat(events(pr.request())).contains("HOLD_EXTENDED");
        assertThat(jdbc.sql("select filename from intake_document where request_id = :id").param("id", pr.request())
                .query(String.class).list()).anyMatch(f -> f.startsWith("Form6"));
        // a second extension asking for a date sooner than the law's limit gets that date
        java.time.LocalDate asked = expires.plusDays(40);
        String expiration = "<task:DesiredPreservationExpiration>" + asked + "T00:00:00Z</task:DesiredPreservationExpiration>";
        assertThat(post("preservationextension", Fixtures.bytes("form6-preservation-extension.xml", Map.of("AUTH",
                pr.auth(), "TASK1", pr.task(), "EXPIRATION", expiration))).body()).doesNotContain("ErrorInformation");
        assertThat(deadlines.hold(pr.request()).orElseThrow().expiresOn()).isEqualTo(asked);
    }

    @Test
    void anEndOfPreservationReleasesTheHoldOrWithdrawsAnOrderNotYetDecided() throws Exception {
        org.habeas.casework.Deadlines deadlines = context.getBean(org.habeas.casework.Deadlines.class);
        Order held = preservation();
        accept(held.request());
        assertThat(deadlines.hold(held.request()).orElseThrow().status()).isEqualTo("ACTIVE");
        Reply r = post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", held.task(),
                "DESIRED", "Cancelled")));
        assertThat(r.body()).contains("<UPDATEResponse>").doesNotContain("ErrorInformation");
        assertThat(deadlines.hold(held.request()).orElseThrow().status()).isEqualTo("RELEASED");
        Reply again = post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", held.task(),
                "DESIRED", "Cancelled")));
        assertThat(again.body()).contains("<ErrorCode>3000</ErrorCode>").contains("no active preservation hold to end");
        Order undecided = preservation();
        assertThat(post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", undecided.task(),
                "DESIRED", "Cancelled"))).body()).doesNotContain("ErrorInformation");
        assertThat(state(undecided.request())).isEqualTo("WITHDRAWN");
    }

    @Test
    void aNewDeadlineSetsTheResponseClock() throws Exception {
        org.habeas.casework.Deadlines deadlines = context.getBean(org.habeas.casework.Deadlines.class);
        Order o = production(Map.of());
        String due = "2099-03-04T05:06:07Z";
        Reply r = post("newdeadline", Fixtures.bytes("new-deadline.xml", Map.of("TASK1", o.task(), "DUE", due)));
        assertThat(r.body()).contains("<UPDATEResponse>").contains("<Identifier>" + o.task() + "</Identifier>")
                .doesNotContain("ErrorInformation");
        assertThat(deadlines.clocks(o.request())).filteredOn(d -> d.kind().equals("RESPONSE")).singleElement()
                .satisfies(d -> {
                    assertThat(d.dueAt()).isEqualTo(java.time.Instant.parse(due));
                    assertThat(d.basis()).contains("/eevidence/newdeadline");
                });
        Map<String, Long> before = counts();
        assertThat(post("newdeadline", Fixtures.bytes("new-deadline.xml", Map.of("TASK1", o.task(),
                "DUE", "2020-01-01T00:00:00Z"))).body()).contains("<ErrorCode>3007</ErrorCode>")
                .contains("task:Deadlines/task:LDDeadline/task:DateTime lies before");
        String none = Fixtures.message("new-deadline.xml", Map.of("TASK1", o.task())).replaceAll("(?s)<task:Deadlines>.*</task:Deadlines>", "");
        assertThat(post("newdeadline", none.getBytes(StandardCharsets.UTF_8)).body()).contains("<ErrorCode>3005</ErrorCode>")
                .contains("task:Deadlines/task:LDDeadline is missing");
        assertThat(counts()).isEqualTo(before);
    }

    @Test
    void theEnforcingAuthoritysFullGroundsForRefusalEndTheOrder() throws Exception {
        receiver.bind("IE", "enforcing-authority-1", accounts.agencyA.id());
        Order partial = production(Map.of());
        Order full = production(Map.of());
        for (Object[] c : new Object[][] {{partial, "PartialGroundsForRefusal"}, {full, "FullGroundsForRefusal"}}) {
            Order o = (Order) c[0];
            String xml = Fixtures.message("grounds-for-refusal.xml", Map.of("AUTH", o.auth(), "DOCTYPE", (String) c[1]))
                    .replace("<SenderIdentifier><CountryCode>DE</CountryCode><UniqueIdentifier>issuing-authority-1",
                            "<SenderIdentifier><CountryCode>IE</CountryCode><UniqueIdentifier>enforcing-authority-1");
            Reply r = post(IE_SYSTEM, "groundsforrefusal", xml.getBytes(StandardCharsets.UTF_8));
            assertThat(r.body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
            assertThat(events(o.request())).contains("GROUNDS_FOR_REFUSAL");
        }
        assertThat(state(partial.request())).isEqualTo("ASSESSED");
        assertThat(state(full.request())).isEqualTo("WITHDRAWN");
        // a sender of another member state is no enforcing authority for someone else's order
        receiver.bind("DE", "other-authority", accounts.agencyA.id());
        Order other = production(Map.of());
        String xml = Fixtures.message("grounds-for-refusal.xml", Map.of("AUTH", other.auth(), "DOCTYPE",
                "FullGroundsForRefusal")).replace("<SenderIdentifier><CountryCode>DE</CountryCode><UniqueIdentifier>"
                        + "issuing-authority-1", "<SenderIdentifier><CountryCode>DE</CountryCode><UniqueIdentifier>other-authority");
        assertThat(post("groundsforrefusal", xml.getBytes(StandardCharsets.UTF_8)).body())
                .contains("<ErrorCode>3016</ErrorCode>");
        assertThat(state(other.request())).isEqualTo("ASSESSED");
    }

    @Test
    void correspondenceAnswersTheCasesQuestionOrIsRecordedOnTheCase() throws Exception {
        Order o = production(Map.of());
        assertThat(post("correspondence", Fixtures.bytes("correspondence.xml", Map.of("AUTH", o.auth(),
                "DOCTYPE", "EnforcingAuthorityRecognizesOrder"))).body()).contains("<CREATEResponse>")
                .doesNotContain("ErrorInformation");
        assertThat(events(o.request())).contains("CORRESPONDENCE");
        assertThat(state(o.request())).isEqualTo("ASSESSED");
        assertThat(api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + o.request() + "/questions",
                "{\"text\":\"Which account holder do you mean?\"}").statusCode()).isEqualTo(200);
        assertThat(state(o.request())).isEqualTo("AWAITING_REQUESTER");
        String doc = UUID.randomUUID().toString();
        assertThat(post("correspondence", Fixtures.bytes("correspondence.xml", Map.of("AUTH", o.auth(), "DOC", doc,
                "DOCTYPE", "ProvideAdditionalInformation"))).body()).contains("<Identifier>" + doc + "</Identifier>")
                .doesNotContain("ErrorInformation");
        assertThat(state(o.request())).isEqualTo("IN_REVIEW");
        assertThat(jdbc.sql("select object_type from eevidence_object where object_id = :o").param("o", doc)
                .query(String.class).single()).isEqualTo("DocumentObject");
    }

    @Test
    void aDeliveryStatusIsRecordedOnTheCaseOfTheDelivery() throws Exception {
        Order o = production(Map.of());
        Map<String, Long> before = counts();
        assertThat(post("deliverystatus", Fixtures.bytes("delivery-status.xml", Map.of())).body())
                .contains("<ErrorCode>3011</ErrorCode>").contains("DeliveryObject");
        assertThat(counts()).isEqualTo(before);
        String delivery = UUID.randomUUID().toString();
        context.getBean(EevidenceStore.class).object(delivery, o.request(), "DeliveryObject", null);
        assertThat(post("deliverystatus", Fixtures.bytes("delivery-status.xml", Map.of("DELIVERY", delivery,
                "DSTATUS", "Acknowledged"))).body()).contains("<ErrorCode>3007</ErrorCode>")
                .contains("delivery:DeliveryStatus: Acknowledged");
        assertThat(post("deliverystatus", Fixtures.bytes("delivery-status.xml", Map.of("DELIVERY", delivery,
                "DSTATUS", "Error"))).body()).contains("<UPDATEResponse>").doesNotContain("ErrorInformation");
        assertThat(events(o.request())).contains("DELIVERY_FAILED");
        assertThat(post("deliverystatus", Fixtures.bytes("delivery-status.xml", Map.of("DELIVERY", delivery))).body())
                .contains("<UPDATEResponse>").doesNotContain("ErrorInformation");
        assertThat(events(o.request())).contains("DELIVERY_RECEIVED");
    }

    // --- messages from Habeas to the issuing authority ---

    /** What the fake authority received for this order, each checked against ETSI's XSDs when they are at hand. */
    java.util.List<FakeIssuingAuthority.Received> received(String endpoint, String objectId) {
        java.util.List<FakeIssuingAuthority.Received> out = DE_AUTHORITY.received().stream()
                .filter(x -> x.path().equals("/eevidence/" + endpoint) && x.body().contains(objectId)).toList();
        for (Hi1Schemas xsd : etsiSchemas().stream().toList()) {
            for (FakeIssuingAuthority.Received x : out) {
                org.assertj.core.api.Assertions.assertThatCode(() -> xsd.validate(Hi1.parse(x.body()
                        .getBytes(StandardCharsets.UTF_8), 64))).as(x.body()).doesNotThrowAnyException();
            }
        }
        return out;
    }

    /** The XSDs of TS 103 120, where the machine has ETSI's material; otherwise Habeas's own reading is all. */
    static java.util.Optional<Hi1Schemas> etsiSchemas() {
        if (!java.nio.file.Files.isDirectory(Fixtures.ETSI.resolve("103120/schema/xsd"))) {
            return java.util.Optional.empty();
        }
        return Hi1Schemas.load(java.util.List.of(Fixtures.ETSI.resolve("103120/schema/xsd"),
                Fixtures.ETSI.resolve("103280")));
    }

    /** A synchronous answer of Habeas, checked against ETSI's XSDs when they are at hand. */
    static Reply valid(Reply r) {
        assertThat(r.status()).isEqualTo(200);
        etsiSchemas().ifPresent(xsd -> org.assertj.core.api.Assertions.assertThatCode(() -> xsd.validate(Hi1.parse(
                r.body().getBytes(StandardCharsets.UTF_8), 64))).as(r.body()).doesNotThrowAnyException());
        return r;
    }

    String outbox(UUID request, String endpoint) {
        return jdbc.sql("select status from eevidence_outbox where request_id = :r and endpoint = :e")
                .param("r", request).param("e", endpoint).query(String.class).single();
    }

    @Test
    void aWithdrawalIsConfirmedToTheIssuingAuthorityOverMutualTls() throws Exception {
        Order o = production(Map.of());
        assertThat(post("withdraw", Fixtures.bytes("withdraw.xml", Map.of("AUTH", o.auth()))).body())
                .doesNotContain("ErrorInformation");
        assertThat(outbox(o.request(), "confirmwithdrawal")).isEqualTo("PENDING");
        assertThat(events(o.request())).contains("EEVIDENCE_QUEUED");
        context.getBean(Outbound.class).sendDue();
        assertThat(outbox(o.request(), "confirmwithdrawal")).isEqualTo("SENT");
        assertThat(received("confirmwithdrawal", o.auth())).singleElement().satisfies(x -> {
            assertThat(x.clientCertificate()).contains("habeas-client");
            assertThat(x.body()).contains("<ReceiverIdentifier>").contains("<UniqueIdentifier>issuing-authority-1</UniqueIdentifier>")
                    .contains("<common:Value>ConfirmationOfWithdrawal</common:Value>")
                    .contains("<common:Name>AuthorisationStatus</common:Name>").contains("<common:Value>Cancelled</common:Value>");
        });
        assertThat(events(o.request())).contains("EEVIDENCE_SENT");
    }

    @Test
    void aPreservationIsReportedAsPreservedAndARefusalAsNonExecutionWithForm3() throws Exception {
        Order pr = preservation();
        accept(pr.request());
        Order refused = production(Map.of());
        assertThat(api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + refused.request() + "/proposals",
                "{\"outcome\":\"REFUSE\",\"reason\":\"r\",\"justification\":\"j\"}").statusCode()).isEqualTo(201);
        assertThat(api(org.habeas.accounts.UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + refused.request() + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"r\"}").statusCode()).isEqualTo(200);
        context.getBean(Outbound.class).sendDue();
        assertThat(received("datapreserved", pr.task())).singleElement().satisfies(x -> assertThat(x.body())
                .contains("<common:Name>LPTaskStatus</common:Name>").contains("<common:Value>Preserved</common:Value>")
                .contains("<task:PreservationExpiration>").contains("<common:Value>DataPreserved</common:Value>"));
        assertThat(received("nonexecution", refused.auth())).singleElement().satisfies(x -> assertThat(x.body())
                .contains("<common:Value>NonExecution</common:Value>").contains("<common:Value>Form3</common:Value>")
                .contains("<doc:Contents>JVBER"));
        assertThat(outbox(refused.request(), "nonexecution")).isEqualTo("SENT");
    }

    @Test
    void aQuestionFromTheCaseGoesToTheIssuingAuthorityAsARequestForAdditionalInformation() throws Exception {
        Order o = production(Map.of());
        String question = "Which of the two numbers is the suspect's " + UUID.randomUUID() + "?";
        assertThat(api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + o.request() + "/questions",
                "{\"text\":\"" + question + "\"}").statusCode()).isEqualTo(200);
        assertThat(outbox(o.request(), "correspondence")).isEqualTo("PENDING");
        context.getBean(Outbound.class).sendDue();
        assertThat(outbox(o.request(), "correspondence")).isEqualTo("SENT");
        String body = received("correspondence", o.auth()).getFirst().body();
        assertThat(body).contains("<DELIVER>").contains("xsi:type=\"doc:DocumentObject\"")
                .contains("<common:Name>EPOCDocumentType</common:Name>")
                .contains("<common:Value>RequestAdditionalInformation</common:Value>")
                .contains("<AssociatedObject>" + o.auth() + "</AssociatedObject>")
                .contains("<doc:ContentType>application/pdf</doc:ContentType>");
        String pdf = body.substring(body.indexOf("<doc:Contents>") + "<doc:Contents>".length(),
                body.indexOf("</doc:Contents>"));
        try (org.apache.pdfbox.pdmodel.PDDocument d = org.apache.pdfbox.Loader.loadPDF(java.util.Base64.getDecoder()
                .decode(pdf))) {
            assertThat(new org.apache.pdfbox.text.PDFTextStripper().getText(d).replaceAll("\\s+", " "))
                    .contains(question);
        }
        // the authority's answer on /correspondence puts the case back in review
        assertThat(post("correspondence", Fixtures.bytes("correspondence.xml", Map.of("AUTH", o.auth(),
                "DOCTYPE", "ProvideAdditionalInformation"))).body()).doesNotContain("ErrorInformation");
        assertThat(state(o.request())).isEqualTo("IN_REVIEW");
    }

    @Test
    void aForm3FromTheCasePageCarriesItsReasonAndTheCaseWaitsForTheEnforcingAuthority() throws Exception {
        Order o = production(Map.of());
        Outbound outbound = context.getBean(Outbound.class);
        Map<String, Long> before = counts();
        long queued = jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single();
        for (String[] bad : new String[][] {{"NoSuchReason", "x", "reason"}, {null, "x", "reason"},
                {"DataNotHeld", " ", "explanation"}}) {
            assertThatThrownBy(() -> outbound.nonExecution(o.request(), bad[0], bad[1], "Ana Analyst"))
                    .isInstanceOfSatisfying(org.habeas.casework.Cases.Refused.class,
                            e -> assertThat(e.field()).isEqualTo(bad[2]));
        }
        assertThat(jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single()).isEqualTo(queued);
        assertThat(counts()).isEqualTo(before);
        // the case page offers Form 3 by its reasons' labels, and its form names the field it refuses
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            String page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + "/requests/"
                    + o.request())).header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ANALYST))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(page).contains("id=\"f-form3\"").contains("/requests/" + o.request() + "/case/form3")
                    .contains(">The provider does not hold the data asked for</option>");
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/requests/" + o.request() + "/case/form3")).header("Authorization", accounts.bearer(
                            org.habeas.accounts.UserRole.ANALYST)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("reason=DataNotHeld&explanation=")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(302);
            assertThat(refused.headers().firstValue("Location").orElseThrow()).endsWith("#f-form3");
            assertThat(jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single()).isEqualTo(queued);
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/requests/" + o.request() + "/case/form3")).header("Authorization", accounts.bearer(
                            org.habeas.accounts.UserRole.ANALYST)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("reason=DataNotHeld&explanation=No+account+uses+these+numbers."))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(302);
            assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("#h-case");
        }
        // a second Form 3 for the same order (a double click, a colleague at the same time) is refused and queues nothing
        long afterFirst = jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single();
        assertThatThrownBy(() -> outbound.nonExecution(o.request(), "DataNotHeld", "Sent twice.", "Ana Analyst"))
                .isInstanceOfSatisfying(org.habeas.casework.Cases.Refused.class,
                        e -> assertThat(e.getMessage()).contains("already been sent"));
        assertThat(jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single()).isEqualTo(afterFirst);
        assertThat(jdbc.sql("select count(*) from casework_event where request_id = :r and action = 'FORM3_SENT'")
                .param("r", o.request()).query(Long.class).single()).isEqualTo(1);
        assertThat(state(o.request())).isEqualTo("ASSESSED");
        assertThat(events(o.request())).contains("FORM3_SENT");
        assertThat(jdbc.sql("select reason from casework_event where request_id = :r and action = 'FORM3_SENT'")
                .param("r", o.request()).query(String.class).single()).contains("enforcing authority")
                .contains("The provider does not hold the data asked for");
        outbound.sendDue();
        assertThat(received("nonexecution", o.auth())).singleElement().satisfies(x -> assertThat(x.body())
                .contains("<common:Value>NonExecution</common:Value>").contains("Form 3 reason: DataNotHeld")
                .contains("No account uses these numbers.").contains("<common:Value>Form3</common:Value>")
                .contains("<common:Value>Invalid</common:Value>"));
    }

    @Test
    void executionThatFindsTheDataNotHeldSendsForm3FromTheExecuteStepAndTheTimelineShowsIt() throws Exception {
        Order o = production(Map.of());
        accept(o.request());
        Outbound outbound = context.getBean(Outbound.class);
        long queued = jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single();
        // at the execute step only what execution can find is a reason: not, say, an incomplete order
        assertThatThrownBy(() -> outbound.nonExecution(o.request(), "Incomplete", "x", "Ana Analyst"))
                .isInstanceOfSatisfying(org.habeas.casework.Cases.Refused.class, e -> {
                    assertThat(e.field()).isEqualTo("reason");
                    assertThat(e.getMessage()).contains("The provider does not hold the data asked for");
                });
        assertThat(jdbc.sql("select count(*) from eevidence_outbox").query(Long.class).single()).isEqualTo(queued);
        try (HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build()) {
            String page = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + "/requests/"
                    + o.request())).header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ANALYST))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            String form = page.substring(page.indexOf("id=\"execution-readiness\""));
            form = form.substring(form.indexOf("id=\"f-form3\""), form.indexOf("</form>", form.indexOf("id=\"f-form3\"")));
            assertThat(form).contains(">The provider does not hold the data asked for</option>")
                    .contains("value=\"DeFactoImpossibility\"").doesNotContain("value=\"Incomplete\"");
            HttpResponse<String> sent = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort
                    + "/requests/" + o.request() + "/case/form3")).header("Authorization", accounts.bearer(
                            org.habeas.accounts.UserRole.ANALYST)).header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString("reason=DataNotHeld&explanation=The+account+was+deleted+"
                            + "before+the+period+asked+for.")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(sent.statusCode()).isEqualTo(302);
            assertThat(sent.headers().firstValue("Location").orElseThrow()).endsWith("#h-case");
            String after = http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + "/requests/"
                    + o.request())).header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ANALYST))
                    .build(), HttpResponse.BodyHandlers.ofString()).body();
            assertThat(after).contains("at execution, that the order cannot be executed: The provider does not hold "
                    + "the data asked for (Form 3, DataNotHeld)");
        }
        assertThat(state(o.request())).isEqualTo("DECIDED");
        assertThat(events(o.request())).contains("FORM3_SENT");
        // one Form 3 per order still holds
        assertThatThrownBy(() -> outbound.nonExecution(o.request(), "DeFactoImpossibility", "Again.", "Ana Analyst"))
                .isInstanceOfSatisfying(org.habeas.casework.Cases.Refused.class,
                        e -> assertThat(e.getMessage()).contains("already been sent"));
        outbound.sendDue();
        assertThat(received("nonexecution", o.auth())).singleElement().satisfies(x -> assertThat(x.body())
                .contains("Form 3 reason: DataNotHeld").contains("The account was deleted before the period asked for.")
                .contains("<common:Value>Form3</common:Value>"));
    }

    @Test
    void aMessageTheAuthorityCannotTakeIsRetriedWithBackOffEachAttemptRecorded() throws Exception {
        Order o = production(Map.of());
        Outbound outbound = context.getBean(Outbound.class);
        outbound.sendDue(); // what other tests left in the outbox goes first
        assertThat(post("withdraw", Fixtures.bytes("withdraw.xml", Map.of("AUTH", o.auth()))).body())
                .doesNotContain("ErrorInformation");
        DE_AUTHORITY.failNext(2);
        outbound.sendDue();
        assertThat(outbox(o.request(), "confirmwithdrawal")).isEqualTo("PENDING");
        java.time.OffsetDateTime next = jdbc.sql("select next_at from eevidence_outbox where request_id = :r")
                .param("r", o.request()).query(java.time.OffsetDateTime.class).single();
        assertThat(next.toInstant()).isAfter(java.time.Instant.now().plusSeconds(30));
        outbound.sendDue(); // not due yet: nothing is attempted
        assertThat(events(o.request()).stream().filter("EEVIDENCE_SEND_FAILED"::equals)).hasSize(1);
        jdbc.sql("update eevidence_outbox set next_at = :n where request_id = :r").param("n",
                java.time.OffsetDateTime.now().minusSeconds(1)).param("r", o.request()).update();
        outbound.sendDue();
        assertThat(events(o.request()).stream().filter("EEVIDENCE_SEND_FAILED"::equals)).hasSize(2);
        jdbc.sql("update eevidence_outbox set next_at = :n where request_id = :r").param("n",
                java.time.OffsetDateTime.now().minusSeconds(1)).param("r", o.request()).update();
        outbound.sendDue();
        assertThat(outbox(o.request(), "confirmwithdrawal")).isEqualTo("SENT");
        assertThat(jdbc.sql("select attempts from eevidence_outbox where request_id = :r").param("r", o.request())
                .query(Integer.class).single()).isEqualTo(3);
        assertThat(received("confirmwithdrawal", o.auth())).hasSize(1);
    }

    @Test
    void anEpocEndToEndIsAssessedNarrowedDeliveredAsTs103705RecordsOfTheApprovedScopeAndClosedOnItsReceipt()
            throws Exception {
        String phone = "49151" + (1000000 + java.util.concurrent.ThreadLocalRandom.current().nextInt(8999999));
        Order o = production(Map.of("TASK2", UUID.randomUUID().toString(), "PHONE", phone));
        String task2 = jdbc.sql("select object_id from eevidence_object where request_id = :r and object_type = "
                + "'LDTaskObject' and object_id <> :t").param("r", o.request()).param("t", o.task()).query(String.class)
                .single().strip();
        // the order asks for the e-mail account's subscriber data and the number's traffic data; the decision
        // narrows it to the subscriber data of the e-mail account
        assertThat(api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + o.request() + "/proposals",
                "{\"outcome\":\"NARROW\",\"scope\":{\"dataCategories\":[\"SUBSCRIBER\"],\"targets\":"
                        + "[\"suspect@mail.example\"]},\"reason\":\"r\",\"justification\":\"j\"}").statusCode())
                .isEqualTo(201);
        assertThat(api(org.habeas.accounts.UserRole.LEGAL_REVIEWER, "/api/v1/cases/" + o.request() + "/decision",
                "{\"action\":\"CONFIRM\",\"reason\":\"r\"}").statusCode()).isEqualTo(200);
        com.nimbusds.jose.jwk.ECKey key = org.habeas.disclosure.PackageKeys.generate("ee-" + UUID.randomUUID());
        assertThat(api(org.habeas.accounts.UserRole.ADMIN, "/api/v1/agencies/" + accounts.agencyB.id()
                + "/encryption-keys", key.toPublicJWK().toJSONString()).statusCode()).isEqualTo(201);
        HttpResponse<String> produced = api(org.habeas.accounts.UserRole.ANALYST, "/api/v1/cases/" + o.request()
                + "/package", "{}");
        assertThat(produced.statusCode()).as(produced.body()).isEqualTo(201);
        assertThat(state(o.request())).isEqualTo("EXECUTING");
        context.getBean(Outbound.class).sendDue();
        String body = received("outcome", o.task()).getFirst().body();
        assertThat(body).contains("<DELIVER>").contains("<common:Name>LDTaskStatus</common:Name>")
                .contains("<common:Value>Disclosed</common:Value>")
                .contains("<common:Value>DisclosureNotAvailable</common:Value>")
                .contains("<common:Name>LDHandoverFormat</common:Name>")
                .contains("<common:Name>ManifestSpecification</common:Name>").contains("<common:Value>TS103705</common:Value>")
                .contains("<delivery:LDID>DE-issuing-authority-1-" + o.task() + "</delivery:LDID>")
                .doesNotContain("<delivery:LDID>DE-issuing-authority-1-" + task2 + "</delivery:LDID>")
                .contains("<delivery:ContentType>application/jose</delivery:ContentType>")
                .doesNotContain("suspect@mail.example").doesNotContain(phone);
        assertThat(body.split("<DELIVER>", -1)).hasSize(2);
        String delivery = body.substring(body.indexOf("<delivery:DeliveryID>") + "<delivery:DeliveryID>".length(),
                body.indexOf("</delivery:DeliveryID>"));
        String data = body.substring(body.indexOf("<delivery:Data>") + "<delivery:Data>".length(),
                body.indexOf("</delivery:Data>"));
        // the records inside are the agency's to open, and only its: exactly the approved scope
        byte[] plain = org.habeas.disclosure.Packages.decrypt(new String(java.util.Base64.getDecoder().decode(data),
                StandardCharsets.US_ASCII), key);
        tools.jackson.databind.JsonNode set = tools.jackson.databind.json.JsonMapper.builder().build().readTree(plain);
        tools.jackson.databind.JsonNode d = set.path("recordSetDescription");
        assertThat(d.path("etsiSchemaId").stringValue()).startsWith("urn:etsi:li:103705:response-schema-id:");
        assertThat(d.path("etsiSpecificationVersion").stringValue()).isNotBlank();
        assertThat(d.path("cspName").stringValue()).isEqualTo("habeas-test");
        assertThat(d.path("cspSchemaId").stringValue()).startsWith("urn:etsi:li:103705:record-schema-id:");
        assertThat(UUID.fromString(d.path("resultSetId").stringValue()).toString()).isEqualTo(d.path("resultSetId")
                .stringValue());
        assertThat(d.path("requestReference").stringValue()).isEqualTo("DE-issuing-authority-1-" + o.task());
        assertThat(java.time.Instant.parse(d.path("created").stringValue())).isBefore(java.time.Instant.now());
        assertThat(set.path("records")).singleElement().satisfies(r -> {
            assertThat(r.path("type").stringValue()).isEqualTo(
                    "urn:etsi:li:103705:type-schema-id:v1.2.1#/$defs/SubscriberInformationRecord");
            assertThat(r.path("dataCategory").stringValue()).isEqualTo("SUBSCRIBER");
            assertThat(r.path("targetIdentifier").path("value").stringValue()).isEqualTo("suspect@mail.example");
            byte[] content = java.util.Base64.getDecoder().decode(r.path("content").path("data").stringValue());
            assertThat(new String(content, StandardCharsets.UTF_8)).contains("suspect@mail.example,SUBSCRIBER");
            assertThat(r.path("content").path("sha256").stringValue()).isEqualTo(java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(content)));
        });
        assertThat(new String(plain, StandardCharsets.UTF_8)).doesNotContain(phone).doesNotContain("TRAFFIC");
        Reply receipt = post("deliverystatus", Fixtures.bytes("delivery-status.xml", Map.of("DELIVERY", delivery,
                "DSTATUS", "Received")));
        assertThat(receipt.body()).contains("<UPDATEResponse>").doesNotContain("ErrorInformation");
        assertThat(state(o.request())).isEqualTo("CLOSED");
    }

    @Test
    void anEpocPrEndToEndIsAcknowledgedPreservedExtendedAndEndedEveryAnswerValid() throws Exception {
        org.habeas.casework.Deadlines deadlines = context.getBean(org.habeas.casework.Deadlines.class);
        Outbound outbound = context.getBean(Outbound.class);
        outbound.sendDue(); // what other tests left in the outbox goes first
        String auth = UUID.randomUUID().toString();
        String task = UUID.randomUUID().toString();
        String doc = UUID.randomUUID().toString();
        // the order in, acknowledged action by action
        Reply in = valid(post("preservation", Fixtures.bytes("form2-epoc-pr.xml", Map.of("AUTH", auth, "TASK1", task,
                "DOC", doc))));
        assertThat(in.body()).doesNotContain("ErrorInformation").contains("<Identifier>" + auth + "</Identifier>")
                .contains("<Identifier>" + task + "</Identifier>").contains("<Identifier>" + doc + "</Identifier>");
        assertThat(in.body().split("<CREATEResponse>", -1)).hasSize(4);
        UUID id = requestOf(auth);
        assertThat(state(id)).isEqualTo("ASSESSED");
        assertThat(jdbc.sql("select count(*) from eevidence_outbox where request_id = :r").param("r", id)
                .query(Long.class).single()).isZero();
        // decided: the data is preserved, and the issuing authority is told so over mutual TLS
        accept(id);
        Deadlines.Hold hold = deadlines.hold(id).orElseThrow();
        assertThat(hold.status()).isEqualTo("ACTIVE");
        outbound.sendDue();
        assertThat(outbox(id, "datapreserved")).isEqualTo("SENT");
        assertThat(received("datapreserved", task)).singleElement().satisfies(x -> {
            assertThat(x.clientCertificate()).contains("habeas-client");
            assertThat(x.body()).contains("<UPDATE>").contains("<ObjectIdentifier>" + task + "</ObjectIdentifier>")
                    .contains("<common:Value>Preserved</common:Value>")
                    .contains("<task:PreservationExpiration>" + hold.expiresOn() + "T00:00:00Z</task:PreservationExpiration>")
                    .contains("<common:Value>DataPreserved</common:Value>")
                    .contains("<AssociatedObject>" + auth + "</AssociatedObject>")
                    .contains("<UniqueIdentifier>habeas-test</UniqueIdentifier>");
        });
        // Form 6: the hold runs the law's 30 days longer
        String form6 = UUID.randomUUID().toString();
        Reply extended = valid(post("preservationextension", Fixtures.bytes("form6-preservation-extension.xml", Map.of(
                "AUTH", auth, "TASK1", task, "DOC", form6))));
        assertThat(extended.body()).doesNotContain("ErrorInformation").contains("<UPDATEResponse>")
                .contains("<Identifier>" + form6 + "</Identifier>");
        assertThat(deadlines.hold(id).orElseThrow().expiresOn()).isEqualTo(hold.expiresOn().plusDays(30));
        // the end of the preservation releases the hold; a second end is refused, precisely
        Reply ended = valid(post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", task,
                "DESIRED", "Cancelled"))));
        assertThat(ended.body()).contains("<UPDATEResponse>").contains("<Identifier>" + task + "</Identifier>")
                .doesNotContain("ErrorInformation");
        assertThat(deadlines.hold(id).orElseThrow().status()).isEqualTo("RELEASED");
        Reply again = valid(post("endpreservation", Fixtures.bytes("end-preservation.xml", Map.of("TASK1", task,
                "DESIRED", "Cancelled"))));
        assertThat(again.body()).contains("<ErrorCode>3000</ErrorCode>").contains("no active preservation hold");
        assertThat(events(id)).contains("EEVIDENCE_QUEUED", "EEVIDENCE_SENT", "HOLD_EXTENDED");
        // every message of the exchange is kept as received, with the forms
        assertThat(jdbc.sql("select filename from intake_document where request_id = :id").param("id", id)
                .query(String.class).list()).anyMatch(f -> f.startsWith("HI1-preservation-"))
                .anyMatch(f -> f.startsWith("HI1-preservationextension-")).anyMatch(f -> f.startsWith("HI1-endpreservation-"))
                .anyMatch(f -> f.startsWith("Form2")).anyMatch(f -> f.startsWith("Form6"));
    }

    // --- signatures ---

    @Test
    void aStateThatRequiresSignaturesGetsOnlyMessagesItsSignersSignedIn() throws Exception {
        receiver.bind("FR", "fr-authority", accounts.agencyA.id());
        String auth = UUID.randomUUID().toString();
        byte[] unsigned = Fixtures.message("form1-epoc.xml", Map.of("AUTH", auth))
                .replace("<CountryCode>DE</CountryCode>", "<CountryCode>FR</CountryCode>")
                .replace("issuing-authority-1", "fr-authority").getBytes(StandardCharsets.UTF_8);
        Map<String, Long> before = counts();
        assertThat(post(FR_SYSTEM, "production", unsigned).body()).contains("<ErrorCode>3005</ErrorCode>")
                .contains("ds:Signature is missing").doesNotContain("<ActionResponse>");
        byte[] signed = Signing.sign(unsigned, FR_SYSTEM);
        byte[] tampered = new String(signed, StandardCharsets.UTF_8).replace("<auth:AuthorisationReference>EPOC-",
                "<auth:AuthorisationReference>EPOC-X").getBytes(StandardCharsets.UTF_8);
        assertThat(post(FR_SYSTEM, "production", tampered).body()).contains("<ErrorCode>3007</ErrorCode>")
                .contains("ds:Signature does not verify");
        assertThat(post(FR_SYSTEM, "production", Signing.sign(unsigned, ROGUE)).body())
                .contains("<ErrorCode>3007</ErrorCode>").contains("not one of the signers configured for FR");
        assertThat(counts()).isEqualTo(before);
        Reply ok = post(FR_SYSTEM, "production", signed);
        assertThat(ok.body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        assertThat(jdbc.sql("select sender_verification, signature_kid from intake_request where id = :id")
                .param("id", requestOf(auth)).query().singleRow()).containsEntry("sender_verification", "VERIFIED")
                .hasEntrySatisfying("signature_kid", k -> assertThat(k.toString()).contains("fr-national-system"));
    }

    /** A French EPOC, XML-signed by the French system, whose Form 1 is the PDF given. */
    byte[] frenchOrder(String auth, byte[] form) throws Exception {
        String m = Fixtures.message("form1-epoc.xml", Map.of("AUTH", auth))
                .replace("<CountryCode>DE</CountryCode>", "<CountryCode>FR</CountryCode>")
                .replace("issuing-authority-1", "fr-authority");
        m = m.replaceFirst("<doc:Contents>[^<]*</doc:Contents>", "<doc:Contents>"
                + java.util.Base64.getEncoder().encodeToString(form) + "</doc:Contents>")
                .replaceFirst("<doc:Checksum>[^<]*</doc:Checksum>", "<doc:Checksum>" + java.util.HexFormat.of()
                        .formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(form)) + "</doc:Checksum>");
        return Signing.sign(m.getBytes(StandardCharsets.UTF_8), FR_SYSTEM);
    }

    String page(UUID request) throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + plainPort + "/requests/" + request))
                    .header("Authorization", accounts.bearer(org.habeas.accounts.UserRole.ANALYST)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void theSignedFormIsVerifiedAgainstTheStatesSignersAndATamperedOrUnsignedOneIsShownNotRefused() throws Exception {
        receiver.bind("FR", "fr-authority", accounts.agencyA.id());
        TestPki.Issued prosecutor = TestPki.issue(FR_CA, "Parquet de test", null);
        byte[] signed = SignedPdfs.signed("EPOC Formulaire 1", prosecutor);
        String good = UUID.randomUUID().toString();
        assertThat(post(FR_SYSTEM, "production", frenchOrder(good, signed)).body()).contains("<CREATEResponse>")
                .doesNotContain("ErrorInformation");
        assertThat(jdbc.sql("select status, signer from eevidence_form_signature where request_id = :r")
                .param("r", requestOf(good)).query().singleRow()).containsEntry("status", "VALID")
                .containsEntry("signer", "CN=Parquet de test");
        assertThat(page(requestOf(good))).contains("Form signature verified").contains("CN=Parquet de test");
        // a byte changed inside the signed range: the order is still taken, and its case says the form is invalid
        String bad = UUID.randomUUID().toString();
        assertThat(post(FR_SYSTEM, "production", frenchOrder(bad, SignedPdfs.tampered(signed, "EPOC Formulaire 1")))
                .body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        assertThat(jdbc.sql("select status from eevidence_form_signature where request_id = :r")
                .param("r", requestOf(bad)).query(String.class).single()).isEqualTo("INVALID");
        assertThat(page(requestOf(bad))).contains("Form signature invalid").contains("does not verify");
        // the stand-in form of the German fixture carries no signature
        Order unsigned = production(Map.of());
        assertThat(jdbc.sql("select status from eevidence_form_signature where request_id = :r")
                .param("r", unsigned.request()).query(String.class).single()).isEqualTo("UNSIGNED");
        assertThat(page(unsigned.request())).contains("Form not signed");
    }

    @Test
    void aValidSignatureFromAStateWithoutSignersIsKeptAsUnknownKey() throws Exception {
        String auth = UUID.randomUUID().toString();
        Reply r = post("production", Signing.sign(Fixtures.bytes("form1-epoc.xml", Map.of("AUTH", auth)), DE_SYSTEM));
        assertThat(r.body()).contains("<CREATEResponse>").doesNotContain("ErrorInformation");
        assertThat(jdbc.sql("select sender_verification from intake_request where id = :id").param("id", requestOf(auth))
                .query(String.class).single()).isEqualTo("UNKNOWN_KEY");
    }
}
