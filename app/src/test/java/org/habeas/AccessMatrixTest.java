package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.habeas.accounts.UserRole;
import org.habeas.support.TestAccounts;
import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;

/**
 * Every endpoint × every role (and anonymous): the expected cells are written out below, and the test fails if
 * an endpoint exists that the table does not cover. "Allowed" means the security rules let the call through
 * (the handler may still answer 400, 404 or 422 to the dummy input); "denied" means 401 or a redirect to the
 * sign-in page for anonymous callers, 403 for signed-in ones.
 */
@SpringBootTest
@ActiveProfiles("test")
class AccessMatrixTest {

    private static final Set<UserRole> ALL = EnumSet.allOf(UserRole.class);
    private static final Set<UserRole> CASEWORK = EnumSet.of(UserRole.ANALYST, UserRole.LEGAL_REVIEWER,
            UserRole.HUMAN_RIGHTS_OFFICER);
    private static final Set<UserRole> NONE = EnumSet.noneOf(UserRole.class);

    /** An endpoint, who may call it, and whether anonymous callers may. */
    record Cell(String method, String path, Set<UserRole> roles, boolean anonymous) {
        String key() {
            return method + " " + path;
        }
    }

    private static final List<Cell> MATRIX = List.of(
            open("GET", "/"), open("GET", "/login"), open("GET", "/setup/{token}"), open("POST", "/setup/{token}"),
            open("GET", "/denied"), open("GET", "/error"), open("GET", "/api/v1/schema/request"),
            open("GET", "/v3/api-docs"), open("GET", "/v3/api-docs.yaml"), open("GET", "/v3/api-docs/swagger-config"),
            open("GET", "/swagger-ui.html"), open("GET", "/actuator/health"),
            cell("GET", "/actuator/prometheus", EnumSet.of(UserRole.ADMIN)),
            // the public log
            open("GET", "/log/checkpoint"), open("GET", "/log/vkey"), open("GET", "/log/tile/**"),
            open("GET", "/log/published/checkpoint"), open("GET", "/log/published/tile/**"),
            open("GET", "/log/proof/inclusion"), open("GET", "/log/proof/consistency"),
            open("GET", "/witness/vkey"), open("POST", "/witness/add-checkpoint"),
            cell("POST", "/api/v1/log/checkpoint", EnumSet.of(UserRole.ADMIN)),
            // EU e-Evidence (TS 103 120): no role; the endpoint admits only a member state's client certificate
            open("POST", "/eevidence/{endpoint}"),
            cell("GET", "/api/v1/eevidence/senders", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/eevidence/senders", EnumSet.of(UserRole.ADMIN)),
            // casework pages
            cell("GET", "/requests", plus(CASEWORK, UserRole.OVERSIGHT)),
            cell("GET", "/requests/{id}", plus(CASEWORK, UserRole.OVERSIGHT)),
            cell("GET", "/law/states/{code}", plus(CASEWORK, UserRole.OVERSIGHT)),
            cell("POST", "/requests/{id}/callbacks", CASEWORK),
            cell("POST", "/requests/{id}/case/{action}", CASEWORK),
            cell("POST", "/requests/{id}/case/form3", CASEWORK),
            cell("POST", "/requests/{id}/package", CASEWORK),
            cell("POST", "/requests/{id}/assignment", CASEWORK),
            // the intake API
            cell("POST", "/api/v1/requests", plus(CASEWORK, UserRole.REQUESTER)),
            cell("GET", "/api/v1/requests", plus(CASEWORK, UserRole.OVERSIGHT, UserRole.REQUESTER)),
            cell("GET", "/api/v1/requests/{id}", plus(CASEWORK, UserRole.OVERSIGHT, UserRole.REQUESTER)),
            cell("POST", "/api/v1/requests/{requestId}/documents", plus(CASEWORK, UserRole.REQUESTER)),
            cell("GET", "/api/v1/requests/{requestId}/documents", plus(CASEWORK, UserRole.REQUESTER)),
            cell("GET", "/api/v1/requests/{requestId}/documents/{documentId}", plus(CASEWORK, UserRole.REQUESTER)),
            cell("POST", "/api/v1/requests/{id}/callbacks", CASEWORK),
            cell("POST", "/api/v1/assessments", ALL),
            // casework
            cell("GET", "/api/v1/cases/{id}", plus(CASEWORK, UserRole.OVERSIGHT, UserRole.REQUESTER)),
            cell("GET", "/api/v1/cases/{id}/letter", plus(CASEWORK, UserRole.OVERSIGHT, UserRole.REQUESTER)),
            cell("POST", "/api/v1/cases/{id}/proposals", EnumSet.of(UserRole.ANALYST)),
            cell("POST", "/api/v1/cases/{id}/decision", EnumSet.of(UserRole.LEGAL_REVIEWER, UserRole.HUMAN_RIGHTS_OFFICER)),
            cell("POST", "/api/v1/cases/{id}/questions", CASEWORK),
            cell("POST", "/api/v1/cases/{id}/answers", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/api/v1/cases/{id}/messages", plus(CASEWORK, UserRole.REQUESTER)),
            cell("POST", "/api/v1/cases/{id}/withdrawal", plus(CASEWORK, UserRole.REQUESTER)),
            cell("POST", "/api/v1/cases/{id}/package", CASEWORK),
            cell("POST", "/api/v1/cases/{id}/assignment", CASEWORK),
            cell("GET", "/api/v1/cases/{id}/package", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/api/v1/cases/{id}/package/receipt", EnumSet.of(UserRole.REQUESTER)),
            cell("GET", "/api/v1/encryption-keys", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/api/v1/encryption-keys", EnumSet.of(UserRole.REQUESTER)),
            cell("DELETE", "/api/v1/encryption-keys/{kid}", EnumSet.of(UserRole.REQUESTER)),
            cell("GET", "/api/v1/agencies/{id}/encryption-keys", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/encryption-keys", EnumSet.of(UserRole.ADMIN)),
            cell("DELETE", "/api/v1/agencies/{id}/encryption-keys/{kid}", EnumSet.of(UserRole.ADMIN)),
            open("GET", "/disclosure/vkey"),
            cell("GET", "/api/v1/notices", plus(CASEWORK, UserRole.OVERSIGHT)),
            cell("GET", "/oversight/notices", plus(CASEWORK, UserRole.OVERSIGHT)),
            // accounts API
            cell("GET", "/api/v1/me", ALL),
            cell("GET", "/api/v1/agencies", plus(CASEWORK, UserRole.ADMIN, UserRole.OVERSIGHT)),
            cell("GET", "/api/v1/agencies/{id}", plus(CASEWORK, UserRole.ADMIN, UserRole.OVERSIGHT)),
            cell("POST", "/api/v1/agencies", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/status", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/keys", EnumSet.of(UserRole.ADMIN)),
            cell("DELETE", "/api/v1/agencies/{id}/keys/{kid}", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/callback-numbers", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/two-factor", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/agencies/{id}/language", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/api/v1/users", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/users", EnumSet.of(UserRole.ADMIN)),
            cell("PATCH", "/api/v1/users/{id}", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/users/{id}/setup-link", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/api/v1/grants", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/grants/{id}/approval", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/api/v1/grants/{id}/refusal", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/api/v1/tokens", ALL),
            cell("POST", "/api/v1/tokens", ALL),
            cell("DELETE", "/api/v1/tokens/{id}", ALL),
            cell("GET", "/api/v1/access", EnumSet.of(UserRole.ADMIN, UserRole.OVERSIGHT)),
            cell("GET", "/api/v1/reports/{period}", EnumSet.of(UserRole.ADMIN, UserRole.OVERSIGHT)),
            cell("POST", "/api/v1/reports/{period}/publication", EnumSet.of(UserRole.ADMIN)),
            open("GET", "/transparency"), open("GET", "/transparency/{period}"), open("GET", "/transparency/register"), open("GET", "/transparency/{period}/{file}"),
            // administration and account pages
            cell("GET", "/admin/users", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/admin/users", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/admin/users/{id}", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/admin/grants/{id}", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/admin/agencies", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/admin/agencies", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/admin/agencies/{id}", EnumSet.of(UserRole.ADMIN)),
            cell("POST", "/admin/agencies/{id}", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/access", EnumSet.of(UserRole.ADMIN, UserRole.OVERSIGHT)),
            cell("GET", "/oversight/register", EnumSet.of(UserRole.ADMIN, UserRole.OVERSIGHT, UserRole.HUMAN_RIGHTS_OFFICER)),
            // notifications: everyone reads only their own; administrators see what became of every e-mail
            cell("GET", "/notifications", ALL),
            cell("POST", "/notifications/read", ALL),
            cell("POST", "/notifications/{id}/read", ALL),
            cell("GET", "/api/v1/notifications", ALL),
            cell("GET", "/admin/notifications", EnumSet.of(UserRole.ADMIN)),
            cell("GET", "/account", ALL),
            cell("POST", "/account/tokens", ALL),
            cell("POST", "/account/tokens/{id}/revoke", ALL),
            // the requester portal
            cell("GET", "/portal", EnumSet.of(UserRole.REQUESTER)),
            cell("GET", "/portal/new", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/portal/new", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/portal/precheck", EnumSet.of(UserRole.REQUESTER)),
            cell("GET", "/portal/requests/{id}", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/portal/requests/{id}/{action}", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/portal/requests/{id}/receipt", EnumSet.of(UserRole.REQUESTER)),
            cell("GET", "/portal/encryption-key", EnumSet.of(UserRole.REQUESTER)),
            cell("POST", "/portal/encryption-key", EnumSet.of(UserRole.REQUESTER)));

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    WebApplicationContext context;

    @Autowired
    @Qualifier("requestMappingHandlerMapping")
    RequestMappingHandlerMapping mappings;

    @Test
    void theMatrixCoversEveryEndpoint() {
        Set<String> covered = new TreeSet<>();
        MATRIX.forEach(c -> covered.add(c.key()));
        Set<String> endpoints = new TreeSet<>();
        mappings.getHandlerMethods().keySet().forEach(info -> {
            Set<String> patterns = info.getPatternValues();
            Set<org.springframework.web.bind.annotation.RequestMethod> methods = info.getMethodsCondition().getMethods();
            for (String p : patterns) {
                if (methods.isEmpty()) {
                    endpoints.add("GET " + p);
                } else {
                    methods.forEach(m -> endpoints.add(m.name() + " " + p));
                }
            }
        });
        endpoints.add("GET /actuator/health");
        endpoints.add("GET /actuator/prometheus");
        assertThat(covered).as("every endpoint has a row in the matrix").containsAll(endpoints);
    }

    @Test
    void everyRoleIsAllowedExactlyItsCells() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        TestAccounts accounts = TestAccounts.of(context);
        Map<String, String> wrong = new LinkedHashMap<>();
        int cells = 0;
        for (Cell cell : MATRIX) {
            for (UserRole role : UserRole.values()) {
                var response = mvc.perform(request(cell).header("Authorization", accounts.bearer(role)))
                        .andReturn().getResponse();
                if (!denied(cell, response) != cell.roles().contains(role)) {
                    wrong.put(cell.key() + " as " + role, "answered " + response.getStatus());
                }
                cells++;
            }
            var anonymous = mvc.perform(request(cell)).andReturn().getResponse();
            if (!denied(cell, anonymous) != cell.anonymous()) {
                wrong.put(cell.key() + " anonymously", "answered " + anonymous.getStatus() + " "
                        + anonymous.getRedirectedUrl());
            }
            cells++;
        }
        assertThat(wrong).as("cells that differ from the matrix").isEmpty();
        assertThat(cells).isEqualTo(MATRIX.size() * (UserRole.values().length + 1));
    }

    /**
     * Whether the security rules refused the call: 401; 403 from the rules (forwarded to the refusal page, or a
     * problem document on the API); or, for anonymous page visits, the redirect to the sign-in page (except from
     * the start page, which sends anonymous visitors there itself).
     */
    private static boolean denied(Cell cell, org.springframework.mock.web.MockHttpServletResponse r) {
        if (r.getStatus() == 401) {
            return true;
        }
        if (r.getStatus() == 403) {
            return "/denied".equals(r.getForwardedUrl()) || String.valueOf(r.getContentType()).contains("problem+json");
        }
        return "/login".equals(r.getRedirectedUrl()) && !cell.path().equals("/");
    }

    private static MockHttpServletRequestBuilder request(Cell cell) {
        String path = cell.path().replaceAll("\\{[A-Za-z]+\\}", UUID.randomUUID().toString());
        MockHttpServletRequestBuilder b = MockMvcRequestBuilders.request(HttpMethod.valueOf(cell.method()), path)
                .with(csrf());
        if (!cell.method().equals("GET") && !cell.method().equals("DELETE")) {
            b.contentType(MediaType.APPLICATION_JSON).content("{}");
        }
        return b;
    }

    private static Cell open(String method, String path) {
        return new Cell(method, path, ALL, true);
    }

    private static Cell cell(String method, String path, Set<UserRole> roles) {
        return new Cell(method, path, roles, false);
    }

    private static Set<UserRole> plus(Set<UserRole> base, UserRole... more) {
        Set<UserRole> s = EnumSet.copyOf(base);
        s.addAll(List.of(more));
        return s;
    }

}
