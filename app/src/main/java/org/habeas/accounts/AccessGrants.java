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
 * Four eyes for access. A new user, a role that reaches casework or administration, and a change of a user's e-mail
 * address are asked for by one administrator and take effect only when another approves; neither the one who asked
 * nor the user concerned can approve. Set-up links go to the user's own e-mail address ({@link SetupLinkMail}) and
 * are never shown to an administrator, so that no administrator alone can hold the accounts of two people who are to
 * check each other; since the address is where a link goes, changing it needs four eyes too. Any administrator but the
 * user themself may send a user a new link (it revokes the older ones): it reaches only the user.
 *
 * <p>One exception lets an installation start: while fewer than two administrators can sign in, an administrator
 * may create another administrator alone. The access record shows it.
 */
@Service
public class AccessGrants {

    /** {@code SETUP_LINK}: a link asked for before links were e-mailed; approving one now e-mails it. */
    public enum Kind { NEW_USER, ROLE, SETUP_LINK, EMAIL }

    /** A request for access and what became of it ({@code outcome} is {@code null} while pending). */
    public record Grant(UUID id, UUID userId, String username, Kind kind, UserRole role, String requestedBy,
            Instant requestedAt, String decidedBy, Instant decidedAt, String outcome, String email) {

        public String label() {
            return switch (kind) {
                case NEW_USER -> "New user, " + role.label() + ", e-mail " + email;
                case ROLE -> "Role " + role.label();
                case SETUP_LINK -> "New set-up link";
                case EMAIL -> "E-mail address " + email;
            };
        }
    }

    /**
     * What asking led to: grants awaiting approval, or (creating the second administrator, sending a new link) where
     * a link was sent.
     */
    public record Requested(User user, List<Grant> grants, SetupLinkMail.Delivery delivery) {

        /** The first grant asked for, or {@code null}. */
        public Grant grant() {
            return grants.isEmpty() ? null : grants.getFirst();
        }
    }

    /** An approved or refused grant; an approval that sent a link says where to (masked). */
    public record Decided(Grant grant, SetupLinkMail.Delivery delivery) {
    }

    static final Duration LINK_VALIDITY = Duration.ofDays(7);

    private final JdbcClient jdbc;
    private final Users users;
    private final AccessRecord access;
    private final Clock clock;
    private final SetupLinkMail mail;
    private final Agencies agencies;

    AccessGrants(JdbcClient jdbc, Users users, AccessRecord access, Clock clock, SetupLinkMail mail,
            Agencies agencies) {
        this.jdbc = jdbc;
        this.users = users;
        this.access = access;
        this.clock = clock;
        this.mail = mail;
        this.agencies = agencies;
    }

    /**
     * Asks for a new user, with the e-mail address their set-up link goes to (required: links go nowhere else; a
     * requester's must be in one of the agency's verified domains, when it has any).
     */
    @Transactional
    public Requested requestNewUser(String username, String displayName, UserRole role, UUID agencyId, String email,
            Caller by) {
        requireAdministrator(by);
        String address = checkedEmail(email, agencyId, null);
        if (role == UserRole.ADMIN && users.usableAdministrators() < 2) {
            Users.Invitation inv = users.invite(username, displayName, role, agencyId, address, by.name());
            access.record(by.name(), by.role().name(), "GRANTED_ALONE", inv.user().username(),
                    "the second administrator, created while fewer than two could sign in");
            return new Requested(inv.user(), List.of(), sent(inv, by, "You have been made an administrator of Habeas."));
        }
        User u = users.createAwaitingApproval(username, displayName, role, agencyId, address);
        Grant g = insert(u, Kind.NEW_USER, role, address, by);
        access.record(by.name(), by.role().name(), "USER_CREATED", u.username(), "role " + role
                + "; awaiting a second administrator's approval");
        return new Requested(u, List.of(g), null);
    }

    /**
     * Asks for a user's e-mail address to change (their own too): the next set-up link goes there, so another
     * administrator approves it.
     */
    @Transactional
    public Requested requestEmail(UUID userId, String email, Caller by) {
        requireAdministrator(by);
        User u = users.find(userId).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        String address = checkedEmail(email, u.agencyId(), u.id());
        if (address.equals(u.email())) {
            return new Requested(u, List.of(), null);
        }
        Grant g = insert(u, Kind.EMAIL, null, address, by);
        access.record(by.name(), by.role().name(), "GRANT_REQUESTED", u.username(),
                "e-mail address " + EmailAddress.masked(address));
        return new Requested(u, List.of(g), null);
    }

    /**
     * Sends a user a new set-up link (a lost password or phone, or a lost first mail), to their own address; every
     * older unused link stops working. Not for oneself, nor for a user still awaiting approval or disabled.
     */
    @Transactional
    public Requested sendSetupLink(UUID userId, Caller by) {
        requireAdministrator(by);
        User u = users.find(userId).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        if (userId.equals(by.userId())) {
            throw new Agencies.Refused("setupLink", "cannot be sent by the user themself; ask another administrator");
        }
        if (u.disabled()) {
            throw new Agencies.Refused("setupLink", "the user is disabled");
        }
        boolean awaiting = pending().stream().anyMatch(g -> g.userId().equals(userId) && g.kind() == Kind.NEW_USER);
        if (awaiting) {
            throw new Agencies.Refused("setupLink", "the user awaits a second administrator's approval, which sends it");
        }
        Users.Invitation inv = users.newLink(u, LINK_VALIDITY);
        return new Requested(u, List.of(), sent(inv, by, "An administrator of Habeas sent you a new set-up link."));
    }

    /**
     * Changes a user in one transaction: what needs no second administrator (enabled flag, lock, a role that reaches
     * neither casework nor administration) at once, and a role that does is asked for. Nothing is changed when any
     * part is refused.
     */
    @Transactional
    public Requested change(UUID userId, UserRole role, Boolean disabled, boolean unlock, String email, Caller by) {
        requireAdministrator(by);
        boolean ask = role != null && role.grantNeedsApproval();
        User u = users.update(userId, ask ? null : role, disabled, unlock, by);
        List<Grant> asked = new java.util.ArrayList<>();
        if (ask && role != u.role()) {
            asked.addAll(requestRole(userId, role, by).grants());
        }
        if (email != null) {
            asked.addAll(requestEmail(userId, email, by).grants());
        }
        return new Requested(users.find(userId).orElseThrow(), asked, null);
    }

    /** Asks for a role; a role that needs no approval is set at once. */
    @Transactional
    public Requested requestRole(UUID userId, UserRole role, Caller by) {
        requireAdministrator(by);
        User u = users.find(userId).orElseThrow(() -> new Agencies.Refused("user", "no such user"));
        if (!role.grantNeedsApproval() || role == u.role()) {
            return new Requested(users.update(userId, role, null, false, by), List.of(), null);
        }
        if (userId.equals(by.userId())) {
            throw new Agencies.Refused("role", "cannot be changed by the user themself; ask another administrator");
        }
        if (u.agencyId() != null) {
            throw new Agencies.Refused("role", "an agency's officer can only be a requester");
        }
        Grant g = insert(u, Kind.ROLE, role, null, by);
        access.record(by.name(), by.role().name(), "GRANT_REQUESTED", u.username(), "role " + role);
        return new Requested(u, List.of(g), null);
    }

    /**
     * Approves a pending grant: by an administrator who neither asked for it nor is its user. The grant is decided
     * once, even when approved in parallel (a conditional update).
     */
    @Transactional
    public Decided approve(UUID grantId, Caller by) {
        Grant g = decide(grantId, by, "APPROVED");
        User u = users.find(g.userId()).orElseThrow();
        access.record(by.name(), by.role().name(), "GRANT_APPROVED", u.username(),
                (g.kind() == Kind.EMAIL ? "E-mail address " + EmailAddress.masked(g.email()) : g.kind() == Kind.NEW_USER
                        ? "New user, " + g.role().label() : g.label()) + ", asked for by " + g.requestedBy());
        SetupLinkMail.Delivery delivery = null;
        switch (g.kind()) {
            case NEW_USER -> delivery = sent(users.newLink(u, LINK_VALIDITY), by,
                    "An account was made for you in Habeas, as " + u.role().label() + ".");
            case SETUP_LINK -> delivery = sent(users.newLink(u, LINK_VALIDITY), by,
                    "An administrator of Habeas sent you a new set-up link.");
            case ROLE -> users.applyRole(u, g.role(), null, false, by.name());
            case EMAIL -> {
                if (users.emailTaken(g.email(), u.id())) {
                    throw new Agencies.Refused("email", "is the address of another user");
                }
                users.applyEmail(u, g.email(), by.name());
            }
        }
        return new Decided(find(grantId).orElseThrow(), delivery);
    }

    /** E-mails the link to the user and records where it went (masked); a failure undoes the whole transaction. */
    private SetupLinkMail.Delivery sent(Users.Invitation inv, Caller by, String why) {
        SetupLinkMail.Delivery d = mail.send(inv, why);
        access.record(by.name(), by.role().name(), "SETUP_LINK_SENT", inv.user().username(),
                "to " + d.sentTo() + " by " + d.via() + ", valid until " + d.expiresAt());
        return d;
    }

    private String checkedEmail(String email, UUID agencyId, UUID userId) {
        String address = EmailAddress.normalize(email);
        if (agencyId != null) {
            agencies.find(agencyId).ifPresent(a -> EmailAddress.requireDomain(address, a.emailDomains()));
        }
        if (users.emailTaken(address, userId)) {
            throw new Agencies.Refused("email", "is the address of another user");
        }
        return address;
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

    private Grant insert(User u, Kind kind, UserRole role, String email, Caller by) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into accounts_grant (id, user_id, kind, role, requested_by, requested_by_id, requested_at, email)
                values (:id, :u, :kind, :role, :by, :byId, :at, :email)""")
                .param("id", id).param("u", u.id()).param("kind", kind.name()).param("email", email)
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
                Agencies.instant(rs, "decided_at"), rs.getString("outcome"), rs.getString("email"));
    }
}
