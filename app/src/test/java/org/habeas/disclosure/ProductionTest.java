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

    @Autowired
    EncryptionKeys keys;

    /** A public Ed25519 JWK made with the platform's own Ed25519. */
    static String ed25519(String kid) throws Exception {
        byte[] spki = java.security.KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
        return "{\"kty\":\"OKP\",\"crv\":\"Ed25519\",\"kid\":\"" + kid + "\",\"x\":\""
                + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                        java.util.Arrays.copyOfRange(spki, spki.length - 32, spki.length)) + "\"}";
    }

    record Cli(int exit, String out, String err) {
    }

    static Cli cli(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cli = org.habeas.cli.HabeasCommand.commandLine(org.habeas.HabeasApplication.class);
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Cli(exit, out.toString(), err.toString());
    }

    @Test
    void anEncryptionKeyIsAPublicP256KeyForEncryptionAndNeverASigningKey() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        ECKey signing = new ECKeyGenerator(Curve.P_256).keyID("sig-" + UUID.randomUUID()).generate();
        mvc.perform(post("/api/v1/agencies/" + a.agencyA.id() + "/keys").header("Authorization", a.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content(signing.toPublicJWK().toJSONString()))
                .andExpect(status().isCreated());
        ECKey pair = PackageKeys.generate("enc-" + UUID.randomUUID());
        ECKey useSig = new ECKeyGenerator(Curve.P_256).keyID("s").keyUse(com.nimbusds.jose.jwk.KeyUse.SIGNATURE).generate();
        for (String bad : new String[] {"{}", "not json", pair.toJSONString(), useSig.toPublicJWK().toJSONString(),
                ed25519("e"), new ECKey.Builder(pair.toPublicJWK()).keyID(null).build().toJSONString(),
                // the agency's signing key is not also its encryption key
                new ECKey.Builder(signing.toPublicJWK()).keyID("enc-reuse").build().toJSONString()}) {
            mvc.perform(post("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER))
                    .contentType(MediaType.APPLICATION_JSON).content(bad))
                    .andExpect(status().isUnprocessableContent())
                    .andExpect(jsonPath("$.errors[0].pointer").value("/jwk"));
        }
        mvc.perform(get("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(jsonPath("$").isEmpty());
        // the signing key is never used to encrypt: no encryption key, no package key
        assertThat(keys.current(a.agencyA.id())).isEmpty();

        mvc.perform(post("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(pair.toPublicJWK().toJSONString()))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.kid").value(pair.getKeyID()));
        mvc.perform(post("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(pair.toPublicJWK().toJSONString()))
                .andExpect(status().isConflict());
        assertThat(keys.current(a.agencyA.id()).orElseThrow().getKeyID()).isEqualTo(pair.getKeyID());
        // another agency's officer sees only their own agency's keys; an administrator registers for any agency
        mvc.perform(get("/api/v1/encryption-keys").header("Authorization", "Bearer " + a.otherRequesterToken))
                .andExpect(jsonPath("$").isEmpty());
        ECKey forB = PackageKeys.generate("enc-b-" + UUID.randomUUID());
        mvc.perform(post("/api/v1/agencies/" + a.agencyB.id() + "/encryption-keys").header("Authorization", a.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content(forB.toPublicJWK().toJSONString()))
                .andExpect(status().isCreated());
        assertThat(keys.current(a.agencyB.id()).orElseThrow().getKeyID()).isEqualTo(forB.getKeyID());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete(
                "/api/v1/encryption-keys/" + pair.getKeyID()).header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isNoContent());
        assertThat(keys.current(a.agencyA.id())).isEmpty();

        // the command line makes such a pair: the private key to a file only its owner reads, the public one printed
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("habeas-keygen");
        java.nio.file.Path out = dir.resolve("our-key.jwk");
        Cli made = cli("package", "keygen", "--out", out.toString(), "--kid", "ours");
        assertThat(made.exit()).as(made.err()).isZero();
        ECKey written = ECKey.parse(java.nio.file.Files.readString(out));
        assertThat(written.isPrivate()).isTrue();
        assertThat(java.nio.file.Files.getPosixFilePermissions(out)).containsExactlyInAnyOrder(
                java.nio.file.attribute.PosixFilePermission.OWNER_READ, java.nio.file.attribute.PosixFilePermission.OWNER_WRITE);
        ECKey printed = ECKey.parse(made.out().strip());
        assertThat(printed.isPrivate()).isFalse();
        assertThat(printed.getKeyID()).isEqualTo("ours");
        assertThat(printed.toPublicJWK()).isEqualTo(written.toPublicJWK());
        mvc.perform(post("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(made.out().strip())).andExpect(status().isCreated());
        mvc.perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete("/api/v1/encryption-keys/ours")
                .header("Authorization", a.bearer(UserRole.REQUESTER))).andExpect(status().isNoContent());
        assertThat(keys.current(a.agencyA.id())).isEmpty();
        Cli again = cli("package", "keygen", "--out", out.toString());
        assertThat(again.exit()).isEqualTo(2);
        assertThat(again.err()).hasLineCount(1);
        assertThat(cli("package").exit()).isEqualTo(2);
    }

    @Test
    void aNarrowedDecisionProducesExactlyItsScopeSignedAndEncryptedForTheRecipient() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts a = TestAccounts.of(context);
        // the agency signs with Ed25519 only, and receives with a separate P-256 key its officer registers
        mvc.perform(post("/api/v1/agencies/" + a.agencyA.id() + "/keys").header("Authorization", a.bearer(UserRole.ADMIN))
                .contentType(MediaType.APPLICATION_JSON).content(ed25519("sig-" + UUID.randomUUID())))
                .andExpect(status().isCreated());
        ECKey agencyKey = PackageKeys.generate("enc-" + UUID.randomUUID());
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
        String reference = r.get("reference").stringValue();
        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", a.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON).content("""
                        {"outcome":"NARROW","scope":{"dataCategories":["SUBSCRIBER"],"targets":["first@mail.example"]},
                         "reason":"Only the first account is linked to the fraud","justification":"Reviewed with the order"}"""))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", a.bearer(UserRole.LEGAL_REVIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"Agreed\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.decision.outcome").value("NARROW"));

        // decided, but the agency has no encryption key: the request says so before anyone tries, and Execute is refused
        mvc.perform(get("/api/v1/requests/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.execution.due").value(true))
                .andExpect(jsonPath("$.execution.blockers[0].field").value("agencyKey"))
                .andExpect(jsonPath("$.execution.blockers[0].text").value(org.hamcrest.Matchers.containsString("/portal/encryption-key")));
        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isConflict()).andExpect(jsonPath("$.errors[0].pointer").value("/agencyKey"));
        mvc.perform(post("/api/v1/encryption-keys").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(agencyKey.toPublicJWK().toJSONString()))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/requests/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.execution.blockers").isEmpty());

        mvc.perform(post("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/v1/cases/" + id).header("Authorization", a.bearer(UserRole.ANALYST)))
                .andExpect(jsonPath("$.state").value("EXECUTING"));

        var downloaded = mvc.perform(get("/api/v1/cases/" + id + "/package").header("Authorization", a.bearer(UserRole.REQUESTER)))
                .andExpect(status().isOk()).andReturn().getResponse();
        String jwe = downloaded.getContentAsString();
        assertThat(downloaded.getHeader("Content-Disposition"))
                .isEqualTo("attachment; filename=\"habeas-package-" + reference + ".jwe\"");
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

        // the requester opens the downloaded file with the command line: checked, then written
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("habeas-open");
        java.nio.file.Path file = dir.resolve("habeas-package-" + reference + ".jwe");
        java.nio.file.Files.writeString(file, jwe);
        java.nio.file.Path keyFile = dir.resolve("agency.jwk");
        java.nio.file.Files.writeString(keyFile, agencyKey.toJSONString());
        java.nio.file.Path vkey = dir.resolve("operator.vkey");
        java.nio.file.Files.writeString(vkey, operator.encoded() + "\n");
        Cli opened = cli("package", "open", file.toString(), "--key", keyFile.toString(), "--vkey", vkey.toString());
        assertThat(opened.exit()).as(opened.err()).isZero();
        assertThat(opened.out()).startsWith("valid: 1 file matches the manifest of request " + reference + ", signed by");
        java.nio.file.Path written = dir.resolve("habeas-package-" + reference);
        assertThat(java.nio.file.Files.readAllBytes(written.resolve("files/subscriber/first@mail.example.csv")))
                .isEqualTo(files.get("files/subscriber/first@mail.example.csv"));
        assertThat(written.resolve("manifest.json")).exists();

        // an altered file, another operator's key or another agency's key: exit 1, nothing written; bad input: exit 2
        String[] parts = jwe.split("\\.");
        char c = parts[3].charAt(10);
        parts[3] = parts[3].substring(0, 10) + (c == 'A' ? 'B' : 'A') + parts[3].substring(11);
        java.nio.file.Path altered = dir.resolve("altered.jwe");
        java.nio.file.Files.writeString(altered, String.join(".", parts));
        Cli tampered = cli("package", "open", altered.toString(), "--key", keyFile.toString(), "--vkey", vkey.toString());
        assertThat(tampered.exit()).isEqualTo(1);
        assertThat(tampered.err()).startsWith("package open: NOT valid").hasLineCount(1);
        assertThat(dir.resolve("altered")).doesNotExist();
        Note.Verifier otherOperator = org.habeas.ledger.LogKey.loadOrCreate(dir.resolve("other-operator"), "other").verifier();
        Cli forged = cli("package", "open", file.toString(), "--key", keyFile.toString(), "--vkey", otherOperator.encoded(),
                "--out", dir.resolve("forged").toString());
        assertThat(forged.exit()).isEqualTo(1);
        assertThat(forged.err()).contains("signature does not verify");
        assertThat(dir.resolve("forged")).doesNotExist();
        java.nio.file.Path sameKid = dir.resolve("same-kid.jwk");
        java.nio.file.Files.writeString(sameKid, PackageKeys.generate(agencyKey.getKeyID()).toJSONString());
        assertThat(cli("package", "open", file.toString(), "--key", sameKid.toString(), "--out", dir.resolve("x").toString())
                .exit()).isEqualTo(1);
        java.nio.file.Path publicOnly = dir.resolve("public.jwk");
        java.nio.file.Files.writeString(publicOnly, agencyKey.toPublicJWK().toJSONString());
        for (String[] bad : new String[][] {
                {"package", "open", file.toString(), "--key", publicOnly.toString(), "--out", dir.resolve("y").toString()},
                {"package", "open", file.toString(), "--key", dir.resolve("missing.jwk").toString()},
                {"package", "open", vkey.toString(), "--key", keyFile.toString()},
                {"package", "open", file.toString(), "--key", keyFile.toString()}}) { // the output exists already
            Cli r2 = cli(bad);
            assertThat(r2.exit()).as(String.join(" ", bad)).isEqualTo(2);
            assertThat(r2.err()).as(String.join(" ", bad)).startsWith("package open: ").hasLineCount(1);
        }


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
