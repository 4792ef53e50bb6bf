package org.habeas.intake;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * The one redaction rule for those who may not see identifiers (oversight): the targets' values never leave the
 * server, in any representation. A request's identifiers are its targets' values; every string of a representation
 * that contains one has it replaced by {@link #WITHHELD}, wherever it occurs (the facts, a finding, a decision's
 * scope, a letter), ignoring case.
 */
public final class Redaction {

    public static final String WITHHELD = "(withheld)";

    private Redaction() {
    }

    /** A copy of a Request v1 document with every target's value replaced, in the targets and in all its text. */
    public static JsonNode withoutIdentifiers(JsonNode body) {
        List<String> ids = identifiers(body);
        JsonNode copy = body.deepCopy();
        for (JsonNode target : copy.path("targets")) {
            if (target instanceof ObjectNode t && t.has("value")) {
                t.put("value", WITHHELD);
            }
        }
        return scrub(copy, ids);
    }

    /** The identifiers of a Request v1 document: its targets' values, longest first. */
    public static List<String> identifiers(JsonNode body) {
        Set<String> ids = new LinkedHashSet<>();
        for (JsonNode target : body.path("targets")) {
            String v = target.path("value").asString("");
            if (!v.isBlank()) {
                ids.add(v.strip());
            }
        }
        List<String> sorted = new ArrayList<>(ids);
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return List.copyOf(sorted);
    }

    /** A copy of any JSON tree in which every string (and every field name) has the identifiers withheld. */
    public static JsonNode scrub(JsonNode node, List<String> ids) {
        if (ids.isEmpty()) {
            return node;
        }
        return scrub(node, pattern(ids));
    }

    /** A text with the identifiers withheld. */
    public static String scrub(String text, List<String> ids) {
        return text == null || ids.isEmpty() ? text : pattern(ids).matcher(text).replaceAll(Matcher.quoteReplacement(WITHHELD));
    }

    private static Pattern pattern(List<String> ids) {
        StringBuilder p = new StringBuilder();
        for (String id : ids) {
            p.append(p.isEmpty() ? "" : "|").append(Pattern.quote(id));
        }
        return Pattern.compile(p.toString(), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
    }

    private static JsonNode scrub(JsonNode node, Pattern ids) {
        if (node instanceof ObjectNode o) {
            ObjectNode out = o.objectNode();
            for (Map.Entry<String, JsonNode> e : o.properties()) {
                out.set(ids.matcher(e.getKey()).replaceAll(Matcher.quoteReplacement(WITHHELD)), scrub(e.getValue(), ids));
            }
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = a.arrayNode();
            a.forEach(v -> out.add(scrub(v, ids)));
            return out;
        }
        if (node != null && node.isString()) {
            String s = node.asString();
            String r = ids.matcher(s).replaceAll(Matcher.quoteReplacement(WITHHELD));
            return r.equals(s) ? node : StringNode.valueOf(r);
        }
        return node;
    }

}
