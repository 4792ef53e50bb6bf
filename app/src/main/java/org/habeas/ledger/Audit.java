package org.habeas.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Tamper evidence, read-only: recomputes every entry of every logged case from what the database holds now — the
 * public fields and the commitment to the full case record (the request as received, who sent it and every stored
 * column, the assessment, the decision, the case's timeline with its actors and states) — and compares it with the
 * entry in the log; checks that every event the database records has its entry, that the leaves have no gap, that
 * every entry hashes to its stored leaf hash, and that the stored tree gives the latest signed checkpoint. A damaged
 * tree is reported, never a crash. Entries written but not yet sequenced are checked as they are; the audit writes
 * nothing.
 */
@Component
public class Audit {

    /** What the audit found; {@code pending} entries were written but not yet given their index. */
    public record Report(long cases, long entries, long pending, List<String> problems) {
        public boolean clean() {
            return problems.isEmpty();
        }
    }

    /** The problems of the tree listed one by one before the audit stops counting. */
    private static final int TREE_PROBLEMS = 100;

    private final LedgerStore store;
    private final LogEntries entries;
    private final Intake intake;
    private final JdbcClient jdbc;
    private final JsonMapper json;

    Audit(LedgerStore store, LogEntries entries, Intake intake, JdbcClient jdbc, JsonMapper json) {
        this.store = store;
        this.entries = entries;
        this.intake = intake;
        this.jdbc = jdbc;
        this.json = json;
    }

    public Report run() {
        List<String> problems = new ArrayList<>();
        jdbc.sql("select id from intake_request where id not in (select request_id from ledger_case) order by id")
                .query(UUID.class).list()
                .forEach(id -> problems.add("request " + id + " is in the database but was never logged"));
        jdbc.sql("select id from intake_request where id not in (select request_id from safeguards_assessment) order by id")
                .query(UUID.class).list()
                .forEach(id -> problems.add("request " + id + " was stored but never assessed"));
        long cases = 0;
        long checked = 0;
        long pending = 0;
        List<LogEntries.CaseKey> keys = jdbc.sql("select request_id, case_id, salt, record_version from ledger_case order by case_id")
                .query((rs, i) -> new LogEntries.CaseKey(rs.getObject("request_id", UUID.class),
                        rs.getObject("case_id", UUID.class), rs.getBytes("salt"), rs.getInt("record_version")))
                .list();
        for (LogEntries.CaseKey key : keys) {
            cases++;
            String name = "case " + key.caseId() + " (request " + key.requestId() + ")";
            try {
                Optional<ReceivedRequest> request = intake.find(key.requestId());
                if (request.isEmpty()) {
                    problems.add("case " + key.caseId() + ": its request " + key.requestId() + " is gone from the database");
                    continue;
                }
                List<LedgerStore.Leaf> logged = store.leavesOfCase(key.caseId());
                List<LedgerStore.Pending> waiting = store.pendingOfCase(key.caseId());
                Set<String> events = new LinkedHashSet<>();
                logged.forEach(l -> events.add(l.event()));
                waiting.forEach(p -> events.add(p.event()));
                for (String event : expected(key.requestId())) {
                    if (!events.contains(event)) {
                        problems.add(name + ": no " + event + " entry in the log");
                    }
                }
                boolean purged = count("select count(*) from casework_case where request_id = :id and purged_at is not null",
                        key.requestId()) > 0;
                for (LedgerStore.Leaf leaf : logged) {
                    checked++;
                    check(problems, name, key, request.get(), purged, leaf.event(), "at index " + leaf.index(),
                            leaf.entry(), leaf.period());
                }
                for (LedgerStore.Pending p : waiting) {
                    pending++;
                    check(problems, name, key, request.get(), purged, p.event(), "(not yet sequenced)", p.entry(),
                            p.period());
                }
            } catch (RuntimeException e) {
                problems.add(name + ": cannot be recomputed from the database: " + e.getMessage());
            }
        }
        tree(problems);
        return new Report(cases, checked, pending, List.copyOf(problems));
    }

    /** The events the database says happened to a request, each of which must have its entry. */
    private List<String> expected(UUID requestId) {
        List<String> expected = new ArrayList<>(List.of("RECEIVED"));
        if (count("select count(*) from safeguards_assessment where request_id = :id", requestId) > 0) {
            expected.add("ASSESSED");
        }
        if (count("select count(*) from casework_decision where request_id = :id", requestId) > 0) {
            expected.add("DECIDED");
        }
        if (count("select count(*) from casework_hold where request_id = :id", requestId) > 0) {
            expected.add("PRESERVED");
        }
        List<String> actions = jdbc.sql("select distinct action from casework_event where request_id = :id")
                .param("id", requestId).query(String.class).list();
        if (actions.contains("PRODUCED")) {
            expected.add("PRODUCED");
        }
        if (actions.contains("RECEIPT_CONFIRMED")) {
            expected.add("CLOSED");
        }
        if (actions.contains("WITHDRAWN")) {
            expected.add("WITHDRAWN");
        }
        if (count("select count(*) from disclosure_notice where request_id = :id and status = 'SENT'", requestId) > 0) {
            expected.add("NOTIFIED");
        }
        return expected;
    }

    /** Compares one logged entry with the entry recomputed from the database, naming the fields that differ. */
    private void check(List<String> problems, String name, LogEntries.CaseKey key, ReceivedRequest request,
            boolean purged, String event, String where, byte[] entry, String period) {
        if (purged && event.equals("RECEIVED")) {
            return; // the request's personal data was purged on schedule: its receipt can no longer be recomputed
        }
        JsonNode logged = json.readTree(new String(entry, StandardCharsets.UTF_8));
        List<String> differ = new ArrayList<>();
        if (purged) {
            // the purge keeps decisions and their rules; the rest of the public fields came from what it removed
            String now = LogEntries.commitment(key.salt(), entries.record(request, event, key.version()));
            if (!now.equals(logged.path("commitment").stringValue())) {
                differ.add("commitment");
            }
        } else {
            JsonNode now = json.readTree(new String(entries.expectedEntry(request, key, event, period),
                    StandardCharsets.UTF_8));
            Set<String> names = new LinkedHashSet<>(now.propertyNames());
            names.addAll(logged.propertyNames());
            for (String field : names) {
                if (!now.path(field).equals(logged.path(field))) {
                    differ.add(field);
                }
            }
        }
        if (!differ.isEmpty()) {
            problems.add(name + ", event " + event + " " + where + ": the database no longer matches what was logged ("
                    + String.join(", ", differ) + ")");
        }
    }

    /** The tree: no gap among the leaves, each entry against its leaf hash, the hashes against the checkpoint. */
    private void tree(List<String> problems) {
        LedgerStore.State state = store.state();
        String count = LeafCheck.count(store, state.size());
        if (count != null) {
            problems.add(count);
        }
        List<String> leaves = LeafCheck.range(store, 0, state.size(), TREE_PROBLEMS + 1);
        problems.addAll(leaves.subList(0, Math.min(TREE_PROBLEMS, leaves.size())));
        if (leaves.size() > TREE_PROBLEMS) {
            problems.add("(more leaves are damaged; the first " + TREE_PROBLEMS + " are listed)");
        }
        try {
            if (state.size() > 0 && state.root() != null
                    && !MessageDigest.isEqual(Merkle.root(store, state.size()), state.root())) {
                problems.add("the stored hashes do not give the recorded root of size " + state.size());
            }
        } catch (IllegalStateException e) {
            problems.add("the stored tree of size " + state.size() + " cannot be hashed: " + e.getMessage());
        }
        store.latestCheckpoint().ifPresent(cp -> {
            if (cp.size() > state.size()) {
                problems.add("the tree has " + state.size() + " leaves but a checkpoint of size " + cp.size() + " was signed");
                return;
            }
            try {
                if (!MessageDigest.isEqual(Merkle.root(store, cp.size()), cp.root())) {
                    problems.add("the stored tree no longer gives the root of the checkpoint of size " + cp.size());
                }
            } catch (IllegalStateException e) {
                problems.add("the stored tree cannot give the root of the checkpoint of size " + cp.size() + ": "
                        + e.getMessage());
            }
        });
    }

    private long count(String sql, UUID requestId) {
        return jdbc.sql(sql).param("id", requestId).query(Long.class).single();
    }
}
