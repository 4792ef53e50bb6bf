package org.habeas.accounts;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.core.annotation.Order;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Demo mode: registers the agencies that send the demo requests, creates one user per role (all with the same
 * password and each with its own TOTP secret, both shown on the sign-in page), and at every start issues one API
 * token per role into {@code $HABEAS_HOME/demo-tokens.json}. Never enabled in production.
 */
@Component
@ConditionalOnBooleanProperty(name = "habeas.demo.enabled")
@Order(1)
public class DemoAccounts implements ApplicationRunner {

    public static final String PASSWORD = "habeas-demo-password";
    static final String TOKEN_NAME = "demo";

    /** A demo user as the sign-in page shows it. */
    public record DemoUser(String username, UserRole role, String agency, String secret, String code) {
    }

    /** The demo requester's agency (the first demo request's sender) and a second one, to show separation. */
    private static final List<String> REQUESTER_AGENCIES = List.of("GB", "FR");

    private static final Logger log = LoggerFactory.getLogger(DemoAccounts.class);

    private final Agencies agencies;
    private final Users users;
    private final Tokens tokens;
    private final JsonMapper json;
    private final Path home;
    private final SecureRandom random = new SecureRandom();

    DemoAccounts(Agencies agencies, Users users, Tokens tokens, JsonMapper json, @Value("${habeas.home}") Path home) {
        this.agencies = agencies;
        this.users = users;
        this.tokens = tokens;
        this.json = json;
        this.home = home;
    }

    @Override
    public void run(ApplicationArguments args) throws IOException {
        if (agencies.list().isEmpty()) {
            registerAgencies();
        }
        if (users.list().isEmpty()) {
            createUsers();
        }
        writeTokens();
    }

    /** One agency per requesting authority named in the demo requests. */
    private void registerAgencies() throws IOException {
        Resource[] samples = new PathMatchingResourcePatternResolver().getResources("classpath*:demo/*.json");
        Map<String, JsonNode> authorities = new LinkedHashMap<>();
        for (Resource r : samples) {
            try (InputStream in = r.getInputStream()) {
                JsonNode n = json.readTree(in);
                authorities.putIfAbsent(n.path("requestingState").stringValue() + "|"
                        + n.path("requestingAuthority").path("name").stringValue(), n);
            }
        }
        authorities.values().forEach(n -> {
            Agency a = agencies.register(n.path("requestingAuthority").path("name").stringValue(),
                    n.path("requestingState").stringValue(), kind(n.path("requestingAuthority").path("kind").stringValue()),
                    List.of());
            agencies.addCallbackNumber(a.id(), "+00 0000 " + String.format("%04d", Math.abs(a.name().hashCode()) % 10000),
                    "Demo number (fictional), recorded from the agency's public directory", "demo");
        });
        log.info("Demo mode: registered {} requesting agencies (fictional contact data).", authorities.size());
    }

    private static Agency.Kind kind(String requestKind) {
        return switch (requestKind == null ? "" : requestKind) {
            case "COURT", "JUDGE" -> Agency.Kind.COURT;
            case "PROSECUTOR" -> Agency.Kind.PROSECUTOR;
            case "CENTRAL_AUTHORITY" -> Agency.Kind.CENTRAL_AUTHORITY;
            default -> Agency.Kind.POLICE;
        };
    }

    private void createUsers() {
        for (UserRole role : UserRole.values()) {
            if (role == UserRole.REQUESTER) {
                continue;
            }
            String name = role.name().toLowerCase().replace('_', '-');
            users.createWithCredentials(name, "Demo " + role.label().toLowerCase(), role, null, PASSWORD,
                    Totp.newSecret(random), name + "@example.org");
        }
        // a second administrator, so that the demo can show four eyes for access (one asks, the other approves)
        users.createWithCredentials("admin-2", "Demo second administrator", UserRole.ADMIN, null, PASSWORD,
                Totp.newSecret(random), "admin-2@example.org");
        int i = 0;
        for (String state : REQUESTER_AGENCIES) {
            Agency agency = agencyOf(state).orElseThrow();
            String name = i++ == 0 ? "requester" : "requester-" + state.toLowerCase();
            users.createWithCredentials(name, "Demo officer, " + agency.name(), UserRole.REQUESTER, agency.id(),
                    PASSWORD, Totp.newSecret(random), name + "@example.org");
        }
        log.info("Demo mode: created demo users for every role; the sign-in page lists them.");
    }

    private Optional<Agency> agencyOf(String state) {
        return agencies.list().stream().filter(a -> a.state().equals(state)).findFirst();
    }

    /** Replaces the demo tokens: one per role, valid for 30 days, in a file only the owner can read. */
    private void writeTokens() throws IOException {
        tokens.revokeNamed(TOKEN_NAME);
        Map<String, String> out = new LinkedHashMap<>();
        for (UserRole role : List.of(UserRole.ADMIN, UserRole.ANALYST, UserRole.LEGAL_REVIEWER,
                UserRole.HUMAN_RIGHTS_OFFICER, UserRole.OVERSIGHT, UserRole.REQUESTER)) {
            User u = users.list().stream().filter(x -> x.role() == role).findFirst().orElseThrow();
            out.put(role.name(), tokens.issueForUser(u, TOKEN_NAME, Duration.ofDays(30), "demo").value());
        }
        Files.createDirectories(home);
        Path file = home.resolve("demo-tokens.json");
        Path tmp = home.resolve("demo-tokens.json.tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, json.writerWithDefaultPrettyPrinter().writeValueAsString(out),
                StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        log.info("Demo mode: API tokens for every role written to {}", file.toAbsolutePath());
    }

    /** The demo users with their current codes, for the sign-in page. */
    List<DemoUser> users(Instant now) {
        Map<UUID, Agency> byId = agencies.byId();
        List<DemoUser> out = new ArrayList<>();
        for (User u : users.list()) {
            users.totpSecret(u.id()).ifPresent(secret -> out.add(new DemoUser(u.username(), u.role(),
                    u.agencyId() == null ? null : byId.get(u.agencyId()).name(), secret, Totp.code(secret, now))));
        }
        return out;
    }

    /**
     * Runs {@code work} as the demo user of {@code role}, as if signed in, so that demo history goes through the same
     * checks as a person at the screen (four eyes included). Demo mode only: this bean exists nowhere else.
     */
    public void runAs(UserRole role, Runnable work) {
        String name = role.name().toLowerCase().replace('_', '-');
        Caller caller = users.findByUsername(name).orElseThrow(() -> new IllegalStateException("no demo user " + name))
                .caller();
        CallerPrincipal principal = new CallerPrincipal(caller);
        SecurityContext previous = SecurityContextHolder.getContext();
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                principal.authorities()));
        SecurityContextHolder.setContext(context);
        try {
            work.run();
        } finally {
            SecurityContextHolder.setContext(previous);
        }
    }
}
