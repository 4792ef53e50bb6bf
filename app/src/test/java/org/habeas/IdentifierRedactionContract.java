package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.text.PDFTextStripper;
import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.node.ObjectNode;

/**
 * The identifier-leak walk: a request whose identifiers are unique strings, quoted in its facts and its
 * description, narrowed by staff to one of them and decided; then every page, API representation, letter and
 * export oversight may read. None may contain an identifier, in any case; staff see them all.
 */
@SpringBootTest
@ActiveProfiles("test")
abstract class IdentifierRedactionContract {

    @Autowired
    WebApplicationContext context;

    MockMvc mvc;
    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        accounts = TestAccounts.of(context);
    }

    @Test
    void oversightNeverReceivesAnIdentifier() throws Exception {
        String u = UUID.randomUUID().toString().substring(0, 8);
        List<String> identifiers = List.of("leakacct" + u, "leak" + u + "@mail.example", "10.77.0.0/8", "+33 6 12 " + u.substring(0, 2) + " 99 17");
        ObjectNode r = Samples.production();
        var targets = r.putArray("targets");
        targets.addObject().put("type", "ACCOUNT").put("value", identifiers.get(0));
        targets.addObject().put("type", "EMAIL").put("value", identifiers.get(1));
        targets.addObject().put("type", "IP").put("value", identifiers.get(2));
        targets.addObject().put("type", "PHONE").put("value", identifiers.get(3));
        r.put("facts", "The victims paid into accounts that " + identifiers.get(0).toUpperCase(Locale.ROOT)
                + " controlled; the phishing e-mails came from " + identifiers.get(1) + " and from the range "
                + identifiers.get(2) + ", and the caller used " + identifiers.get(3) + ".");
        ((ObjectNode) r.get("offence")).put("description", "Online fraud by " + identifiers.get(0) + " against customers of a bank.");
        String location = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        mvc.perform(post("/api/v1/cases/" + id + "/proposals").header("Authorization", accounts.bearer(UserRole.ANALYST))
                .contentType(MediaType.APPLICATION_JSON)
                .content("{\"outcome\":\"NARROW\",\"scope\":{\"targets\":[\"" + identifiers.get(0) + "\",\"" + identifiers.get(1)
                        + "\"]},\"reason\":\"Only " + identifiers.get(0) + " and its e-mail are linked\",\"justification\":\"The range is dropped\"}"))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/v1/cases/" + id + "/decision").header("Authorization", accounts.bearer(UserRole.LEGAL_REVIEWER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"action\":\"CONFIRM\",\"reason\":\"Confirmed for " + identifiers.get(0) + "\"}"))
                .andExpect(status().is2xxSuccessful());

        List<String> representations = List.of("/api/v1/requests/" + id, "/api/v1/requests?size=1000", "/requests/" + id,
                "/requests", "/api/v1/cases/" + id, "/api/v1/cases/" + id + "/letter", "/api/v1/cases/" + id + "/letter?format=pdf",
                "/api/v1/notices", "/api/v1/access?subject=" + id, "/access", "/oversight/register", "/transparency");
        List<String> read = new ArrayList<>();
        for (String path : representations) {
            MvcResult oversight = mvc.perform(get(path).header("Authorization", accounts.bearer(UserRole.OVERSIGHT))).andReturn();
            int code = oversight.getResponse().getStatus();
            assertThat(code).as(path).isIn(200, 403);
            if (code == 200) {
                read.add(path);
                String text = text(oversight).toLowerCase(Locale.ROOT);
                for (String identifier : identifiers) {
                    assertThat(text).as(path + " shows an identifier to oversight").doesNotContain(identifier.toLowerCase(Locale.ROOT));
                }
            }
        }
        // oversight reads the request, its assessment, its case and the letter, and staff see every identifier in them
        String page = text(mvc.perform(get("/requests/" + id).header("Authorization", accounts.bearer(UserRole.OVERSIGHT))).andReturn());
        assertThat(page).contains("(withheld)").contains("NARROW").contains("REFUSE");
        String api = text(mvc.perform(get("/api/v1/requests/" + id).header("Authorization", accounts.bearer(UserRole.OVERSIGHT))).andReturn());
        assertThat(api).contains("\"TARGET_SPECIFICITY\"").contains("\"NARROW\"");
        assertThat(read).contains("/api/v1/requests/" + id, "/requests/" + id, "/api/v1/cases/" + id,
                "/api/v1/cases/" + id + "/letter");
        for (String path : List.of("/api/v1/requests/" + id, "/requests/" + id)) {
            String staff = text(mvc.perform(get(path).header("Authorization", accounts.bearer(UserRole.ANALYST))).andReturn());
            for (String identifier : identifiers) {
                assertThat(staff).as(path + " for staff").contains(identifier.replace("+", "").substring(0, 6));
            }
        }
    }

    private static String text(MvcResult result) throws Exception {
        byte[] body = result.getResponse().getContentAsByteArray();
        if (body.length > 4 && new String(body, 0, 4, StandardCharsets.ISO_8859_1).equals("%PDF")) {
            try (var pdf = Loader.loadPDF(body)) {
                return new PDFTextStripper().getText(pdf);
            }
        }
        return new String(body, StandardCharsets.UTF_8);
    }
}
