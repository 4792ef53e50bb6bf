package org.habeas.accounts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.net.URI;

import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.util.UriComponentsBuilder;

/**
 * OpenID Connect sign-in configured by properties only (here a Keycloak-like provider given by its endpoints):
 * the sign-in page offers it and starting it sends the browser to the provider's authorization endpoint with an
 * authorization-code request for this client.
 */
@SpringBootTest(properties = {
        "spring.security.oauth2.client.registration.keycloak.client-id=habeas",
        "spring.security.oauth2.client.registration.keycloak.client-secret=test-secret",
        "spring.security.oauth2.client.registration.keycloak.client-name=Keycloak",
        "spring.security.oauth2.client.registration.keycloak.scope=openid,profile",
        "spring.security.oauth2.client.registration.keycloak.authorization-grant-type=authorization_code",
        "spring.security.oauth2.client.registration.keycloak.redirect-uri={baseUrl}/login/oauth2/code/{registrationId}",
        "spring.security.oauth2.client.provider.keycloak.authorization-uri=https://idp.example/realms/habeas/protocol/openid-connect/auth",
        "spring.security.oauth2.client.provider.keycloak.token-uri=https://idp.example/realms/habeas/protocol/openid-connect/token",
        "spring.security.oauth2.client.provider.keycloak.jwk-set-uri=https://idp.example/realms/habeas/protocol/openid-connect/certs",
        "spring.security.oauth2.client.provider.keycloak.user-name-attribute=preferred_username"})
@ActiveProfiles("test")
class OidcSignInTest {

    @DynamicPropertySource
    static void database(DynamicPropertyRegistry r) {
        TestDatabases.h2(r);
    }

    @Autowired
    WebApplicationContext context;

    @Test
    void theSignInPageOffersTheProviderAndStartsAnAuthorizationCodeFlow() throws Exception {
        MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(content().string(containsString("href=\"/oauth2/authorization/keycloak\"")))
                .andExpect(content().string(containsString(">Keycloak<")));
        MvcResult start = mvc.perform(get("/oauth2/authorization/keycloak")).andExpect(status().isFound()).andReturn();
        URI to = URI.create(start.getResponse().getRedirectedUrl());
        assertThat(to.getHost()).isEqualTo("idp.example");
        var query = UriComponentsBuilder.fromUri(to).build().getQueryParams();
        assertThat(query.getFirst("client_id")).isEqualTo("habeas");
        assertThat(query.getFirst("response_type")).isEqualTo("code");
        assertThat(query.getFirst("scope")).contains("openid");
        assertThat(query.getFirst("state")).isNotBlank();
        assertThat(java.net.URLDecoder.decode(query.getFirst("redirect_uri"), java.nio.charset.StandardCharsets.UTF_8))
                .endsWith("/login/oauth2/code/keycloak");
    }
}
