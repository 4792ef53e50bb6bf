package org.habeas.accounts;

import java.time.Clock;
import java.time.Duration;
import java.util.Set;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.observation.SecurityObservationSettings;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserRequest;
import org.springframework.security.oauth2.client.oidc.userinfo.OidcUserService;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.client.userinfo.OAuth2UserService;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandlerImpl;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.util.matcher.AnyRequestMatcher;
import org.springframework.security.web.authentication.www.BasicAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.util.matcher.RequestMatcher;

import jakarta.servlet.http.HttpServletResponse;

/**
 * Who may call what. Every page and API path is listed here with the roles allowed on it; anything not listed is
 * refused. Requesters are further limited to their own agency's requests, and oversight to what carries no
 * identifiers, by the modules that serve the data.
 */
@Configuration
@org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
class SecurityConfiguration {

    /** Content Security Policy: everything from Habeas itself, no inline scripts or styles, no framing. */
    static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private static final String[] CASEWORK = {"ANALYST", "LEGAL_REVIEWER", "HUMAN_RIGHTS_OFFICER"};

    /**
     * The password + TOTP check, as a bean: Spring Security puts it in the shared authentication manager, beside the
     * providers {@code oauth2Login} adds, so both ways of signing in work side by side.
     */
    @Bean
    SignInProvider signInProvider(Users users, AccessRecord access, Clock clock,
            @Value("${habeas.accounts.max-failed-sign-ins-per-address:50}") int perAddress,
            @Value("${habeas.accounts.over-limit-pause-ms:1000}") long pauseMillis) {
        return new SignInProvider(users, access, clock, perAddress, Duration.ofMinutes(15),
                Duration.ofMillis(pauseMillis));
    }

    /**
     * No Micrometer observation of each security filter, authentication and authorisation: observing them wraps
     * every one of the chain's filters, on every call, in an observation of its own, which cost more CPU than the
     * checks themselves. Every call is still timed as a whole ({@code http.server.requests}), its status included.
     */
    @Bean
    static SecurityObservationSettings securityObservationSettings() {
        return SecurityObservationSettings.noObservations();
    }

    @Bean
    SecurityFilterChain securityFilterChain(HttpSecurity http, Users users, Tokens tokens, TrustedProxies proxies,
            ObjectProvider<ClientRegistrationRepository> oidcClients,
            @Value("${habeas.accounts.oidc.username-claim:preferred_username}") String usernameClaim,
            @Value("${habeas.metrics.scrape-token:}") String scrapeToken) throws Exception {
        // the API and the actuator answer in problem+json, never with a redirect to the sign-in page
        RequestMatcher api = request -> request.getRequestURI().startsWith("/api/")
                || request.getRequestURI().startsWith("/actuator/");
        RequestMatcher bearer = BearerTokenFilter::carriesBearer;

        http.authorizeHttpRequests(a -> a
                // public: sign-in, set-up links, static files, health, the schema and API description
                .requestMatchers(HttpMethod.GET, "/", "/login", "/css/**", "/js/**", "/webjars/**", "/favicon.ico",
                        "/actuator/health", "/actuator/health/**", "/api/v1/schema/**", "/v3/api-docs",
                        "/v3/api-docs.yaml", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**").permitAll()
                .requestMatchers("/setup/**", "/error", "/denied").permitAll()
                // the public log
                .requestMatchers(HttpMethod.GET, "/log/**", "/witness/vkey", "/disclosure/vkey", "/transparency",
                        "/transparency/**").permitAll()
                .requestMatchers(HttpMethod.POST, "/witness/add-checkpoint").permitAll()
                .requestMatchers(HttpMethod.GET, "/actuator/prometheus").hasAnyRole("ADMIN", BearerTokenFilter.SCRAPER)
                .requestMatchers("/actuator/**").hasRole("ADMIN")
                // administration
                .requestMatchers("/admin/**", "/api/v1/users/**", "/api/v1/users", "/api/v1/grants", "/api/v1/grants/**",
                        "/api/v1/log/**").hasRole("ADMIN")
                .requestMatchers(HttpMethod.GET, "/api/v1/agencies", "/api/v1/agencies/*")
                        .hasAnyRole(join(CASEWORK, "ADMIN", "OVERSIGHT"))
                .requestMatchers("/api/v1/agencies", "/api/v1/agencies/**").hasRole("ADMIN")
                .requestMatchers("/api/v1/eevidence/**").hasRole("ADMIN")
                .requestMatchers("/access", "/api/v1/access").hasAnyRole("ADMIN", "OVERSIGHT")
                .requestMatchers(HttpMethod.GET, "/oversight/register").hasAnyRole("ADMIN", "OVERSIGHT", "HUMAN_RIGHTS_OFFICER")
                .requestMatchers(HttpMethod.GET, "/api/v1/reports/*").hasAnyRole("ADMIN", "OVERSIGHT")
                .requestMatchers(HttpMethod.POST, "/api/v1/reports/*/publication").hasRole("ADMIN")
                // casework
                .requestMatchers(HttpMethod.POST, "/requests/*/callbacks", "/api/v1/requests/*/callbacks",
                        "/requests/*/case/*", "/requests/*/package", "/requests/*/assignment",
                        "/api/v1/cases/*/assignment").hasAnyRole(CASEWORK)
                .requestMatchers(HttpMethod.GET, "/requests", "/requests/*").hasAnyRole(join(CASEWORK, "OVERSIGHT"))
                .requestMatchers(HttpMethod.GET, "/law/states/*").hasAnyRole(join(CASEWORK, "OVERSIGHT"))
                .requestMatchers(HttpMethod.POST, "/api/v1/requests").hasAnyRole(join(CASEWORK, "REQUESTER"))
                .requestMatchers(HttpMethod.GET, "/api/v1/requests", "/api/v1/requests/*")
                        .hasAnyRole(join(CASEWORK, "OVERSIGHT", "REQUESTER"))
                .requestMatchers("/api/v1/requests/*/documents", "/api/v1/requests/*/documents/*")
                        .hasAnyRole(join(CASEWORK, "REQUESTER"))
                // cases: analysts propose, legal reviewers and human-rights officers decide (the service checks which)
                .requestMatchers(HttpMethod.GET, "/api/v1/cases/*", "/api/v1/cases/*/letter")
                        .hasAnyRole(join(CASEWORK, "OVERSIGHT", "REQUESTER"))
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/proposals").hasRole("ANALYST")
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/decision").hasAnyRole("LEGAL_REVIEWER", "HUMAN_RIGHTS_OFFICER")
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/questions").hasAnyRole(CASEWORK)
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/answers").hasRole("REQUESTER")
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/messages").hasAnyRole(join(CASEWORK, "REQUESTER"))
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/withdrawal").hasAnyRole(join(CASEWORK, "REQUESTER"))
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/package").hasAnyRole(CASEWORK)
                .requestMatchers(HttpMethod.GET, "/api/v1/notices", "/oversight/notices").hasAnyRole(join(CASEWORK, "OVERSIGHT"))
                .requestMatchers(HttpMethod.GET, "/api/v1/cases/*/package").hasRole("REQUESTER")
                .requestMatchers(HttpMethod.POST, "/api/v1/cases/*/package/receipt").hasRole("REQUESTER")
                .requestMatchers("/api/v1/encryption-keys", "/api/v1/encryption-keys/*").hasRole("REQUESTER")
                // the requester portal
                .requestMatchers("/portal", "/portal/**").hasRole("REQUESTER")
                // anyone signed in: the pre-check, their own account and tokens
                .requestMatchers(HttpMethod.POST, "/api/v1/assessments").authenticated()
                .requestMatchers("/notifications", "/notifications/**", "/api/v1/notifications").authenticated()
                .requestMatchers("/account", "/account/**", "/api/v1/me", "/api/v1/tokens", "/api/v1/tokens/*")
                        .authenticated()
                .anyRequest().denyAll());

        http.addFilterBefore(new BearerTokenFilter(tokens, scrapeToken), BasicAuthenticationFilter.class);
        http.addFilterBefore(new SessionFollowsAccount(users), AnonymousAuthenticationFilter.class);
        http.formLogin(f -> f.loginPage("/login")
                .authenticationDetailsSource(request -> new SignInProvider.Details(request.getParameter("code"),
                        proxies.clientAddress(request)))
                .failureUrl("/login?error")
                .defaultSuccessUrl("/", true));
        http.logout(l -> l.logoutUrl("/logout").logoutSuccessUrl("/login?signedOut"));
        // a sign-in starts a new session (a new row in the session store, the old one removed, its attributes
        // copied), not the same row under a new id: a call of the same browser still being answered saves the old
        // row when it ends, and with the same row it would write the old id back and sign the browser out
        http.sessionManagement(m -> m.sessionFixation(f -> f.migrateSession()));
        ClientRegistrationRepository clients = oidcClients.getIfAvailable();
        if (clients != null) {
            http.oauth2Login(o -> o.loginPage("/login")
                    .failureUrl("/login?error")
                    .defaultSuccessUrl("/", true)
                    .userInfoEndpoint(u -> u.oidcUserService(oidcUsers(users, usernameClaim))));
        }

        // the API answers in problem+json; pages send people to the sign-in page
        http.exceptionHandling(e -> e
                .defaultAuthenticationEntryPointFor((request, response, ex) -> problem(response,
                        HttpStatus.UNAUTHORIZED, "Sign in or send an API token (Authorization: Bearer ...)."), api)
                .defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"),
                        AnyRequestMatcher.INSTANCE)
                .defaultAccessDeniedHandlerFor((request, response, ex) -> problem(response,
                        HttpStatus.FORBIDDEN, "Your role does not allow this call."), api)
                .defaultAccessDeniedHandlerFor(deniedPage(), AnyRequestMatcher.INSTANCE));

        // forms carry a CSRF token; API calls with a bearer token carry no cookies and need none
        http.csrf(c -> c.ignoringRequestMatchers(bearer,
                request -> "/witness/add-checkpoint".equals(request.getRequestURI())));
        http.headers(h -> h
                .contentSecurityPolicy(csp -> csp.policyDirectives(CSP))
                .referrerPolicy(r -> r.policy(ReferrerPolicy.NO_REFERRER))
                .frameOptions(f -> f.deny()));
        return http.build();
    }

    private static org.springframework.security.web.access.AccessDeniedHandler deniedPage() {
        AccessDeniedHandlerImpl page = new AccessDeniedHandlerImpl();
        page.setErrorPage("/denied");
        return page;
    }

    private static String[] join(String[] roles, String... more) {
        String[] out = new String[roles.length + more.length];
        System.arraycopy(roles, 0, out, 0, roles.length);
        System.arraycopy(more, 0, out, roles.length, more.length);
        return out;
    }

    private static void problem(HttpServletResponse response, HttpStatus status, String detail)
            throws java.io.IOException {
        response.setStatus(status.value());
        if (status == HttpStatus.UNAUTHORIZED) {
            response.setHeader("WWW-Authenticate", "Bearer");
        }
        BearerTokenFilter.writeProblem(response, "{\"type\":\"about:blank\",\"title\":\"" + status.getReasonPhrase()
                + "\",\"status\":" + status.value() + ",\"detail\":\"" + detail + "\"}");
    }

    /**
     * OpenID Connect sign-in maps the identity provider's user to the Habeas account of the same user name (the
     * {@code habeas.accounts.oidc.username-claim} claim); without such an account the sign-in is refused. Roles come
     * from Habeas, never from the provider. The provider is responsible for the second factor.
     */
    private static OAuth2UserService<OidcUserRequest, OidcUser> oidcUsers(Users users, String claim) {
        OidcUserService delegate = new OidcUserService();
        return request -> {
            OidcUser user = delegate.loadUser(request);
            String username = user.getClaimAsString(claim);
            Users.SignedIn in = users.signedInElsewhere(username == null ? "" : username,
                    "OpenID Connect (" + request.getClientRegistration().getRegistrationId() + ")")
                    .orElseThrow(() -> new OAuth2AuthenticationException(new OAuth2Error("access_denied",
                            "There is no Habeas account for this user; ask an administrator to create one.", null)));
            return new OidcCaller(in.caller(), in.epoch(), user);
        };
    }

    /** A user signed in through OpenID Connect, carrying the Habeas caller it maps to. */
    static final class OidcCaller extends DefaultOidcUser implements SessionBound {
        private final Caller caller;
        private final long epoch;

        OidcCaller(Caller caller, long epoch, OidcUser user) {
            super(Set.of(new SimpleGrantedAuthority(caller.role().authority())), user.getIdToken(), user.getUserInfo(),
                    "sub");
            this.caller = caller;
            this.epoch = epoch;
        }

        @Override
        public Caller caller() {
            return caller;
        }

        @Override
        public Long sessionEpoch() {
            return epoch;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof OidcCaller other && super.equals(o) && caller.equals(other.caller)
                    && epoch == other.epoch;
        }

        @Override
        public int hashCode() {
            return super.hashCode() * 31 + caller.hashCode();
        }
    }
}
