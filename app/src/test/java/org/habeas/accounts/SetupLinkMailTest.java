package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.habeas.support.TestSmtp;
import org.habeas.support.TestMail;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;

import jakarta.mail.internet.MimeMessage;

/**
 * Set-up links through a real SMTP server in the test JVM (GreenMail): a new user asked for by one administrator and
 * approved by another receives the link at their own address, on the configured base address (not the host the
 * approving administrator's request named), and sets up their account with it; the administrators see only where it
 * went. A link that cannot be sent leaves the grant pending.
 */
@SpringBootTest
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class SetupLinkMailTest {

    static final GreenMail SMTP = TestSmtp.start();

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
        TestSmtp.properties(r, SMTP);
        r.add("habeas.base-url", () -> "https://habeas.example.org/");
        r.add("habeas.mail.from", () -> "accounts@habeas.example.org");
    }

    @AfterAll
    static void stop() {
        SMTP.stop();
    }

    @Autowired
    WebApplicationContext context;

    @Autowired
    Users users;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    SetupLinkMail mail;

    MockMvc mvc;
    TestAccounts accounts;
    String secondAdmin;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        accounts = TestAccounts.of(context);
        User u = users.findByUsername("mail-admin-2").orElseGet(() -> users.createWithCredentials("mail-admin-2",
                "Second administrator", UserRole.ADMIN, null, TestAccounts.PASSWORD, Totp.newSecret(new SecureRandom()),
                "mail-admin-2@staff.example"));
        secondAdmin = "Bearer " + context.getBean(Tokens.class).issueForUser(u, "t", Duration.ofDays(1), "test").value();
    }

    @Test
    void theNewUserReceivesTheLinkAtTheirOwnAddressAndSetsUpTheirAccountWithIt(CapturedOutput output) throws Exception {
        assertThat(mail.outbox()).as("with an SMTP server nothing goes to the outbox").isEmpty();
        String name = "mailed-" + UUID.randomUUID().toString().substring(0, 8);
        String address = name + "@staff.example";
        MvcResult asked = mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"" + name
                                + "\",\"displayName\":\"Mailed Reviewer\",\"role\":\"LEGAL_REVIEWER\",\"email\":\"" + address + "\"}"))
                .andExpect(status().isAccepted()).andReturn();
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        int before = SMTP.getReceivedMessages().length;
        // the approving administrator's request names another host: the link does not follow it
        MvcResult approved = mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin)
                        .with(r -> {
                            r.setServerName("evil.example");
                            r.addHeader("Host", "evil.example");
                            return r;
                        }))
                .andExpect(status().isOk()).andExpect(jsonPath("$.setupLinkSentTo").value("m…@staff.example"))
                .andExpect(jsonPath("$.setupLink").doesNotExist()).andReturn();

        assertThat(SMTP.waitForIncomingEmail(5000, before + 1)).isTrue();
        MimeMessage[] received = SMTP.getReceivedMessages();
        assertThat(received).hasSize(before + 1);
        MimeMessage m = received[received.length - 1];
        assertThat(m.getAllRecipients()).extracting(Object::toString).containsExactly(address);
        assertThat(m.getFrom()).extracting(Object::toString).containsExactly("accounts@habeas.example.org");
        assertThat(m.getSubject()).isEqualTo("Your Habeas set-up link");
        String body = GreenMailUtil.getBody(m).replace("=\r\n", "").replace("=3D", "=");
        assertThat(body).contains("Mailed Reviewer").contains(name).contains("https://habeas.example.org/setup/")
                .doesNotContain("evil.example");
        String link = TestMail.linkIn(body);
        String token = link.substring("/setup/".length());
        assertThat(approved.getResponse().getContentAsString()).doesNotContain(token);

        // the user opens it, chooses a password, enrols their authenticator app and signs in
        String page = mvc.perform(get(link)).andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        Matcher secret = Pattern.compile("id=\"secret\" class=\"secret\">([A-Z2-7]{32})<").matcher(page);
        assertThat(secret.find()).isTrue();
        String password = "my own long password " + name;
        mvc.perform(post(link).with(csrf()).param("password", password).param("confirm", password)
                        .param("code", Totp.code(secret.group(1), Instant.now())))
                .andExpect(redirectedUrl("/login?setUp"));
        mvc.perform(post("/login").with(csrf()).param("username", name).param("password", password)
                        .param("code", Totp.code(secret.group(1), Instant.now().plusSeconds(30))))
                .andExpect(redirectedUrl("/"));
        assertThat(users.findByUsername(name).orElseThrow().role()).isEqualTo(UserRole.LEGAL_REVIEWER);
        mvc.perform(get(link)).andExpect(status().isNotFound());
        assertThat(output.getAll()).doesNotContain(token);
    }

    @Test
    void aLinkThatCannotBeSentLeavesTheGrantPendingAndNoLink() throws Exception {
        String name = "unmailed-" + UUID.randomUUID().toString().substring(0, 8);
        MvcResult asked = mvc.perform(post("/api/v1/users").header("Authorization", accounts.bearer(UserRole.ADMIN))
                        .contentType(MediaType.APPLICATION_JSON).content("{\"username\":\"" + name
                                + "\",\"displayName\":\"Unmailed\",\"role\":\"ANALYST\",\"email\":\"" + name + "@staff.example\"}"))
                .andExpect(status().isAccepted()).andReturn();
        String grant = Samples.parse(asked.getResponse().getContentAsString()).get("grant").get("id").stringValue();
        // an account made before addresses were required has none: the approval cannot send, so nothing happens
        jdbc.sql("update accounts_user set email = null where username = :u").param("u", name).update();
        int before = SMTP.getReceivedMessages().length;
        mvc.perform(post("/api/v1/grants/" + grant + "/approval").header("Authorization", secondAdmin))
                .andExpect(status().isUnprocessableContent()).andExpect(jsonPath("$.errors[0].pointer").value("/email"));
        assertThat(context.getBean(AccessGrants.class).find(UUID.fromString(grant)).orElseThrow().outcome()).isNull();
        assertThat(jdbc.sql("select count(*) from accounts_setup_link l join accounts_user u on u.id = l.user_id "
                + "where u.username = :u").param("u", name).query(Long.class).single()).isZero();
        assertThat(SMTP.getReceivedMessages()).hasSize(before);
    }
}
