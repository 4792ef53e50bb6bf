package org.habeas.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tamper evidence: recomputes every logged case's commitments from what the database holds now and compares them
 * with the entries in the log; checks every entry against its leaf hash and the stored tree against the latest
 * signed checkpoint. A decision, assessment or request changed in the database after it was logged shows up with
 * its case and event.
 */
@Component
public class Audit {

    /** What the audit found. */
    public record Report(long cases, long entries, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    private final LedgerStore store;
    private final LogEntries entries;
    private final Intake intake;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Sequencer sequencer;

    Audit(LedgerStore store, LogEntries entries, Intake intake, JdbcClient jdbc, JsonMapper json, Sequencer sequencer) {
        this.sequencer = sequencer;
        this.store = store;
        this.entries = entries;
        this.intake = intake;
        this.jdbc = jdbc;
        this.json = json;
    }

    public Report run() {
        // entries committed but not yet sequenced (after a crash, say) get their indexes first
        sequencer.integrateAll();
        List<String> problems = new ArrayList<>();
        jdbc.sql("select id from intake_request where id not in (select request_id from ledger_case) order by id")
                .query(UUID.class).list()
                .forEach(id -> problems.add("request " + id + " is in the database but was never logged"));
        long cases = 0;
        long checked = 0;
        List<LogEntries.CaseKey> keys = jdbc.sql("select request_id, case_id, salt from ledger_case order by case_id")
                .query((rs, i) -> new LogEntries.CaseKey(rs.getObject("request_id", UUID.class),
                        rs.getObject("case_id", UUID.class), rs.getBytes("salt")))
                .list();
        for (LogEntries.CaseKey key : keys) {
            cases++;
            Optional<ReceivedRequest> request = intake.find(key.requestId());
            if (request.isEmpty()) {
                problems.add("case " + key.caseId() + ": its request " + key.requestId() + " is gone from the database");
                continue;
            }
            List<LedgerStore.Leaf> logged = store.leavesOfCase(key.caseId());
            List<String> events = logged.stream().map(LedgerStore.Leaf::event).toList();
            List<String> expected = new ArrayList<>(List.of("RECEIVED"));
            if (jdbc.sql("select count(*) from safeguards_assessment where request_id = :id").param("id", key.requestId())
                    .query(Long.class).single() > 0) {
                expected.add("ASSESSED");
            }
            if (jdbc.sql("select count(*) from casework_decision where request_id = :id").param("id", key.requestId())
                    .query(Long.class).single() > 0) {
                expected.add("DECIDED");
            }
            if (jdbc.sql("select count(*) from casework_hold where request_id = :id").param("id", key.requestId())
                    .query(Long.class).single() > 0) {
                expected.add("PRESERVED");
            }
            for (String event : expected) {
                if (!events.contains(event)) {
                    problems.add("case " + key.caseId() + " (request " + key.requestId() + "): no " + event
                            + " entry in the log");
                }
            }
            boolean purged = jdbc.sql("select count(*) from casework_case where request_id = :id and purged_at is not null")
                    .param("id", key.requestId()).query(Long.class).single() > 0;
            for (LedgerStore.Leaf leaf : logged) {
                checked++;
                if (purged && leaf.event().equals("RECEIVED")) {
                    continue; // the request's personal data was purged on schedule: its receipt can no longer be recomputed
                }
                JsonNode e = json.readTree(new String(leaf.entry(), StandardCharsets.UTF_8));
                String committed = e.path("commitment").stringValue();
                String now = LogEntries.commitment(key.salt(), entries.record(request.get(), leaf.event()));
                if (!now.equals(committed)) {
                    problems.add("case " + key.caseId() + " (request " + key.requestId() + "), event " + leaf.event()
                            + " at index " + leaf.index() + ": the database no longer matches what was logged");
                }
            }
        }
        LedgerStore.State state = store.state();
        for (long from = 0; from < state.size(); from += 1024) {
            for (LedgerStore.Leaf leaf : store.leaves(from, 1024)) {
                if (!MessageDigest.isEqual(Merkle.leafHash(leaf.entry()), store.hash(0, leaf.index()))) {
                    problems.add("entry " + leaf.index() + " does not match its stored leaf hash");
                }
            }
        }
        store.latestCheckpoint().ifPresent(cp -> {
            if (cp.size() > state.size()) {
                problems.add("the tree has " + state.size() + " leaves but a checkpoint of size " + cp.size() + " was signed");
            } else if (!MessageDigest.isEqual(Merkle.root(store, cp.size()), cp.root())) {
                problems.add("the stored tree no longer gives the root of the checkpoint of size " + cp.size());
            }
        });
        return new Report(cases, checked, problems);
    }
}
