package org.habeas.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Habeas's own metrics count what the database holds, run once per database (see the subclasses): a request
 * received moves the counter of its instrument, channel and emergency, its case is counted by state, and its log
 * entries in the log's size.
 */
@SpringBootTest(properties = "habeas.metrics.refresh=1h")
@ActiveProfiles("test")
abstract class MetricsContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    HabeasMetrics metrics;

    @Autowired
    MeterRegistry registry;

    private double received() {
        return registry.find("habeas.requests.received").functionCounters().stream()
                .mapToDouble(FunctionCounter::count).sum();
    }

    private double gauge(String name) {
        return registry.find(name).gauges().stream().mapToDouble(Gauge::value).sum();
    }

    @Test
    void aRequestReceivedIsCountedWithItsCaseAndItsLogEntries() throws Exception {
        TestAccounts accounts = TestAccounts.of(context);
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
                .apply(org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers.springSecurity())
                .defaultRequest(get("/").header("Authorization", accounts.bearer(UserRole.REQUESTER))).build();
        metrics.count();
        double before = received();
        double cases = gauge("habeas.cases");
        double entries = gauge("habeas.log.entries");

        mvc.perform(post("/api/v1/requests").contentType(MediaType.APPLICATION_JSON)
                        .content(Samples.json(Samples.production()).getBytes(StandardCharsets.UTF_8)))
                .andExpect(status().isCreated());
        metrics.count();

        assertThat(received()).isEqualTo(before + 1);
        assertThat(registry.find("habeas.requests.received").tag("emergency", "false").functionCounters()).isNotEmpty();
        assertThat(gauge("habeas.cases")).isEqualTo(cases + 1);
        assertThat(gauge("habeas.log.entries")).isGreaterThan(entries);
        assertThat(registry.find("habeas.cases.overdue").tag("deadline", "response").gauge()).isNotNull();
        // nothing fails or is overdue in a fresh database
        assertThat(gauge("habeas.notices.failing")).isZero();
        assertThat(gauge("habeas.cases.overdue")).isZero();
    }
}
