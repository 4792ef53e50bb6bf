package org.habeas.accounts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Personal access tokens for the API ({@code Authorization: Bearer hab_...}). A token is shown once when issued;
 * only its SHA-256 is stored. A token is issued by a user to themself and acts as that user; nobody issues a token
 * for someone else, so an administrator never holds a requester's access. Tokens issued to an agency before that
 * rule still work until they expire or are revoked, and every call made with one is in the access record. Every
 * token expires and can be revoked.
 */
@Service
public class Tokens {

    public static final String PREFIX = "hab_";
    public static final Duration MAX_LIFETIME = Duration.ofDays(366);

    /** A token as listed: never the token itself. */
    public record Token(UUID id, String name, UUID userId, UUID agencyId, UserRole role, String createdBy,
            Instant createdAt, Instant expiresAt, Instant revokedAt, Instant lastUsedAt) {
        public boolean usableAt(Instant now) {
            return revokedAt == null && expiresAt.isAfter(now);
        }
    }

    /** A newly issued token, with its secret value (shown once). */
    public record Issued(Token token, String value) {
    }

    private final JdbcClient jdbc;
    private final Agencies agencies;
    private final AccessRecord access;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    Tokens(JdbcClient jdbc, Agencies agencies, AccessRecord access, Clock clock) {
        this.jdbc = jdbc;
        this.agencies = agencies;
        this.access = access;
        this.clock = clock;
    }

    /** Issues a token that acts as {@code user}. */
    @Transactional
    public Issued issueForUser(User user, String name, Duration lifetime, String createdBy) {
        return issue(name, user.id(), null, user.role(), lifetime, createdBy);
    }

    private Issued issue(String name, UUID userId, UUID agencyId, UserRole role, Duration lifetime, String createdBy) {
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new Agencies.Refused("name", "must be 1 to 200 characters");
        }
        if (lifetime == null || lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(MAX_LIFETIME) > 0) {
            throw new Agencies.Refused("expiresInDays", "must be 1 to " + MAX_LIFETIME.toDays() + " days");
        }
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String value = PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Token t = new Token(UUID.randomUUID(), name.strip(), userId, agencyId, role, createdBy, now, now.plus(lifetime),
                null, null);
        jdbc.sql("""
                insert into accounts_token (id, token_sha256, name, user_id, agency_id, role, created_by, created_at,
                    expires_at)
                values (:id, :hash, :name, :user, :agency, :role, :by, :at, :expires)""")
                .param("id", t.id()).param("hash", sha256(value)).param("name", t.name()).param("user", userId)
                .param("agency", agencyId).param("role", role.name()).param("by", createdBy)
                .param("at", Agencies.utc(now)).param("expires", Agencies.utc(t.expiresAt())).update();
        access.record(createdBy, null, "TOKEN_ISSUED", t.id().toString(), t.name());
        return new Issued(t, value);
    }

    /**
     * The caller a presented token stands for, if it is known, unexpired, unrevoked and its holder still usable. The
     * token and its user are read in one query, at every call: a revoked token or a disabled user is refused at once.
     */
    public Optional<Caller> authenticate(String value) {
        if (value == null || !value.startsWith(PREFIX) || value.length() > 100) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Presented> found = jdbc.sql("""
                select t.id, t.name, t.agency_id, t.expires_at, t.revoked_at, t.last_used_at, t.user_id,
                    u.username, u.display_name, u.role as user_role, u.agency_id as user_agency, u.disabled
                from accounts_token t left join accounts_user u on u.id = t.user_id
                where t.token_sha256 = :h""")
                .param("h", sha256(value)).query(Tokens::presented).optional()
                .filter(p -> p.revokedAt() == null && p.expiresAt().isAfter(now)); // as Token.usableAt
        if (found.isEmpty()) {
            return Optional.empty();
        }
        Presented t = found.get();
        Optional<Caller> caller;
        if (t.userId() != null) {
            caller = Optional.ofNullable(t.user()).filter(u -> !u.disabled()).map(Presented.UserPart::caller);
        } else {
            caller = agencies.find(t.agencyId()).map(a -> new Caller(null, "agency-token:" + t.name(),
                    a.name() + " (token " + t.name() + ")", UserRole.REQUESTER, a.id()));
            caller.ifPresent(c -> access.record(c.name(), c.role().name(), "AGENCY_TOKEN_CALL",
                    t.agencyId().toString(), currentCall()));
        }
        if (caller.isPresent() && (t.lastUsedAt() == null || t.lastUsedAt().isBefore(now.minusSeconds(60)))) {
            jdbc.sql("update accounts_token set last_used_at = :now where id = :id")
                    .param("now", Agencies.utc(now)).param("id", t.id()).update();
        }
        return caller;
    }

    /** A presented token's row with its user's (null for a token issued to an agency, or a user since deleted). */
    private record Presented(UUID id, String name, UUID agencyId, Instant expiresAt, Instant revokedAt,
            Instant lastUsedAt, UUID userId, UserPart user) {
        record UserPart(UUID id, String username, String displayName, UserRole role, UUID agencyId, boolean disabled) {
            Caller caller() {
                return new Caller(id, username, displayName, role, agencyId);
            }
        }
    }

    private static Presented presented(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        UUID userId = rs.getObject("user_id", UUID.class);
        String username = rs.getString("username");
        Presented.UserPart user = userId == null || username == null ? null
                : new Presented.UserPart(userId, username, rs.getString("display_name"),
                        UserRole.valueOf(rs.getString("user_role")), rs.getObject("user_agency", UUID.class),
                        rs.getBoolean("disabled"));
        return new Presented(rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("agency_id", UUID.class),
                Agencies.instant(rs, "expires_at"), Agencies.instant(rs, "revoked_at"),
                Agencies.instant(rs, "last_used_at"), userId, user);
    }

    private static String currentCall() {
        if (org.springframework.web.context.request.RequestContextHolder.getRequestAttributes()
                instanceof org.springframework.web.context.request.ServletRequestAttributes a) {
            return a.getRequest().getMethod() + " " + a.getRequest().getRequestURI();
        }
        return null;
    }

    /** The agency's tokens: its officers' own, and any issued to the agency itself before officers issued their own. */
    public List<Token> forAgencyOfficers(UUID agencyId) {
        return jdbc.sql("""
                select t.* from accounts_token t left join accounts_user u on u.id = t.user_id
                where t.agency_id = :a or u.agency_id = :a order by t.created_at desc""")
                .param("a", agencyId).query(Tokens::token).list();
    }

    public List<Token> forUser(UUID userId) {
        return jdbc.sql("select * from accounts_token where user_id = :u order by created_at desc")
                .param("u", userId).query(Tokens::token).list();
    }

    public Optional<Token> find(UUID id) {
        return jdbc.sql("select * from accounts_token where id = :id").param("id", id).query(Tokens::token).optional();
    }

    /** Revokes a token; a caller may revoke their own, an administrator any. */
    @Transactional
    public void revoke(UUID id, Caller by) {
        Token t = find(id).filter(x -> by.is(UserRole.ADMIN) || by.userId() != null && by.userId().equals(x.userId()))
                .orElseThrow(() -> new Agencies.Refused("token", "no such token"));
        jdbc.sql("update accounts_token set revoked_at = :now where id = :id and revoked_at is null")
                .param("now", Agencies.utc(clock.instant())).param("id", t.id()).update();
        access.record(by.name(), by.role().name(), "TOKEN_REVOKED", t.id().toString(), t.name());
    }

    /** Revokes every token with this name (demo mode replaces its tokens at each start). */
    void revokeNamed(String name) {
        jdbc.sql("update accounts_token set revoked_at = :now where name = :name and revoked_at is null")
                .param("now", Agencies.utc(clock.instant())).param("name", name).update();
    }

    private static Token token(java.sql.ResultSet rs, int i) throws java.sql.SQLException {
        return new Token(rs.getObject("id", UUID.class), rs.getString("name"), rs.getObject("user_id", UUID.class),
                rs.getObject("agency_id", UUID.class), UserRole.valueOf(rs.getString("role")),
                rs.getString("created_by"), Agencies.instant(rs, "created_at"), Agencies.instant(rs, "expires_at"),
                Agencies.instant(rs, "revoked_at"), Agencies.instant(rs, "last_used_at"));
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
