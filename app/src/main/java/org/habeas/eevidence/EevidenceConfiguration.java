package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.catalina.connector.Connector;
import org.apache.coyote.http11.Http11NioProtocol;
import org.apache.tomcat.util.net.SSLHostConfig;
import org.apache.tomcat.util.net.SSLHostConfigCertificate;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The e-Evidence channel: a second HTTPS connector that requires a client certificate from a configured member
 * state, and the security rules of {@code /eevidence/*} (no session, no CSRF token: the caller is its
 * certificate, checked by the endpoint).
 */
@Configuration
@EnableConfigurationProperties(EevidenceProperties.class)
class EevidenceConfiguration {

    /** The mutual-TLS connector, once the web server has made it (its port, when configured as 0). */
    static final class MutualTlsConnector {
        private final AtomicReference<Connector> connector = new AtomicReference<>();

        /** The port it listens on, or -1 when there is none. */
        int port() {
            Connector c = connector.get();
            return c == null ? -1 : c.getLocalPort();
        }
    }

    @Bean
    MemberStates memberStates(EevidenceProperties p, Clock clock) {
        return new MemberStates(p.memberStates(), clock);
    }

    @Bean
    MutualTlsConnector mutualTlsConnector() {
        return new MutualTlsConnector();
    }

    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> eevidenceConnector(EevidenceProperties p,
            MemberStates states, MutualTlsConnector holder) {
        return factory -> {
            if (p.port() == null) {
                return;
            }
            if (p.keyStore() == null || states.isEmpty()) {
                throw new IllegalStateException("habeas.eevidence.port needs habeas.eevidence.key-store and at least "
                        + "one habeas.eevidence.member-states.<state>.certificates");
            }
            Connector c = new Connector(Http11NioProtocol.class.getName());
            c.setPort(p.port());
            c.setScheme("https");
            c.setSecure(true);
            Http11NioProtocol protocol = (Http11NioProtocol) c.getProtocolHandler();
            protocol.setSSLEnabled(true);
            SSLHostConfig host = new SSLHostConfig();
                        host.setCertificateVerification("required");
            host.setTrustStore(states.trustStore());
            host.setProtocols("TLSv1.2+TLSv1.3");
            SSLHostConfigCertificate cert = new SSLHostConfigCertificate(host, SSLHostConfigCertificate.Type.UNDEFINED);
            cert.setCertificateKeystore(keyStore(p));
            cert.setCertificateKeystorePassword(p.keyStorePassword());
            cert.setCertificateKeyPassword(p.keyStorePassword());
            host.addCertificate(cert);
            protocol.addSslHostConfig(host);
            factory.addAdditionalConnectors(c);
            holder.connector.set(c);
        };
    }

    @Bean
    @org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication
    @Order(0)
    SecurityFilterChain eevidenceSecurity(HttpSecurity http) throws Exception {
        http.securityMatcher("/eevidence/**")
                .authorizeHttpRequests(a -> a.anyRequest().permitAll())
                .csrf(c -> c.disable())
                .requestCache(r -> r.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
        return http.build();
    }

    private static KeyStore keyStore(EevidenceProperties p) {
        try (InputStream in = Files.newInputStream(p.keyStore())) {
            KeyStore ks = KeyStore.getInstance(p.keyStoreType());
            ks.load(in, p.keyStorePassword().toCharArray());
            return ks;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("habeas.eevidence.key-store cannot be read", e);
        }
    }
}
