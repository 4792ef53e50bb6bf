package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.CaseSteps;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Messages with documents on a case, run once per database: a question's answer and later messages carry files,
 * stored with their sniffed type and SHA-256 under a safe name; only those who may see the request download them
 * (another agency's officer gets 404, oversight 403); a file over the size limit, of a refused type, or a message on a
 * withdrawn case is refused and leaves nothing behind.
 */
@SpringBootTest(properties = "habeas.intake.max-document-bytes=65536")
@ActiveProfiles("test")
abstract class CaseMessagesContract {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] PDF = "%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
            .getBytes(StandardCharsets.US_ASCII);

    @Autowired
    WebApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    MockMvc mvc;
    TestAccounts accounts;
    CaseSteps steps;

    @BeforeEach
    void setUp() {
        steps = CaseSteps.of(context);
        mvc = steps.mvc();
        accounts = steps.accounts();
    }

    private String bearer(UserRole role) {
        return accounts.bearer(role);
    }

    private MockHttpServletResponse json(String bearer, String path, String body) throws Exception {
        return mvc.perform(post(path).header("Authorization", bearer).contentType(MediaType.APPLICATION_JSON).content(body))
                .andReturn().getResponse();
    }

    private MockHttpServletResponse upload(String bearer, String path, String text, MockMultipartFile... files)
            throws Exception {
        var b = multipart(path).header("Authorization", bearer);
        for (MockMultipartFile f : files) {
            b.file(f);
        }
        if (text != null) {
            b.param("text", text);
        }
        return mvc.perform(b).andReturn().getResponse();
    }

    private static MockMultipartFile file(String name, byte[] content) {
        return new MockMultipartFile("file", name, "application/pdf", content);
    }

    private JsonNode thread(String bearer, String id) throws Exception {
        return JSON.readTree(mvc.perform(get("/api/v1/requests/" + id).header("Authorization", bearer))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString()).get("thread");
    }

    @Test
    void anAnswerCarriesADocumentThatOnlyThoseWhoSeeTheRequestDownload() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        assertThat(json(bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/questions",
                "{\"text\":\"Please send the court's order.\"}").getStatus()).isEqualTo(200);
        MockHttpServletResponse answered = upload(bearer(UserRole.REQUESTER), "/api/v1/cases/" + id + "/answers",
                "The order is attached.", file("order.pdf", PDF));
        assertThat(answered.getStatus()).as(answered.getContentAsString()).isEqualTo(200);
        assertThat(JSON.readTree(answered.getContentAsString()).get("state").stringValue()).isEqualTo("IN_REVIEW");

        JsonNode thread = thread(bearer(UserRole.ANALYST), id);
        assertThat(thread).hasSize(2);
        assertThat(thread.get(0).get("kind").stringValue()).isEqualTo("ASKED_REQUESTER");
        JsonNode answer = thread.get(1);
        assertThat(answer.get("kind").stringValue()).isEqualTo("REQUESTER_ANSWERED");
        assertThat(answer.get("text").stringValue()).isEqualTo("The order is attached.");
        JsonNode doc = answer.get("attachments").get(0);
        assertThat(doc.get("filename").stringValue()).isEqualTo("order.pdf");
        assertThat(doc.get("type").stringValue()).isEqualTo("application/pdf");
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(PDF));
        assertThat(doc.get("sha256").stringValue()).isEqualTo(sha);
        // staff appear to the requester by role
        assertThat(thread(bearer(UserRole.REQUESTER), id).get(0).get("from").stringValue()).isEqualTo("Analyst");

        String download = "/api/v1/requests/" + id + "/documents/" + doc.get("id").stringValue();
        for (UserRole may : new UserRole[] {UserRole.ANALYST, UserRole.LEGAL_REVIEWER, UserRole.REQUESTER}) {
            MockHttpServletResponse got = mvc.perform(get(download).header("Authorization", bearer(may))).andReturn().getResponse();
            assertThat(got.getStatus()).as(may.name()).isEqualTo(200);
            assertThat(got.getContentAsByteArray()).isEqualTo(PDF);
            assertThat(got.getHeader("Repr-Digest")).isEqualTo("sha-256=:" + Base64.getEncoder()
                    .encodeToString(HexFormat.of().parseHex(sha)) + ":");
        }
        // another agency's officer learns nothing of the request; oversight never reads documents
        assertThat(mvc.perform(get(download).header("Authorization", "Bearer " + accounts.otherRequesterToken))
                .andReturn().getResponse().getStatus()).isEqualTo(404);
        assertThat(mvc.perform(get(download).header("Authorization", bearer(UserRole.OVERSIGHT)))
                .andReturn().getResponse().getStatus()).isEqualTo(403);
        assertThat(thread(bearer(UserRole.OVERSIGHT), id)).isNull();
        assertThat(upload("Bearer " + accounts.otherRequesterToken, "/api/v1/cases/" + id + "/messages", "mine?",
                file("x.pdf", PDF)).getStatus()).isEqualTo(404);
    }

    @Test
    void laterMessagesFromBothSidesCarryDocumentsUnderSafeNames() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        MockHttpServletResponse staff = upload(bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/messages",
                "Our form for the annex.", new MockMultipartFile("file", "form.txt", "text/plain", "Annex form\n".getBytes()));
        assertThat(staff.getStatus()).as(staff.getContentAsString()).isEqualTo(201);
        // a name with path separators and a right-to-left override (shows as "order.exe" read backwards) is made safe
        MockHttpServletResponse requester = upload(bearer(UserRole.REQUESTER), "/api/v1/cases/" + id + "/messages",
                "A supplement to our request.", file("..\\..\\etc/ord\u202Eer\u200B\"fdp.pdf", PDF));
        assertThat(requester.getStatus()).as(requester.getContentAsString()).isEqualTo(201);
        JsonNode thread = thread(bearer(UserRole.ANALYST), id);
        assertThat(thread).hasSize(2);
        assertThat(thread.get(0).get("fromRequester").booleanValue()).isFalse();
        assertThat(thread.get(0).get("attachments").get(0).get("type").stringValue()).isEqualTo("text/plain");
        JsonNode doc = thread.get(1).get("attachments").get(0);
        assertThat(doc.get("filename").stringValue()).isEqualTo("orderfdp.pdf");
        MockHttpServletResponse got = mvc.perform(get("/api/v1/requests/" + id + "/documents/" + doc.get("id").stringValue())
                .header("Authorization", bearer(UserRole.ANALYST))).andReturn().getResponse();
        String disposition = got.getHeader("Content-Disposition");
        assertThat(disposition).startsWith("attachment").contains("orderfdp.pdf").doesNotContain("/", "\\", "\u202E", "..");
        assertThat(disposition.chars().allMatch(c -> c >= 0x20 && c < 0x7f)).as(disposition).isTrue();
        assertThat(got.getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        // the requester's own view of the case lists the message on its timeline
        JsonNode kase = JSON.readTree(mvc.perform(get("/api/v1/cases/" + id).header("Authorization", bearer(UserRole.REQUESTER)))
                .andReturn().getResponse().getContentAsString());
        assertThat(kase.get("timeline").findValuesAsString("action")).contains("MESSAGE");
    }

    @Test
    void aFileTooLargeOfARefusedTypeOrOnAWithdrawnCaseLeavesNothing() throws Exception {
        String id = steps.submit("01-legit-ransomware-traffic-eu.json");
        byte[] big = new byte[70_000];
        System.arraycopy(PDF, 0, big, 0, PDF.length);
        long documents = steps.count("select count(*) from intake_document where request_id = :r", id);
        long events = steps.count("select count(*) from casework_event where request_id = :r", id);

        MockHttpServletResponse tooLarge = upload(bearer(UserRole.REQUESTER), "/api/v1/cases/" + id + "/messages",
                "Two files", file("small.pdf", PDF), file("big.pdf", big));
        assertThat(tooLarge.getStatus()).isEqualTo(422);
        assertThat(tooLarge.getContentType()).startsWith("application/problem+json");
        JsonNode problem = JSON.readTree(tooLarge.getContentAsString());
        assertThat(problem.toString()).contains("/files").contains("big.pdf").contains("larger than");

        MockHttpServletResponse exe = upload(bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/messages", "A program",
                new MockMultipartFile("file", "tool.pdf", "application/pdf", new byte[] {'M', 'Z', (byte) 0x90, 0, 3, 0, 0, 0, 4, 0}));
        assertThat(exe.getStatus()).isEqualTo(422);
        assertThat(JSON.readTree(exe.getContentAsString()).toString()).contains("/files").contains("tool.pdf");

        MockHttpServletResponse noText = upload(bearer(UserRole.ANALYST), "/api/v1/cases/" + id + "/messages", null,
                file("a.pdf", PDF));
        assertThat(noText.getStatus()).isEqualTo(422);
        assertThat(JSON.readTree(noText.getContentAsString()).toString()).contains("/text");

        assertThat(json(bearer(UserRole.REQUESTER), "/api/v1/cases/" + id + "/withdrawal", "{\"text\":\"Solved\"}")
                .getStatus()).isEqualTo(200);
        long afterWithdrawal = steps.count("select count(*) from casework_event where request_id = :r", id);
        MockHttpServletResponse late = upload(bearer(UserRole.REQUESTER), "/api/v1/cases/" + id + "/messages", "One more",
                file("late.pdf", PDF));
        assertThat(late.getStatus()).isEqualTo(409);

        assertThat(steps.count("select count(*) from intake_document where request_id = :r", id)).isEqualTo(documents);
        assertThat(steps.count("select count(*) from casework_event where request_id = :r", id)).isEqualTo(afterWithdrawal);
        assertThat(afterWithdrawal).isEqualTo(events + 1);
        assertThat(steps.count("select count(*) from casework_attachment a join casework_event e on e.id = a.event_id "
                + "where e.request_id = :r", id)).isZero();
    }
}
