package org.habeas.intake;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** What oversight sees of a request: everything but the targets' identifiers. */
public final class Redaction {

    public static final String WITHHELD = "(withheld)";

    private Redaction() {
    }

    /** A copy of a Request v1 document with every target's value replaced; the type and count stay. */
    public static JsonNode withoutIdentifiers(JsonNode body) {
        JsonNode copy = body.deepCopy();
        for (JsonNode target : copy.path("targets")) {
            if (target instanceof ObjectNode t && t.has("value")) {
                t.put("value", WITHHELD);
            }
        }
        return copy;
    }
}
