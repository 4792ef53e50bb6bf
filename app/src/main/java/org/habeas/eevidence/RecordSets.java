package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.disclosure.Production;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The data produced for an EPOC as a TS 103 705 record set (the JSON a DeliveryObject with Manifest
 * ETSI/ManifestSpecification/TS103705 carries): a {@code recordSetDescription} naming the schemas, the provider and
 * the task's LDID, then one record per file produced, typed by the record type configured for its data category
 * ({@code eevidence/ts103705.yaml}). TS 103 705's own record fields were not available, so a record carries the
 * identifier and category it answers, the period and the file as produced, with its SHA-256.
 */
final class RecordSets {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final List<String> CATEGORIES = List.of("SUBSCRIBER", "IDENTIFICATION", "TRAFFIC", "CONTENT");

    private final String etsiSchemaId;
    private final String etsiSpecificationVersion;
    private final String cspName;
    private final String cspSchemaId;
    private final String cspSchemaVersion;
    private final Map<String, String> recordTypes = new LinkedHashMap<>();

    /** The bundled file, or the operator's ({@code habeas.eevidence.records}); every data category needs a type. */
    static RecordSets load(Path override, String receiverIdentifier) {
        try (InputStream in = override == null ? RecordSets.class.getResourceAsStream("/eevidence/ts103705.yaml")
                : Files.newInputStream(override)) {
            return new RecordSets(YAMLMapper.builder().build().readTree(in), receiverIdentifier,
                    override == null ? "eevidence/ts103705.yaml" : override.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("habeas.eevidence.records: " + e.getMessage(), e);
        }
    }

    private RecordSets(JsonNode c, String receiverIdentifier, String where) {
        this.etsiSchemaId = required(c, "etsiSchemaId", where);
        this.etsiSpecificationVersion = required(c, "etsiSpecificationVersion", where);
        String name = c.path("cspName").asString("");
        this.cspName = name.isBlank() ? receiverIdentifier : name;
        this.cspSchemaId = required(c, "cspSchemaId", where);
        this.cspSchemaVersion = required(c, "cspSchemaVersion", where);
        for (String category : CATEGORIES) {
            JsonNode t = c.path("recordTypes").path(category);
            String type = t.isString() ? t.stringValue() : t.path("type").asString("");
            if (type.isBlank()) {
                throw new IllegalStateException(where + ": recordTypes." + category + " is missing");
            }
            recordTypes.put(category, type);
        }
    }

    private static String required(JsonNode c, String field, String where) {
        String v = c.path(field).asString("");
        if (v.isBlank()) {
            throw new IllegalStateException(where + ": " + field + " is missing");
        }
        return v;
    }

    String recordType(String category) {
        String t = recordTypes.get(category);
        if (t == null) {
            throw new IllegalArgumentException("no TS 103 705 record type for the data category " + category);
        }
        return t;
    }

    /** The record set of one task: its LDID as the request reference, one record per item. */
    ObjectNode recordSet(String ldid, Instant created, List<Production.Item> items) {
        ObjectNode set = JSON.createObjectNode();
        ObjectNode d = set.putObject("recordSetDescription");
        d.put("etsiSchemaId", etsiSchemaId);
        d.put("etsiSpecificationVersion", etsiSpecificationVersion);
        d.put("cspName", cspName);
        d.put("cspSchemaId", cspSchemaId);
        d.put("cspSchemaVersion", cspSchemaVersion);
        d.put("resultSetId", UUID.randomUUID().toString());
        d.put("requestReference", ldid);
        d.put("created", created.toString());
        ArrayNode records = set.putArray("records");
        for (Production.Item i : items) {
            ObjectNode r = records.addObject();
            r.put("type", recordType(i.category()));
            r.put("recordId", UUID.randomUUID().toString());
            ObjectNode target = r.putObject("targetIdentifier");
            target.put("type", i.targetType());
            target.put("value", i.targetValue());
            r.put("dataCategory", i.category());
            ObjectNode period = r.putObject("period");
            period.put("from", i.from() == null ? null : i.from().toString());
            period.put("to", i.to() == null ? null : i.to().toString());
            ObjectNode file = r.putObject("content");
            file.put("filename", i.file().name());
            file.put("mediaType", i.file().mediaType());
            file.put("size", i.file().content().length);
            file.put("sha256", HexFormat.of().formatHex(sha256(i.file().content())));
            file.put("data", Base64.getEncoder().encodeToString(i.file().content()));
        }
        return set;
    }

    static byte[] write(ObjectNode set) {
        return JSON.writeValueAsBytes(set);
    }

    private static byte[] sha256(byte[] b) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
