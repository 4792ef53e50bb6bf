package org.habeas.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Request v1 documents for tests: the demo samples, and variations of them. */
public final class Samples {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private Samples() {
    }

    public static String demo(String file) {
        try (InputStream in = Samples.class.getResourceAsStream("/demo/" + file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A valid production request with a reference no other test uses. */
    public static ObjectNode production() {
        ObjectNode r = (ObjectNode) MAPPER.readTree(demo("01-fr-fraud.json"));
        r.put("reference", "TEST-" + UUID.randomUUID());
        return r;
    }

    public static String json(JsonNode node) {
        return MAPPER.writeValueAsString(node);
    }

    /** The same document with its top-level members in reverse order, pretty-printed. */
    public static String reorderedAndIndented(ObjectNode request) {
        ObjectNode reversed = MAPPER.createObjectNode();
        java.util.List<String> names = new java.util.ArrayList<>(request.propertyNames());
        java.util.Collections.reverse(names);
        names.forEach(n -> reversed.set(n, request.get(n)));
        return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(reversed);
    }

    public static ObjectNode parse(String json) {
        return (ObjectNode) MAPPER.readTree(json);
    }
}
