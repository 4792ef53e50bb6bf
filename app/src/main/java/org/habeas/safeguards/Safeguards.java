package org.habeas.safeguards;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.Provision;
import org.habeas.law.Confidence;

/**
 * The assessment engine: runs a profile's rules over a request, as of a moment, against a knowledge base.
 * Deterministic, with no clock, I/O or framework inside; build one per knowledge base and share it.
 */
public final class Safeguards {

    private final KnowledgeBase kb;
    private final Classifier classifier;
    /** Citations per rule and instrument, computed once. */
    private final java.util.Map<String, java.util.Map<String, Cited>> citations =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** The same, for requests that name no instrument. */
    private final java.util.Map<String, Cited> citationsWithout = new java.util.concurrent.ConcurrentHashMap<>();

    private final Languages languages;
    /** The conduct classes each state does not make crimes, read once from its profile. */
    private final java.util.Map<String, Set<String>> notCrimes = new java.util.concurrent.ConcurrentHashMap<>();

    /** An engine that reads every language of the knowledge base, with its statute catalogue. */
    public Safeguards(KnowledgeBase kb) {
        this(kb, new StatuteCatalogue(kb), null);
    }

    /**
     * An engine that also takes charged conduct from a catalogue of statutes, and accepts requests in the given
     * languages only (ISO 639-1 codes, each with a lexicon in the knowledge base; {@code null}: all of them).
     */
    public Safeguards(KnowledgeBase kb, Statutes statutes, Set<String> acceptedLanguages) {
        this.kb = kb;
        Set<String> known = new LinkedHashSet<>(Classifier.codes(kb));
        if (acceptedLanguages != null) {
            for (String code : acceptedLanguages) {
                if (!known.contains(code)) {
                    throw new IllegalArgumentException("languages: '" + code + "' has no lexicon; Habeas reads "
                            + String.join(", ", known));
                }
            }
        }
        this.languages = new Languages(kb.languages(), acceptedLanguages == null ? known : acceptedLanguages);
        this.classifier = new Classifier(kb, statutes, languages);
    }

    public KnowledgeBase knowledgeBase() {
        return kb;
    }

    public Assessment assess(EvidenceRequest r, Profile profile, Instant asOf) {
        LocalDate day = asOf.atZone(ZoneOffset.UTC).toLocalDate();
        Classifier.Classification text = classifier.classify(r);

        Set<String> charged = new LinkedHashSet<>(text.charged().keySet());
        String claimed = r.offence() == null ? null : r.offence().conduct();
        if (charged.isEmpty() && claimed != null && kb.conductClass(claimed).isPresent()) {
            charged.add(claimed); // a claimed class is used only when the charge itself shows none
        }
        boolean emergency = r.emergency() != null || "EMERGENCY_DISCLOSURE".equals(r.measure())
                || "EMERGENCY".equals(r.channel());
        boolean emergencyMet = r.emergency() != null
                && ("LIFE".equals(r.emergency().threat()) || "SERIOUS_INJURY".equals(r.emergency().threat()))
                && r.emergency().imminent()
                && r.emergency().justification() != null && !r.emergency().justification().isBlank();
        Languages.Detected[] detected = languages.detectBoth(text.field("offence.description"), text.field("facts"));
        Rules.Context c = new Rules.Context(r, kb, text, day, kb.instrument(r.instrument()).orElse(null),
                kb.state(r.requestingState()).orElse(null), kb.state(r.requestedState()).orElse(null),
                charged, emergency, emergencyMet, classifier, languages,
                detected[0], detected[1],
                Rules.Context.categories(r), notCrimes(r.requestedState()));

        List<Finding> findings = new ArrayList<>();
        List<Condition> conditions = new ArrayList<>();
        Narrowing narrowing = Narrowing.NONE;
        Effect worst = Effect.NOTE;
        Collector out = new Collector(r.instrument(), conditions);
        Plan plan = plan(profile);
        for (int step = 0; step < plan.rules().length; step++) {
            out.start(plan.rules()[step].id(), plan.settings()[step]);
            plan.rules()[step].check().apply(c, plan.settings()[step], out);
            boolean narrows = false;
            for (int k = 0; k < out.produced.size(); k++) {
                Finding f = out.produced.get(k);
                findings.add(f);
                if (f.effect().moreSevereThan(worst)) {
                    worst = f.effect();
                }
                narrows |= f.effect() == Effect.NARROW;
            }
            if (narrows) {
                for (int k = 0; k < out.proposals.size(); k++) {
                    narrowing = narrowing.merge(out.proposals.get(k));
                }
            }
        }
        List<String> conduct = charged.isEmpty() ? List.of("UNKNOWN") : List.copyOf(charged);
        List<String> matched = new ArrayList<>(text.anywhere().size() + text.roles().size());
        List<String> protectedActivity = new ArrayList<>();
        for (var hit : text.anywhere().entrySet()) {
            matched.add(hit.getKey() + ": " + hit.getValue().term());
            if (kb.conductClass(hit.getKey()).map(k -> k.protectedActivity()).orElse(false)) {
                protectedActivity.add(hit.getKey());
            }
        }
        for (var hit : text.roles().entrySet()) {
            matched.add(hit.getKey() + ": " + hit.getValue().term());
        }
        List<String> security = new ArrayList<>(text.securityDemands().size());
        for (Classifier.Hit hit : text.securityDemands().values()) {
            security.add(hit.term());
        }
        Assessment.Signals signals = new Assessment.Signals(List.copyOf(protectedActivity),
                List.copyOf(text.roles().keySet()), List.copyOf(security), matched);
        return new Assessment(Decision.of(worst), conduct, signals, findings, conditions,
                narrowing.isEmpty() ? null : narrowing, profile.policy());
    }

    /** A profile's rules and their settings, in the profile's order, as arrays. */
    private record Plan(Profile profile, Rules.Rule[] rules, Profile.RuleSettings[] settings) {
    }

    /** The plan of the profile last assessed with (a profile never changes; most engines assess with one). */
    private volatile Plan plan;

    private Plan plan(Profile profile) {
        Plan known = plan;
        if (known != null && known.profile() == profile) {
            return known;
        }
        Rules.Rule[] rules = new Rules.Rule[profile.rules().size()];
        Profile.RuleSettings[] settings = new Profile.RuleSettings[rules.length];
        int k = 0;
        for (var entry : profile.rules().entrySet()) {
            rules[k] = Rules.ALL.get(entry.getKey());
            settings[k++] = entry.getValue();
        }
        known = new Plan(profile, rules, settings);
        plan = known;
        return known;
    }

    /** What the rules of one assessment report, rule by rule: one collector for all of them. */
    private final class Collector implements Rules.Out {
        private final String instrument;
        private final List<Condition> conditions;
        final List<Finding> produced = new ArrayList<>();
        final List<Narrowing> proposals = new ArrayList<>();
        private String rule;
        private Profile.RuleSettings settings;

        Collector(String instrument, List<Condition> conditions) {
            this.instrument = instrument;
            this.conditions = conditions;
        }

        void start(String rule, Profile.RuleSettings settings) {
            this.rule = rule;
            this.settings = settings;
            produced.clear();
            proposals.clear();
        }

        @Override
        public void finding(Effect effect, String reason, List<String> unconfirmed, List<Finding.Evidence> evidence) {
            Effect capped = settings.maxEffect() != null && effect.moreSevereThan(settings.maxEffect())
                    ? settings.maxEffect() : effect;
            produced.add(toFinding(rule, capped, effect, reason, instrument, unconfirmed, evidence));
        }

        @Override
        public void narrow(Narrowing proposal) {
            proposals.add(proposal);
        }

        @Override
        public void condition(Condition condition) {
            conditions.add(condition);
        }
    }

    private Set<String> notCrimes(String state) {
        var profile = state == null ? null : kb.state(state).orElse(null);
        return profile == null ? Set.of() : notCrimes.computeIfAbsent(state, k -> profile.doesNotCriminalise());
    }


    /** What a rule cites under an instrument: each provision's citation, and those not confirmed with their source. */
    private record Cited(List<String> basis, List<String> unconfirmed) {
    }

    private static Cited cite(List<Provision> provisions) {
        List<String> basis = new ArrayList<>();
        List<String> unconfirmed = new ArrayList<>();
        for (Provision p : provisions) {
            basis.add(p.cite());
            if (p.confidence() == Confidence.UNCONFIRMED) {
                unconfirmed.add(p.cite() + " (" + p.source() + ")");
            }
        }
        return new Cited(List.copyOf(basis), List.copyOf(unconfirmed));
    }

    private Finding toFinding(String rule, Effect effect, Effect intended, String reason, String instrument,
            List<String> unconfirmedFacts, List<Finding.Evidence> evidence) {
        Cited cited = instrument == null ? citationsWithout.computeIfAbsent(rule, k -> cite(kb.basis(rule, null)))
                : citations.computeIfAbsent(rule, k -> new java.util.concurrent.ConcurrentHashMap<>())
                        .computeIfAbsent(instrument, k -> cite(kb.basis(rule, instrument)));
        List<String> unconfirmed = cited.unconfirmed();
        if (!unconfirmedFacts.isEmpty()) {
            unconfirmed = new ArrayList<>(unconfirmedFacts);
            unconfirmed.addAll(cited.unconfirmed());
        }
        String text = reason;
        if (effect != intended) {
            text = "Under this profile this is advice only (it would otherwise " + intended.name().toLowerCase()
                    + "): " + reason;
        }
        if (!unconfirmedFacts.isEmpty()) {
            text = text + " This relies on facts Habeas has not confirmed.";
        }
        return new Finding(rule, effect, text, cited.basis(), unconfirmed, evidence);
    }
}
