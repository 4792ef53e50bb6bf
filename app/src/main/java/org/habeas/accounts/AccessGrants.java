package org.habeas.accounts;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Four eyes for access. A new user, a role that reaches casework or administration, and a set-up link for an
 * existing user are asked for by one administrator and take effect only when another approves; neither the one who
 * asked nor the user concerned can approve. A set-up link is shown once, to the approving administrator, so that no
 * administrator alone can hold the accounts of two people who are to check each other.
 *
 * <p>One exception lets an installation start: while fewer than two administrators can sign in, an administrator
 * may create another administrator alone. The access record shows it.
 */
@Service
public class AccessGrants {

    public enum Kind { NEW_USER, ROLE, SETUP_LINK }

    /** A request for access and what became of it ({@code outcome} is {@code null} while pending). */
    public record Grant(UUID id, UUID userId, String username, Kind kind, UserRole role, String requestedBy,
            Instant requestedAt, String decidedBy, Instant decidedAt, String outcome) {

        public String label() {
            return switch (kind) {
                case NEW_USER -> "New user, " + role.label();
                case ROLE -> "Role " + role.label();
                case SETUP_LINK -> "New set-up link";
            };
        }
    }

    /** What asking led to: a grant awaiting approval, or (creating the second administrator) a link at once. */
    public record Requested(User user, Grant grant, Users.Invitation invitation) {
    }

    /** An approved or refused grant; an approval that issues a link carries it, once. */
    public record Decided(Grant grant, Users.Invitation invitation) {
    }

    static final Duration LINK_VALIDITY = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final Users users;
    private final AccessRecord access;
    private final Clock clock;

    AccessGrants(JdbcClient jdbc, Users users, AccessRecord access, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.access = access;
        this.clock = clock;
    }

    @Transactional
    public Requested requestNewUser(String username, String displayName, UserRole role, UUID agencyId, Caller by) {
        requireAdministrator(by);
        if (role == UserRole.ADMIN && users.usableAdministrators() < 2) {
            Users.Invitation inv = users.invite(username, displayName, role, agencyId, by.name());
            access.record(by.name(), by.role().name(), "GRANTED_ALONE", inv.user().username(),
                    "the second administrator, created while fewer than two could sign in");
            return new Requested(inv.user(), null, inv);
        }
        User u = users.createAwaitingApproval(username, displayName, role, agencyId);
        Grant g = insert(u, Kind.NEW_USER, role, by);
        access.record(by.name(), by.role().name(), "USER_CREATED", u.username(), "role " + role
                + "; awaiting a second administrator's approval");
        return new Requested(u, g, null);
    }

    /**
     * Changes a user in one transaction: what needs no second administrator (enabled flag, lock, a role that reaches
     * neither casework nor administration) at once, and a role that does is asked for. Nothing is changed when any
     * part is refused.
     */
    @Transactional
    public Requested change(UUID userId, UserRole role, Boolean disabled, boolean unlock, Caller by) {
        requireAdministrator(by);
        boolean ask = role != null && role.grantNeedsApproval();
        User u = users.update(userId, ask ? null : role, disabled, unlock, by);
        if (ask && role != u.role()) {
            return requestRole(userId, role, by);
        }
        return new Requested(u, null, null);
    }

    /** Asks for a role; a role that needs no approval is set at once. */
    @Transactional
    public Requested requestRole(UUID userId, UserRole role, Caller by) {
        requireAdministrator(by);
        User u = users.find(userId).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        if (!role.grantNeedsApproval() || role == u.role()) {
            return new Requested(users.update(userId, role, null, false, by), null, null);
        }
        if (userId.equals(by.userId())) {
            throw new Agencies.Refused("role", "cannot be changed by the user themself; ask another administrator");
        }
        if (u.agencyId() != null) {
            throw new Agencies.Refused("role", "an agency's officer can only be a requester");
        }
        Grant g = insert(u, Kind.ROLE, role, by);
        access.record(by.name(), by.role().name(), "GRANT_REQUESTED", u.username(), "role " + role);
        return new Requested(u, g, null);
    }

    @Transactional
    public Requested requestSetupLink(UUID userId, Caller by) {
        requireAdministrator(by);
        User u = users.find(userId).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        if (userId.equals(by.userId())) {
            throw new Agencies.Refused("setupLink", "cannot be asked for by the user themself; ask another administrator");
        }
        Grant g = insert(u, Kind.SETUP_LINK, null, by);
        access.record(by.name(), by.role().name(), "GRANT_REQUESTED", u.username(), "set-up link");
        return new Requested(u, g, null);
    }

    /**
     * Approves a pending grant: by an administrator who neither asked for it nor is its user. The grant is decided
     * once, even when approved in parallel (a conditional update).
     */
    @Transactional
    public Decided approve(UUID grantId, Caller by) {
        Grant g = decide(grantId, by, "APPROVED");
        User u = users.find(g.userId()).orElseThrow();
        Users.Invitation inv = null;
        switch (g.kind()) {
            case NEW_USER, SETUP_LINK -> inv = users.newLink(u, LINK_VALIDITY);
            case ROLE -> users.applyRole(u, g.role(), null, false, by.name());
        }
        access.record(by.name(), by.role().name(), "GRANT_APPROVED", u.username(),
                g.label() + ", asked for by " + g.requestedBy());
        return new Decided(find(grantId).orElseThrow(), inv);
    }

    /** Refuses a pending grant; a new user whose creation is refused stays disabled, without a link. */
    @Transactional
    public Decided refuse(UUID grantId, Caller by) {
        Grant g = decide(grantId, by, "REFUSED");
        User u = users.find(g.userId()).orElseThrow();
        if (g.kind() == Kind.NEW_USER) {
            users.applyRole(u, u.role(), true, false, by.name());
        }
        access.record(by.name(), by.role().name(), "GRANT_REFUSED", u.username(),
                g.label() + ", asked for by " + g.requestedBy());
        return new Decided(find(grantId).orElseThrow(), null);
    }

    public List<Grant> pending() {
        return jdbc.sql("""
                select g.*, u.username from accounts_grant g join accounts_user u on u.id = g.user_id
                where g.outcome is null order by g.requested_at""").query(AccessGrants::grant).list();
    }

    public Optional<Grant> find(UUID id) {
        return jdbc.sql("""
                select g.*, u.username from accounts_grant g join accounts_user u on u.id = g.user_id
                where g.id = :id""").param("id", id).query(AccessGrants::grant).optional();
    }

    private Grant decide(UUID grantId, Caller by, String outcome) {
        requireAdministrator(by);
        Grant g = find(grantId).orElseThrow(() -> new Agencies.Refused("grant", "no such grant"));
        UUID requester = jdbc.sql("select requested_by_id from accounts_grant where id = :id").param("id", grantId)
                .query(UUID.class).single();
        if (requester.equals(by.userId())) {
            throw new Agencies.Refused("approver", "must be another administrator than the one who asked");
        }
        if (g.userId().equals(by.userId())) {
            throw new Agencies.Refused("approver", "must be another administrator than the user concerned");
        }
        int n = jdbc.sql("""
                update accounts_grant set outcome = :outcome, decided_by = :by, decided_at = :now
                where id = :id and outcome is null and requested_by_id <> :byId and user_id <> :byId""")
                .param("outcome", outcome).param("by", by.name()).param("now", Agencies.utc(clock.instant()))
                .param("id", grantId).param("byId", by.userId()).update();
        if (n != 1) {
            throw new Agencies.Refused("grant", "was decided already");
        }
        return g;
    }

    private Grant insert(User u, Kind kind, UserRole role, Caller by) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into accounts_grant (id, user_id, kind, role, requested_by, requested_by_id, requested_at)
                values (:id, :u, :kind, :role, :by, :byId, :at)""")
                .param("id", id).param("u", u.id()).param("kind", kind.name())
                .param("role", role == null ? null : role.name()).param("by", by.name()).param("byId", by.userId())
                .param("at", Agencies.utc(clock.instant())).update();
        return find(id).orElseThrow();
    }

    private static void requireAdministrator(Caller by) {
        if (by.role() != UserRole.ADMIN || by.userId() == null) {
            throw new Agencies.Refused("approver", "must be an administrator");
        }
    }

    private static Grant grant(ResultSet rs, int i) throws SQLException {
        String role = rs.getString("role");
        return new Grant(rs.getObject("id", UUID.class), rs.getObject("user_id", UUID.class), rs.getString("username"),
                Kind.valueOf(rs.getString("kind")), role == null ? null : UserRole.valueOf(role),
                rs.getString("requested_by"), Agencies.instant(rs, "requested_at"), rs.getString("decided_by"),
                Agencies.instant(rs, "decided_at"), rs.getString("outcome"));
    }
}
