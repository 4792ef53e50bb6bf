package org.habeas.casework;

import java.util.Collection;
import java.util.UUID;

import org.habeas.intake.RequestView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue's views that only casework can tell: cases escalated to a human-rights officer and still undecided
 * (the officer's inbox), changes to a proposal that wait for a second reviewer, the caller's own cases and the
 * cases nobody has taken.
 */
@Configuration(proxyBeanMethods = false)
class CaseViews {

    @Bean
    RequestView escalatedCases(JdbcClient jdbc) {
        return view("ESCALATED", "Waiting for a human-rights officer", jdbc, """
                select request_id from casework_case where escalated = true and state in ('ASSESSED', 'IN_REVIEW')""");
    }

    @Bean
    RequestView secondReview(JdbcClient jdbc) {
        return view("SECOND_REVIEW", "Waiting for a second reviewer", jdbc, """
                select distinct p.request_id from casework_proposal p join casework_case c on c.request_id = p.request_id
                where p.status = 'OPEN' and p.changes_proposal is not null and c.state = 'IN_REVIEW'""");
    }

    /** The queue's "My cases": the open cases assigned to the caller. */
    @Bean
    RequestView myCases(JdbcClient jdbc) {
        return new RequestView() {
            @Override
            public String name() {
                return "MINE";
            }

            @Override
            public String label() {
                return "My cases";
            }

            @Override
            public Collection<UUID> ids() {
                String me = org.habeas.accounts.Caller.current().map(org.habeas.accounts.Caller::name).orElse(null);
                return me == null ? java.util.List.of() : jdbc.sql("""
                        select request_id from casework_case where assignee = :me
                        and state not in ('CLOSED', 'WITHDRAWN')""").param("me", me).query(UUID.class).list();
            }
        };
    }

    @Bean
    RequestView unassignedCases(JdbcClient jdbc) {
        return view("UNASSIGNED", "Not assigned to anyone", jdbc, """
                select request_id from casework_case where assignee is null and state not in ('CLOSED', 'WITHDRAWN')""");
    }

    private static RequestView view(String name, String label, JdbcClient jdbc, String sql) {
        return new RequestView() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String label() {
                return label;
            }

            @Override
            public Collection<UUID> ids() {
                return jdbc.sql(sql).query(UUID.class).list();
            }
        };
    }
}
