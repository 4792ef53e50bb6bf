package org.habeas.accounts;

import java.security.SecureRandom;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * People who sign in: creating them (with a one-time link to choose a password and enrol a second factor),
 * checking their credentials, locking them out after repeated failures.
 */
@Service
public class Users {

    /** Passwords shorter than this are refused (NIST SP 800-63B asks for at least 8; staff hold sensitive data). */
    public static final int MIN_PASSWORD = 12;

    /** A new user and the one-time link that lets them set their password. The token is shown once. */
    public record Invitation(User user, String token, Instant expiresAt) {
        public String path() {
            return "/setup/" + token;
        }
    }

    /** Why a sign-in failed. The message is safe to show. */
    public static final class SignInFailed extends RuntimeException {
        SignInFailed(String message) {
            super(message);
        }
    }

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AccessRecord access;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final int maxFailures;
    private final Duration lockFor;
    /** Compared against when the user does not exist, so that both cases take the same time. */
    private final String dummyHash;

    Users(JdbcClient jdbc, PasswordEncoder passwords, AccessRecord access, Clock clock,
            @Value("${habeas.accounts.max-failed-sign-ins:10}") int maxFailures,
            @Value("${habeas.accounts.lock-minutes:15}") int lockMinutes) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.access = access;
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.lockFor = Duration.ofMinutes(lockMinutes);
        this.dummyHash = passwords.encode("not a password " + random.nextLong());
    }

    /** Creates a user without a password; they choose it, and enrol TOTP, through the returned link. */
    @Transactional
    public Invitation invite(String username, String displayName, UserRole role, UUID agencyId, String createdBy) {
        User u = insert(username, displayName, role, agencyId, null, null);
        access.record(createdBy, null, "USER_CREATED", u.username(), "role " + role);
        return newLink(u, Duration.ofDays(7));
    }

    /** Creates a user with known credentials (demo mode only). */
    @Transactional
    public User createWithCredentials(String username, String displayName, UserRole role, UUID agencyId,
            String password, String totpSecret) {
        return insert(username, displayName, role, agencyId, passwords.encode(password), totpSecret);
    }

    /** A fresh one-time link for a user (a new user's, or to reset a forgotten password and second factor). */
    @Transactional
    public Invitation newLink(User u, Duration validFor) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant expires = clock.instant().plus(validFor);
        jdbc.sql("insert into accounts_setup_link (token_sha256, user_id, expires_at) values (:h, :u, :e)")
                .param("h", Tokens.sha256(token)).param("u", u.id()).param("e", Agencies.utc(expires)).update();
        return new Invitation(u, token, expires);
    }

    /** The user a set-up link is for, if it is unused and unexpired. */
    public Optional<User> forLink(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select user_id from accounts_setup_link
                where token_sha256 = :h and used_at is null and expires_at > :now""")
                .param("h", Tokens.sha256(token)).param("now", Agencies.utc(clock.instant()))
                .query(UUID.class).optional().flatMap(this::find);
    }

    /**
     * Completes a set-up link: sets the password and, for staff (or when given), the TOTP secret, after checking a
     * code from it. The link is used up.
     */
    @Transactional
    public User completeSetup(String token, String password, String totpSecret, String code) {
        User u = forLink(token).orElseThrow(() -> new Agencies.Refused("token", "this link is unknown, used or expired"));
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw new Agencies.Refused("password", "must be " + MIN_PASSWORD + " to 200 characters long");
        }
        if (password.equalsIgnoreCase(u.username())) {
            throw new Agencies.Refused("password", "must not be the user name");
        }
        OptionalLong step = OptionalLong.empty();
        if (u.role().staff() || (totpSecret != null && !totpSecret.isBlank())) {
            if (totpSecret == null || !totpSecret.matches("[A-Z2-7]{32}")) {
                throw new Agencies.Refused("secret", "the second-factor secret is missing; reload the page");
            }
            step = Totp.verify(totpSecret, code, clock.instant());
            if (step.isEmpty()) {
                throw new Agencies.Refused("code", "is not the current code of your authenticator app for this secret");
            }
        }
        jdbc.sql("""
                update accounts_user set password_hash = :hash, totp_secret = :secret, last_totp_step = :step,
                    failed_attempts = 0, locked_until = null where id = :id""")
                .param("hash", passwords.encode(password))
                .param("secret", step.isPresent() ? totpSecret : null)
                .param("step", step.isPresent() ? step.getAsLong() : null)
                .param("id", u.id()).update();
        jdbc.sql("update accounts_setup_link set used_at = :now where token_sha256 = :h")
                .param("now", Agencies.utc(clock.instant())).param("h", Tokens.sha256(token)).update();
        access.record(u.username(), u.role().name(), "SETUP_COMPLETED", u.username(), null);
        return find(u.id()).orElseThrow();
    }

    /**
     * Checks a sign-in: password, then (for users with a second factor) the TOTP code, each code usable once.
     * Every failure counts; at the limit the account is locked for a while. Every outcome is in the access record.
     */
    @Transactional(noRollbackFor = SignInFailed.class)
    public Caller signIn(String username, String password, String code) {
        Instant now = clock.instant();
        Optional<Row> found = row(username);
        if (found.isEmpty()) {
            passwords.matches(password == null ? "" : password, dummyHash);
            access.record(safe(username), null, "SIGN_IN_FAILED", safe(username), "unknown user");
            throw new SignInFailed("Wrong user name, password or code.");
        }
        Row r = found.get();
        if (r.user.disabled()) {
            access.record(r.user.username(), r.user.role().name(), "SIGN_IN_FAILED", r.user.username(), "disabled");
            throw new SignInFailed("Wrong user name, password or code.");
        }
        if (r.user.lockedAt(now)) {
            access.record(r.user.username(), r.user.role().name(), "SIGN_IN_REFUSED", r.user.username(),
                    "locked until " + r.user.lockedUntil());
            throw new SignInFailed("This account is locked after too many failed sign-ins. Try again after "
                    + r.user.lockedUntil().atZone(java.time.ZoneOffset.UTC).toLocalTime().withNano(0) + " UTC.");
        }
        boolean passwordOk = r.passwordHash != null && password != null && passwords.matches(password, r.passwordHash);
        String failure = null;
        OptionalLong step = OptionalLong.empty();
        if (!passwordOk) {
            failure = "wrong password";
        } else if (r.totpSecret != null) {
            step = Totp.verify(r.totpSecret, code, now);
            if (step.isEmpty()) {
                failure = "wrong code";
            } else if (r.lastTotpStep != null && step.getAsLong() <= r.lastTotpStep) {
                failure = "code used before";
            }
        } else if (r.user.role().staff()) {
            failure = "no second factor enrolled";
        }
        if (failure != null) {
            int failures = r.user.failedAttempts() + 1;
            boolean lock = failures >= maxFailures;
            jdbc.sql("update accounts_user set failed_attempts = :n, locked_until = :until where id = :id")
                    .param("n", lock ? 0 : failures)
                    .param("until", lock ? Agencies.utc(now.plus(lockFor)) : null)
                    .param("id", r.user.id()).update();
            access.record(r.user.username(), r.user.role().name(), "SIGN_IN_FAILED", r.user.username(), failure);
            if (lock) {
                access.record(r.user.username(), r.user.role().name(), "LOCKED", r.user.username(),
                        failures + " failed sign-ins; locked for " + lockFor.toMinutes() + " minutes");
            }
            throw new SignInFailed("Wrong user name, password or code.");
        }
        jdbc.sql("update accounts_user set failed_attempts = 0, locked_until = null, last_totp_step = :step where id = :id")
                .param("step", step.isPresent() ? step.getAsLong() : r.lastTotpStep)
                .param("id", r.user.id()).update();
        access.record(r.user.username(), r.user.role().name(), "SIGN_IN", r.user.username(), null);
        return r.user.caller();
    }

    /** The caller for a user who signed in elsewhere (OpenID Connect), if the account exists and is usable. */
    public Optional<Caller> signedInElsewhere(String username, String via) {
        Optional<User> u = findByUsername(username).filter(x -> !x.disabled() && !x.lockedAt(clock.instant()));
        access.record(safe(username), u.map(x -> x.role().name()).orElse(null),
                u.isPresent() ? "SIGN_IN" : "SIGN_IN_FAILED", safe(username), "via " + via
                        + (u.isPresent() ? "" : ": no usable local account"));
        return u.map(User::caller);
    }

    public Optional<User> find(UUID id) {
        return jdbc.sql("select * from accounts_user where id = :id").param("id", id).query(Users::row).optional()
                .map(Row::user);
    }

    public Optional<User> findByUsername(String username) {
        return row(username).map(Row::user);
    }

    public List<User> list() {
        return jdbc.sql("select * from accounts_user order by role, username").query(Users::row).list().stream()
                .map(Row::user).toList();
    }

    /** A user's TOTP secret; only demo mode shows it (on the sign-in page). */
    Optional<String> totpSecret(UUID id) {
        return jdbc.sql("select totp_secret from accounts_user where id = :id and totp_secret is not null")
                .param("id", id).query(String.class).optional();
    }

    public boolean anyAdmin() {
        return jdbc.sql("select count(*) from accounts_user where role = 'ADMIN' and disabled = false")
                .query(Long.class).single() > 0;
    }

    @Transactional
    public User update(UUID id, UserRole role, Boolean disabled, boolean unlock, String by) {
        User u = find(id).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        UserRole newRole = role == null ? u.role() : role;
        if (newRole == UserRole.REQUESTER && u.agencyId() == null) {
            throw new Agencies.Refused("role", "a requester belongs to an agency; create a new user for that");
        }
        if (newRole != UserRole.REQUESTER && u.agencyId() != null) {
            throw new Agencies.Refused("role", "an agency's officer can only be a requester");
        }
        jdbc.sql("""
                update accounts_user set role = :role, disabled = :disabled,
                    locked_until = case when :unlock then null else locked_until end,
                    failed_attempts = case when :unlock then 0 else failed_attempts end
                where id = :id""")
                .param("role", newRole.name())
                .param("disabled", disabled == null ? u.disabled() : disabled)
                .param("unlock", unlock)
                .param("id", id).update();
        access.record(by, null, "USER_CHANGED", u.username(), "role " + newRole
                + (disabled == null ? "" : disabled ? ", disabled" : ", enabled") + (unlock ? ", unlocked" : ""));
        return find(id).orElseThrow();
    }

    private User insert(String username, String displayName, UserRole role, UUID agencyId, String hash,
            String totpSecret) {
        if (username == null || !username.matches("[a-z0-9][a-z0-9._@-]{2,99}")) {
            throw new Agencies.Refused("username", "must be 3 to 100 lower-case letters, digits, '.', '_', '@' or '-'");
        }
        if (displayName == null || displayName.isBlank() || displayName.length() > 200) {
            throw new Agencies.Refused("displayName", "must be 1 to 200 characters");
        }
        if (role == null) {
            throw new Agencies.Refused("role", "is required");
        }
        if ((role == UserRole.REQUESTER) != (agencyId != null)) {
            throw new Agencies.Refused("agency", role == UserRole.REQUESTER
                    ? "a requester must belong to an agency" : "only requesters belong to an agency");
        }
        UUID id = UUID.randomUUID();
        try {
            jdbc.sql("""
                    insert into accounts_user (id, username, display_name, role, agency_id, password_hash, totp_secret,
                        failed_attempts, disabled, created_at)
                    values (:id, :username, :name, :role, :agency, :hash, :secret, 0, false, :at)""")
                    .param("id", id).param("username", username).param("name", displayName.strip())
                    .param("role", role.name()).param("agency", agencyId).param("hash", hash)
                    .param("secret", totpSecret).param("at", Agencies.utc(clock.instant())).update();
        } catch (DuplicateKeyException e) {
            throw new Agencies.Refused("username", "is taken");
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            throw new Agencies.Refused("agency", "no such agency");
        }
        return find(id).orElseThrow();
    }

    private record Row(User user, String passwordHash, String totpSecret, Long lastTotpStep) {
    }

    private Optional<Row> row(String username) {
        if (username == null || username.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("select * from accounts_user where username = :u").param("u", username.strip())
                .query(Users::row).optional();
    }

    private static Row row(ResultSet rs, int i) throws SQLException {
        String hash = rs.getString("password_hash");
        String secret = rs.getString("totp_secret");
        long step = rs.getLong("last_totp_step");
        Long lastStep = rs.wasNull() ? null : step;
        User u = new User(rs.getObject("id", UUID.class), rs.getString("username"), rs.getString("display_name"),
                UserRole.valueOf(rs.getString("role")), rs.getObject("agency_id", UUID.class), hash != null,
                secret != null, rs.getInt("failed_attempts"), Agencies.instant(rs, "locked_until"),
                rs.getBoolean("disabled"), Agencies.instant(rs, "created_at"));
        return new Row(u, hash, secret, lastStep);
    }

    private static String safe(String s) {
        if (s == null) {
            return "(none)";
        }
        String t = s.replaceAll("[^\\p{Graph} ]", "?");
        return t.length() > 100 ? t.substring(0, 100) : t;
    }
}
