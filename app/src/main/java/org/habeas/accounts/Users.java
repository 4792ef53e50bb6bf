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
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * People who sign in: creating them (with a one-time link to choose a password and enrol a second factor),
 * checking their credentials, locking them out after repeated failures.
 */
@Service
public class Users {

    /** Passwords shorter than this are refused (NIST SP 800-63B asks for at least 8; staff hold sensitive data). */
    public static final int MIN_PASSWORD = 12;

    /**
     * A one-time link that lets a user set their password. It never leaves the accounts module except in the e-mail to
     * the user ({@link SetupLinkMail}) and, for the very first administrator, on standard output.
     */
    record Invitation(User user, String token, Instant expiresAt) {
        public String path() {
            return "/setup/" + token;
        }
    }

    /** Why a sign-in failed. The message is safe to show: it never says whether the account exists. */
    public static final class SignInFailed extends RuntimeException {
        SignInFailed(String message) {
            super(message);
        }
    }

    /** A successful sign-in: the caller, and the session epoch of the account at that moment. */
    record SignedIn(Caller caller, long epoch) {
    }

    /** What a signed-in session is checked against at every request. */
    record SessionState(UserRole role, boolean disabled, long epoch) {
    }

    /** An unused set-up link: its user and the second-factor secret Habeas generated for it. */
    record PendingSetup(User user, String secret) {
    }

    /** The one message for every failed sign-in, so that it reveals nothing about the account. */
    static final String FAILED = "Wrong user name, password or code. After repeated failures an account is locked "
            + "for a while; an administrator can unlock it.";

    private final JdbcClient jdbc;
    private final PasswordEncoder passwords;
    private final AccessRecord access;
    private final Clock clock;
    private final TransactionTemplate tx;
    private final SecureRandom random = new SecureRandom();
    private final int maxFailures;
    private final Duration lockFor;
    /** Compared against when the user does not exist, so that both cases take the same time. */
    private final String dummyHash;

    Users(JdbcClient jdbc, PasswordEncoder passwords, AccessRecord access, Clock clock,
            PlatformTransactionManager transactions,
            @Value("${habeas.accounts.max-failed-sign-ins:10}") int maxFailures,
            @Value("${habeas.accounts.lock-minutes:15}") int lockMinutes) {
        this.jdbc = jdbc;
        this.passwords = passwords;
        this.access = access;
        this.clock = clock;
        this.tx = new TransactionTemplate(transactions);
        this.maxFailures = maxFailures;
        this.lockFor = Duration.ofMinutes(lockMinutes);
        this.dummyHash = passwords.encode("not a password " + random.nextLong());
    }

    /**
     * Creates a user without a password and a set-up link for them. Only for the first administrator and for what
     * {@link AccessGrants} approved; an administrator's request for a new user goes through {@link AccessGrants}.
     */
    @Transactional
    Invitation invite(String username, String displayName, UserRole role, UUID agencyId, String email,
            String createdBy) {
        User u = insert(username, displayName, role, agencyId, null, null, email);
        access.record(createdBy, null, "USER_CREATED", u.username(), "role " + role);
        return newLink(u, Duration.ofDays(7));
    }

    /** Creates a user without a password or a link (a new user awaiting a second administrator's approval). */
    User createAwaitingApproval(String username, String displayName, UserRole role, UUID agencyId, String email) {
        return insert(username, displayName, role, agencyId, null, null, email);
    }

    /** Creates a user with known credentials (demo mode only). */
    @Transactional
    public User createWithCredentials(String username, String displayName, UserRole role, UUID agencyId,
            String password, String totpSecret) {
        return insert(username, displayName, role, agencyId, passwords.encode(password), totpSecret, null);
    }

    /** Creates a user with known credentials and an e-mail address (demo mode and tests). */
    @Transactional
    public User createWithCredentials(String username, String displayName, UserRole role, UUID agencyId,
            String password, String totpSecret, String email) {
        return insert(username, displayName, role, agencyId, passwords.encode(password), totpSecret,
                email == null ? null : EmailAddress.normalize(email));
    }

    /** Whether another user than {@code except} has this (normalized) address. */
    boolean emailTaken(String email, UUID except) {
        UUID other = except == null ? new UUID(0, 0) : except;
        return jdbc.sql("select count(*) from accounts_user where email = :e and id <> :x")
                .param("e", email).param("x", other).query(Long.class).single() > 0;
    }

    /**
     * Sets a user's e-mail address (approved by a second administrator). The user's unused set-up links stop
     * working: a link goes to the address it was sent to, and that is no longer theirs.
     */
    void applyEmail(User u, String email, String by) {
        Instant now = clock.instant();
        try {
            jdbc.sql("update accounts_user set email = :e where id = :id").param("e", email).param("id", u.id()).update();
        } catch (DuplicateKeyException e) {
            throw new Agencies.Refused("email", "is the address of another user");
        }
        jdbc.sql("""
                update accounts_setup_link set revoked_at = :now
                where user_id = :u and used_at is null and revoked_at is null""")
                .param("now", Agencies.utc(now)).param("u", u.id()).update();
        access.record(by, null, "USER_CHANGED", u.username(), "e-mail address " + EmailAddress.masked(email)
                + "; unused set-up links revoked");
    }

    /**
     * A fresh one-time link for a user (a new user's, or to reset a forgotten password and second factor), with a
     * second-factor secret generated here. Every other unused link of the user stops working.
     */
    @Transactional
    Invitation newLink(User u, Duration validFor) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        Instant now = clock.instant();
        Instant expires = now.plus(validFor);
        jdbc.sql("""
                update accounts_setup_link set revoked_at = :now
                where user_id = :u and used_at is null and revoked_at is null""")
                .param("now", Agencies.utc(now)).param("u", u.id()).update();
        jdbc.sql("""
                insert into accounts_setup_link (token_sha256, user_id, expires_at, totp_secret)
                values (:h, :u, :e, :s)""")
                .param("h", Tokens.sha256(token)).param("u", u.id()).param("e", Agencies.utc(expires))
                .param("s", Totp.newSecret(random)).update();
        return new Invitation(u, token, expires);
    }

    /** The user a set-up link is for, if it is unused, unrevoked and unexpired. */
    public Optional<User> forLink(String token) {
        return pending(token).map(PendingSetup::user);
    }

    Optional<PendingSetup> pending(String token) {
        if (token == null || token.length() > 100) {
            return Optional.empty();
        }
        return jdbc.sql("""
                select user_id, totp_secret from accounts_setup_link
                where token_sha256 = :h and used_at is null and revoked_at is null and expires_at > :now""")
                .param("h", Tokens.sha256(token)).param("now", Agencies.utc(clock.instant()))
                .query((rs, i) -> new Object[] {rs.getObject("user_id", UUID.class), rs.getString("totp_secret")})
                .optional()
                .flatMap(r -> find((UUID) r[0]).map(u -> new PendingSetup(u, (String) r[1])));
    }

    /**
     * Completes a set-up link: sets the password and, when the user needs one (or gives a code), the second factor
     * whose secret the link carries, after checking a code from it. The link is used up at most once even when
     * completed in parallel (a conditional update); the user's other links, sessions and tokens end.
     */
    public User completeSetup(String token, String password, String code) {
        PendingSetup p = pending(token).orElseThrow(() -> new Agencies.Refused("token", "this link is unknown, used or expired"));
        User u = p.user();
        if (password == null || password.length() < MIN_PASSWORD || password.length() > 200) {
            throw new Agencies.Refused("password", "must be " + MIN_PASSWORD + " to 200 characters long");
        }
        if (password.equalsIgnoreCase(u.username())) {
            throw new Agencies.Refused("password", "must not be the user name");
        }
        OptionalLong step = OptionalLong.empty();
        if (needsSecondFactor(u) || (code != null && !code.isBlank())) {
            if (p.secret() == null) {
                throw new Agencies.Refused("token", "this link is unknown, used or expired");
            }
            step = Totp.verify(p.secret(), code, clock.instant());
            if (step.isEmpty()) {
                throw new Agencies.Refused("code", "is not the current code of your authenticator app for this secret");
            }
        }
        String hash = passwords.encode(password);
        OptionalLong enrolled = step;
        Instant now = clock.instant();
        tx.executeWithoutResult(status -> {
            int used = jdbc.sql("""
                    update accounts_setup_link set used_at = :now
                    where token_sha256 = :h and used_at is null and revoked_at is null and expires_at > :now""")
                    .param("now", Agencies.utc(now)).param("h", Tokens.sha256(token)).update();
            if (used != 1) {
                throw new Agencies.Refused("token", "this link is unknown, used or expired");
            }
            jdbc.sql("""
                    update accounts_setup_link set revoked_at = :now
                    where user_id = :u and used_at is null and revoked_at is null""")
                    .param("now", Agencies.utc(now)).param("u", u.id()).update();
            jdbc.sql("""
                    update accounts_user set password_hash = :hash, totp_secret = :secret, last_totp_step = :step,
                        failed_attempts = 0, locked_until = null, session_epoch = session_epoch + 1
                    where id = :id""")
                    .param("hash", hash)
                    .param("secret", enrolled.isPresent() ? p.secret() : null)
                    .param("step", enrolled.isPresent() ? enrolled.getAsLong() : null)
                    .param("id", u.id()).update();
            jdbc.sql("update accounts_token set revoked_at = :now where user_id = :u and revoked_at is null")
                    .param("now", Agencies.utc(now)).param("u", u.id()).update();
        });
        access.record(u.username(), u.role().name(), "SETUP_COMPLETED", u.username(),
                enrolled.isPresent() ? "with second factor" : "without second factor");
        return find(u.id()).orElseThrow();
    }

    /** Whether a user must sign in with a second factor: staff always, requesters unless their agency opted out. */
    boolean needsSecondFactor(User u) {
        if (u.role().staff() || u.agencyId() == null) {
            return true;
        }
        return jdbc.sql("select requester_two_factor from accounts_agency where id = :a").param("a", u.agencyId())
                .query(Boolean.class).optional().orElse(true);
    }

    /**
     * Checks a sign-in: password, then the TOTP code (each code usable once), for users with a second factor.
     * Every failure counts; at the limit the account is locked for a while. Every rule is enforced by a
     * conditional update whose row count is checked, so parallel sign-ins cannot reuse a code or outrun the lock.
     * Every outcome is in the access record; unknown user names are recorded only as a fingerprint (they may be a
     * password typed into the wrong field).
     */
    SignedIn signIn(String username, String password, String code) {
        Instant now = clock.instant();
        Optional<Row> found = row(username);
        if (found.isEmpty()) {
            passwords.matches(password == null ? "" : password, dummyHash);
            access.record(UNKNOWN_USER, null, "SIGN_IN_FAILED", UNKNOWN_USER, "unknown user " + fingerprint(username));
            throw new SignInFailed(FAILED);
        }
        Row r = found.get();
        User u = r.user;
        if (u.disabled() || u.lockedAt(now)) {
            // the same work as a real check, so that a locked or disabled account answers like any other
            passwords.matches(password == null ? "" : password, dummyHash);
        }
        if (u.disabled()) {
            access.record(u.username(), u.role().name(), "SIGN_IN_FAILED", u.username(), "disabled");
            throw new SignInFailed(FAILED);
        }
        if (u.lockedAt(now)) {
            access.record(u.username(), u.role().name(), "SIGN_IN_REFUSED", u.username(),
                    "locked until " + u.lockedUntil());
            throw new SignInFailed(FAILED);
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
            }
        } else if (needsSecondFactor(u)) {
            failure = "no second factor enrolled";
        }
        if (failure == null) {
            int n;
            if (step.isPresent()) {
                n = jdbc.sql("""
                        update accounts_user set failed_attempts = 0, locked_until = null, last_totp_step = :step
                        where id = :id and disabled = false and (locked_until is null or locked_until <= :now)
                          and (last_totp_step is null or last_totp_step < :step)""")
                        .param("step", step.getAsLong()).param("id", u.id()).param("now", Agencies.utc(now)).update();
            } else {
                n = jdbc.sql("""
                        update accounts_user set failed_attempts = 0, locked_until = null
                        where id = :id and disabled = false and (locked_until is null or locked_until <= :now)""")
                        .param("id", u.id()).param("now", Agencies.utc(now)).update();
            }
            if (n == 1) {
                access.record(u.username(), u.role().name(), "SIGN_IN", u.username(), null);
                return new SignedIn(u.caller(), r.epoch);
            }
            Row now2 = row(username).orElse(r);
            if (now2.user.disabled() || now2.user.lockedAt(now)) {
                access.record(u.username(), u.role().name(), "SIGN_IN_REFUSED", u.username(), "locked or disabled");
                throw new SignInFailed(FAILED);
            }
            failure = "code used before";
        }
        countFailure(u, failure, now);
        throw new SignInFailed(FAILED);
    }

    /**
     * Counts a failed sign-in. The counter only moves while the account is unlocked and below the limit; the
     * update that finds it at the limit locks the account, and only one does.
     */
    private void countFailure(User u, String failure, Instant now) {
        int counted = jdbc.sql("""
                update accounts_user set failed_attempts = failed_attempts + 1
                where id = :id and failed_attempts < :max and (locked_until is null or locked_until <= :now)""")
                .param("id", u.id()).param("max", maxFailures).param("now", Agencies.utc(now)).update();
        access.record(u.username(), u.role().name(), counted == 1 ? "SIGN_IN_FAILED" : "SIGN_IN_REFUSED", u.username(),
                counted == 1 ? failure : failure + "; locked");
        int locked = jdbc.sql("""
                update accounts_user set failed_attempts = 0, locked_until = :until
                where id = :id and failed_attempts >= :max""")
                .param("id", u.id()).param("max", maxFailures).param("until", Agencies.utc(now.plus(lockFor))).update();
        if (locked == 1) {
            access.record(u.username(), u.role().name(), "LOCKED", u.username(),
                    maxFailures + " failed sign-ins; locked for " + lockFor.toMinutes() + " minutes");
        }
    }

    /** The caller for a user who signed in elsewhere (OpenID Connect), if the account exists and is usable. */
    Optional<SignedIn> signedInElsewhere(String username, String via) {
        Optional<Row> r = row(username).filter(x -> !x.user.disabled() && !x.user.lockedAt(clock.instant()));
        if (r.isEmpty()) {
            access.record(UNKNOWN_USER, null, "SIGN_IN_FAILED", UNKNOWN_USER, "via " + via
                    + ": no usable local account for " + fingerprint(username));
            return Optional.empty();
        }
        User u = r.get().user;
        access.record(u.username(), u.role().name(), "SIGN_IN", u.username(), "via " + via);
        return Optional.of(new SignedIn(u.caller(), r.get().epoch));
    }

    /** The account as a session sees it: its role, whether it is disabled, its epoch. */
    Optional<SessionState> sessionState(UUID id) {
        return jdbc.sql("select role, disabled, session_epoch from accounts_user where id = :id").param("id", id)
                .query((rs, i) -> new SessionState(UserRole.valueOf(rs.getString("role")), rs.getBoolean("disabled"),
                        rs.getLong("session_epoch")))
                .optional();
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

    /** The language a person reads Habeas in (ISO 639-1; "en" until they use another). */
    public String language(UUID id) {
        return jdbc.sql("select language from accounts_user where id = :id").param("id", id).query(String.class)
                .optional().orElse("en");
    }

    /** Records the language a person now uses; true if it changed (the update's row count says so). */
    public boolean recordLanguage(UUID id, String language) {
        return jdbc.sql("update accounts_user set language = :l where id = :id and language <> :l")
                .param("l", language).param("id", id).update() == 1;
    }

    public boolean anyAdmin() {
        return jdbc.sql("select count(*) from accounts_user where role = 'ADMIN' and disabled = false")
                .query(Long.class).single() > 0;
    }

    /** Administrators who can sign in (set up and enabled). */
    long usableAdministrators() {
        return jdbc.sql("""
                select count(*) from accounts_user
                where role = 'ADMIN' and disabled = false and password_hash is not null""")
                .query(Long.class).single();
    }

    /**
     * Changes what needs no second administrator: disabling, enabling, unlocking, and a role that reaches neither
     * casework nor administration. Nobody changes their own role or disables themself. A role change or disabling
     * ends the user's sessions.
     */
    @Transactional
    public User update(UUID id, UserRole role, Boolean disabled, boolean unlock, Caller by) {
        User u = find(id).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        UserRole newRole = role == null ? u.role() : role;
        boolean self = id.equals(by.userId());
        if (self && newRole != u.role()) {
            throw new Agencies.Refused("role", "cannot be changed by the user themself; ask another administrator");
        }
        if (self && Boolean.TRUE.equals(disabled)) {
            throw new Agencies.Refused("disabled", "an administrator cannot disable themself");
        }
        if (newRole != u.role() && newRole.grantNeedsApproval()) {
            throw new Agencies.Refused("role", "needs a second administrator's approval");
        }
        if (newRole == UserRole.REQUESTER && u.agencyId() == null) {
            throw new Agencies.Refused("role", "a requester belongs to an agency; create a new user for that");
        }
        if (newRole != UserRole.REQUESTER && u.agencyId() != null) {
            throw new Agencies.Refused("role", "an agency's officer can only be a requester");
        }
        applyRole(u, newRole, disabled, unlock, by.name());
        return find(id).orElseThrow();
    }

    /** Writes a role (approved, or needing no approval), enabled flag and lock; ends sessions when access shrinks or moves. */
    void applyRole(User u, UserRole newRole, Boolean disabled, boolean unlock, String by) {
        boolean disabling = Boolean.TRUE.equals(disabled) && !u.disabled();
        boolean endSessions = newRole != u.role() || disabling;
        jdbc.sql("""
                update accounts_user set role = :role, disabled = :disabled,
                    locked_until = case when :unlock then null else locked_until end,
                    failed_attempts = case when :unlock then 0 else failed_attempts end,
                    session_epoch = session_epoch + :bump
                where id = :id""")
                .param("role", newRole.name())
                .param("disabled", disabled == null ? u.disabled() : disabled)
                .param("unlock", unlock)
                .param("bump", endSessions ? 1 : 0)
                .param("id", u.id()).update();
        access.record(by, null, "USER_CHANGED", u.username(), "role " + newRole
                + (disabled == null ? "" : disabled ? ", disabled" : ", enabled") + (unlock ? ", unlocked" : "")
                + (endSessions ? "; sessions ended" : ""));
    }

    private User insert(String username, String displayName, UserRole role, UUID agencyId, String hash,
            String totpSecret, String email) {
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
                        failed_attempts, disabled, created_at, email)
                    values (:id, :username, :name, :role, :agency, :hash, :secret, 0, false, :at, :email)""")
                    .param("id", id).param("username", username).param("name", displayName.strip())
                    .param("role", role.name()).param("agency", agencyId).param("hash", hash)
                    .param("secret", totpSecret).param("at", Agencies.utc(clock.instant())).param("email", email)
                    .update();
        } catch (DuplicateKeyException e) {
            // the index's name, not the row (which the database's message may quote), tells which value is taken
            String which = String.valueOf(e.getMostSpecificCause().getMessage()).toLowerCase(java.util.Locale.ROOT);
            if (which.contains("accounts_user_email")) {
                throw new Agencies.Refused("email", "is the address of another user");
            }
            throw new Agencies.Refused("username", "is taken");
        } catch (org.springframework.dao.DataIntegrityViolationException e) {
            throw new Agencies.Refused("agency", "no such agency");
        }
        return find(id).orElseThrow();
    }

    private record Row(User user, String passwordHash, String totpSecret, Long lastTotpStep, long epoch) {
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
                rs.getBoolean("disabled"), Agencies.instant(rs, "created_at"), rs.getString("email"));
        return new Row(u, hash, secret, lastStep, rs.getLong("session_epoch"));
    }

    static final String UNKNOWN_USER = "(unknown user)";

    /**
     * What the access record keeps of a user name that matches no account: the first 8 hex digits of its SHA-256,
     * enough to see the same name tried again, not enough to read a password typed into the wrong field.
     */
    static String fingerprint(String username) {
        return "#" + Tokens.sha256(username == null ? "" : username.strip()).substring(0, 8);
    }
}
