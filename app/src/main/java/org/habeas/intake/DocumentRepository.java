package org.habeas.intake;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

@Repository
class DocumentRepository {

    private static final String COLUMNS =
            "id, request_id, filename, declared_type, sniffed_type, size_bytes, sha256, uploaded_at";

    private final JdbcClient jdbc;

    DocumentRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    void insert(Document d, byte[] content) {
        jdbc.sql("""
                insert into intake_document (id, request_id, filename, declared_type, sniffed_type, size_bytes, sha256,
                    content, uploaded_at)
                values (:id, :requestId, :filename, :declaredType, :sniffedType, :size, :sha256, :content, :uploadedAt)
                """)
                .param("id", d.id())
                .param("requestId", d.requestId())
                .param("filename", d.filename())
                .param("declaredType", d.declaredType())
                .param("sniffedType", d.sniffedType())
                .param("size", d.size())
                .param("sha256", d.sha256())
                .param("content", content)
                .param("uploadedAt", d.uploadedAt().atOffset(ZoneOffset.UTC))
                .update();
    }

    List<Document> list(UUID requestId) {
        return jdbc.sql("select " + COLUMNS + " from intake_document where request_id = :requestId order by uploaded_at, id")
                .param("requestId", requestId)
                .query(DocumentRepository::map)
                .list();
    }

    Optional<Document> find(UUID requestId, UUID id) {
        return jdbc.sql("select " + COLUMNS + " from intake_document where request_id = :requestId and id = :id")
                .param("requestId", requestId)
                .param("id", id)
                .query(DocumentRepository::map)
                .optional();
    }

    byte[] content(UUID id) {
        return jdbc.sql("select content from intake_document where id = :id")
                .param("id", id)
                .query((rs, row) -> rs.getBytes(1))
                .single();
    }

    private static Document map(ResultSet rs, int row) throws SQLException {
        return new Document(
                rs.getObject("id", UUID.class),
                rs.getObject("request_id", UUID.class),
                rs.getString("filename"),
                rs.getString("declared_type"),
                rs.getString("sniffed_type"),
                rs.getLong("size_bytes"),
                rs.getString("sha256"),
                rs.getObject("uploaded_at", OffsetDateTime.class).toInstant());
    }
}
