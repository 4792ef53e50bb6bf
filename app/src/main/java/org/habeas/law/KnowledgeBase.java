package org.habeas.law;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The legal knowledge base: instruments, parties, state profiles, conduct classes, protected roles and the
 * provisions rules cite. Immutable; build it with {@link LawLoader}.
 */
public final class KnowledgeBase {

    /**
     * One fact of the knowledge base with its source: what {@code habeas law stats} counts and
     * {@code habeas law show} prints. {@code subject} is an instrument id, a state code, or a provision id.
     */
    public record Fact(String file, String subject, String field, String value, String source, Confidence confidence) {
    }

    /** Every fact the knowledge base holds, file by file: instruments, parties, states, provisions, statutes. */
    public List<Fact> facts() {
        List<Fact> out = new ArrayList<>();
        for (Instrument i : instruments.values().stream().sorted(java.util.Comparator.comparing(Instrument::id)).toList()) {
            out.add(new Fact("instruments.yaml", i.id(), "status", i.title(), i.source(), i.confidence()));
            if (i.seriousness() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "seriousness", "at least "
                        + i.seriousness().minMaxPenaltyYears().stripTrailingZeros().toPlainString() + " years",
                        i.seriousness().source(), i.seriousness().confidence()));
            }
            if (i.preservation() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "preservation", i.preservation().days() + " days, +"
                        + i.preservation().extensionDays(), i.preservation().source(), i.preservation().confidence()));
            }
            if (i.deadlines() != null && i.deadlines().confidence() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "deadlines", i.deadlines().responseDays() + " days",
                        i.deadlines().source(), i.deadlines().confidence()));
            }
            if (i.internalDeadline() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "internalDeadline", i.internalDeadline().responseDays()
                        + " days (Habeas default " + i.internalDeadline().edition() + ", not treaty law)",
                        i.internalDeadline().source(), i.internalDeadline().confidence()));
            }
            if (i.directChannelConfidence() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "directChannel", String.valueOf(i.directChannelCategories()),
                        i.directChannelSource(), i.directChannelConfidence()));
            }
            if (i.followUpConfidence() != null) {
                out.add(new Fact("instruments.yaml", i.id(), "followUp", i.followUpDays() + " days", i.followUpSource(),
                        i.followUpConfidence()));
            }
            i.facts().forEach(f -> out.add(new Fact("instruments.yaml", i.id(), "fact", f.fact(), f.source(), f.confidence())));
        }
        for (Party p : parties) {
            out.add(new Fact("parties.yaml", p.state(), p.instrument() + (p.with() == null ? "" : " with " + p.with()),
                    describe(p), p.source(), p.confidence()));
        }
        for (StateProfile st : states.values().stream().sorted(java.util.Comparator.comparing(StateProfile::code)).toList()) {
            st.facts().forEach(f -> out.add(new Fact("states.yaml", st.code(), f.field(), f.value(), f.source(), f.confidence())));
        }
        provisions.forEach(p -> out.add(new Fact("provisions.yaml", p.id(), "provision", p.cite(), p.source(), p.confidence())));
        statutes.forEach(s -> out.add(new Fact("statutes.yaml", s.state(), s.code() + " " + s.number(), s.title(), s.source(),
                s.confidence())));
        return out;
    }

    /** A party entry's dates in words: signature, deposit and entry into force stay three facts. */
    public static String describe(Party p) {
        List<String> parts = new ArrayList<>();
        if (p.signed() != null) {
            parts.add("signed " + p.signed());
        } else if (p.signedIn() != null) {
            parts.add("signed in " + p.signedIn());
        }
        if (p.ratified() != null) {
            parts.add("ratified " + p.ratified());
        }
        if (p.inForceFrom() != null) {
            parts.add("in force from " + p.inForceFrom());
        } else if (p.partyBy() != null) {
            parts.add("a Party by " + p.partyBy() + " (date of entry into force not known)");
        } else {
            parts.add("not in force");
        }
        return String.join(", ", parts);
    }

    /** Where the instrument applies between two states: the party entries that make it so (empty: it does not). */
    public record Applicability(boolean applies, List<Party> parties, boolean assumed) {
    }

    private final Map<String, Instrument> instruments;
    private final List<Party> parties;
    /** The parties of each instrument, in the order of {@link #parties}. */
    private final Map<String, List<Party>> partiesByInstrument;
    /** Each instrument's first multilateral entry per state, and its bilateral entries, looked up once. */
    private final Map<String, Map<String, Party>> multilateral = new java.util.HashMap<>();
    private final Map<String, List<Party>> bilateral = new java.util.HashMap<>();
    private final Map<String, StateProfile> states;
    private final List<ConductClass> conduct;
    private final Map<String, ConductClass> conductById;
    private final List<Role> roles;
    private final Map<String, List<String>> victimMarkers;
    private final Map<String, List<String>> securityDemands;
    private final List<Provision> provisions;
    private final List<ProtectedPerson> protectedPersons;
    private final Set<String> assumedInForce;
    private final List<Language> languages;
    private final List<StatuteCode> statuteCodes;
    private final List<Statute> statutes;

    KnowledgeBase(Collection<Instrument> instruments, List<Party> parties, Collection<StateProfile> states,
            List<ConductClass> conduct, List<Role> roles, Map<String, List<String>> victimMarkers,
            Map<String, List<String>> securityDemands, List<Provision> provisions, List<ProtectedPerson> protectedPersons,
            Set<String> assumedInForce, List<Language> languages, List<StatuteCode> statuteCodes,
            List<Statute> statutes) {
        this.instruments = instruments.stream().collect(Collectors.toUnmodifiableMap(Instrument::id, Function.identity()));
        this.parties = List.copyOf(parties);
        this.partiesByInstrument = this.parties.stream().collect(Collectors.groupingBy(Party::instrument,
                Collectors.toUnmodifiableList()));
        for (Party p : this.parties) {
            if (p.with() == null) {
                multilateral.computeIfAbsent(p.instrument(), k -> new java.util.HashMap<>()).putIfAbsent(p.state(), p);
            } else {
                bilateral.computeIfAbsent(p.instrument(), k -> new ArrayList<>()).add(p);
            }
        }
        this.states = states.stream().collect(Collectors.toUnmodifiableMap(StateProfile::code, Function.identity()));
        this.conduct = List.copyOf(conduct);
        this.conductById = conduct.stream().collect(Collectors.toUnmodifiableMap(ConductClass::id, Function.identity()));
        this.roles = List.copyOf(roles);
        this.victimMarkers = Map.copyOf(victimMarkers);
        this.securityDemands = Map.copyOf(securityDemands);
        this.provisions = List.copyOf(provisions);
        this.protectedPersons = List.copyOf(protectedPersons);
        this.assumedInForce = Set.copyOf(assumedInForce);
        this.languages = List.copyOf(languages);
        this.statuteCodes = List.copyOf(statuteCodes);
        this.statutes = List.copyOf(statutes);
    }

    /**
     * The same knowledge base, but treating the given instruments as in force between any two states: for
     * studying what changes when a treaty enters into force.
     */
    public KnowledgeBase assumingInForce(Set<String> instrumentIds) {
        instrumentIds.forEach(i -> Vocabulary.check("instrument", i, Vocabulary.INSTRUMENTS));
        return new KnowledgeBase(instruments.values(), parties, states.values(), conduct, roles, victimMarkers,
                securityDemands, provisions, protectedPersons, instrumentIds, languages, statuteCodes, statutes);
    }

    /** The languages Habeas reads, with their lexicons, in the order {@code languages.yaml} lists them. */
    public List<Language> languages() {
        return languages;
    }

    /** The statute catalogue's codes, by state. */
    public List<StatuteCode> statuteCodes() {
        return statuteCodes;
    }

    /** The statute catalogue: provisions charged in requests, with their conduct and documented misuse. */
    public List<Statute> statutes() {
        return statutes;
    }

    public Set<String> assumedInForce() {
        return assumedInForce;
    }

    public Optional<Instrument> instrument(String id) {
        return Optional.ofNullable(instruments.get(id));
    }

    public Optional<StateProfile> state(String code) {
        return Optional.ofNullable(states.get(code));
    }

    public List<ConductClass> conduct() {
        return conduct;
    }

    public Optional<ConductClass> conductClass(String id) {
        return Optional.ofNullable(conductById.get(id));
    }

    public List<Role> roles() {
        return roles;
    }

    public Map<String, List<String>> victimMarkers() {
        return victimMarkers;
    }

    public Map<String, List<String>> securityDemands() {
        return securityDemands;
    }

    /** The operator's entry for a target, if the target is on its protected-persons list. */
    public Optional<ProtectedPerson> protectedPerson(String targetType, String targetValue) {
        for (ProtectedPerson p : protectedPersons) {
            if (p.matches(targetType, targetValue)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    public List<Party> parties() {
        return parties;
    }

    /** The provisions a rule cites for a request under an instrument: the instrument's own, then general ones. */
    public List<Provision> basis(String rule, String instrument) {
        List<Provision> own = new ArrayList<>();
        List<Provision> general = new ArrayList<>();
        for (Provision p : provisions) {
            if (p.rules().contains(rule)) {
                if (p.instrument() == null) {
                    general.add(p);
                } else if (p.instrument().equals(instrument)) {
                    own.add(p);
                }
            }
        }
        own.addAll(general);
        return own;
    }

    /**
     * Whether a multilateral instrument is in force for both states on a date, or a bilateral agreement for the
     * pair. Instruments assumed in force apply between any two states.
     */
    public Applicability applies(String instrument, String requesting, String requested, LocalDate on) {
        if (assumedInForce.contains(instrument)) {
            return new Applicability(true, List.of(), true);
        }
        Instrument i = instruments.get(instrument);
        if (i == null || (i.appliesFrom() != null && on.isBefore(i.appliesFrom()))) {
            return new Applicability(false, List.of(), false);
        }
        List<Party> pair = new ArrayList<>();
        for (Party p : bilateral.getOrDefault(instrument, List.of())) {
            if (p.inForceOn(on) && ((p.state().equals(requesting) && p.with().equals(requested))
                    || (p.state().equals(requested) && p.with().equals(requesting)))) {
                pair.add(p);
            }
        }
        if (!pair.isEmpty()) {
            return new Applicability(true, List.copyOf(pair), false);
        }
        Optional<Party> a = party(instrument, requesting).filter(p -> p.inForceOn(on));
        Optional<Party> b = party(instrument, requested).filter(p -> p.inForceOn(on));
        if (a.isPresent() && b.isPresent()) {
            return new Applicability(true, requesting.equals(requested) ? List.of(a.get()) : List.of(a.get(), b.get()), false);
        }
        return new Applicability(false, List.of(), false);
    }

    /** A state's entry for a multilateral instrument. */
    public Optional<Party> party(String instrument, String state) {
        Map<String, Party> byState = multilateral.get(instrument);
        return byState == null ? Optional.empty() : Optional.ofNullable(byState.get(state));
    }
}
