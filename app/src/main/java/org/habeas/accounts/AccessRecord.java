package org.habeas.accounts;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Who saw or did what, when: sign-ins, failed sign-ins and lock-outs, and every view of a case or document by a
 * staff member. Oversight and administrators can read it; nothing in it is ever changed.
 */
@Service
public class AccessRecord {

    /** One line of the record. */
    public record Entry(long id, Instant at, String actor, String role, String action, String subject, String detail,
            String remoteAddress) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final TrustedProxies proxies;

    AccessRecord(JdbcClient jdbc, Clock clock, TrustedProxies proxies) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.proxies = proxies;
    }

    /** Records an action of the current caller on a subject (a request id, a document id...). */
    public void viewed(String action, Object subject) {
        Caller.current().ifPresent(c -> record(c.name(), c.role().name(), action, String.valueOf(subject), null));
    }

    /** Writes one entry in its own transaction, so that it stays even if the caller's work is rolled back. */
    @Transactional(propagation = Propagation.REQUIRES_NEW)
    public void record(String actor, String role, String action, String subject, String detail) {
        jdbc.sql("""
                insert into accounts_access (at, actor, role, action, subject, detail, remote_address)
                values (:at, :actor, :role, :action, :subject, :detail, :address)""")
                .param("at", Agencies.utc(clock.instant()))
                .param("actor", truncate(actor, 100))
                .param("role", role)
                .param("action", action)
                .param("subject", truncate(subject, 100))
                .param("detail", truncate(detail, 500))
                .param("address", remoteAddress())
                .update();
    }

    /** The newest entries first, optionally only an actor's or about a subject. */
    public List<Entry> list(String actor, String subject, String action, int limit) {
        StringBuilder sql = new StringBuilder("select * from accounts_access where 1 = 1");
        List<Object[]> params = new ArrayList<>();
        if (actor != null && !actor.isBlank()) {
            sql.append(" and actor = :actor");
            params.add(new Object[] {"actor", actor});
        }
        if (subject != null && !subject.isBlank()) {
            sql.append(" and subject = :subject");
            params.add(new Object[] {"subject", subject});
        }
        if (action != null && !action.isBlank()) {
            sql.append(" and action = :action");
            params.add(new Object[] {"action", action});
        }
        sql.append(" order by id desc limit :limit");
        var q = jdbc.sql(sql.toString());
        for (Object[] p : params) {
            q = q.param((String) p[0], p[1]);
        }
        return q.param("limit", limit)
                .query((rs, i) -> new Entry(rs.getLong("id"), Agencies.instant(rs, "at"), rs.getString("actor"),
                        rs.getString("role"), rs.getString("action"), rs.getString("subject"), rs.getString("detail"),
                        rs.getString("remote_address")))
                .list();
    }

    private String remoteAddress() {
        if (RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes a) {
            return truncate(proxies.clientAddress(a.getRequest()), 64);
        }
        return null;
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
