package db.migration;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.Set;

import org.flywaydb.core.api.migration.BaseJavaMigration;
import org.flywaydb.core.api.migration.Context;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fills {@code trust_refused_rule} from the refusals stored before it existed: the rules of each refused
 * assessment's REFUSE findings, once per request. New refusals are recorded as they are assessed.
 */
public class V41__sender_record_backfill extends BaseJavaMigration {

    @Override
    public void migrate(Context context) throws Exception {
        JsonMapper json = JsonMapper.builder().build();
        var connection = context.getConnection();
        try (Statement select = connection.createStatement();
                ResultSet rs = select.executeQuery("""
                        select a.request_id, r.agency_id, a.body from safeguards_assessment a
                        join intake_request r on r.id = a.request_id
                        where a.decision = 'REFUSE' and r.agency_id is not null""");
                PreparedStatement insert = connection.prepareStatement(
                        "insert into trust_refused_rule (request_id, agency_id, rule) values (?, ?, ?)")) {
            int batched = 0;
            while (rs.next()) {
                Set<String> rules = new LinkedHashSet<>();
                for (JsonNode f : json.readTree(rs.getString("body")).path("findings")) {
                    if ("REFUSE".equals(f.path("effect").asString())) {
                        rules.add(f.path("rule").asString());
                    }
                }
                for (String rule : rules) {
                    insert.setObject(1, rs.getObject("request_id"));
                    insert.setObject(2, rs.getObject("agency_id"));
                    insert.setString(3, rule);
                    insert.addBatch();
                    if (++batched % 1000 == 0) {
                        insert.executeBatch();
                    }
                }
            }
            insert.executeBatch();
        }
    }
}
