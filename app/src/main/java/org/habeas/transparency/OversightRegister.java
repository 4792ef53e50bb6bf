package org.habeas.transparency;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.habeas.ledger.Periods;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * The accountability register for oversight: the public register's figures per requesting agency, counted from
 * the case tables (read only) for requests received in a range of periods, open ones included, and one figure the
 * public log cannot give: emergency requests that failed verification — neither signed with a registered key nor
 * confirmed by a call-back on a registered number.
 */
@Service
public class OversightRegister {

    private final JdbcClient jdbc;
    private final Themes themes;

    OversightRegister(JdbcClient jdbc, Register register) {
        this.jdbc = jdbc;
        this.themes = register.themes();
    }

    private record Row(String agencyId, String agency, String agencyState, String requestingState, boolean emergency,
            String verification, boolean confirmed, boolean escalated, String outcome, String rules) {
    }

    /** Per agency, for requests received from the start of {@code first} to the end of {@code last}. */
    public List<Register.Line> byAgency(String first, String last) {
        List<Row> rows = jdbc.sql("""
                select r.agency_id, a.name, a.state, r.requesting_state, r.emergency, r.sender_verification,
                       c.escalated, d.outcome, d.rules,
                       (select count(*) from trust_callback cb
                         where cb.request_id = r.id and cb.outcome = 'CONFIRMED') as confirmed
                  from intake_request r
                  left join accounts_agency a on a.id = r.agency_id
                  left join casework_case c on c.request_id = r.id
                  left join casework_decision d on d.request_id = r.id
                 where r.received_at >= :from and r.received_at < :to""")
                .param("from", Periods.opens(first).atStartOfDay().atOffset(ZoneOffset.UTC))
                .param("to", Periods.closes(last).atStartOfDay().atOffset(ZoneOffset.UTC))
                .query((rs, i) -> new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getBoolean(5), rs.getString(6), rs.getLong(10) > 0, rs.getBoolean(7), rs.getString(8),
                        rs.getString(9)))
                .list();
        Map<String, Register.Tally> tallies = new HashMap<>();
        Map<String, String[]> names = new HashMap<>();
        for (Row r : rows) {
            String key = r.agencyId() == null ? "-" + r.requestingState() : r.agencyId();
            names.putIfAbsent(key, new String[] {r.agencyId() == null ? "Not registered (" + r.requestingState() + ")"
                    : r.agency(), r.agencyId() == null ? r.requestingState() : r.agencyState()});
            Register.Tally t = tallies.computeIfAbsent(key, k -> new Register.Tally());
            t.received(r.emergency());
            if (r.escalated()) {
                t.escalated++;
            }
            if (r.emergency() && !"VERIFIED".equals(r.verification()) && !r.confirmed()) {
                t.emergenciesUnverified++;
            }
            if ("REFUSE".equals(r.outcome())) {
                t.refused(r.rules() == null || r.rules().isBlank() ? List.of()
                        : Arrays.stream(r.rules().split(",")).map(String::strip).toList(), themes);
            }
        }
        List<Register.Line> out = new ArrayList<>();
        tallies.forEach((key, t) -> out.add(t.line(names.get(key)[0], names.get(key)[1], true)));
        return Register.sorted(out, "rights");
    }
}
