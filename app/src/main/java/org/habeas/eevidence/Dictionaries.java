package org.habeas.eevidence;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.w3c.dom.Element;

import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.yaml.YAMLMapper;

/** The dictionary entries Habeas understands ({@code eevidence/dictionaries.yaml}): (owner, name) → values. */
final class Dictionaries {

    /** A dictionary entry as read: owner, name, value. */
    record Entry(String owner, String name, String value) {
        @Override
        public String toString() {
            return owner + "/" + name + "/" + value;
        }
    }

    private final Map<String, Set<String>> values = new HashMap<>();
    private final Map<String, String> aliases = new HashMap<>();

    static Dictionaries bundled() {
        try (InputStream in = Dictionaries.class.getResourceAsStream("/eevidence/dictionaries.yaml")) {
            return new Dictionaries(YAMLMapper.builder().build().readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Dictionaries(JsonNode list) {
        for (JsonNode d : list) {
            String key = d.path("owner").stringValue() + "/" + d.path("name").stringValue();
            java.util.Set<String> v = new java.util.LinkedHashSet<>();
            d.path("values").forEach(x -> v.add(x.stringValue()));
            d.path("profileValues").forEach(x -> v.add(x.stringValue()));
            values.put(key, Set.copyOf(v));
            if (d.has("alias")) {
                aliases.put(d.path("owner").stringValue() + "/" + d.path("alias").stringValue(), key);
            }
        }
    }

    /**
     * Reads a common:DictionaryEntry element and checks it against the dictionaries it may come from; the name is
     * normalised (a known misspelling is read as the right name).
     *
     * @throws Hi1Fault 3005 when a part is missing, 3007 when the triple is not one Habeas knows
     */
    Optional<Entry> read(Element entry, String action, String where, List<String> allowedDictionaries) {
        if (entry == null) {
            return Optional.empty();
        }
        String owner = part(entry, "Owner", action, where);
        String name = part(entry, "Name", action, where);
        String value = part(entry, "Value", action, where);
        String key = aliases.getOrDefault(owner + "/" + name, owner + "/" + name);
        if (!allowedDictionaries.contains(key) || !values.containsKey(key)) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, where + " names the dictionary " + owner + "/" + name
                    + ", which is not one this element takes (" + String.join(", ", allowedDictionaries) + ").");
        }
        if (!values.get(key).contains(value)) {
            throw new Hi1Fault(Hi1Fault.IMPROPER_VALUE, action, where + ": " + value
                    + " is not an entry of the dictionary " + key + ".");
        }
        int slash = key.indexOf('/');
        return Optional.of(new Entry(key.substring(0, slash), key.substring(slash + 1), value));
    }

    private static String part(Element entry, String name, String action, String where) {
        return Hi1.text(entry, Hi1.COMMON, name).orElseThrow(() -> new Hi1Fault(Hi1Fault.REQUIRED_MISSING, action,
                where + "/" + name + " is missing."));
    }
}
