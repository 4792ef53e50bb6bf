package org.habeas.casework;

import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.User;
import org.habeas.accounts.UserRole;
import org.habeas.accounts.Users;
import org.habeas.intake.ReceivedRequest;
import org.habeas.intake.RequestExtension;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/**
 * Who works on a case. Any caseworker takes an open case ("assign to me") or hands back their own; a legal reviewer
 * or a human-rights officer — the team's senior roles — also assigns a case to a colleague or takes it from one. An
 * escalated case waiting for its decision goes only to a human-rights officer. Each change is a conditional update
 * on the assignee the caller saw: of two people who act on the same view, one wins and the other is told who has the
 * case now (409). Every change is on the case's timeline; requesters never see who works on their case.
 */
@Service
public class Assignments implements RequestExtension {

    /** The case's assignee: user name, name and role as people see them, and since when. */
    public record Assignment(String assignee, String displayName, String role, Instant assignedAt) {
    }

    /** A colleague a case can be assigned to. */
    public record Colleague(String username, String displayName, String role) {
    }

    /**
     * What the case page and the queue show: the assignee (or none); whether the viewer may take the case, hand it
     * back, or assign it to the colleagues listed.
     */
    public record View(Assignment current, boolean mine, boolean mayTake, boolean mayRelease, boolean mayAssignOthers,
            @com.fasterxml.jackson.annotation.JsonIgnore List<Colleague> colleagues) {
    }

    private final JdbcClient jdbc;
    private final Users users;
    private final ApplicationEventPublisher events;
    private final Clock clock;

    Assignments(JdbcClient jdbc, Users users, ApplicationEventPublisher events, Clock clock) {
        this.jdbc = jdbc;
        this.users = users;
        this.events = events;
        this.clock = clock;
    }

    private record Row(String state, boolean escalated, boolean decided, String assignee, Instant assignedAt) {
    }

    /**
     * Assigns the case to {@code assignee} (null: nobody), if its assignee is still {@code expected} (null: nobody),
     * or, with {@code expectedGiven} false, still what this call reads.
     */
    @Transactional
    public Assignment assign(UUID requestId, String assignee, String expected, boolean expectedGiven) {
        Caller caller = Caller.require();
        if (!caller.role().casework()) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "role", "only caseworkers are assigned cases");
        }
        Row row = row(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.NOT_FOUND, "request",
                "Request " + requestId + " does not exist."));
        String seen = expectedGiven ? blankToNull(expected) : row.assignee();
        String target = blankToNull(assignee);
        boolean senior = senior(caller.role());
        if (target != null && !target.equals(caller.name()) && !senior) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "assignee",
                    "an analyst takes cases; a legal reviewer or a human-rights officer assigns them to colleagues");
        }
        if (seen != null && !seen.equals(caller.name()) && !senior) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "assignee",
                    "the case is " + who(seen) + "'s; a legal reviewer or a human-rights officer reassigns it");
        }
        if (List.of("CLOSED", "WITHDRAWN").contains(row.state())) {
            throw new Cases.Refused(Cases.Refused.Kind.CONFLICT, "state", "a case that is over is not assigned",
                    row.state());
        }
        Colleague to = null;
        if (target != null) {
            User u = users.findByUsername(target).filter(x -> !x.disabled() && x.role().casework())
                    .orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.INVALID, "assignee",
                            "'" + target + "' is not a caseworker who can sign in"));
            if (row.escalated() && !row.decided() && u.role() != UserRole.HUMAN_RIGHTS_OFFICER) {
                throw new Cases.Refused(Cases.Refused.Kind.INVALID, "assignee",
                        "an escalated case waits for a human-rights officer; assign it to one");
            }
            to = new Colleague(u.username(), u.displayName(), u.role().name());
        }
        if (java.util.Objects.equals(seen, target)) {
            if (!java.util.Objects.equals(row.assignee(), seen)) {
                throw lost(requestId);
            }
            return current(requestId).orElse(null); // nothing changes, nothing is recorded
        }
        OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
        var update = jdbc.sql("update casework_case set assignee = :a, assigned_at = :now where request_id = :r and "
                + (seen == null ? "assignee is null" : "assignee = :seen")
                + " and state not in ('CLOSED', 'WITHDRAWN')")
                .param("a", target).param("now", target == null ? null : now).param("r", requestId);
        if (seen != null) {
            update = update.param("seen", seen);
        }
        if (update.update() == 0) {
            throw lost(requestId);
        }
        String action = target == null ? "UNASSIGNED" : seen == null ? "ASSIGNED" : "REASSIGNED";
        String reason = target == null ? "No longer assigned to " + who(seen) + "."
                : (seen == null ? "Assigned to " : "Reassigned from " + who(seen) + " to ") + to.displayName() + " ("
                        + UserRole.valueOf(to.role()).label() + ").";
        jdbc.sql("""
                insert into casework_event (request_id, at, actor, role, action, from_state, to_state, reason)
                values (:r, :at, :actor, :role, :action, :s, :s, :reason)""")
                .param("r", requestId).param("at", now).param("actor", caller.name()).param("role", caller.role().name())
                .param("action", action).param("s", row.state()).param("reason", reason).update();
        if (target != null && !target.equals(caller.name())) {
            events.publishEvent(new CaseEvents.Assigned(requestId, target, caller.name()));
        }
        return current(requestId).orElse(null);
    }

    /** The refusal of a call that lost a race: who has the case now. */
    private Cases.Refused lost(UUID requestId) {
        Row now = row(requestId).orElseThrow();
        return new Cases.Refused(Cases.Refused.Kind.CONFLICT, "assignee", "the case changed meanwhile: it is now "
                + (now.assignee() == null ? "assigned to nobody" : "assigned to " + who(now.assignee())) + "; reload it",
                now.state());
    }

    /** The current assignee's user name of a case, if any (the API's 409 tells it). */
    public Optional<String> assignee(UUID requestId) {
        return row(requestId).map(Row::assignee);
    }

    public Optional<Assignment> current(UUID requestId) {
        return row(requestId).filter(r -> r.assignee() != null).map(r -> assignment(r.assignee(), r.assignedAt()));
    }

    private Optional<Row> row(UUID requestId) {
        return jdbc.sql("""
                select c.state, c.escalated, c.assignee, c.assigned_at,
                    (select count(*) from casework_decision d where d.request_id = c.request_id) as decided
                from casework_case c where c.request_id = :r""").param("r", requestId)
                .query((rs, i) -> new Row(rs.getString("state"), rs.getBoolean("escalated"), rs.getLong("decided") > 0,
                        rs.getString("assignee"), Optional.ofNullable(rs.getObject("assigned_at", OffsetDateTime.class))
                                .map(OffsetDateTime::toInstant).orElse(null)))
                .optional();
    }

    private Assignment assignment(String username, Instant at) {
        Optional<User> u = users.findByUsername(username);
        return new Assignment(username, u.map(User::displayName).orElse(username),
                u.map(x -> x.role().label()).orElse("Staff"), at);
    }

    private String who(String username) {
        return users.findByUsername(username).map(User::displayName).orElse(username);
    }

    /** Caseworkers who can sign in, by role and name. */
    public List<Colleague> colleagues() {
        return users.list().stream().filter(u -> !u.disabled() && u.role().casework())
                .map(u -> new Colleague(u.username(), u.displayName(), u.role().label())).toList();
    }

    private static boolean senior(UserRole r) {
        return r == UserRole.LEGAL_REVIEWER || r == UserRole.HUMAN_RIGHTS_OFFICER;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    // ---- the queue's and the page's part -----------------------------------------------------------------------

    @Override
    public String name() {
        return "assignment";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        return Optional.ofNullable(views(List.of(requestId)).get(requestId));
    }

    @Override
    public Map<UUID, Object> forRequests(List<ReceivedRequest> requests) {
        return new HashMap<>(views(requests.stream().map(ReceivedRequest::id).toList()));
    }

    /** The views of many cases in two queries; requesters (and calls without a caller) get none. */
    private Map<UUID, View> views(List<UUID> ids) {
        Map<UUID, View> out = new HashMap<>();
        Optional<Caller> caller = Caller.current().filter(c -> c.role().staff());
        if (caller.isEmpty() || ids.isEmpty()) {
            return out; // requesters never see who works on their case
        }
        Map<String, User> byName = new HashMap<>();
        List<User> all = users.list();
        all.forEach(u -> byName.put(u.username(), u));
        List<Colleague> colleagues = all.stream().filter(u -> !u.disabled() && u.role().casework())
                .map(u -> new Colleague(u.username(), u.displayName(), u.role().label())).toList();
        jdbc.sql("""
                select c.request_id, c.state, c.escalated, c.assignee, c.assigned_at,
                    (select count(*) from casework_decision d where d.request_id = c.request_id) as decided
                from casework_case c where c.request_id in (:r)""").param("r", ids)
                .query((rs, i) -> {
                    Row r = new Row(rs.getString("state"), rs.getBoolean("escalated"), rs.getLong("decided") > 0,
                            rs.getString("assignee"), Optional.ofNullable(rs.getObject("assigned_at", OffsetDateTime.class))
                                    .map(OffsetDateTime::toInstant).orElse(null));
                    return out.put(rs.getObject("request_id", UUID.class), view(caller.get(), r, byName, colleagues));
                }).list();
        return out;
    }

    private View view(Caller caller, Row r, Map<String, User> byName, List<Colleague> colleagues) {
        boolean open = !List.of("CLOSED", "WITHDRAWN").contains(r.state());
        boolean casework = caller.role().casework();
        boolean mine = caller.name().equals(r.assignee());
        boolean senior = senior(caller.role());
        boolean escalatedWaiting = r.escalated() && !r.decided();
        boolean mayTake = open && casework && !mine && (r.assignee() == null || senior)
                && (!escalatedWaiting || caller.is(UserRole.HUMAN_RIGHTS_OFFICER));
        List<Colleague> choice = open && casework && senior ? colleagues.stream()
                .filter(c -> !escalatedWaiting || c.role().equals(UserRole.HUMAN_RIGHTS_OFFICER.label())).toList()
                : List.of();
        User u = r.assignee() == null ? null : byName.get(r.assignee());
        Assignment current = r.assignee() == null ? null : new Assignment(r.assignee(),
                u == null ? r.assignee() : u.displayName(), u == null ? "Staff" : u.role().label(), r.assignedAt());
        return new View(current, mine, mayTake,
                open && r.assignee() != null && (mine || senior && casework), !choice.isEmpty(), choice);
    }
}
