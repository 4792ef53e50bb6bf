package org.habeas.trust;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * The counted columns of each agency's record as a sender ({@code trust_sender_count}). What a transaction adds is
 * written once, just before it commits, in one batch and in one of {@value #SHARDS} shard rows picked for that
 * transaction, so that the rows are locked only for the end of the transaction and concurrent requests of one
 * agency seldom wait for each other. Reading the counts sums the shard rows, and adds what the current transaction
 * has counted but not yet written: the cost depends on the number of items, never on the agency's history.
 */
@Component
class SenderCounts {

    static final int SHARDS = 8;
    static final String SENT = "SENT";
    static final String WITHDRAWN = "WITHDRAWN";
    static final String REFUSED = "REFUSED";
    static final String RULE = "RULE:";
    static final String SIGNATURE_FAILED = "SIGNATURE_FAILED";
    static final String CALLBACK_FAILED = "CALLBACK_FAILED";

    private final NamedParameterJdbcTemplate jdbc;

    SenderCounts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Adds one to an item of the agency's counts, with the current transaction (or at once, without one). */
    void add(UUID agencyId, String item) {
        if (agencyId == null) {
            return;
        }
        Pending pending = pending();
        if (pending == null) {
            write(Map.of(agencyId, new TreeMap<>(Map.of(item, 1L))));
        } else {
            pending.deltas.computeIfAbsent(agencyId, a -> new TreeMap<>()).merge(item, 1L, Long::sum);
        }
    }

    /** The agency's counts by item: what is written, and what this transaction has counted and not yet written. */
    Map<String, Long> counts(UUID agencyId) {
        Map<String, Long> counts = new HashMap<>();
        jdbc.query("select item, sum(n) n from trust_sender_count where agency_id = :a group by item",
                new MapSqlParameterSource("a", agencyId), rs -> {
                    counts.put(rs.getString("item"), rs.getLong("n"));
                });
        Pending pending = existingPending();
        if (pending != null && pending.deltas.containsKey(agencyId)) {
            pending.deltas.get(agencyId).forEach((item, d) -> counts.merge(item, d, Long::sum));
        }
        return counts;
    }

    /**
     * The current transaction's pending counts, registered with it on first use; null outside a transaction (or
     * once they are written).
     */
    private Pending pending() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Pending p && p.owner == this) {
                return p.written ? null : p; // counted after its write: written at once, in the transaction
            }
        }
        Pending p = new Pending();
        TransactionSynchronizationManager.registerSynchronization(p);
        return p;
    }

    /** Looked up among the transaction's synchronizations, which are suspended and resumed with it. */
    private Pending existingPending() {
        if (!TransactionSynchronizationManager.isSynchronizationActive()) {
            return null;
        }
        for (TransactionSynchronization s : TransactionSynchronizationManager.getSynchronizations()) {
            if (s instanceof Pending p && p.owner == this && !p.written) {
                return p;
            }
        }
        return null;
    }

    /**
     * Adds the deltas to one shard: one batched update of existing rows; only for an item the agency has not had
     * yet, an insert of its rows (that another transaction may make at the same time: on conflict, nothing) and the
     * update again.
     */
    private void write(Map<UUID, TreeMap<String, Long>> deltas) {
        int shard = ThreadLocalRandom.current().nextInt(SHARDS);
        List<MapSqlParameterSource> rows = new ArrayList<>();
        new TreeMap<>(deltas).forEach((agency, items) -> items.forEach((item, d) -> rows.add(new MapSqlParameterSource()
                .addValue("a", agency).addValue("i", item).addValue("s", shard).addValue("d", d))));
        if (rows.isEmpty()) {
            return;
        }
        String update = "update trust_sender_count set n = n + :d where agency_id = :a and item = :i and shard = :s";
        int[] n = jdbc.batchUpdate(update, rows.toArray(SqlParameterSource[]::new));
        List<MapSqlParameterSource> missing = new ArrayList<>();
        for (int k = 0; k < n.length; k++) {
            if (n[k] == 0) {
                missing.add(rows.get(k));
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        // an item seen for the first time gets its row in every shard at once, so later writes are one update
        List<MapSqlParameterSource> created = new ArrayList<>();
        for (MapSqlParameterSource row : missing) {
            for (int s = 0; s < SHARDS; s++) {
                created.add(new MapSqlParameterSource().addValue("a", row.getValue("a")).addValue("i", row.getValue("i"))
                        .addValue("s", s));
            }
        }
        jdbc.batchUpdate("""
                insert into trust_sender_count (agency_id, item, shard, n) values (:a, :i, :s, 0)
                on conflict do nothing""", created.toArray(SqlParameterSource[]::new));
        for (int written : jdbc.batchUpdate(update, missing.toArray(SqlParameterSource[]::new))) {
            if (written != 1) {
                throw new IllegalStateException("a sender count was not written");
            }
        }
    }

    /** What one transaction counts, written just before it commits. */
    private final class Pending implements TransactionSynchronization {

        final SenderCounts owner = SenderCounts.this;
        final Map<UUID, TreeMap<String, Long>> deltas = new HashMap<>();
        boolean written;

        @Override
        public void beforeCommit(boolean readOnly) {
            written = true;
            write(deltas);
        }

        @Override
        public int getOrder() {
            return LOWEST_PRECEDENCE; // after everything else that may still count
        }
    }
}
