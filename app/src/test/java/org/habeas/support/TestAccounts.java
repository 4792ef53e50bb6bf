package org.habeas.support;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.accounts.Tokens;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.springframework.context.ApplicationContext;

/**
 * Accounts for API tests, made through the accounts module's own services: two agencies (A in France, whose
 * letters are set to English, B in Germany), one user per role (the requester in agency A, a second requester in agency B), and a bearer token for
 * each.
 */
public final class TestAccounts {

    public static final String PASSWORD = "correct horse battery staple";

    public final Agency agencyA;
    public final Agency agencyB;
    public final Map<UserRole, String> tokens = new EnumMap<>(UserRole.class);
    public final Map<UserRole, User> users = new EnumMap<>(UserRole.class);
    public final Map<UserRole, String> secrets = new EnumMap<>(UserRole.class);
    /** A requester of agency B. */
    public final String otherRequesterToken;

    private TestAccounts(ApplicationContext ctx) {
        Agencies agencies = ctx.getBean(Agencies.class);
        Users accounts = ctx.getBean(Users.class);
        Tokens issuer = ctx.getBean(Tokens.class);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        agencyA = agencies.setLanguage(agencies.register("Agency A " + suffix, "FR", Agency.Kind.POLICE,
                List.of("a.example")).id(), "en");
        agencyB = agencies.register("Agency B " + suffix, "DE", Agency.Kind.PROSECUTOR, List.of());
        for (UserRole role : UserRole.values()) {
            String secret = org.habeas.accounts.Totp.newSecret(new java.security.SecureRandom());
            User u = accounts.createWithCredentials(role.name().toLowerCase().replace('_', '-') + "-" + suffix,
                    "Test " + role.label(), role, role == UserRole.REQUESTER ? agencyA.id() : null, PASSWORD, secret);
            users.put(role, u);
            secrets.put(role, secret);
            tokens.put(role, issuer.issueForUser(u, "test", Duration.ofDays(366), "test").value());
        }
        User other = accounts.createWithCredentials("requester-b-" + suffix, "Test requester B", UserRole.REQUESTER,
                agencyB.id(), PASSWORD, null);
        otherRequesterToken = issuer.issueForUser(other, "test", Duration.ofDays(366), "test").value();
    }

    private static final Map<ApplicationContext, TestAccounts> PER_CONTEXT = new java.util.concurrent.ConcurrentHashMap<>();

    /** The accounts of a Spring context's database, made on first use. */
    public static TestAccounts of(ApplicationContext ctx) {
        return PER_CONTEXT.computeIfAbsent(ctx, TestAccounts::new);
    }

    public String bearer(UserRole role) {
        return "Bearer " + tokens.get(role);
    }
}
