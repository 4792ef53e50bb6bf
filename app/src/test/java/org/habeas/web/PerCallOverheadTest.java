package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicInteger;

import org.habeas.accounts.UserRole;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.context.support.RequestHandledEvent;

/**
 * What every call costs besides its own work, on a running server: the security filters are not each observed
 * (no {@code spring.security.*} timers), while every call is still timed as a whole
 * ({@code http.server.requests}); and no event is published after each call.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
@Import(PerCallOverheadTest.Events.class)
class PerCallOverheadTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class Events {
        static final AtomicInteger HANDLED = new AtomicInteger();

        @Bean
        ApplicationListener<RequestHandledEvent> handled() {
            return e -> HANDLED.incrementAndGet();
        }
    }

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @LocalServerPort
    int port;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
        if (authorization != null) {
            r.header("Authorization", authorization);
        }
        return http.send(r.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsAreTimedAsAWholeButTheSecurityFiltersAreNotEachObserved() throws Exception {
        String admin = TestAccounts.of(context).bearer(UserRole.ADMIN);
        assertThat(get("/api/v1/me", admin).statusCode()).isEqualTo(200);
        assertThat(get("/api/v1/me", null).statusCode()).isEqualTo(401);
        HttpResponse<String> scrape = get("/actuator/prometheus", admin);
        assertThat(scrape.statusCode()).isEqualTo(200);
        assertThat(scrape.body())
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"200\"[^}]*uri=\"/api/v1/me\"")
                .containsPattern("http_server_requests_seconds_count\\{[^}]*status=\"401\"")
                .doesNotContain("spring_security_");
    }

    @Test
    void noEventIsPublishedAfterEachCall() throws Exception {
        int before = Events.HANDLED.get();
        for (int i = 0; i < 3; i++) {
            assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);
        }
        assertThat(Events.HANDLED.get()).isEqualTo(before);
    }
}
