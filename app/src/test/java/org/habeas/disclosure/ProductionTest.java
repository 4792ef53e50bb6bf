package org.habeas.disclosure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.ledger.Note;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Executing a narrowed decision: the package holds exactly the approved targets and categories, its manifest
 * signature verifies with the operator's key, only the recipient agency's key decrypts it, a tampered file fails
 * the manifest check; the download is recorded, receipt closes the case, and production and closure are logged.
 */
@SpringBootTest
@ActiveProfiles("test")
class ProductionTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    WebApplicationContext context;

    @Autowired
    AccessRecord access;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aNarrowedDecisionProducesExactlyItsScopeSignedAndEncryptedForTheRecipient() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        ECKey agencyKey = new ECKeyGenerator(Curve.P_256).keyID("enc-" + UUID.randomUUID()).generate();
        mvc.perform(post("/api/v1/agencies/" + a.agencyA.id() + "/keys").header("Authorization", a.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content(agencyKey.toPublicJWK().toJSONString()))
                .andExpect(status().isCreated());

        ObjectNode r = Samples.production();
        ((ObjectNode) r.get("targets").get(0)).put("value", "first@mail.example");
        ((tools.jackson.databind.node.ArrayNode) r.get("targets")).addObject().put("type", "EMAIL").put("value", "second@mail.example");
        tools.jackson.databind.node.ArrayNode categories = ((ObjectNode) r).putArray("dataCategories");
        categories.add("SUBSCRIBER").add("TRAFFIC");
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        // nothing is produced before a decision
        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isConflict());
        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", a.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outcome":"NARROW","scope":{"dataCategories":["SUBSCRIBER"],"targets":["first@mail.example"]},
                         "reason":"Only the first account is linked to the fraud","justification":"Reviewed with the order"}"""))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", a.bearer(UserRole.LEGAL_REVIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.decision.outcome").value("NARROW"));

        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/cases/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.state").value("EXECUTING"));

        String jwe = mvc.perform(get("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        mvc.perform(get("/api/v1/cases/" + id + "/package").header("Authorization", "Bearer " + a.otherRequesterToken))
                .andExpect(status().isNotFound());
        assertThat(access.list(a.users.get(UserRole.REQUESTER).username(), id, "DOWNLOAD_PACKAGE", 10)).hasSize(1);
        // while the agency is suspended its packages are not released
        String status = "/api/v1/agencies/" + a.agencyA.id() + "/status";
        mvc.perform(post(status).header("Authorization", a.bearer(UserRole.ADMIN)).contentType(MediaType.APPLICATION_JSON)
                .content("{\"status\":\"SUSPENDED\"}")).andExpect(status().isOk());
        try {
            mvc.perform(get("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.REQUESTER)))
                    .andExpect(status().isForbidden())
                    .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                            .contentTypeCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.errors[0].pointer").value("/agency"));
        } finally {
            mvc.perform(post(status).header("Authorization", a.bearer(UserRole.ADMIN))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"status\":\"ACTIVE\"}")).andExpect(status().isOk());
        }
        assertThat(access.list(a.users.get(UserRole.REQUESTER).username(), id, "DOWNLOAD_PACKAGE", 10)).hasSize(1);

        // only the recipient's key opens it; the manifest verifies and lists exactly the approved scope
        byte[] zip = Packages.decrypt(jwe, agencyKey);
        ECKey stranger = new ECKeyGenerator(Curve.P_256).keyID("other").generate();
        assertThatThrownBy(() -> Packages.decrypt(jwe, stranger)).isInstanceOf(Packages.Invalid.class);
        Note.Verifier operator = Note.Verifier.parse(mvc.perform(get("/disclosure/vkey")).andReturn().getResponse()
                .getContentAsString().strip());
        JsonNode manifest = Packages.check(zip, operator);
        assertThat(manifest.get("scope").get("dataCategories").toString()).isEqualTo("[\"SUBSCRIBER\"]");
        assertThat(manifest.get("scope").get("targets").toString()).isEqualTo("[\"first@mail.example\"]");
        assertThat(manifest.get("files")).hasSize(1);
        Map<String, byte[]> files = Packages.unzip(zip);
        assertThat(files.keySet()).containsExactlyInAnyOrder("manifest.json", "manifest.sig", "files/subscriber/first@mail.example.csv");
        assertThat(new String(files.get("files/subscriber/first@mail.example.csv"), StandardCharsets.UTF_8))
                .doesNotContain("second@mail.example").doesNotContain("TRAFFIC");

        // a tampered file fails the manifest check
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                byte[] content = f.getKey().startsWith("files/") ? "forged".getBytes() : f.getValue();
                z.write(content);
                z.closeEntry();
            }
        }
        assertThatThrownBy(() -> Packages.check(out.toByteArray(), operator)).isInstanceOf(Packages.Invalid.class)
                .hasMessageContaining("does not match its SHA-256");

        // receipt closes the case; production and closure are in the public log
        mvc.perform(post("/api/v1/cases/" + id + "/package/receipt").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNoContent());
        mvc.perform(get("/api/v1/cases/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.state").value("CLOSED"));
        UUID caseId = jdbc.sql("select case_id from ledger_case where request_id = :r").param("r", UUID.fromString(id))
                .query(UUID.class).single();
        assertThat(jdbc.sql("select event from ledger_leaf where case_id = :c order by idx").param("c", caseId)
                .query(String.class).list()).containsExactly("RECEIVED", "ASSESSED", "DECIDED", "PRODUCED", "CLOSED");
    }
}
