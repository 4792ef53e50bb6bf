package org.habeas.safeguards;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.ConductClass;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.Role;

/**
 * Reads a request's text with the knowledge base's lexicons. The charged conduct comes from the offence's statute
 * and description only; protected activity, protected roles and security demands are looked for in all the text.
 */
final class Classifier {

    /** What the text shows; each map goes from a class or role id to the term that showed it. */
    record Classification(Map<String, String> charged, Map<String, String> anywhere, Map<String, String> roles,
            Map<String, String> securityDemands) {
    }

    private final Lexicon conduct;
    private final Lexicon roles;
    private final Lexicon victims;
    private final Lexicon security;
    private final Statutes statutes;

    Classifier(KnowledgeBase kb) {
        this.statutes = new Statutes(kb);
        Map<String, List<String>> byClass = new LinkedHashMap<>();
        for (ConductClass c : kb.conduct()) {
            byClass.put(c.id(), flatten(c.lexicon().values()));
        }
        Map<String, List<String>> byRole = new LinkedHashMap<>();
        for (Role r : kb.roles()) {
            byRole.put(r.id(), flatten(r.lexicon().values()));
        }
        this.conduct = new Lexicon(byClass);
        this.roles = new Lexicon(byRole);
        this.victims = new Lexicon(Map.of("VICTIM", flatten(kb.victimMarkers().values())));
        this.security = new Lexicon(Map.of("SECURITY_WEAKENING", flatten(kb.securityDemands().values())));
    }

    private static List<String> flatten(Collection<List<String>> lists) {
        List<String> all = new ArrayList<>();
        lists.forEach(all::addAll);
        return all;
    }

    Classification classify(EvidenceRequest r) {
        String charged = join(r.offence() == null ? null : r.offence().statute(),
                r.offence() == null ? null : r.offence().description());
        List<String> parts = new ArrayList<>();
        parts.add(charged);
        parts.add(r.facts());
        if (r.demands() != null) {
            parts.addAll(r.demands());
        }
        if (r.emergency() != null) {
            parts.add(r.emergency().justification());
        }
        if (r.onwardTransfer() != null) {
            parts.add(r.onwardTransfer().purpose());
        }
        String all = join(parts.toArray(String[]::new));

        Map<String, String> chargedClasses = conduct.find(Lexicon.words(charged));
        Map<String, String> anywhere = conduct.find(Lexicon.words(all));
        // a catalogued provision shows its conduct, and the protected activity it is known to be used against
        for (Statutes.Match m : statutes.find(r.requestingState(), r.offence() == null ? null : r.offence().statute())) {
            for (String id : m.statute().conduct()) {
                chargedClasses.putIfAbsent(id, m.cited());
                anywhere.putIfAbsent(id, m.cited());
            }
            for (String id : m.statute().usedAgainst()) {
                anywhere.putIfAbsent(id, m.cited());
            }
        }
        Map<String, String> foundRoles = new LinkedHashMap<>();
        for (String sentence : all.split("[.!?;\\n]+")) {
            String[] words = Lexicon.words(sentence);
            Map<String, String> inSentence = roles.find(words);
            if (!inSentence.isEmpty() && victims.find(words).isEmpty()) {
                inSentence.forEach(foundRoles::putIfAbsent);
            }
        }
        return new Classification(chargedClasses, anywhere, foundRoles, security.find(Lexicon.words(all)));
    }

    private static String join(String... parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            if (p != null && !p.isBlank()) {
                b.append(p).append(" .\n");
            }
        }
        return b.toString();
    }
}
