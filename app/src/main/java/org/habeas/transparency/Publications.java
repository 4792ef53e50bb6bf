package org.habeas.transparency;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.habeas.json.CanonicalJson;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.PublicLog;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Publishing a report: computed against a fresh checkpoint, its files stored as served, and a REPORT record with the
 * SHA-256 of report.json and the checkpoint appended to the public log, so that a published report cannot be
 * replaced without the log showing it. A period is published once.
 */
@Service
public class Publications {

    /** A published report, with its files. */
    public record Published(String period, Instant publishedAt, String publishedBy, String sha256, long checkpointSize,
            String checkpointRoot, Long logIndex, String reportJson, String reportCsv, String googleCsv, String metaCsv) {
    }

    private final Reports reports;
    private final PublicLog log;
    private final JdbcClient jdbc;
    private final JsonMapper json;
    private final Clock clock;

    Publications(Reports reports, PublicLog log, JdbcClient jdbc, JsonMapper json, Clock clock) {
        this.reports = reports;
        this.log = log;
        this.jdbc = jdbc;
        this.json = json;
        this.clock = clock;
    }

    public Published publish(String period, String by) {
        if (!org.habeas.ledger.Periods.valid(period)) {
            throw new IllegalArgumentException("not a period: " + period + " (periods are written 2026-H1 or 2026-H2)");
        }
        if (find(period).isPresent()) {
            throw new IllegalStateException("the report of " + period + " is already published");
        }
        if (!org.habeas.ledger.Periods.closed(period, clock.instant())) {
            throw new IllegalArgumentException("period " + period + " is not closed yet (it closes on "
                    + org.habeas.ledger.Periods.closes(period) + ")");
        }
        log.checkpointNow();
        Optional<String> last = lastPublished();
        if (!log.hasCaseEntries(period) && !last.map(p -> next(p).equals(period)).orElse(false)) {
            throw new IllegalArgumentException("the log has no entry in " + period + (last.isEmpty() ? ""
                    : " and it does not follow the last published period, " + last.get())
                    + "; a report is published for a period with entries, or for the one after the last published");
        }
        Map<String, Object> doc = reports.compute(period);
        String reportJson = CanonicalJson.write(json.valueToTree(doc));
        String sha = sha256(reportJson);
        @SuppressWarnings("unchecked")
        Map<String, Object> head = (Map<String, Object>) doc.get("log");
        ObjectNode record = json.createObjectNode();
        record.put("v", 1);
        record.put("event", "REPORT");
        record.put("period", period);
        record.put("report", sha);
        record.putObject("checkpoint").put("origin", (String) head.get("origin"))
                .put("size", ((Number) head.get("size")).longValue()).put("root", (String) head.get("root"));
        Instant now = clock.instant();
        try {
            jdbc.sql("""
                    insert into transparency_report (period, published_at, published_by, sha256, checkpoint_size,
                        checkpoint_root, report_json, report_csv, google_csv, meta_csv)
                    values (:p, :at, :by, :sha, :size, :root, :json, :csv, :google, :meta)""")
                    .param("p", period).param("at", now.atOffset(ZoneOffset.UTC)).param("by", by).param("sha", sha)
                    .param("size", ((Number) head.get("size")).longValue()).param("root", head.get("root"))
                    .param("json", reportJson).param("csv", Reports.csv(doc)).param("google", reports.google(doc))
                    .param("meta", reports.meta(doc)).update();
        } catch (DuplicateKeyException e) {
            throw new IllegalStateException("the report of " + period + " is already published");
        }
        long index = log.appendRecord(CanonicalJson.write(record).getBytes(StandardCharsets.UTF_8),
                org.habeas.ledger.Periods.of(now), "REPORT");
        jdbc.sql("update transparency_report set log_index = :i where period = :p").param("i", index).param("p", period)
                .update();
        log.checkpointNow();
        return find(period).orElseThrow();
    }

    private Optional<String> lastPublished() {
        return jdbc.sql("select period from transparency_report order by period desc limit 1").query(String.class)
                .optional();
    }

    /** The period after {@code period}: 2026-H1 → 2026-H2 → 2027-H1. */
    static String next(String period) {
        int year = Integer.parseInt(period.substring(0, 4));
        return period.endsWith("H1") ? year + "-H2" : (year + 1) + "-H1";
    }

    /** The SHA-256 (hex) of a report's canonical JSON: what the REPORT record commits to. */
    static String sha256(String reportJson) {
        return HexFormat.of().formatHex(Merkle.sha256().digest(reportJson.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<Published> find(String period) {
        return jdbc.sql("select * from transparency_report where period = :p").param("p", period)
                .query(Publications::published).optional();
    }

    private static Published published(java.sql.ResultSet rs, int row) throws java.sql.SQLException {
        return new Published(rs.getString("period"), rs.getObject("published_at", OffsetDateTime.class).toInstant(),
                rs.getString("published_by"), rs.getString("sha256"), rs.getLong("checkpoint_size"),
                rs.getString("checkpoint_root"), (Long) rs.getObject("log_index", Long.class),
                rs.getString("report_json"), rs.getString("report_csv"), rs.getString("google_csv"),
                rs.getString("meta_csv"));
    }

    public List<Published> list() {
        return jdbc.sql("select * from transparency_report order by period desc").query(Publications::published).list();
    }
}
