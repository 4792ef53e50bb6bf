package org.habeas.eevidence;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/** The e-Evidence tables: sender bindings, messages received with their answers, HI-1 objects per request. */
@Repository
class EevidenceStore {

    /** A message received earlier from the same sender under the same TransactionIdentifier. */
    record Earlier(String sha256, String response, UUID requestId, String endpoint) {
    }

    private final JdbcClient jdbc;

    EevidenceStore(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void bind(String country, String identifier, UUID agencyId, Instant at) {
        int updated = jdbc.sql("update eevidence_sender set agency_id = :a, bound_at = :t where country = :c and identifier = :i")
                .param("a", agencyId).param("t", utc(at)).param("c", country).param("i", identifier).update();
        if (updated == 0) {
            jdbc.sql("insert into eevidence_sender (country, identifier, agency_id, bound_at) values (:c, :i, :a, :t)")
                    .param("c", country).param("i", identifier).param("a", agencyId).param("t", utc(at)).update();
        }
    }

    /** Every binding as (country, identifier, agency id). */
    List<String[]> senders() {
        return jdbc.sql("select country, identifier, agency_id from eevidence_sender order by country, identifier")
                .query((rs, n) -> new String[] {rs.getString(1).strip(), rs.getString(2), rs.getString(3)}).list();
    }

    Optional<UUID> agencyOf(String country, String identifier) {
        return jdbc.sql("select agency_id from eevidence_sender where country = :c and identifier = :i")
                .param("c", country).param("i", identifier).query(UUID.class).optional();
    }

    Optional<Earlier> earlier(String country, String identifier, String transactionId) {
        return jdbc.sql("""
                select message_sha256, response, request_id, endpoint from eevidence_message
                where sender_country = :c and sender_identifier = :i and transaction_id = :t""")
                .param("c", country).param("i", identifier).param("t", transactionId)
                .query((rs, n) -> new Earlier(rs.getString(1), rs.getString(2), rs.getObject(3, UUID.class),
                        rs.getString(4)))
                .optional();
    }

    /** Claims the transaction: a concurrent copy of the same message waits here, then fails on the unique key. */
    UUID claim(String country, String identifier, String transactionId, String endpoint, String sha256, Instant at) {
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into eevidence_message (id, sender_country, sender_identifier, transaction_id, endpoint,
                    message_sha256, response, received_at)
                values (:id, :c, :i, :t, :e, :s, '', :at)""")
                .param("id", id).param("c", country).param("i", identifier).param("t", transactionId)
                .param("e", endpoint).param("s", sha256).param("at", utc(at)).update();
        return id;
    }

    void answered(UUID messageId, UUID requestId, String response) {
        int n = jdbc.sql("update eevidence_message set request_id = :r, response = :x where id = :id and response = ''")
                .param("r", requestId).param("x", response).param("id", messageId).update();
        if (n != 1) {
            throw new IllegalStateException("message " + messageId + " was answered twice");
        }
    }

    /** An object received before: its type, its request, and the agency that sent it. */
    record Known(String type, UUID requestId, UUID agencyId) {
    }

    Optional<Known> known(String objectId) {
        return jdbc.sql("""
                select o.object_type, o.request_id, r.agency_id from eevidence_object o
                join intake_request r on r.id = o.request_id where o.object_id = :o""")
                .param("o", objectId).query((rs, n) -> new Known(rs.getString(1), rs.getObject(2, UUID.class),
                        rs.getObject(3, UUID.class))).optional();
    }

    List<String> existingObjects(List<String> objectIds) {
        if (objectIds.isEmpty()) {
            return List.of();
        }
        return jdbc.sql("select object_id from eevidence_object where object_id in (:ids)")
                .param("ids", objectIds).query(String.class).list();
    }

    void object(String objectId, UUID requestId, String type, String reference) {
        object(objectId, requestId, type, reference, List.of());
    }

    /** An object with the identifiers (RequestValue) a task names. */
    void object(String objectId, UUID requestId, String type, String reference, List<String> values) {
        String joined = values.isEmpty() ? null : String.join("\n", values);
        jdbc.sql("insert into eevidence_object (object_id, request_id, object_type, reference, request_values) "
                + "values (:o, :r, :t, :x, :v)").param("o", objectId).param("r", requestId).param("t", type)
                .param("x", reference).param("v", joined != null && joined.length() > 4000 ? null : joined).update();
    }

    /** Keeps the check of an order's signed form. */
    void formSignature(UUID requestId, String document, FormSignatures.Result r) {
        String detail = r.detail().length() > 1000 ? r.detail().substring(0, 1000) : r.detail();
        jdbc.sql("insert into eevidence_form_signature (request_id, document_name, status, signer, signed_at, detail) "
                + "values (:r, :n, :s, :w, :t, :d)").param("r", requestId).param("n", document.length() > 300
                        ? document.substring(0, 300) : document).param("s", r.status().name()).param("w", r.signer())
                .param("t", r.signedAt() == null ? null : r.signedAt().atOffset(ZoneOffset.UTC)).param("d", detail)
                .update();
    }

    /** The check of a request's signed form, if it came in over the e-Evidence channel. */
    Optional<FormSignatureView.Shown> formSignature(UUID requestId) {
        return jdbc.sql("select document_name, status, signer, signed_at, detail from eevidence_form_signature "
                + "where request_id = :r").param("r", requestId).query((rs, n) -> new FormSignatureView.Shown(
                        rs.getString(1), rs.getString(2), rs.getString(3), Optional.ofNullable(rs.getObject(4,
                                OffsetDateTime.class)).map(OffsetDateTime::toInstant).orElse(null), rs.getString(5)))
                .optional();
    }

    /** The checks of these requests' signed forms, in one query. */
    java.util.Map<UUID, FormSignatureView.Shown> formSignatures(List<UUID> requestIds) {
        java.util.Map<UUID, FormSignatureView.Shown> out = new java.util.HashMap<>();
        jdbc.sql("select request_id, document_name, status, signer, signed_at, detail from eevidence_form_signature "
                + "where request_id in (:r)").param("r", requestIds).query(rs -> {
                    out.put(rs.getObject(1, UUID.class), new FormSignatureView.Shown(rs.getString(2), rs.getString(3),
                            rs.getString(4), Optional.ofNullable(rs.getObject(5, OffsetDateTime.class))
                                    .map(OffsetDateTime::toInstant).orElse(null), rs.getString(6)));
                });
        return out;
    }

    /** The HI-1 objects a request was made from, as (object id, type). */
    List<String[]> objects(UUID requestId) {
        return jdbc.sql("select object_id, object_type from eevidence_object where request_id = :r order by object_type, object_id")
                .param("r", requestId).query((rs, n) -> new String[] {rs.getString(1).strip(), rs.getString(2)}).list();
    }

    private static OffsetDateTime utc(Instant at) {
        return at.atOffset(ZoneOffset.UTC);
    }
}
