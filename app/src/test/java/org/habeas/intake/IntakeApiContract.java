package org.habeas.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.habeas.accounts.UserRole;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import tools.jackson.databind.node.ObjectNode;

/**
 * The intake API's behaviour, run once per database (see the subclasses): what is accepted, what is refused
 * and how, and that a refused call leaves nothing behind.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@AutoConfigureMockMvc
@ActiveProfiles("test")
abstract class IntakeApiContract {

    private static final String REQUESTS = "/api/v1/requests";

    MockMvc mvc;

    @Autowired
    org.springframework.web.context.WebApplicationContext context;

    TestAccounts accounts;

    /** Calls go out as a requester of agency A unless they say otherwise. */
    @org.junit.jupiter.api.BeforeEach
    void signIn() {
        accounts = TestAccounts.of(context);
        mvc = org.springframework.test.web.servlet.setup.MockMvcBuilders.webAppContextSetup(context)
                .apply(org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity())
                .defaultRequest(get("/").header("Authorization", accounts.bearer(UserRole.REQUESTER)))
                .build();
    }

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DataSource dataSource;

    /** "H2" or "PostgreSQL": the database this run must be talking to. */
    abstract String expectedDatabase();

    @Test
    void runsOnTheIntendedDatabase() throws Exception {
        try (Connection c = dataSource.getConnection()) {
            assertThat(c.getMetaData().getDatabaseProductName()).isEqualTo(expectedDatabase());
        }
    }

    @Test
    void aValidRequestIsStoredAndCanBeReadBack() throws Exception {
        ObjectNode request = Samples.production();
        request.put("receivedAt", "2020-01-01T00:00:00Z");
        long before = count();

        MvcResult created = mvc.perform(submit(Samples.json(request)))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", startsWith(REQUESTS + "/")))
                .andExpect(jsonPath("$.status").value("ASSESSED"))
                .andExpect(jsonPath("$.request.reference").value(request.get("reference").stringValue()))
                .andExpect(jsonPath("$.request.receivedAt").value("2020-01-01T00:00:00Z"))
                .andReturn();
        String location = created.getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        assertThat(count()).isEqualTo(before + 1);
        MvcResult read = mvc.perform(get(location))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.id").value(id))
                .andExpect(jsonPath("$.request.targets[0].value").value("impots-remboursement@mail-demo.example"))
                .andReturn();
        // Habeas's own receipt time, not the sender's 2020 timestamp
        String receivedAt = Samples.parse(read.getResponse().getContentAsString()).get("receivedAt").stringValue();
        assertThat(java.time.Instant.parse(receivedAt)).isAfter(java.time.Instant.now().minusSeconds(120));

        // stored as received, in canonical form, with its hash
        var row = jdbc.sql("select body, body_sha256, requesting_state, instrument, measure, target_count, emergency "
                + "from intake_request where id = :id").param("id", UUID.fromString(id)).query().singleRow();
        assertThat((String) row.get("body")).startsWith("{\"authorization\":").contains("\"receivedAt\":\"2020-01-01T00:00:00Z\"");
        assertThat(row.get("body_sha256")).isEqualTo(sha256((String) row.get("body")));
        assertThat(row.get("requesting_state")).isEqualTo("FR");
        assertThat(row.get("instrument")).isEqualTo("EU_EEVIDENCE");
        assertThat(row.get("measure")).isEqualTo("PRODUCTION");
        assertThat(((Number) row.get("target_count")).intValue()).isEqualTo(1);
        assertThat(row.get("emergency")).isEqualTo(false);
    }

    @Test
    void everyReceivedRequestIsAssessedAndShowsItsAssessment() throws Exception {
        String id = create(Samples.demo("05-tr-journalist-insult.json").replace("2026/4471 Soruşturma", "TEST-" + UUID.randomUUID()));
        mvc.perform(get(REQUESTS + "/" + id))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.assessment.decision").value("REFUSE"))
                .andExpect(jsonPath("$.assessment.policy").value("rights-first@1"))
                .andExpect(jsonPath("$.assessment.findings[?(@.rule == 'PROTECTED_CONDUCT')].effect").value("REFUSE"))
                .andExpect(jsonPath("$.assessment.findings[?(@.rule == 'LEGAL_BASIS')].basis[0]").value("UNCC Art 65(1)"));
        assertThat(jdbc.sql("select decision from safeguards_assessment where request_id = :id")
                .param("id", UUID.fromString(id)).query(String.class).single()).isEqualTo("REFUSE");
        mvc.perform(get("/requests/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("PROTECTED_CONDUCT")))
                .andExpect(content().string(org.hamcrest.Matchers.containsString("UNCC Art 65(1)")));
    }

    @Test
    void thePreCheckAssessesWithoutStoring() throws Exception {
        long before = count();
        String tr = Samples.demo("05-tr-journalist-insult.json");
        mvc.perform(post("/api/v1/assessments").contentType(MediaType.APPLICATION_JSON).content(tr))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.decision").value("REFUSE"))
                .andExpect(jsonPath("$.conduct", org.hamcrest.Matchers.hasItem("POLITICAL_EXPRESSION")));
        mvc.perform(post("/api/v1/assessments").param("profile", "treaty-minimum")
                        .contentType(MediaType.APPLICATION_JSON).content(tr))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.policy").value("treaty-minimum@1"))
                .andExpect(jsonPath("$.findings[?(@.rule == 'PROTECTED_CONDUCT')].effect").value("NOTE"));
        mvc.perform(post("/api/v1/assessments").contentType(MediaType.APPLICATION_JSON).content("{\"reference\": \"x\"}"))
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.errors[*].pointer", org.hamcrest.Matchers.hasItem("/measure")));
        mvc.perform(post("/api/v1/assessments").param("profile", "lenient")
                        .contentType(MediaType.APPLICATION_JSON).content(tr))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.errors[0].parameter").value("profile"));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void aRequesterLearnsTheRuleNotTheTriggerAndStaffSeeTheTrigger() throws Exception {
        String tr = Samples.demo("05-tr-journalist-insult.json");
        String shown = mvc.perform(post("/api/v1/assessments").contentType(MediaType.APPLICATION_JSON).content(tr))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.findings[?(@.rule == 'PROTECTED_PERSON')].reason").exists())
                .andExpect(jsonPath("$.signals.matched", hasSize(0)))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(shown).doesNotContain("columnist").doesNotContain("satir").doesNotContain("\"text\"");
        String staff = mvc.perform(post("/api/v1/assessments").header("Authorization", accounts.bearer(UserRole.ANALYST))
                        .contentType(MediaType.APPLICATION_JSON).content(tr))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.findings[?(@.rule == 'PROTECTED_PERSON')].evidence[0].field").value("facts"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(staff).contains("columnist");

        // the stored request: the requester's view and letter name no term, the staff page shows them
        String location = mvc.perform(submit(tr)).andExpect(status().isCreated()).andReturn().getResponse()
                .getHeader("Location");
        String mine = mvc.perform(get(location)).andExpect(status().isOk()).andReturn().getResponse()
                .getContentAsString(StandardCharsets.UTF_8);
        assertThat(mine).contains("PROTECTED_PERSON").doesNotContain("\"evidence\":[{").doesNotContain("columnist\"");
        String page = mvc.perform(get("/requests/" + location.substring(location.lastIndexOf('/') + 1))
                        .header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("What set it off (staff only)").contains("columnist");
        String portal = mvc.perform(get("/portal/requests/" + location.substring(location.lastIndexOf('/') + 1)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(portal).contains("Protected person").doesNotContain("PROTECTED_PERSON").doesNotContain("What set it off");
    }

    @Test
    void malformedJsonIs400() throws Exception {
        long before = count();
        mvc.perform(submit("{\"reference\": \"x\","))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.title").value("Malformed JSON"))
                .andExpect(jsonPath("$.detail", startsWith("The body is not valid JSON (line 1")));
        mvc.perform(submit("")).andExpect(status().isBadRequest());
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void schemaAndConsistencyViolationsAre422AndNameEveryField() throws Exception {
        ObjectNode request = Samples.production();
        request.remove("targets");
        request.put("requestingState", "QQ");
        request.put("surprise", true);
        request.put("durationDays", 7);
        ((ObjectNode) request.get("period")).put("from", "2026-07-01").put("to", "2026-06-30");
        long before = count();

        mvc.perform(submit(Samples.json(request)))
                .andExpect(status().isUnprocessableContent())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(422))
                .andExpect(jsonPath("$.errors", hasSize(5)))
                .andExpect(jsonPath("$.errors[*].pointer",
                        containsInAnyOrder("/targets", "/requestingState", "/surprise", "/durationDays", "/period/to")))
                .andExpect(jsonPath("$.errors[?(@.pointer == '/targets')].detail").value("is required"));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void inputThatWouldBeAlteredOrNeverAssessedIsRefusedWithTheFieldNamed() throws Exception {
        long before = count();
        ObjectNode preservation = Samples.parse(Samples.demo("02-de-ransomware-preservation.json"));
        preservation.put("reference", "TEST-" + UUID.randomUUID()).put("preservationDays", 424242);
        String[][] cases = {
            {Samples.json(preservation).replace("424242", "123456789012345678901234567890.5"), "/preservationDays"},
            {raw("receivedAt", "\"2016-12-31T23:59:60Z\""), "/receivedAt"},
            {raw("receivedAt", "\"2026-01-01T00:00:00.123456789012Z\""), "/receivedAt"},
            {raw("reference", "\"REF\\u0000NUL\""), "/reference"},
            {raw("facts", "\"text \\uDBFF\\uDFFF\""), "/facts"},
        };
        for (String[] c : cases) {
            mvc.perform(submit(c[0]))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].pointer").value(c[1]));
        }
        // a lone surrogate: the body is not Unicode text, so it is not read at all (400), the field still named
        mvc.perform(submit(raw("reference", "\"REF\\uD800\"")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].pointer").value("/reference"));
        assertThat(count()).isEqualTo(before);
        // nothing stored stays unassessed
        assertThat(jdbc.sql("select count(*) from intake_request where id not in (select request_id from safeguards_assessment)")
                .query(Long.class).single()).isZero();
    }

    private static String raw(String member, String rawValue) {
        ObjectNode r = Samples.production();
        r.put(member, "@@");
        return Samples.json(r).replace("\"@@\"", rawValue);
    }

    @Test
    void bodiesOverOneMebibyteAre413() throws Exception {
        ObjectNode request = Samples.production();
        request.put("facts", "x".repeat(1024 * 1024));
        long before = count();
        mvc.perform(submit(Samples.json(request)))
                .andExpect(status().isContentTooLarge())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void otherMediaTypesAre415() throws Exception {
        long before = count();
        mvc.perform(post(REQUESTS).contentType(MediaType.TEXT_PLAIN).content(Samples.json(Samples.production())))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(post(REQUESTS).contentType(MediaType.APPLICATION_XML).content("<request/>"))
                .andExpect(status().isUnsupportedMediaType());
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void theSameIdempotencyKeyAndBodyReturnTheOriginal() throws Exception {
        String body = Samples.json(Samples.production());
        String key = "key-" + UUID.randomUUID();
        long before = count();

        String first = mvc.perform(submit(body).header("Idempotency-Key", key))
                .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
        // the same document with other whitespace and member order is the same body
        String reordered = Samples.reorderedAndIndented(Samples.parse(body));
        assertThat(reordered).isNotEqualTo(body);
        mvc.perform(submit(reordered).header("Idempotency-Key", key))
                .andExpect(status().isCreated())
                .andExpect(header().string("Location", first))
                .andExpect(header().string("Idempotent-Replayed", "true"));
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIs409() throws Exception {
        String key = "key-" + UUID.randomUUID();
        mvc.perform(submit(Samples.json(Samples.production())).header("Idempotency-Key", key))
                .andExpect(status().isCreated());
        long before = count();
        mvc.perform(submit(Samples.json(Samples.production())).header("Idempotency-Key", key))
                .andExpect(status().isConflict())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].header").value("Idempotency-Key"));
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void concurrentRetriesWithOneKeyStoreOneRequest() throws Exception {
        String body = Samples.json(Samples.production());
        String key = "key-" + UUID.randomUUID();
        long before = count();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Callable<String> call = () -> mvc.perform(submit(body).header("Idempotency-Key", key))
                        .andExpect(status().isCreated()).andReturn().getResponse().getHeader("Location");
                calls.add(pool.submit(call));
            }
            List<String> locations = new ArrayList<>();
            for (Future<String> f : calls) {
                locations.add(f.get());
            }
            assertThat(locations).containsOnly(locations.get(0));
        } finally {
            pool.shutdown();
        }
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void listsFilterAndPage() throws Exception {
        String state = "JP"; // no other test submits from Japan
        for (String measure : List.of("PRODUCTION", "PRODUCTION", "PRESERVATION")) {
            ObjectNode r = Samples.production();
            r.put("requestingState", state);
            r.put("instrument", "BUDAPEST");
            r.put("measure", measure);
            if (measure.equals("PRESERVATION")) {
                r.put("preservationDays", 90);
            }
            mvc.perform(submit(Samples.json(r))).andExpect(status().isCreated());
        }
        mvc.perform(get(REQUESTS).param("requestingState", state))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.page").value(0))
                .andExpect(jsonPath("$.size").value(20))
                .andExpect(jsonPath("$.items", hasSize(3)));
        mvc.perform(get(REQUESTS).param("requestingState", state).param("measure", "PRESERVATION")
                        .param("instrument", "BUDAPEST").param("status", "ASSESSED"))
                .andExpect(jsonPath("$.total").value(1))
                .andExpect(jsonPath("$.items[0].request.preservationDays").value(90));
        mvc.perform(get(REQUESTS).param("requestingState", state).param("size", "2").param("page", "1"))
                .andExpect(jsonPath("$.total").value(3))
                .andExpect(jsonPath("$.items", hasSize(1)));
        String today = java.time.LocalDate.now(java.time.ZoneOffset.UTC).toString();
        mvc.perform(get(REQUESTS).param("requestingState", state).param("receivedFrom", today).param("receivedTo", today))
                .andExpect(jsonPath("$.total").value(3));
        mvc.perform(get(REQUESTS).param("requestingState", state).param("receivedTo", "2001-01-01"))
                .andExpect(jsonPath("$.total").value(0));
    }

    @Test
    void badListParametersAreNamed() throws Exception {
        mvc.perform(get(REQUESTS).param("size", "1001").param("measure", "TELEPATHY").param("receivedFrom", "soon"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[*].parameter", containsInAnyOrder("size", "measure", "receivedFrom")));
    }

    @Test
    void unknownRequestsAre404() throws Exception {
        mvc.perform(get(REQUESTS + "/" + UUID.randomUUID()))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void documentsAreStoredWithTheirHashAndSniffedType() throws Exception {
        String id = create();
        byte[] pdf = "%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".getBytes(StandardCharsets.US_ASCII);
        mvc.perform(multipart(REQUESTS + "/" + id + "/documents")
                        .file(new MockMultipartFile("file", "../../order.pdf", "application/octet-stream", pdf)))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.filename").value("order.pdf"))
                .andExpect(jsonPath("$.sniffedType").value("application/pdf"))
                .andExpect(jsonPath("$.declaredType").value("application/octet-stream"))
                .andExpect(jsonPath("$.size").value(pdf.length))
                .andExpect(jsonPath("$.sha256").value(sha256(pdf)));
        MvcResult list = mvc.perform(get(REQUESTS + "/" + id + "/documents"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$", hasSize(1)))
                .andReturn();
        String documentId = Samples.parse("{\"d\":" + list.getResponse().getContentAsString() + "}")
                .get("d").get(0).get("id").stringValue();
        mvc.perform(get(REQUESTS + "/" + id + "/documents/" + documentId))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/pdf"))
                .andExpect(content().bytes(pdf))
                .andExpect(header().string("X-Content-Type-Options", "nosniff"))
                .andExpect(header().string("Content-Disposition", startsWith("attachment")))
                .andExpect(header().string("Repr-Digest", "sha-256=:"
                        + java.util.Base64.getEncoder().encodeToString(HexFormat.of().parseHex(sha256(pdf))) + ":"));
    }

    @Test
    void documentsOfOtherKindsAreRefused() throws Exception {
        String id = create();
        byte[] zip = {'P', 'K', 3, 4, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        mvc.perform(multipart(REQUESTS + "/" + id + "/documents")
                        .file(new MockMultipartFile("file", "order.pdf", "application/pdf", zip)))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.errors[0].parameter").value("file"));
        mvc.perform(multipart(REQUESTS + "/" + id + "/documents")
                        .file(new MockMultipartFile("file", "empty.txt", "text/plain", new byte[0])))
                .andExpect(status().isUnprocessableContent());
        mvc.perform(multipart(REQUESTS + "/" + UUID.randomUUID() + "/documents")
                        .file(new MockMultipartFile("file", "a.txt", "text/plain", "order".getBytes(StandardCharsets.UTF_8))))
                .andExpect(status().isNotFound());
        mvc.perform(get(REQUESTS + "/" + id + "/documents")).andExpect(jsonPath("$", hasSize(0)));
    }

    @org.springframework.boot.test.web.server.LocalServerPort
    int port;

    /** A multipart upload as a client sends it over HTTP, byte for byte. */
    private java.net.http.HttpResponse<String> upload(String id, String contentType, byte[] body) throws Exception {
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://localhost:" + port + REQUESTS + "/"
                        + id + "/documents"))
                .header("Authorization", accounts.bearer(UserRole.REQUESTER)).header("Content-Type", contentType)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body)).build();
        try (var client = java.net.http.HttpClient.newHttpClient()) {
            return client.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
        }
    }

    private static byte[] part(String filename, String declaredType, boolean complete) {
        String head = "--B0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + filename
                + "\"\r\nContent-Type: " + declaredType + "\r\n\r\nThe order of the court.\r\n";
        return (complete ? head + "--B0undary--\r\n" : head.substring(0, head.length() - 10)).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void uploadsThatCannotBeStoredAsSentAreRefusedWithTheFieldNamed() throws Exception {
        String id = create();
        String multipart = "multipart/form-data; boundary=B0undary";
        assertThat(upload(id, multipart, part("order.txt", "text/plain", true)).statusCode()).isEqualTo(201);
        long before = count();
        List<java.net.http.HttpResponse<String>> refused = List.of(
                upload(id, multipart, part("a\u0000b.txt", "text/plain", true)),
                upload(id, multipart, part("order\u202Etxt.exe", "text/plain", true)),
                upload(id, multipart, part("order\u0007.txt", "text/plain", true)),
                upload(id, multipart, part("x".repeat(1000) + ".txt", "text/plain", true)),
                upload(id, multipart, part("order.txt", "text/" + "x".repeat(300), true)),
                upload(id, "multipart/form-data", part("order.txt", "text/plain", true)),
                upload(id, multipart, part("order.txt", "text/plain", false)),
                upload(id, multipart, ("--B0undary\r\nContent-Disposition: form-data; name=\"file\"; "
                        + "filename*=UTF-8''a%00b.txt\r\nContent-Type: text/plain\r\n\r\nThe order.\r\n--B0undary--\r\n")
                        .getBytes(StandardCharsets.UTF_8)));
        // a NUL in a part header, raw or encoded, is refused by the multipart parser itself (400)
        int[] expected = {400, 422, 422, 422, 422, 400, 400, 400};
        for (int i = 0; i < expected.length; i++) {
            var r = refused.get(i);
            assertThat(r.statusCode()).as(i + ": " + r.body()).isEqualTo(expected[i]);
            assertThat(r.headers().firstValue("Content-Type")).as(i + "").hasValue("application/problem+json");
            assertThat(Samples.parse(r.body()).path("errors").path(0).path("parameter").stringValue()).as(i + "")
                    .isEqualTo("file");
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void theSchemaServedIsTheValidatorsSchema() throws Exception {
        mvc.perform(get("/api/v1/schema/request"))
                .andExpect(status().isOk())
                .andExpect(content().contentType("application/schema+json"))
                .andExpect(content().bytes(RequestValidator.schemaDocument()))
                .andExpect(jsonPath("$.$schema").value("https://json-schema.org/draft/2020-12/schema"));
    }

    @Test
    void openApiAndOperationsEndpointsAnswer() throws Exception {
        mvc.perform(get("/v3/api-docs"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/v1/requests'].post").exists())
                .andExpect(jsonPath("$.paths['/api/v1/requests/{requestId}/documents'].post").exists());
        mvc.perform(get("/actuator/health")).andExpect(status().isOk()).andExpect(jsonPath("$.status").value("UP"));
        mvc.perform(get("/actuator/prometheus").header("Authorization", accounts.bearer(UserRole.ADMIN)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("jvm_memory_used_bytes")));
    }

    @Test
    void theRequestPagesShowWhatWasReceived() throws Exception {
        ObjectNode r = Samples.production();
        r.put("facts", "<script>alert('x')</script> facts");
        String id = create(Samples.json(r));
        mvc.perform(get("/requests").header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString(r.get("reference").stringValue())));
        mvc.perform(get("/requests/" + id).header("Authorization", accounts.bearer(UserRole.ANALYST)))
                .andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.containsString("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; facts")))
                .andExpect(content().string(org.hamcrest.Matchers.not(org.hamcrest.Matchers.containsString("<script>alert"))));
        mvc.perform(get("/requests/" + UUID.randomUUID()).header("Authorization", accounts.bearer(UserRole.ANALYST))).andExpect(status().isNotFound());
        mvc.perform(get("/requests/nonsense").header("Authorization", accounts.bearer(UserRole.ANALYST))).andExpect(status().isNotFound());
    }

    @Test
    void aLoneSurrogateAnywhereInARequestIsRefusedNamingTheFieldAndNothingIsStored() throws Exception {
        String sample = Samples.json(Samples.production());
        long before = count();
        // the escape as a client sends it: six characters of ASCII, a high surrogate with no low one after it
        String lone = "\\ud800";
        Map<String, String> places = new java.util.LinkedHashMap<>();
        places.put("/facts", sample.replace("\"facts\":\"", "\"facts\":\"" + lone));
        places.put("/targets/0/value", sample.replace("\"value\":\"", "\"value\":\"" + lone));
        places.put("/requestingAuthority/name", sample.replace("\"name\":\"", "\"name\":\"x" + lone));
        places.put("/offence/description", sample.replace("\"description\":\"", "\"description\":\"" + lone + "\\udc00\\udc00"));
        for (var place : places.entrySet()) {
            assertThat(place.getValue()).as(place.getKey()).contains(lone);
            for (MockHttpServletRequestBuilder call : List.of(submit(place.getValue()),
                    post("/api/v1/assessments").contentType(MediaType.APPLICATION_JSON).content(place.getValue()))) {
                String answer = mvc.perform(call)
                        .andExpect(status().isBadRequest())
                        .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                        .andExpect(jsonPath("$.errors[*].pointer", org.hamcrest.Matchers.hasItem(place.getKey())))
                        .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
                assertThat(answer).as(place.getKey()).contains("lone surrogate").doesNotContain("?");
            }
        }
        // a member name: the parser refuses it as it reads it; the problem names the object that holds it
        Map<String, String> keys = Map.of(
                "/requestingAuthority", sample.replace("\"requestingAuthority\":{", "\"requestingAuthority\":{\"x" + lone + "\":1,"),
                "", "{\"x" + lone + "\":1," + sample.substring(1));
        for (var place : keys.entrySet()) {
            assertThat(place.getValue()).as(place.getKey()).contains(lone);
            String answer = mvc.perform(submit(place.getValue()))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].pointer").value(place.getKey()))
                    .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
            assertThat(answer).as(place.getKey()).contains("lone surrogate").doesNotContain("?");
        }
        assertThat(count()).isEqualTo(before);
    }

    private String create() throws Exception {
        return create(Samples.json(Samples.production()));
    }

    private String create(String body) throws Exception {
        String location = mvc.perform(submit(body)).andExpect(status().isCreated()).andReturn()
                .getResponse().getHeader("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static MockHttpServletRequestBuilder submit(String body) {
        return post(REQUESTS).contentType(MediaType.APPLICATION_JSON).content(body.getBytes(StandardCharsets.UTF_8));
    }

    private long count() {
        return jdbc.sql("select count(*) from intake_request").query(Long.class).single()
                + jdbc.sql("select count(*) from intake_document").query(Long.class).single();
    }

    private static String sha256(String s) throws Exception {
        return sha256(s.getBytes(StandardCharsets.UTF_8));
    }

    private static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}
