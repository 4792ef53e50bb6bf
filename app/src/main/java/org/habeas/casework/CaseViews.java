package org.habeas.casework;

import java.util.Collection;
import java.util.UUID;

import org.habeas.intake.RequestView;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The queue's views that only casework can tell: cases escalated to a human-rights officer and still undecided
 * (the officer's inbox), and changes to a proposal that wait for a second reviewer.
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
