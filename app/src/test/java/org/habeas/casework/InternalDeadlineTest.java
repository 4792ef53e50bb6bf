package org.habeas.casework;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.law.Instrument;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.LawLoader;
import org.habeas.law.Vocabulary;
import org.habeas.support.MutableClock;
import org.habeas.support.TestClock;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * Every instrument has a response clock: its own deadline where the law sets one (EU e-Evidence), else Habeas's
 * internal default from the law data, marked as such and never presented as treaty law; the operator's
 * configuration replaces a default; an internal deadline that passes makes the case overdue like a legal one.
 */
@SpringBootTest(classes = {org.habeas.HabeasApplication.class, TestClock.class},
        properties = {"habeas.casework.job-interval=1h", "habeas.deadlines.internal.BILATERAL_MLAT.response-days=45", "habeas.test.clock-start=2026-10-01T09:00:00Z"})
@ActiveProfiles("test")
class InternalDeadlineTest {

    static final KnowledgeBase KB = LawLoader.builtIn();

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    MutableClock clock;

    @Autowired
    WebApplicationContext context;

    @Autowired
    Deadlines deadlines;

    @Autowired
    Cases cases;

    @Test
    void everyInstrumentHasAResponseTimeAndOnlyTheLawsOwnIsCalledLaw() {
        for (String id : Vocabulary.INSTRUMENTS) {
            Instrument i = KB.instrument(id).orElseThrow();
            Instrument.ResponseTime t = i.responseTime().orElseThrow(() -> new AssertionError(id + " has no response time"));
            assertThat(t.days()).as(id).isPositive();
            if (i.deadlines() != null && i.deadlines().responseDays() != null) {
                assertThat(t.internal()).as(id).isFalse();
                assertThat(i.internalDeadline()).as(id).isNull();
            } else {
                assertThat(t.internal()).as(id).isTrue();
                assertThat(i.internalDeadline().source()).as(id).contains("not treaty law");
                assertThat(i.internalDeadline().edition()).as(id).startsWith("Habeas ");
                assertThat(i.internalDeadline().confidence()).as(id).isNotNull();
            }
        }
        assertThat(KB.instrument("EU_EEVIDENCE").orElseThrow().responseTime().orElseThrow().internal()).isFalse();
        assertThat(KB.facts()).filteredOn(f -> f.field().equals("internalDeadline")).extracting(KnowledgeBase.Fact::subject)
                .contains("UNCC", "BUDAPEST", "BILATERAL_MLAT");
    }

    @Test
    void casesUnderUnccBudapestAndMlatGetTheInternalDeadlineOnTheirPageAndGoOverdue() throws Exception {
        TestAccounts a = TestAccounts.of(context);
        UUID uncc = submit(a, "26-legit-uncc-core-cybercrime-short-sentence.json");
        UUID budapest = submit(a, "03-legit-csam-content-budapest.json");
        UUID mlat = submit(a, "19-legit-kidnap-realtime-mlat.json");
        for (UUID id : new UUID[] {uncc, budapest}) {
            Deadlines.Due d = response(id);
            String instrument = instrument(id);
            int days = KB.instrument(instrument).orElseThrow().internalDeadline().responseDays();
            assertThat(d.internal()).as(instrument).isTrue();
            assertThat(d.dueAt()).as(instrument).isEqualTo(cases.find(id).orElseThrow().openedAt().plus(Duration.ofDays(days)));
            assertThat(d.basis()).as(instrument).contains("not treaty law");
        }
        // the operator's configuration replaces Habeas's default
        Deadlines.Due m = response(mlat);
        assertThat(m.internal()).isTrue();
        assertThat(m.dueAt()).isEqualTo(cases.find(mlat).orElseThrow().openedAt().plus(Duration.ofDays(45)));
        assertThat(m.basis()).contains("operator").contains("not treaty law");
        // the request page and the queue show it, labelled as an internal target
        String page = page("/requests/" + uncc, a);
        assertThat(page).contains("Habeas&#39;s internal target, not treaty law").contains("data-kind=\"RESPONSE\"");
        assertThat(page("/requests?q=" + reference(uncc), a)).contains("internal target");
        // it passes: the case is overdue, recorded once
        clock.advance(Duration.ofDays(31));
        assertThat(response(uncc).overdue()).isTrue();
        deadlines.run();
        deadlines.run();
        assertThat(cases.find(uncc).orElseThrow().timeline().stream().filter(e -> e.action().equals("RESPONSE_OVERDUE")))
                .hasSize(1);
        assertThat(response(mlat).overdue()).isFalse();
    }

    private Deadlines.Due response(UUID id) {
        return deadlines.clocks(id).stream().filter(d -> d.kind().equals("RESPONSE")).findFirst()
                .orElseThrow(() -> new AssertionError("no response clock"));
    }

    private String instrument(UUID id) {
        return context.getBean(org.habeas.intake.Intake.class).find(id).orElseThrow().instrument();
    }

    private String reference(UUID id) {
        return context.getBean(org.habeas.intake.Intake.class).find(id).orElseThrow().reference();
    }

    private MockMvc mvc() {
        return MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    private String page(String path, TestAccounts a) throws Exception {
        return mvc().perform(get(path).header("Authorization", a.bearer(UserRole.ANALYST))).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
    }

    private UUID submit(TestAccounts a, String file) throws Exception {
        String body = Files.readString(Path.of("../scenarios", file), StandardCharsets.UTF_8)
                .replaceFirst("\"reference\": \"", "\"reference\": \"IDL-" + UUID.randomUUID().toString().substring(0, 6) + "-");
        String location = mvc().perform(post("/api/v1/requests").header("Authorization", a.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(body)).andExpect(status().isCreated())
                .andReturn().getResponse().getHeader("Location");
        return UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
    }
}
