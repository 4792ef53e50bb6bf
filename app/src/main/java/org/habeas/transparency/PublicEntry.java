package org.habeas.transparency;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.json.JsonFactory;

/**
 * The members of a public log entry that reports and the register count, read with a streaming parser (a million
 * entries are read for every report; building a tree for each would cost most of the time). Members this class does
 * not know are skipped; a member of the wrong type reads as absent (null, 0, false, empty).
 */
public record PublicEntry(String caseId, String event, String period, String requestingState, String instrument,
        String measure, long accounts, boolean emergency, boolean nonDisclosure, String outcome, List<String> categories,
        List<String> rules) {

    private static final JsonFactory JSON = new JsonFactory();

    /** Parses one entry; malformed JSON raises a {@link tools.jackson.core.JacksonException}. */
    public static PublicEntry parse(byte[] entry) {
        String caseId = null;
        String event = null;
        String period = null;
        String requestingState = null;
        String instrument = null;
        String measure = null;
        long accounts = 0;
        boolean emergency = false;
        boolean nonDisclosure = false;
        String outcome = null;
        List<String> categories = List.of();
        List<String> rules = List.of();
        try (JsonParser p = JSON.createParser(ObjectReadContext.empty(), entry)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return new PublicEntry(null, null, null, null, null, null, 0, false, false, null, List.of(), List.of());
            }
            for (String name = p.nextName(); name != null; name = p.nextName()) {
                JsonToken t = p.nextToken();
                switch (name) {
                    case "case" -> caseId = string(p, t);
                    case "event" -> event = string(p, t);
                    case "period" -> period = string(p, t);
                    case "requestingState" -> requestingState = string(p, t);
                    case "instrument" -> instrument = string(p, t);
                    case "measure" -> measure = string(p, t);
                    case "outcome" -> outcome = string(p, t);
                    case "accounts" -> accounts = t == JsonToken.VALUE_NUMBER_INT ? p.getLongValue() : 0;
                    case "emergency" -> emergency = t == JsonToken.VALUE_TRUE;
                    case "nonDisclosure" -> nonDisclosure = t == JsonToken.VALUE_TRUE;
                    case "categories" -> categories = strings(p, t);
                    case "rules" -> rules = strings(p, t);
                    default -> p.skipChildren();
                }
            }
        }
        return new PublicEntry(caseId, event, period, requestingState, instrument, measure, accounts, emergency,
                nonDisclosure, outcome, categories, rules);
    }

    private static String string(JsonParser p, JsonToken t) {
        if (t == JsonToken.VALUE_STRING) {
            return p.getString();
        }
        p.skipChildren();
        return null;
    }

    private static List<String> strings(JsonParser p, JsonToken t) {
        if (t != JsonToken.START_ARRAY) {
            p.skipChildren();
            return List.of();
        }
        List<String> out = new ArrayList<>(2);
        for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
            if (v == JsonToken.VALUE_STRING) {
                out.add(p.getString());
            } else {
                p.skipChildren();
            }
        }
        return out;
    }
}
