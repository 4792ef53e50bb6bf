package org.habeas.safeguards;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.ConductClass;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.Language;
import org.habeas.law.Role;

/**
 * Reads a request's text with the knowledge base's lexicons. The charged conduct comes from the offence's statute
 * and description only (and from a {@link Statutes} catalogue, when one is given); protected activity, protected
 * roles and security demands are looked for in all the text. Every field and target value is read once, by
 * {@link Text}.
 */
final class Classifier {

    /** A class, role or demand found: the term that showed it and the request field it was found in. */
    record Hit(String term, String field) {
    }

    /**
     * What the text shows; each map goes from a class or role id to the term that showed it and where.
     *
     * @param fields  every text field read, in request order ({@code offence.statute}, {@code facts}...)
     * @param targets every target value read ({@code targets[0].value}...)
     */
    record Classification(Map<String, Hit> charged, Map<String, Hit> anywhere, Map<String, Hit> roles,
            Map<String, Hit> securityDemands, List<Text.Read> fields, List<Text.Read> targets) {

        Text.Read field(String name) {
            for (Text.Read f : fields) {
                if (f.field().equals(name)) {
                    return f;
                }
            }
            return Text.read(name, null);
        }
    }

    private final Lexicon conduct;
    private final Lexicon roles;
    private final Lexicon victims;
    private static final String SECURITY = "SECURITY_WEAKENING";
    private final Lexicon setWords;
    private final Statutes statutes;

    /** The words read before, each with the terms it could start and the languages it is a function word of. */
    private final Vocabulary vocabulary;

    Classifier(KnowledgeBase kb, Statutes statutes) {
        this(kb, statutes, new Languages(kb.languages(), Set.copyOf(codes(kb))));
    }

    /** A classifier whose words know their function words by {@code languages} (only its lexicons matter here). */
    Classifier(KnowledgeBase kb, Statutes statutes, Languages languages) {
        List<String> order = codes(kb);
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (ConductClass c : kb.conduct()) {
            byClass.put(c.id(), flatten(c.lexicon(), order));
        }
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (Role r : kb.roles()) {
            byRole.put(r.id(), flatten(r.lexicon(), order));
        }
        List<String> sets = new ArrayList<>();
        kb.languages().forEach(l -> sets.addAll(l.setWords()));
        byClass.put(SECURITY, flatten(kb.securityDemands(), order)); // read in the same pass as the conduct
        this.conduct = new Lexicon(byClass);
        this.roles = new Lexicon(byRole);
        this.victims = new Lexicon(Map.of("VICTIM", flatten(kb.victimMarkers(), order)));
        this.setWords = new Lexicon(Map.of("SET", sets));
        this.statutes = statutes;
        this.vocabulary = new Vocabulary(folded -> new Vocabulary.Word(folded, conduct.lookUp(folded),
                roles.lookUp(folded), languages.functionOf(folded)));
    }

    /**
     * Every language's terms, in the order the knowledge base lists the languages (then any other key, sorted): the
     * term that shows a class, when several languages' terms read alike, is the same on every run.
     */
    private static List<String> flatten(Map<String, List<String>> byLanguage, List<String> order) {
        List<String> keys = new ArrayList<>(byLanguage.keySet());
        keys.sort(java.util.Comparator.comparingInt((String k) -> order.contains(k) ? order.indexOf(k) : order.size())
                .thenComparing(java.util.Comparator.naturalOrder()));
        List<String> all = new ArrayList<>();
        keys.forEach(k -> all.addAll(byLanguage.get(k)));
        return all;
    }

    /** The names of the first demand and target fields, made once. */
    private static final int NAMES = 64;
    private static final String[] DEMANDS = new String[NAMES];
    private static final String[] TARGETS = new String[NAMES];

    static {
        for (int i = 0; i < NAMES; i++) {
            DEMANDS[i] = "demands[" + i + "]";
            TARGETS[i] = "targets[" + i + "].value";
        }
    }

    Classification classify(EvidenceRequest r) {
        List<Text.Read> fields = new ArrayList<>();
        EvidenceRequest.Offence o = r.offence();
        fields.add(statute(o == null ? null : o.statute()));
        fields.add(Text.read("offence.description", o == null ? null : o.description(), vocabulary));
        fields.add(Text.read("facts", r.facts(), vocabulary));
        if (r.demands() != null) {
            for (int i = 0; i < r.demands().size(); i++) {
                fields.add(Text.read(i < NAMES ? DEMANDS[i] : "demands[" + i + "]", r.demands().get(i), vocabulary));
            }
        }
        if (r.emergency() != null) {
            fields.add(Text.read("emergency.justification", r.emergency().justification(), vocabulary));
        }
        if (r.onwardTransfer() != null) {
            fields.add(Text.read("onwardTransfer.purpose", r.onwardTransfer().purpose(), vocabulary));
        }
        List<Text.Read> targets = new ArrayList<>();
        if (r.targets() != null) {
            for (int i = 0; i < r.targets().size(); i++) {
                targets.add(Text.read(i < NAMES ? TARGETS[i] : "targets[" + i + "].value", r.targets().get(i).value(), vocabulary));
            }
        }

        Map<String, Hit> charged = new LinkedHashMap<>();
        Map<String, Hit> anywhere = new LinkedHashMap<>();
        Map<String, Hit> foundRoles = new LinkedHashMap<>();
        Map<String, Hit> demands = new LinkedHashMap<>();
        for (Text.Read f : fields) {
            Vocabulary.Word[] known = f.known();
            Lexicon.Term[][] conductTerms = new Lexicon.Term[known.length][];
            Lexicon.Term[][] roleTerms = new Lexicon.Term[known.length][];
            for (int k = 0; k < known.length; k++) {
                conductTerms[k] = known[k].conduct;
                roleTerms[k] = known[k].roles;
            }
            Map<String, String> classes = conduct.find(f.words(), 0, f.words().length, conductTerms);
            boolean charge = f.field().startsWith("offence.");
            classes.forEach((id, term) -> {
                if (id.equals(SECURITY)) {
                    demands.putIfAbsent(id, new Hit(term, f.field()));
                    return;
                }
                anywhere.putIfAbsent(id, new Hit(term, f.field()));
                if (charge) {
                    charged.putIfAbsent(id, new Hit(term, f.field()));
                }
            });
            int from = 0; // the words are the sentences' words, in order
            for (String[] sentence : f.sentences()) {
                Map<String, String> inSentence = roles.find(f.words(), from, from + sentence.length, roleTerms);
                if (!inSentence.isEmpty() && victims.find(sentence).isEmpty()) {
                    inSentence.forEach((id, term) -> foundRoles.putIfAbsent(id, new Hit(term, f.field())));
                }
                from += sentence.length;
            }
        }
        if (o != null && o.statute() != null) {
            Statutes.Cited cited = statutes.cite(r.requestingState(), o.statute());
            for (String id : cited.classes()) {
                charged.putIfAbsent(id, new Hit(o.statute(), "offence.statute"));
                anywhere.putIfAbsent(id, new Hit(o.statute(), "offence.statute"));
            }
            for (String id : cited.usedAgainst()) {
                anywhere.putIfAbsent(id, new Hit(o.statute(), "offence.statute"));
            }
        }
        return new Classification(charged, anywhere, foundRoles, demands, List.copyOf(fields), List.copyOf(targets));
    }

    /**
     * Statute fields read, kept once read: reading is a pure function of the text, and the requests of a state cite
     * the same provisions in the same words again and again (the words of a read field are never changed). Bounded:
     * past {@link #CACHED} texts, new ones are read each time.
     */
    private final Map<String, Text.Read> statutesRead = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 20_000;

    private Text.Read statute(String text) {
        if (text == null) {
            return Text.read("offence.statute", null);
        }
        Text.Read known = statutesRead.get(text);
        if (known != null) {
            return known;
        }
        Text.Read read = Text.read("offence.statute", text, vocabulary);
        if (statutesRead.size() < CACHED) {
            statutesRead.put(text, read);
        }
        return read;
    }

    /** The set word ("all", "every", "todos"...) a target value is written with, if any. */
    String setWord(Text.Read target) {
        Map<String, String> found = setWords.find(target.words());
        return found.isEmpty() ? null : found.values().iterator().next();
    }

    /** Unused languages are not read: the set of languages is the knowledge base's. */
    static List<String> codes(KnowledgeBase kb) {
        return kb.languages().stream().map(Language::language).toList();
    }
}
