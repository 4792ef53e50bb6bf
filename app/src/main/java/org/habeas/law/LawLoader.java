package org.habeas.law;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Stream;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.exc.ValueInstantiationException;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * Reads the knowledge base: the files shipped in {@code law/} on the class path, then, if given, the files of the
 * same name in an operator's directory. An operator's entry replaces the shipped entry with the same key (an
 * instrument's id, a state's code, an instrument-and-state pair...) and new keys are added. Every entry is
 * checked as it is read; a bad one stops loading with the file, line and field at fault.
 */
public final class LawLoader {

    public static final List<String> FILES = List.of("instruments.yaml", "parties.yaml", "states.yaml", "conduct.yaml",
            "roles.yaml", "provisions.yaml", "protected-persons.yaml", "languages.yaml", "statutes.yaml",
            "eevidence-form3.yaml");

    /** The directory, beside the files, of one lexicon file per language read. */
    public static final String LEXICONS = "lexicons";

    private final YAMLMapper yaml = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            // entries are read one by one from a list: the rest of the list is not "trailing"
            .disable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private record Located<T>(T value, String file, int line) {
    }

    /** The roles file: the protected roles' ids. */
    record RolesFile(List<Role> roles) {
        RolesFile {
            Vocabulary.required("roles", roles);
        }
    }

    /** The statute catalogue: codes and the provisions charged under them. */
    record StatutesFile(List<StatuteCode> codes, List<Statute> provisions) {
        StatutesFile {
            codes = codes == null ? List.of() : codes;
            provisions = provisions == null ? List.of() : provisions;
        }
    }

    /** The languages file: the codes of the languages read, each with a lexicon file. */
    record LanguagesFile(List<String> languages) {
        LanguagesFile {
            Vocabulary.required("languages", languages);
            if (languages.isEmpty()) {
                throw new IllegalArgumentException("languages: needs at least one language");
            }
        }
    }

    /** The shipped files never change while Habeas runs, so they are read once per process. */
    private static volatile KnowledgeBase shipped;

    /** The shipped knowledge base. */
    public static KnowledgeBase builtIn() {
        return new LawLoader().load(null);
    }

    /**
     * The shipped knowledge base with an operator's directory applied over it ({@code null}: none). The operator's
     * directory is read at every call; the shipped knowledge base alone is read once and then shared (it is
     * immutable).
     */
    public KnowledgeBase load(Path overrides) {
        if (overrides == null) {
            KnowledgeBase kb = shipped;
            if (kb == null) {
                kb = read(null);
                shipped = kb;
            }
            return kb;
        }
        return read(overrides);
    }

    private KnowledgeBase read(Path overrides) {
        if (overrides != null) {
            if (!Files.isDirectory(overrides)) {
                throw new LawDataException(overrides.toString(), 0, null, "is not a directory");
            }
            try (Stream<Path> files = Files.list(overrides)) {
                for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".yaml")).toList()) {
                    if (!FILES.contains(f.getFileName().toString())) {
                        throw new LawDataException(f.toString(), 0, null,
                                "is not a knowledge-base file; expected one of " + String.join(", ", FILES));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Map<String, Located<Instrument>> instruments = merge("instruments.yaml", overrides, Instrument.class, Instrument::id);
        Map<String, Located<Party>> parties = merge("parties.yaml", overrides, Party.class,
                p -> p.instrument() + "/" + p.state() + "/" + p.with());
        Map<String, Located<StateProfile>> states = merge("states.yaml", overrides, StateProfile.class, StateProfile::code);
        Map<String, Located<ConductClass>> conduct = merge("conduct.yaml", overrides, ConductClass.class, ConductClass::id);
        Map<String, Located<Provision>> provisions = merge("provisions.yaml", overrides, Provision.class, Provision::id);
        RolesFile roles = readRoles(overrides);
        Map<String, Located<ProtectedPerson>> persons = merge("protected-persons.yaml", overrides, ProtectedPerson.class,
                p -> p.type() + "/" + p.value().strip().toLowerCase(Locale.ROOT));
        Set<String> roleIds = new TreeSet<>();
        roles.roles().forEach(r -> roleIds.add(r.id()));
        List<Language> languages = readLanguages(overrides, conduct.keySet(), roleIds);
        persons.values().forEach(p -> known(p, "role", p.value().role(), roleIds));

        Set<String> conductIds = new TreeSet<>(conduct.keySet());
        for (Located<Instrument> i : instruments.values()) {
            if (i.value().seriousness() != null) {
                for (String c : i.value().seriousness().exemptConduct()) {
                    known(i, "seriousness.exemptConduct", c, conductIds);
                }
            }
        }
        for (Located<Party> p : parties.values()) {
            known(p, "instrument", p.value().instrument(), instruments.keySet());
            country(p, "state", p.value().state());
            if (p.value().with() != null) {
                country(p, "with", p.value().with());
            }
        }
        for (Located<StateProfile> s : states.values()) {
            country(s, "code", s.value().code());
            s.value().doesNotCriminalise().forEach(c -> known(s, "doesNotCriminalise", c, conductIds));
            s.value().criminalisesProtected().forEach(c -> known(s, "criminalisesProtected", c, conductIds));
            s.value().deathPenalty().forConduct().forEach(c -> known(s, "deathPenalty.for", c, conductIds));
            if (s.value().alsoCapital() != null) {
                s.value().alsoCapital().forConduct().forEach(c -> known(s, "alsoCapital.for", c, conductIds));
            }
        }
        StatutesFile statutes = readStatutes(overrides, conduct);
        List<ConductClass> classes = new ArrayList<>();
        for (Located<ConductClass> c : conduct.values()) {
            Map<String, List<String>> byLanguage = new LinkedHashMap<>();
            languages.forEach(l -> byLanguage.put(l.language(), l.conduct().get(c.value().id())));
            classes.add(c.value().withLexicon(byLanguage));
        }
        List<Role> roleList = new ArrayList<>();
        for (Role r : roles.roles()) {
            Map<String, List<String>> byLanguage = new LinkedHashMap<>();
            languages.forEach(l -> byLanguage.put(l.language(), l.roles().get(r.id())));
            roleList.add(r.withLexicon(byLanguage));
        }
        Map<String, List<String>> victimMarkers = new LinkedHashMap<>();
        Map<String, List<String>> securityDemands = new LinkedHashMap<>();
        languages.forEach(l -> {
            victimMarkers.put(l.language(), l.victimMarkers());
            securityDemands.put(l.language(), l.securityDemands());
        });
        return new KnowledgeBase(
                values(instruments), values(parties), values(states), classes,
                roleList, victimMarkers, securityDemands, values(provisions), values(persons),
                Set.of(), languages, statutes.codes(), statutes.provisions());
    }

    private static <T> List<T> values(Map<String, Located<T>> map) {
        return map.values().stream().map(Located::value).toList();
    }

    private static void known(Located<?> at, String field, String value, Set<String> allowed) {
        if (!allowed.contains(value)) {
            throw new LawDataException(at.file(), at.line(), field, "'" + value + "' is not a known id");
        }
    }

    private static void country(Located<?> at, String field, String code) {
        if (!StateCodes.known(code)) {
            throw new LawDataException(at.file(), at.line(), field, "'" + code + "' is not an ISO 3166-1 alpha-2 code");
        }
    }

    private <T> Map<String, Located<T>> merge(String file, Path overrides, Class<T> type, Function<T, String> key) {
        Map<String, Located<T>> entries = new LinkedHashMap<>();
        for (Located<T> e : readList("law/" + file, classpath(file), type)) {
            put(entries, key, e);
        }
        if (overrides != null && Files.exists(overrides.resolve(file))) {
            Path path = overrides.resolve(file);
            try (InputStream in = Files.newInputStream(path)) {
                Map<String, Located<T>> seen = new LinkedHashMap<>();
                for (Located<T> e : readList(path.toString(), in, type)) {
                    put(seen, key, e);
                    entries.put(key.apply(e.value()), e);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return entries;
    }

    private static <T> void put(Map<String, Located<T>> entries, Function<T, String> key, Located<T> e) {
        Located<T> earlier = entries.put(key.apply(e.value()), e);
        if (earlier != null) {
            throw new LawDataException(e.file(), e.line(), null,
                    "duplicate entry " + key.apply(e.value()) + " (first at line " + earlier.line() + ")");
        }
    }

    private static InputStream classpath(String file) {
        InputStream in = LawLoader.class.getResourceAsStream("/law/" + file);
        if (in == null) {
            throw new IllegalStateException("missing /law/" + file + " on the class path");
        }
        return in;
    }

    private <T> List<Located<T>> readList(String name, InputStream in, Class<T> type) {
        List<Located<T>> out = new ArrayList<>();
        try (in; JsonParser p = yaml.createParser(in)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                return out;
            }
            if (t != JsonToken.START_ARRAY) {
                throw new LawDataException(name, p.currentLocation().getLineNr(), null, "expected a list of entries");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                int line = p.currentLocation().getLineNr();
                try {
                    out.add(new Located<>(yaml.readValue(p, type), name, line));
                } catch (JacksonException e) {
                    throw problem(name, line, e);
                }
            }
        } catch (JacksonException e) {
            throw problem(name, 0, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private RolesFile readRoles(Path overrides) {
        RolesFile roles = readObject("law/roles.yaml", classpath("roles.yaml"), RolesFile.class);
        if (overrides != null && Files.exists(overrides.resolve("roles.yaml"))) {
            Path path = overrides.resolve("roles.yaml");
            try {
                RolesFile extra = readObject(path.toString(), Files.newInputStream(path), RolesFile.class);
                Map<String, Role> merged = new LinkedHashMap<>();
                roles.roles().forEach(r -> merged.put(r.id(), r));
                extra.roles().forEach(r -> merged.put(r.id(), r));
                roles = new RolesFile(List.copyOf(merged.values()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return roles;
    }

    /**
     * The languages read and their lexicons: the list from {@code languages.yaml} (the operator's replaces the
     * shipped one), each language's file from the operator's {@code lexicons/} or else the shipped one. Every file
     * has terms for every conduct class and role, and names no other.
     */
    private List<Language> readLanguages(Path overrides, Set<String> conductIds, Set<String> roleIds) {
        LanguagesFile list;
        Path own = overrides == null ? null : overrides.resolve("languages.yaml");
        try {
            list = own != null && Files.exists(own)
                    ? readObject(own.toString(), Files.newInputStream(own), LanguagesFile.class)
                    : readObject("law/languages.yaml", classpath("languages.yaml"), LanguagesFile.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Language> out = new ArrayList<>();
        Set<String> seen = new TreeSet<>();
        for (String code : list.languages()) {
            String file = LEXICONS + "/" + code + ".yaml";
            if (!seen.add(code)) {
                throw new LawDataException("languages.yaml", 0, "languages", "'" + code + "' is listed twice");
            }
            Path path = overrides == null ? null : overrides.resolve(LEXICONS).resolve(code + ".yaml");
            Language l;
            String name;
            try {
                if (path != null && Files.exists(path)) {
                    name = path.toString();
                    l = readObject(name, Files.newInputStream(path), Language.class);
                } else {
                    name = "law/" + file;
                    InputStream in = LawLoader.class.getResourceAsStream("/law/" + file);
                    if (in == null) {
                        throw new LawDataException("languages.yaml", 0, "languages",
                                "'" + code + "' has no lexicon file " + file);
                    }
                    l = readObject(name, in, Language.class);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (!l.language().equals(code)) {
                throw new LawDataException(name, 0, "language", "'" + l.language() + "' in the file for '" + code + "'");
            }
            sameIds(name, "conduct", l.conduct().keySet(), conductIds);
            sameIds(name, "roles", l.roles().keySet(), roleIds);
            out.add(l);
        }
        return List.copyOf(out);
    }

    /**
     * The statute catalogue: the shipped file, with the operator's entries replacing those of the same key (a
     * state's code; a code's provision number) and adding new ones.
     */
    private StatutesFile readStatutes(Path overrides, Map<String, Located<ConductClass>> conduct) {
        String shippedName = "law/statutes.yaml";
        StatutesFile shipped = readObject(shippedName, classpath("statutes.yaml"), StatutesFile.class);
        Map<String, StatuteCode> codes = new LinkedHashMap<>();
        Map<String, Statute> provisions = new LinkedHashMap<>();
        addStatutes(shippedName, shipped, codes, provisions, false);
        Path own = overrides == null ? null : overrides.resolve("statutes.yaml");
        String name = shippedName;
        if (own != null && Files.exists(own)) {
            name = own.toString();
            try {
                addStatutes(name, readObject(name, Files.newInputStream(own), StatutesFile.class), codes, provisions, true);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        Set<String> primary = new TreeSet<>();
        for (StatuteCode c : codes.values()) {
            if (!StateCodes.known(c.state())) {
                throw new LawDataException(name, 0, "codes.state", "'" + c.state() + "' is not an ISO 3166-1 alpha-2 code");
            }
            if (c.primary() && !primary.add(c.state())) {
                throw new LawDataException(name, 0, "codes.primary", c.state() + " has more than one primary code");
            }
        }
        for (Statute p : provisions.values()) {
            String at = p.state() + " " + p.code() + " " + p.number();
            if (!codes.containsKey(p.state() + "/" + p.code())) {
                throw new LawDataException(name, 0, "provisions.code", at + ": '" + p.code() + "' is not a code of " + p.state());
            }
            for (String c : p.conduct()) {
                if (!conduct.containsKey(c)) {
                    throw new LawDataException(name, 0, "provisions.conduct", at + ": '" + c + "' is not a known id");
                }
            }
            for (String c : p.usedAgainst()) {
                if (!conduct.containsKey(c) || !conduct.get(c).value().protectedActivity()) {
                    throw new LawDataException(name, 0, "provisions.usedAgainst",
                            at + ": '" + c + "' is not a protected-activity class");
                }
            }
        }
        return new StatutesFile(List.copyOf(codes.values()), List.copyOf(provisions.values()));
    }

    private static void addStatutes(String file, StatutesFile f, Map<String, StatuteCode> codes,
            Map<String, Statute> provisions, boolean replace) {
        for (StatuteCode c : f.codes()) {
            if (codes.put(c.state() + "/" + c.id(), c) != null && !replace) {
                throw new LawDataException(file, 0, "codes", "duplicate code " + c.state() + "/" + c.id());
            }
        }
        Set<String> seen = new TreeSet<>();
        for (Statute p : f.provisions()) {
            String key = p.state() + "/" + p.code() + "/" + p.number().strip();
            if (!seen.add(key)) {
                throw new LawDataException(file, 0, "provisions", "duplicate provision " + key);
            }
            provisions.put(key, p);
        }
    }

    private static void sameIds(String file, String field, Set<String> present, Set<String> expected) {
        for (String id : present) {
            if (!expected.contains(id)) {
                throw new LawDataException(file, 0, field + "." + id, "'" + id + "' is not a known id");
            }
        }
        for (String id : expected) {
            if (!present.contains(id)) {
                throw new LawDataException(file, 0, field + "." + id, "needs at least one term");
            }
        }
    }

    private <T> T readObject(String name, InputStream in, Class<T> type) {
        try (in) {
            return yaml.readValue(in, type);
        } catch (JacksonException e) {
            throw problem(name, 0, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Turns a Jackson error into file, line and field; problems raised by a record's checks keep their words. */
    private static LawDataException problem(String file, int entryLine, JacksonException e) {
        int line = e.getLocation() != null && e.getLocation().getLineNr() > 0 ? e.getLocation().getLineNr() : entryLine;
        StringBuilder path = new StringBuilder();
        for (JacksonException.Reference r : e.getPath()) {
            if (r.getPropertyName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(r.getPropertyName());
            } else if (r.getIndex() >= 0) {
                path.append('[').append(r.getIndex()).append(']');
            }
        }
        String message = e.getOriginalMessage();
        if (e instanceof tools.jackson.databind.exc.UnrecognizedPropertyException u) {
            // records are built once the whole entry is read, so the parser is past it: name the entry's line
            line = entryLine > 0 ? entryLine : line;
            message = "unknown field '" + u.getPropertyName() + "'";
        }
        if (e instanceof ValueInstantiationException && e.getCause() instanceof IllegalArgumentException cause) {
            message = cause.getMessage();
            int colon = message.indexOf(": ");
            if (colon > 0 && !message.substring(0, colon).contains(" ")) {
                String field = message.substring(0, colon);
                path.append(path.isEmpty() ? "" : ".").append(field);
                message = message.substring(colon + 2);
            }
            line = entryLine > 0 ? entryLine : line;
        }
        return new LawDataException(file, line, path.toString(), message);
    }
}
