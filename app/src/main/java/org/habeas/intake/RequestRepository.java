package org.habeas.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class RequestRepository {

    private static final String COLUMNS = """
            id, reference, status, received_at, sender_received_at, instrument, channel, measure,
            requesting_state, requested_state, emergency, target_count, body, body_sha256, agency_id, submitted_by,
            sender_verification, signature_kid, submitted_role""";

    private final JdbcClient jdbc;

    RequestRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(ReceivedRequest r, String idempotencyKey) {
        jdbc.sql("""
                insert into intake_request (id, reference, status, received_at, sender_received_at, instrument,
                    channel, measure, requesting_state, requested_state, emergency, target_count, body, body_sha256,
                    idempotency_key, agency_id, submitted_by, sender_verification, signature_kid, signature_jti,
                    signed_sha256, submitted_role)
                values (:id, :reference, :status, :receivedAt, :senderReceivedAt, :instrument, :channel, :measure,
                    :requestingState, :requestedState, :emergency, :targetCount, :body, :bodySha256, :idempotencyKey,
                    :agencyId, :submittedBy, :verification, :kid, :jti, :signedSha256, :submittedRole)
                """)
                .param("id", r.id())
                .param("reference", r.reference())
                .param("status", r.status())
                .param("receivedAt", utc(r.receivedAt()))
                .param("senderReceivedAt", utc(r.senderReceivedAt()))
                .param("instrument", r.instrument())
                .param("channel", r.channel())
                .param("measure", r.measure())
                .param("requestingState", r.requestingState())
                .param("requestedState", r.requestedState())
                .param("emergency", r.emergency())
                .param("targetCount", r.targetCount())
                .param("body", r.body())
                .param("bodySha256", r.bodySha256())
                .param("idempotencyKey", idempotencyKey)
                .param("agencyId", r.sender().agencyId())
                .param("submittedBy", r.sender().submittedBy())
                .param("verification", r.sender().verification())
                .param("kid", r.sender().signatureKid())
                .param("jti", r.sender().signatureJti())
                .param("signedSha256", r.sender().signedSha256())
                .param("submittedRole", r.sender().submittedRole())
                .update();
    }

    Optional<ReceivedRequest> find(UUID id) {
        return jdbc.sql("select " + COLUMNS + " from intake_request where id = :id")
                .param("id", id)
                .query(RequestRepository::map)
                .optional();
    }

    /** The request an agency sent under an Idempotency-Key: keys are the agency's own. */
    Optional<ReceivedRequest> findByIdempotencyKey(UUID agencyId, String key) {
        return jdbc.sql("select " + COLUMNS + " from intake_request where agency_id = :agency and idempotency_key = :key")
                .param("agency", agencyId)
                .param("key", key)
                .query(RequestRepository::map)
                .optional();
    }

    /** Whether the agency sent a request with this verified signature's jti, or over the same signed bytes, before. */
    boolean signedBefore(UUID agencyId, String jti, String signedSha256) {
        return jdbc.sql("""
                select count(*) from intake_request
                where agency_id = :agency and (signature_jti = :jti or signed_sha256 = :sha)""")
                .param("agency", agencyId).param("jti", jti).param("sha", signedSha256)
                .query(Long.class).single() > 0;
    }

    List<UUID> idsFromAgency(UUID agencyId) {
        return jdbc.sql("select id from intake_request where agency_id = :a").param("a", agencyId)
                .query(UUID.class).list();
    }

    /** Requests per agency and status, for the agencies' sender records. */
    java.util.Map<String, Long> countByStatus(UUID agencyId) {
        return jdbc.sql("select status, count(*) n from intake_request where agency_id = :a group by status")
                .param("a", agencyId)
                .query((rs, i) -> java.util.Map.entry(rs.getString("status"), rs.getLong("n")))
                .list().stream().collect(java.util.stream.Collectors.toMap(java.util.Map.Entry::getKey,
                        java.util.Map.Entry::getValue));
    }

    void replaceBody(UUID id, String body) {
        jdbc.sql("update intake_request set body = :b where id = :id").param("b", body).param("id", id).update();
    }

    int deleteDocuments(UUID id) {
        return jdbc.sql("delete from intake_document where request_id = :id").param("id", id).update();
    }

    void setStatus(UUID id, String status) {
        jdbc.sql("update intake_request set status = :s where id = :id").param("s", status).param("id", id).update();
    }

    long count() {
        return jdbc.sql("select count(*) from intake_request").query(Long.class).single();
    }

    Page<ReceivedRequest> list(RequestQuery q) {
        return list(q, java.util.Map.of());
    }

    /**
     * A page of the requests the query selects. In deadline order the matching ids are read and ordered here by
     * {@code due} (the deadlines live in casework and are computed, not stored), then the page's rows are read.
     */
    Page<ReceivedRequest> list(RequestQuery q, java.util.Map<java.util.UUID, Instant> due) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object[]> params = new ArrayList<>();
        filter(where, params, "status", "status", q.status());
        filter(where, params, "requesting_state", "requestingState", q.requestingState());
        filter(where, params, "instrument", "instrument", q.instrument());
        filter(where, params, "measure", "measure", q.measure());
        if (q.emergency() != null) {
            where.append(" and emergency = :emergency");
            params.add(new Object[] {"emergency", q.emergency()});
        }
        filter(where, params, "sender_verification", "verification", q.verification());
        if (q.agencyId() != null) {
            where.append(" and agency_id = :agencyId");
            params.add(new Object[] {"agencyId", q.agencyId()});
        }
        if (q.ids() != null) {
            if (q.ids().isEmpty()) {
                where.append(" and 1 = 0");
            } else {
                where.append(" and id in (:ids)");
                params.add(new Object[] {"ids", List.copyOf(q.ids())});
            }
        }
        if (q.search() != null && !q.search().isBlank()) {
            // a plain, portable match on both databases; the pattern's own wildcards are escaped
            String like = "%" + q.search().strip().toLowerCase(java.util.Locale.ROOT)
                    .replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            where.append(" and (lower(reference) like :search escape '\\'");
            if (q.searchBody()) {
                where.append(" or lower(body) like :search escape '\\'");
            }
            params.add(new Object[] {"search", like});
            if (q.searchAgencies() != null && !q.searchAgencies().isEmpty()) {
                where.append(" or agency_id in (:searchAgencies)");
                params.add(new Object[] {"searchAgencies", List.copyOf(q.searchAgencies())});
            }
            where.append(")");
        }
        if (q.receivedFrom() != null) {
            where.append(" and received_at >= :receivedFrom");
            params.add(new Object[] {"receivedFrom", utc(q.receivedFrom())});
        }
        if (q.receivedTo() != null) {
            where.append(" and received_at < :receivedTo");
            params.add(new Object[] {"receivedTo", utc(q.receivedTo())});
        }
        if (q.sort() == RequestQuery.Sort.DEADLINE) {
            var ids = jdbc.sql("select id, received_at from intake_request" + where);
            for (Object[] p : params) {
                ids = ids.param((String) p[0], p[1]);
            }
            record Row(java.util.UUID id, Instant receivedAt) {
            }
            List<Row> all = new ArrayList<>(ids.query((rs, i) -> new Row(rs.getObject("id", java.util.UUID.class),
                    instant(rs, "received_at"))).list());
            all.sort(java.util.Comparator.comparing((Row r) -> due.get(r.id()) == null)
                    .thenComparing(r -> due.getOrDefault(r.id(), Instant.MAX)).thenComparing(Row::receivedAt)
                    .thenComparing(Row::id));
            int from = (int) Math.min(all.size(), (long) q.page() * q.size());
            List<java.util.UUID> page = all.subList(from, Math.min(all.size(), from + q.size())).stream().map(Row::id).toList();
            java.util.Map<java.util.UUID, ReceivedRequest> rows = new java.util.HashMap<>();
            if (!page.isEmpty()) {
                jdbc.sql("select " + COLUMNS + " from intake_request where id in (:page)").param("page", page)
                        .query(RequestRepository::map).list().forEach(r -> rows.put(r.id(), r));
            }
            return new Page<>(page.stream().map(rows::get).filter(java.util.Objects::nonNull).toList(), all.size(),
                    q.page(), q.size());
        }
        var count = jdbc.sql("select count(*) from intake_request" + where);
        var select = jdbc.sql("select " + COLUMNS + " from intake_request" + where
                + " order by " + switch (q.sort() == null ? RequestQuery.Sort.NEWEST : q.sort()) {
                    case NEWEST -> "received_at desc, id";
                    case OLDEST -> "received_at, id";
                    case EMERGENCY_FIRST -> "emergency desc, received_at, id";
                    // the order a case goes through, as the queue reads it
                    case STATUS -> "case status when 'RECEIVED' then 0 when 'ASSESSED' then 1 when 'IN_REVIEW' then 2 "
                            + "when 'AWAITING_REQUESTER' then 3 when 'DECIDED' then 4 when 'EXECUTING' then 5 "
                            + "when 'CLOSED' then 6 when 'WITHDRAWN' then 7 else 8 end, received_at, id";
                    case DEADLINE -> throw new IllegalStateException("ordered above");
                } + " limit :limit offset :offset");
        for (Object[] p : params) {
            count = count.param((String) p[0], p[1]);
            select = select.param((String) p[0], p[1]);
        }
        long total = count.query(Long.class).single();
        List<ReceivedRequest> items = select
                .param("limit", q.size())
                .param("offset", (long) q.page() * q.size())
                .query(RequestRepository::map)
                .list();
        return new Page<>(items, total, q.page(), q.size());
    }

    private static void filter(StringBuilder where, List<Object[]> params, String column, String name, String value) {
        if (value != null) {
            where.append(" and ").append(column).append(" = :").append(name);
            params.add(new Object[] {name, value});
        }
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static ReceivedRequest map(ResultSet rs, int row) throws SQLException {
        return new ReceivedRequest(
                rs.getObject("id", UUID.class),
                rs.getString("reference"),
                rs.getString("status"),
                instant(rs, "received_at"),
                instant(rs, "sender_received_at"),
                rs.getString("instrument"),
                rs.getString("channel"),
                rs.getString("measure"),
                rs.getString("requesting_state"),
                rs.getString("requested_state"),
                rs.getBoolean("emergency"),
                rs.getInt("target_count"),
                rs.getString("body"),
                rs.getString("body_sha256"),
                new Sender(rs.getObject("agency_id", UUID.class), rs.getString("submitted_by"),
                        rs.getString("sender_verification"), rs.getString("signature_kid"), null, null,
                        rs.getString("submitted_role")));
    }
}
