package org.habeas.ledger;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.BatchPreparedStatementSetter;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The log's tables: state, pending entries, leaves, subtree hashes, checkpoints and cosignatures. */
@Repository
class LedgerStore implements Merkle.HashReader {

    record State(long size, byte[] root) {
    }

    record Pending(long seq, byte[] entry, String period, String event, UUID caseId) {
    }

    record Leaf(long index, byte[] entry, String period, String event, UUID caseId) {
    }

    record SignedCheckpoint(long size, byte[] root, String note, Instant signedAt) {
    }

    private final JdbcClient jdbc;
    private final JdbcTemplate template;
    /**
     * Complete subtree hashes of level 8 and above (a 256th of the tree), kept once read: they never change, and
     * every proof needs a dozen of them.
     */
    private final Map<Long, byte[]> upper = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Long, byte[]> roots = new java.util.concurrent.ConcurrentHashMap<>();

    /** Hashes looked up per query, and the one query that does it. */
    private static final int LOOKUP = 24;
    private static final String LOOKUP_SQL = "select level, idx, hash from ledger_hash where "
            + String.join(" or ", java.util.Collections.nCopies(LOOKUP, "(level = ? and idx = ?)"));

    LedgerStore(JdbcClient jdbc, JdbcTemplate template) {
        this.jdbc = jdbc;
        this.template = template;
    }

    /** Whether an integrated leaf of a case's event belongs to the period. */
    boolean hasCaseEntries(String period) {
        return jdbc.sql("select count(*) from ledger_leaf where period = :p and case_id is not null")
                .param("p", period).query(Long.class).single() > 0;
    }

    State lockState() {
        return jdbc.sql("select size, root from ledger_state where id = 1 for update")
                .query((rs, i) -> new State(rs.getLong("size"), rs.getBytes("root"))).single();
    }

    State state() {
        return jdbc.sql("select size, root from ledger_state where id = 1")
                .query((rs, i) -> new State(rs.getLong("size"), rs.getBytes("root"))).single();
    }

    long addPending(byte[] entry, String period, String event, UUID caseId, Instant now) {
        var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
        jdbc.sql("""
                insert into ledger_pending (entry, period, event, case_id, created_at)
                values (:entry, :period, :event, :case, :at)""")
                .param("entry", entry).param("period", period).param("event", event).param("case", caseId)
                .param("at", utc(now))
                .update(keys, "seq");
        return keys.getKey().longValue();
    }

    List<Pending> pending(int limit) {
        return jdbc.sql("select * from ledger_pending order by seq limit :limit").param("limit", limit)
                .query((rs, i) -> new Pending(rs.getLong("seq"), rs.getBytes("entry"), rs.getString("period"),
                        rs.getString("event"), rs.getObject("case_id", UUID.class)))
                .list();
    }

    /** The sequence numbers of a case's entries that are still pending. */
    List<Long> pendingSeqsOfCase(UUID caseId) {
        return jdbc.sql("select seq from ledger_pending where case_id = :c order by seq").param("c", caseId)
                .query(Long.class).list();
    }

    /** Which of these entries are still pending. */
    List<Long> stillPending(java.util.Collection<Long> seqs) {
        return jdbc.sql("select seq from ledger_pending where seq in (:seqs)").param("seqs", seqs)
                .query(Long.class).list();
    }

    /** The hashes of the compact range of a tree of {@code size}: one complete subtree per set bit. */
    Map<Long, byte[]> compactRange(long size) {
        Map<Long, byte[]> out = new HashMap<>();
        for (int level = 0; level < 63; level++) {
            if ((size >>> level & 1) == 1) {
                out.put(key(level, (size >>> level) - 1), hash(level, (size >>> level) - 1));
            }
        }
        return out;
    }

    static long key(int level, long index) {
        return ((long) level << 56) | index;
    }

    /** Writes integrated leaves and their new subtree hashes, removes them from the pending list, moves the state. */
    void integrate(List<Pending> batch, long firstIndex, List<long[]> hashKeys, List<byte[]> hashes, State next,
            Instant now) {
        OffsetDateTime at = utc(now);
        template.batchUpdate("insert into ledger_leaf (idx, entry, period, event, case_id, appended_at) values (?, ?, ?, ?, ?, ?)",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        Pending p = batch.get(i);
                        ps.setLong(1, firstIndex + i);
                        ps.setBytes(2, p.entry());
                        ps.setString(3, p.period());
                        ps.setString(4, p.event());
                        ps.setObject(5, p.caseId());
                        ps.setObject(6, at);
                    }

                    @Override
                    public int getBatchSize() {
                        return batch.size();
                    }
                });
        template.batchUpdate("insert into ledger_hash (level, idx, hash) values (?, ?, ?)",
                new BatchPreparedStatementSetter() {
                    @Override
                    public void setValues(PreparedStatement ps, int i) throws SQLException {
                        ps.setShort(1, (short) hashKeys.get(i)[0]);
                        ps.setLong(2, hashKeys.get(i)[1]);
                        ps.setBytes(3, hashes.get(i));
                    }

                    @Override
                    public int getBatchSize() {
                        return hashes.size();
                    }
                });
        List<Long> seqs = batch.stream().map(Pending::seq).filter(seq -> seq >= 0).toList();
        template.batchUpdate("delete from ledger_pending where seq = ?", new BatchPreparedStatementSetter() {
            @Override
            public void setValues(PreparedStatement ps, int i) throws SQLException {
                ps.setLong(1, seqs.get(i));
            }

            @Override
            public int getBatchSize() {
                return seqs.size();
            }
        });
        jdbc.sql("update ledger_state set size = :size, root = :root where id = 1")
                .param("size", next.size()).param("root", next.root()).update();
    }

    @Override
    public byte[] hash(int level, long index) {
        return jdbc.sql("select hash from ledger_hash where level = :level and idx = :idx")
                .param("level", (short) level).param("idx", index)
                .query(byte[].class).optional()
                .orElseThrow(() -> new IllegalStateException("missing subtree hash (" + level + ", " + index + ")"));
    }

    /**
     * A reader holding every hash that {@code work} asks for, fetched in one query: {@code work} is first run
     * against a recording reader, then the hashes it named are read together. Proofs and roots need about two
     * hashes per tree level; one round trip instead of forty.
     */
    Merkle.HashReader prefetch(java.util.function.Consumer<Merkle.HashReader> work) {
        java.util.Set<Long> wanted = new java.util.LinkedHashSet<>();
        byte[] dummy = new byte[Merkle.HASH_SIZE];
        work.accept((level, index) -> {
            wanted.add(key(level, index));
            return dummy;
        });
        Map<Long, byte[]> found = new HashMap<>();
        wanted.removeIf(k -> {
            byte[] h = upper.get(k);
            if (h != null) {
                found.put(k, h);
            }
            return h != null;
        });
        List<Long> keys = new ArrayList<>(wanted);
        for (int from = 0; from < keys.size(); from += LOOKUP) {
            List<Long> chunk = keys.subList(from, Math.min(keys.size(), from + LOOKUP));
            List<Object> args = new ArrayList<>();
            for (int i = 0; i < LOOKUP; i++) {
                // always LOOKUP pairs (the last repeated), so that the database prepares this statement once
                long k = chunk.get(Math.min(i, chunk.size() - 1));
                args.add((short) (k >>> 56));
                args.add(k & ((1L << 56) - 1));
            }
            template.query(LOOKUP_SQL, rs -> {
                int level = rs.getShort("level");
                long k = key(level, rs.getLong("idx"));
                byte[] h = rs.getBytes("hash");
                found.put(k, h);
                if (level >= Tiles.HEIGHT) {
                    upper.put(k, h);
                }
            }, args.toArray());
        }
        return (level, index) -> {
            byte[] h = found.get(key(level, index));
            return h != null ? h : hash(level, index);
        };
    }

    /** The root of the tree of the first {@code size} leaves, computed once per size. */
    byte[] root(long size) {
        byte[] r = roots.get(size);
        if (r == null) {
            r = size == 0 ? Merkle.emptyRoot() : Merkle.root(prefetch(h -> Merkle.root(h, size)), size);
            if (roots.size() > 10_000) {
                roots.clear();
            }
            roots.put(size, r);
        }
        return r;
    }

    /** {@code count} consecutive hashes of one level, from {@code from}. */
    List<byte[]> hashes(int level, long from, int count) {
        return jdbc.sql("""
                select hash from ledger_hash where level = :level and idx >= :from and idx < :to order by idx""")
                .param("level", (short) level).param("from", from).param("to", from + count)
                .query(byte[].class).list();
    }

    List<Leaf> leaves(long from, int count) {
        return jdbc.sql("select * from ledger_leaf where idx >= :from and idx < :to order by idx")
                .param("from", from).param("to", from + count)
                .query((rs, i) -> new Leaf(rs.getLong("idx"), rs.getBytes("entry"), rs.getString("period"),
                        rs.getString("event"), rs.getObject("case_id", UUID.class)))
                .list();
    }

    private static final int ENTRY_BLOCK = 16_384; // a multiple of the bundle width

    private record Stored(byte[] entry, String period) {
    }

    /**
     * Hands each published entry of [0, to) to {@code sink} in index order, by the rule the entry bundles are served
     * by ({@link Periods#publishedPrefix}). Reads a block of whole bundles at a time, the next block (on another
     * connection) while the sink works through the current one.
     */
    void forEachPublishedEntry(long to, Instant now, java.util.function.Consumer<byte[]> sink) {
        java.util.concurrent.CompletableFuture<List<Stored>> next = block(0, to);
        for (long at = 0; at < to; at += ENTRY_BLOCK) {
            List<Stored> current;
            try {
                current = next.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw e.getCause() instanceof RuntimeException r ? r : e;
            }
            next = at + ENTRY_BLOCK < to ? block(at + ENTRY_BLOCK, to) : null;
            for (int from = 0; from < current.size(); from += Tiles.WIDTH) {
                List<Stored> bundle = current.subList(from, Math.min(current.size(), from + Tiles.WIDTH));
                int published = Periods.publishedPrefix(bundle.stream().map(Stored::period).toList(), now);
                bundle.subList(0, published).forEach(e -> sink.accept(e.entry()));
            }
        }
    }

    private java.util.concurrent.CompletableFuture<List<Stored>> block(long from, long to) {
        return java.util.concurrent.CompletableFuture.supplyAsync(() -> template.query(
                "select entry, period from ledger_leaf where idx >= ? and idx < ? order by idx",
                (rs, i) -> new Stored(rs.getBytes(1), rs.getString(2)), from, Math.min(to, from + ENTRY_BLOCK)),
                runnable -> Thread.ofVirtual().name("log-read").start(runnable));
    }

    /** Entries of a case written but not yet given an index. */
    List<Pending> pendingOfCase(UUID caseId) {
        return jdbc.sql("select * from ledger_pending where case_id = :c order by seq").param("c", caseId)
                .query((rs, i) -> new Pending(rs.getLong("seq"), rs.getBytes("entry"), rs.getString("period"),
                        rs.getString("event"), rs.getObject("case_id", UUID.class)))
                .list();
    }

    /** How many leaves are stored below {@code size}, and whether any is stored at or above it. */
    /** How many leaves are stored in [0, size), whether one has a negative index, and the highest index (-1: none). */
    record LeafCount(long below, boolean negative, long highest) {
    }

    LeafCount leafCount(long size) {
        long below = jdbc.sql("select count(*) from ledger_leaf where idx >= 0 and idx < :size").param("size", size)
                .query(Long.class).single();
        boolean negative = jdbc.sql("select count(*) from ledger_leaf where idx < 0").query(Long.class).single() > 0;
        long highest = jdbc.sql("select coalesce(max(idx), -1) from ledger_leaf").query(Long.class).single();
        return new LeafCount(below, negative, highest);
    }

    /** The stored leaf hashes (level 0) of [from, from + count), by index; a missing one is absent. */
    Map<Long, byte[]> leafHashes(long from, int count) {
        Map<Long, byte[]> out = new HashMap<>();
        jdbc.sql("select idx, hash from ledger_hash where level = 0 and idx >= :from and idx < :to")
                .param("from", from).param("to", from + count)
                .query((rs, i) -> out.put(rs.getLong("idx"), rs.getBytes("hash"))).list();
        return out;
    }

    List<Leaf> leavesOfCase(UUID caseId) {
        return jdbc.sql("select * from ledger_leaf where case_id = :c order by idx").param("c", caseId)
                .query((rs, i) -> new Leaf(rs.getLong("idx"), rs.getBytes("entry"), rs.getString("period"),
                        rs.getString("event"), rs.getObject("case_id", UUID.class)))
                .list();
    }

    Optional<SignedCheckpoint> latestCheckpoint() {
        return jdbc.sql("select * from ledger_checkpoint order by size desc limit 1")
                .query((rs, i) -> new SignedCheckpoint(rs.getLong("size"), rs.getBytes("root"), rs.getString("note"),
                        rs.getObject("signed_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    void saveCheckpoint(long size, byte[] root, String note, Instant at, String node) {
        saveCheckpoint(size, root, note, at, node, false);
    }

    void saveCheckpoint(long size, byte[] root, String note, Instant at, String node, boolean published) {
        jdbc.sql("""
                insert into ledger_checkpoint (size, root, note, signed_at, signed_by, published)
                values (:size, :root, :note, :at, :node, :published)""")
                .param("size", size).param("root", root).param("note", note).param("at", utc(at)).param("node", node)
                .param("published", published).update();
    }

    /** The latest checkpoint whose size is a published prefix of the log (see {@link CheckpointSigner#publish}). */
    Optional<SignedCheckpoint> latestPublishedCheckpoint() {
        return jdbc.sql("select * from ledger_checkpoint where published order by size desc limit 1")
                .query((rs, i) -> new SignedCheckpoint(rs.getLong("size"), rs.getBytes("root"), rs.getString("note"),
                        rs.getObject("signed_at", OffsetDateTime.class).toInstant()))
                .optional();
    }

    /** Whether a checkpoint of this size is signed; marks it as a published prefix if so. */
    boolean markPublished(long size) {
        return jdbc.sql("update ledger_checkpoint set published = true where size = :size").param("size", size)
                .update() == 1;
    }

    /**
     * The index of the first leaf in [from, to) whose period is {@code open} or later (open, since periods close in
     * order), or {@code to} if none: below it, every leaf is published.
     */
    long firstOpenLeaf(long from, long to, String open) {
        return template.query("select idx from ledger_leaf where idx >= ? and idx < ? and period >= ? order by idx "
                + "limit 1", (rs, i) -> rs.getLong(1), from, to, open).stream().findFirst().orElse(to);
    }

    List<String> cosignatures(long size) {
        return jdbc.sql("select line from ledger_cosignature where size = :size order by witness").param("size", size)
                .query(String.class).list();
    }

    void saveCosignature(long size, String witness, String line, Instant at) {
        jdbc.sql("delete from ledger_cosignature where size = :size and witness = :w").param("size", size)
                .param("w", witness).update();
        jdbc.sql("insert into ledger_cosignature (size, witness, line, received_at) values (:size, :w, :line, :at)")
                .param("size", size).param("w", witness).param("line", line).param("at", utc(at)).update();
    }

    static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    static List<byte[]> list() {
        return new ArrayList<>();
    }
}
