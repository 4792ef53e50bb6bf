package org.habeas.safeguards;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.habeas.intake.EvidenceRequest;
import org.habeas.law.Confidence;
import org.habeas.law.ConductClass;
import org.habeas.law.Instrument;
import org.habeas.law.KnowledgeBase;
import org.habeas.law.Party;
import org.habeas.law.StateProfile;

/**
 * The safeguard rules. Each is one named value with one job; its legal basis comes from the knowledge base
 * ({@code law/provisions.yaml}) and its thresholds from the profile. A rule reports what it finds through
 * {@link Out}; the engine adds the citations and settles the decision.
 */
final class Rules {

    /** A rule: its id (a contract) and its check. */
    record Rule(String id, Check check) {
    }

    interface Check {
        void apply(Context c, Profile.RuleSettings settings, Out out);
    }

    /** What a rule reports: findings, proposed narrowing and conditions. */
    interface Out {
        void finding(Effect effect, String reason, List<String> unconfirmed, List<Finding.Evidence> evidence);

        default void finding(Effect effect, String reason, List<String> unconfirmed) {
            finding(effect, reason, unconfirmed, List.of());
        }

        default void finding(Effect effect, String reason) {
            finding(effect, reason, List.of(), List.of());
        }

        void narrow(Narrowing proposal);

        void condition(Condition condition);
    }

    /** Everything a rule may look at. */
    record Context(EvidenceRequest r, KnowledgeBase kb, Classifier.Classification text, LocalDate day,
            Instrument instrument, StateProfile requesting, StateProfile requested, Set<String> charged,
            boolean emergency, boolean emergencyMet, Classifier classifier, Languages languages,
            Languages.Detected chargeLanguage, Languages.Detected factsLanguage, Set<String> categories,
            Set<String> requestedNotCrimes) {

        /** Whether the charge or the facts are in a language Habeas does not read. */
        boolean unread() {
            return (chargeLanguage != null && !chargeLanguage.read()) || (factsLanguage != null && !factsLanguage.read());
        }

        /** The data categories asked for, in request order. */
        static Set<String> categories(EvidenceRequest r) {
            return r.dataCategories() == null ? Set.of() : java.util.Collections.unmodifiableSet(new LinkedHashSet<>(r.dataCategories()));
        }

        String measure() {
            return r.measure();
        }

        String instrumentName() {
            return instrument == null ? r.instrument() : instrument.shortTitle() != null ? instrument.shortTitle() : instrument.title();
        }

        String setWord(Text.Read target) {
            return classifier.setWord(target);
        }

        boolean crimeCharged() {
            for (String id : charged) {
                ConductClass k = kb.conductClass(id).orElse(null);
                if (k != null && k.crime()) {
                    return true;
                }
            }
            return false;
        }
    }

    private Rules() {
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The instrument must be in force between the requesting and the requested state on the day of receipt. */
    static final Rule LEGAL_BASIS = new Rule("LEGAL_BASIS", (c, s, out) -> {
        EvidenceRequest r = c.r();
        switch (r.instrument()) {
            case "DOMESTIC" -> {
                if (!r.requestingState().equals(r.requestedState())) {
                    out.finding(Effect.REFUSE, "A domestic order from " + r.requestingState() + " has no force in "
                            + r.requestedState() + ". Send the request under an instrument in force between the two "
                            + "states, such as a mutual legal assistance treaty.");
                }
            }
            case "VOLUNTARY_EMERGENCY" -> {
                if (!"EMERGENCY_DISCLOSURE".equals(r.measure())) {
                    out.finding(Effect.REFUSE, "Voluntary disclosure is possible only for an emergency disclosure, not for "
                            + r.measure() + ". Send this request through legal process.");
                }
            }
            case "BILATERAL_MLAT" -> out.finding(Effect.NOTE, "Habeas holds no bilateral treaty texts: confirm that a "
                    + "mutual legal assistance treaty between " + r.requestingState() + " and " + r.requestedState()
                    + " is in force and covers this measure.", List.of("the bilateral treaty invoked"));
            default -> {
                var applies = c.kb().applies(r.instrument(), r.requestingState(), r.requestedState(), c.day());
                List<String> unconfirmed = new ArrayList<>();
                for (String state : List.of(r.requestingState(), r.requestedState())) {
                    c.kb().party(r.instrument(), state)
                            .filter(p -> p.confidence() == Confidence.UNCONFIRMED || p.inForceDateUnknown())
                            .ifPresent(p -> unconfirmed.add(describe(p)));
                }
                if (applies.assumed()) {
                    out.finding(Effect.NOTE, "The " + c.instrumentName() + " is assumed to be in force between "
                            + r.requestingState() + " and " + r.requestedState() + " for this assessment; it is not.");
                } else if (!applies.applies()) {
                    out.finding(Effect.REFUSE, notInForce(c), unconfirmed);
                } else if (!unconfirmed.isEmpty()) {
                    out.finding(Effect.NOTE, "The " + c.instrumentName() + " is taken to be in force between "
                            + r.requestingState() + " and " + r.requestedState() + " on dates Habeas has not confirmed.",
                            unconfirmed);
                }
            }
        }
    });

    private static String describe(Party p) {
        return p.instrument() + " status of " + p.state() + (p.inForceDateUnknown()
                ? " (a Party by " + p.partyBy() + ", date of entry into force not known; " : " (") + p.source() + ")";
    }

    private static String notInForce(Context c) {
        EvidenceRequest r = c.r();
        Instrument i = c.instrument();
        String why;
        if (i != null && i.appliesFrom() != null && c.day().isBefore(i.appliesFrom())) {
            why = "it applies only from " + i.appliesFrom();
        } else if (i != null && i.entryIntoForce() != null
                && c.kb().parties().stream().noneMatch(p -> p.instrument().equals(i.id()) && p.inForceOn(c.day()))) {
            why = "it is not in force (" + i.entryIntoForce() + ")";
        } else {
            List<String> missing = new ArrayList<>();
            for (String state : new LinkedHashSet<>(List.of(r.requestingState(), r.requestedState()))) {
                if (c.kb().party(r.instrument(), state).filter(p -> p.inForceOn(c.day())).isEmpty()) {
                    missing.add(state);
                }
            }
            why = missing.isEmpty() ? "there is no agreement between the two states"
                    : String.join(" and ", missing) + (missing.size() == 1 ? " is" : " are") + " not bound by it on " + c.day();
        }
        return "The " + c.instrumentName() + " does not apply between " + r.requestingState() + " and "
                + r.requestedState() + ": " + why + ". Send the request under an instrument in force between the two "
                + "states.";
    }

    /** The measure and the data categories must exist under the instrument. */
    static final Rule MEASURE_AVAILABLE = new Rule("MEASURE_AVAILABLE", (c, s, out) -> {
        Instrument i = c.instrument();
        if (i == null) {
            return;
        }
        if (!i.measures().contains(c.measure())) {
            out.finding(Effect.REFUSE, "The " + c.instrumentName() + " does not provide for " + c.measure()
                    + "; it provides for " + String.join(", ", sorted(i.measures())) + ".");
            return;
        }
        Set<String> allowed = i.categoriesFor(c.measure());
        if ("DIRECT".equals(c.r().channel()) && i.directChannelCategories() != null) {
            allowed = i.directChannelCategories();
        }
        Set<String> extra = new LinkedHashSet<>(c.categories());
        extra.removeAll(allowed);
        if (!extra.isEmpty()) {
            out.finding(Effect.REFUSE, "The " + c.instrumentName() + " does not cover " + String.join(", ", extra)
                    + " data for " + c.measure() + ("DIRECT".equals(c.r().channel()) && i.directChannelCategories() != null
                            ? " sent directly to a provider" : "")
                    + "; ask only for " + String.join(", ", sorted(allowed)) + ", or use another channel.");
        }
    });

    /** The request must carry what the instrument requires; the facts must link the data to the offence. */
    static final Rule REQUEST_COMPLETE = new Rule("REQUEST_COMPLETE", (c, s, out) -> {
        int minWords = s.limit("minFactsWords", 8);
        int words = c.text().field("facts").words().length;
        List<String> missing = new ArrayList<>();
        if (words < minWords) {
            missing.add("facts that explain how the data sought is linked to the offence (" + words + " words given)");
        }
        if (c.r().offence() == null || c.r().offence().description() == null) {
            missing.add("a description of the offence");
        }
        if (!missing.isEmpty()) {
            out.finding(Effect.REFUSE, "The request is incomplete: it needs " + String.join("; ", missing) + ".");
        }
    });

    /** The charge and the facts must be in a language Habeas reads (and the operator accepts). */
    static final Rule LANGUAGE = new Rule("LANGUAGE", (c, s, out) -> {
        Map<String, List<String>> named = new LinkedHashMap<>();
        List<String> unnamed = new ArrayList<>();
        List<Finding.Evidence> evidence = new ArrayList<>();
        String[][] fields = {{"offence.description", "the description of the offence"}, {"facts", "the facts"}};
        Languages.Detected[] found = {c.chargeLanguage(), c.factsLanguage()};
        for (int k = 0; k < 2; k++) {
            Languages.Detected d = found[k];
            if (d == null || d.read()) {
                continue;
            }
            if (d.name() != null) {
                named.computeIfAbsent(d.name(), n -> new ArrayList<>()).add(fields[k][1]);
            } else {
                unnamed.add(fields[k][1]);
            }
            evidence.add(new Finding.Evidence(fields[k][0], d.name() == null ? "language not recognised" : d.name()));
        }
        if (evidence.isEmpty()) {
            return;
        }
        List<String> languages = new ArrayList<>();
        named.forEach((name, in) -> languages.add(name + " (" + String.join(" and ", in) + ")"));
        String what = (languages.isEmpty() ? "" : "Habeas does not read " + String.join(" or ", languages) + ". ")
                + (unnamed.isEmpty() ? "" : "Habeas does not recognise the language of " + String.join(" and ", unnamed)
                        + " as one it reads. ");
        out.finding(Effect.ESCALATE, what + "Ask the requester for a translation into one of "
                + String.join(", ", c.languages().acceptedNames()) + "; until then no one can check what conduct is "
                + "charged or how the facts link the data to it.", List.of(), evidence);
    });

    /** Protected activity is never a ground for disclosure. */
    static final Rule PROTECTED_CONDUCT = new Rule("PROTECTED_CONDUCT", (c, s, out) -> {
        List<String> found = new ArrayList<>();
        List<Finding.Evidence> evidence = new ArrayList<>();
        c.text().anywhere().forEach((id, hit) -> {
            if (c.kb().conductClass(id).map(ConductClass::protectedActivity).orElse(false)) {
                found.add(id);
                evidence.add(new Finding.Evidence(hit.field(), hit.term()));
            }
        });
        if (found.isEmpty()) {
            return;
        }
        if (!c.crimeCharged()) {
            out.finding(Effect.REFUSE, "The request concerns protected activity: " + String.join(", ", found)
                    + ". No disclosure is made for conduct that international human-rights law protects, whatever "
                    + "the sentence. A request would need a charge of a recognisable crime, with facts showing it.",
                    List.of(), evidence);
        } else {
            out.finding(Effect.ESCALATE, "The request concerns protected activity (" + String.join(", ", found)
                    + ") alongside a criminal charge (" + String.join(", ", c.charged()) + "). A human-rights officer "
                    + "must decide whether the charge is a label on protected activity.", List.of(), evidence);
        }
    });

    /** The person whose data is sought appears to hold a protected role. */
    static final Rule PROTECTED_PERSON = new Rule("PROTECTED_PERSON", (c, s, out) -> {
        List<String> listed = new ArrayList<>();
        List<Finding.Evidence> onList = new ArrayList<>();
        List<EvidenceRequest.Target> targets = c.r().targets();
        for (int i = 0; i < targets.size(); i++) {
            EvidenceRequest.Target t = targets.get(i);
            int n = i;
            c.kb().protectedPerson(t.type(), t.value()).ifPresent(p -> {
                listed.add("target " + (n + 1) + " (" + Targets.label(t.type()) + ", " + p.role() + ")");
                onList.add(new Finding.Evidence("targets[" + n + "].value", t.value()));
            });
        }
        if (!listed.isEmpty()) {
            out.finding(Effect.ESCALATE, "A target is on the operator's list of protected persons: "
                    + String.join(", ", listed) + ". A human-rights officer must review the request before any disclosure.",
                    List.of(), onList);
        }
        if (c.text().roles().isEmpty()) {
            return;
        }
        List<Finding.Evidence> evidence = new ArrayList<>();
        c.text().roles().forEach((id, hit) -> evidence.add(new Finding.Evidence(hit.field(), hit.term())));
        out.finding(Effect.ESCALATE, "The request describes the person whose data is sought as "
                + String.join(", ", c.text().roles().keySet()) + ". A human-rights officer must review it before any "
                + "disclosure.", List.of(), evidence);
    });

    /** An offence defined only in vague terms cannot be checked against the law. */
    static final Rule VAGUE_OFFENCE = new Rule("VAGUE_OFFENCE", (c, s, out) -> {
        if (!c.charged().isEmpty() && allVague(c)) {
            out.finding(Effect.ESCALATE, "The offence is defined only in vague terms (" + String.join(", ", c.charged())
                    + "). Describe the specific conduct, and the harm it caused, that makes it a crime.", List.of(),
                    chargeEvidence(c));
        }
    });

    /** The requester's own label must match what the charge shows. */
    static final Rule LABEL_MISMATCH = new Rule("LABEL_MISMATCH", (c, s, out) -> {
        String claimed = c.r().offence() == null ? null : c.r().offence().conduct();
        Set<String> shown = c.text().charged().keySet();
        if (claimed == null || shown.isEmpty() || shown.contains(claimed)) {
            return;
        }
        out.finding(Effect.ESCALATE, "The request labels the conduct " + claimed + ", but the charge shows "
                + String.join(", ", shown) + ". Correct the label or explain how the charge amounts to " + claimed + ".",
                List.of(), chargeEvidence(c));
    });

    /**
     * The conduct must be a crime in the requested state too. Not for preservation, and not for a voluntary
     * emergency disclosure, which saves a life rather than serving a prosecution.
     */
    static final Rule DUAL_CRIMINALITY = new Rule("DUAL_CRIMINALITY", (c, s, out) -> {
        if ("PRESERVATION".equals(c.measure()) || "VOLUNTARY_EMERGENCY".equals(c.r().instrument())) {
            return;
        }
        if (c.charged().isEmpty() && c.unread()) {
            return; // LANGUAGE asks for a translation: the conduct cannot be read before that
        }
        if (c.charged().isEmpty()) {
            out.finding(Effect.ESCALATE, "Habeas could not tell from the statute and description what conduct is "
                    + "charged, so it cannot check that it is a crime in " + c.r().requestedState()
                    + ". Describe the conduct in plain words.");
            return;
        }
        StateProfile requested = c.requested();
        if (requested == null) {
            out.finding(Effect.NOTE, "Habeas has no profile of " + c.r().requestedState()
                    + "; check by hand that the conduct is a crime there.");
            return;
        }
        if (c.requestedNotCrimes().containsAll(c.charged())) {
            out.finding(Effect.REFUSE, "The conduct charged (" + String.join(", ", c.charged()) + ") is not a crime in "
                    + requested.name() + ". Dual criminality is judged on the conduct, whatever its label.",
                    requested.unconfirmedConduct(c.charged()), chargeEvidence(c));
        }
    });

    /** The offence must meet the instrument's seriousness threshold, unless the instrument lists it itself. */
    static final Rule SERIOUSNESS = new Rule("SERIOUSNESS", (c, s, out) -> {
        Instrument i = c.instrument();
        if (i == null || i.seriousness() == null) {
            return;
        }
        Instrument.Seriousness t = i.seriousness();
        if (Collections.disjoint(c.categories(), t.categories())) {
            return;
        }
        if (!c.charged().isEmpty() && t.exemptConduct().containsAll(c.charged())) {
            return;
        }
        List<String> unconfirmed = t.confidence() == Confidence.UNCONFIRMED ? List.of("threshold: " + t.source()) : List.of();
        BigDecimal years = c.r().offence() == null ? null : c.r().offence().maxPenaltyYears();
        String threshold = "at least " + t.minMaxPenaltyYears().stripTrailingZeros().toPlainString() + " years";
        if (years == null) {
            out.finding(Effect.REFUSE, "The request does not state the maximum penalty; the " + c.instrumentName()
                    + " requires an offence punishable by " + threshold + ". State the maximum penalty.", unconfirmed);
        } else if (years.compareTo(t.minMaxPenaltyYears()) < 0) {
            out.finding(Effect.REFUSE, "The offence carries at most " + years.stripTrailingZeros().toPlainString()
                    + " years; the " + c.instrumentName() + " requires an offence punishable by " + threshold
                    + (t.categories().size() < 4 ? " for " + String.join(", ", sorted(t.categories())) + " data" : "")
                    + ". Limit the request to data the instrument allows for this offence.", unconfirmed);
        }
    });

    /** Traffic, content and real-time data need an independent judge; subscriber data a judge or prosecutor. */
    static final Rule JUDICIAL_AUTHORIZATION = new Rule("JUDICIAL_AUTHORIZATION", (c, s, out) -> {
        if ("PRESERVATION".equals(c.measure()) || (c.emergency() && c.emergencyMet())) {
            return;
        }
        EvidenceRequest.Authorization a = c.r().authorization();
        String kind = a == null ? "NONE" : a.kind();
        boolean needsJudge = c.categories().contains("TRAFFIC") || c.categories().contains("CONTENT")
                || "REALTIME_TRAFFIC".equals(c.measure()) || "INTERCEPTION".equals(c.measure());
        if (needsJudge) {
            if (!"JUDICIAL".equals(kind) || (a != null && Boolean.FALSE.equals(a.independent()))) {
                out.finding(Effect.REFUSE, "Traffic and content data, and real-time collection, need a prior order "
                        + "from an independent judge; this request has " + describe(a) + ". Obtain an order from an "
                        + "independent judge, or limit the request to subscriber data.");
                return;
            }
        } else if (!"JUDICIAL".equals(kind) && !"PROSECUTORIAL".equals(kind)) {
            out.finding(Effect.REFUSE, "Subscriber and identification data need an order from a judge or a "
                    + "prosecutor; this request has " + describe(a) + ". Obtain such an order.");
            return;
        }
        if ("JUDICIAL".equals(kind) && c.requesting() != null && Boolean.FALSE.equals(c.requesting().judiciaryIndependent())) {
            out.finding(Effect.ESCALATE, "The order is judicial, but courts in " + c.requesting().name()
                    + " are not considered independent of the executive. A legal reviewer must weigh the order.",
                    c.requesting().judiciary().confidence() == Confidence.UNCONFIRMED
                            ? List.of("judiciary of " + c.requesting().code() + ": " + c.requesting().judiciary().source())
                            : List.of());
        }
    });

    private static String describe(EvidenceRequest.Authorization a) {
        if (a == null || "NONE".equals(a.kind())) {
            return "no authorization";
        }
        String who = a.issuedBy() == null ? "" : " from " + a.issuedBy();
        return switch (a.kind()) {
            case "JUDICIAL" -> "a judicial order" + who + " that is not independent";
            case "PROSECUTORIAL" -> "a prosecutor's order" + who;
            case "ADMINISTRATIVE" -> "an administrative order" + who;
            default -> a.kind().toLowerCase(Locale.ROOT) + " authorization" + who;
        };
    }

    /** An emergency needs an imminent threat to life or of serious injury; then it is verified and followed up. */
    static final Rule EMERGENCY_CRITERIA = new Rule("EMERGENCY_CRITERIA", (c, s, out) -> {
        if (!c.emergency()) {
            return;
        }
        if (!c.emergencyMet()) {
            out.finding(Effect.REFUSE, "An emergency request needs an imminent threat to someone's life or of serious "
                    + "injury, and a justification. This one does not meet that test; send it through ordinary "
                    + "legal process, or state the imminent threat.");
            return;
        }
        int days = c.kb().instrument("VOLUNTARY_EMERGENCY").map(Instrument::followUpDays).orElse(2);
        out.condition(new Condition("VERIFY_REQUESTER_OUT_OF_BAND", "Call the requesting authority back on a number "
                + "Habeas holds for it (not one taken from the request) and confirm the request before disclosing."));
        out.condition(new Condition("FOLLOW_UP_LEGAL_PROCESS", "The requester must send the legal process that "
                + "covers this disclosure by " + c.day().plusDays(days) + "."));
    });

    /** An emergency disclosure gives what saves the person, not the content of their communications. */
    static final Rule EMERGENCY_MINIMAL = new Rule("EMERGENCY_MINIMAL", (c, s, out) -> {
        if (!c.emergency() || !c.categories().contains("CONTENT")) {
            return;
        }
        List<String> rest = c.categories().stream().filter(k -> !"CONTENT".equals(k)).toList();
        if (rest.isEmpty()) {
            out.finding(Effect.REFUSE, "An emergency disclosure is limited to subscriber, identification and traffic "
                    + "data; this request asks only for content. Ask for the data that locates the person.");
        } else {
            out.finding(Effect.NARROW, "An emergency disclosure is limited to subscriber, identification and traffic "
                    + "data; content is left out.");
            out.narrow(new Narrowing(null, null, null, rest, null));
        }
    });

    /** A target must name one identifier, not a set of people. */
    static final Rule TARGET_SPECIFICITY = new Rule("TARGET_SPECIFICITY", (c, s, out) -> {
        int maxTargets = s.limit("maxTargets", 25);
        BigInteger maxV4 = BigInteger.ONE.shiftLeft(32 - s.limit("maxIpv4Prefix", 24));
        BigInteger maxV6 = BigInteger.ONE.shiftLeft(128 - s.limit("maxIpv6Prefix", 48));
        List<String> sets = new ArrayList<>();
        List<Finding.Evidence> evidence = new ArrayList<>();
        List<EvidenceRequest.Target> targets = c.r().targets();
        for (int i = 0; i < targets.size(); i++) {
            EvidenceRequest.Target t = targets.get(i);
            Text.Read read = c.text().targets().get(i);
            boolean wildcard = Targets.wildcardOfNormalised(read.normalised());
            Targets.Range range = wildcard ? null : Targets.rangeOfNormalised(read.normalised(), true);
            String set = null;
            if (wildcard) {
                set = "target " + (i + 1) + " (" + Targets.label(t.type()) + "), a pattern with a wildcard";
            } else if (range != null) {
                BigInteger max = range.ipv4() ? maxV4 : maxV6;
                if (range.count().compareTo(max) > 0) {
                    set = "target " + (i + 1) + ", an " + (range.ipv4() ? "IPv4" : "IPv6") + " range covering "
                            + String.format(Locale.ROOT, "%,d", range.count()) + " addresses (more than "
                            + String.format(Locale.ROOT, "%,d", max) + ")";
                }
            } else if (c.setWord(read) != null) {
                set = "target " + (i + 1) + " (" + Targets.label(t.type()) + "), a description of a set of people";
            }
            if (set != null) {
                sets.add(set);
                evidence.add(new Finding.Evidence(read.field(), t.value()));
            }
        }
        if (!sets.isEmpty()) {
            out.finding(Effect.REFUSE, "A target must identify one account, address or device; these describe sets "
                    + "of people: " + String.join("; ", sets) + ". Name the specific identifiers linked to the offence.",
                    List.of(), evidence);
        } else if (targets.size() > maxTargets) {
            out.finding(Effect.ESCALATE, "The request names " + targets.size() + " targets (more than "
                    + maxTargets + "). A legal reviewer must confirm each is linked to the offence.");
        }
    });

    /** Text written to defeat reading: hidden characters, or letters of different scripts mixed within a word. */
    static final Rule OBFUSCATED_TEXT = new Rule("OBFUSCATED_TEXT", (c, s, out) -> {
        List<String> where = new ArrayList<>();
        List<Finding.Evidence> evidence = new ArrayList<>();
        List<Text.Read> reads = new ArrayList<>(c.text().fields());
        reads.addAll(c.text().targets());
        for (Text.Read f : reads) {
            if (!f.disguised()) {
                continue;
            }
            List<String> how = new ArrayList<>();
            if (f.hidden()) {
                how.add("hidden characters");
                evidence.add(new Finding.Evidence(f.field(), "hidden characters"));
            }
            if (!f.mixed().isEmpty()) {
                how.add("words that mix letters of different scripts");
                f.mixed().forEach(w -> evidence.add(new Finding.Evidence(f.field(), w)));
            }
            where.add(Targets.describeField(f.field()) + " (" + String.join(" and ", how) + ")");
        }
        if (!where.isEmpty()) {
            out.finding(Effect.ESCALATE, "The text is disguised: " + String.join("; ", where) + ". Habeas reads it "
                    + "with the hidden characters removed and look-alike letters folded, but an honest request never "
                    + "needs them: a reviewer must check what was meant, and the request should be sent again in "
                    + "plain text.", List.of(), evidence);
        }
    });

    private static final Set<String> PERIOD_MEASURES = Set.of("PRODUCTION", "PARTIAL_TRAFFIC_DISCLOSURE", "EMERGENCY_DISCLOSURE");

    /** Data beyond subscriber data is produced for a bounded period of at most a year. */
    static final Rule PERIOD_BOUND = new Rule("PERIOD_BOUND", (c, s, out) -> {
        int maxDays = s.limit("maxDays", 365);
        if (!PERIOD_MEASURES.contains(c.measure()) || onlySubscriber(c.categories())) {
            return;
        }
        EvidenceRequest.Period p = c.r().period();
        LocalDate to = p != null && p.to() != null ? p.to() : c.day();
        LocalDate from = p == null ? null : p.from();
        long days = from == null ? Long.MAX_VALUE : ChronoUnit.DAYS.between(from, to) + 1;
        if (days > maxDays) {
            LocalDate start = to.minusDays(maxDays - 1L);
            out.finding(Effect.NARROW, (from == null ? "The request sets no start to the period of data sought"
                    : "The request covers " + days + " days") + "; data beyond subscriber data is limited to "
                    + maxDays + " days. Limit the period to " + start + " to " + to + ", or explain why more is needed.");
            out.narrow(new Narrowing(new Narrowing.Period(start, to), null, null, null, null));
        }
    });

    /** A preservation lasts no longer than the instrument allows. */
    static final Rule PRESERVATION_LIMIT = new Rule("PRESERVATION_LIMIT", (c, s, out) -> {
        if (!"PRESERVATION".equals(c.measure()) || c.instrument() == null || c.instrument().preservation() == null) {
            return;
        }
        Instrument.Preservation p = c.instrument().preservation();
        List<String> unconfirmed = p.confidence() == Confidence.UNCONFIRMED ? List.of("preservation period: " + p.source()) : List.of();
        Integer asked = c.r().preservationDays();
        if (asked == null) {
            out.finding(Effect.NOTE, "No preservation period was given; the data will be kept for " + p.days()
                    + " days, the period the " + c.instrumentName() + " allows.", unconfirmed);
        } else if (asked > p.days()) {
            out.finding(Effect.NARROW, "The " + c.instrumentName() + " allows preservation for " + p.days()
                    + " days" + (p.extensionDays() > 0 ? ", extendable by " + p.extensionDays() + " on a new request" : "")
                    + "; " + asked + " days were asked. The data will be kept for " + p.days() + " days.", unconfirmed);
            out.narrow(new Narrowing(null, p.days(), null, null, null));
        }
    });

    /** Real-time collection runs for at most 30 days at a time. */
    static final Rule REALTIME_LIMIT = new Rule("REALTIME_LIMIT", (c, s, out) -> {
        if (!"REALTIME_TRAFFIC".equals(c.measure()) && !"INTERCEPTION".equals(c.measure())) {
            return;
        }
        int max = s.limit("maxDays", 30);
        Integer asked = c.r().durationDays();
        if (asked == null || asked > max) {
            out.finding(Effect.NARROW, (asked == null ? "The request sets no duration" : asked + " days were asked")
                    + "; real-time collection runs for at most " + max + " days, renewable on a new, justified request.");
            out.narrow(new Narrowing(null, null, max, null, null));
        }
    });

    /** Users are told unless a reasoned, time-limited order says otherwise. */
    static final Rule NON_DISCLOSURE_LIMIT = new Rule("NON_DISCLOSURE_LIMIT", (c, s, out) -> {
        int maxDays = s.limit("maxDays", 180);
        EvidenceRequest.Confidentiality conf = c.r().confidentiality();
        if (conf == null || conf.nonDisclosureUntil() == null) {
            out.finding(Effect.NOTE, "No non-disclosure period is asked: the user will be notified of this request.");
            return;
        }
        LocalDate latest = c.day().plusDays(maxDays);
        boolean noReason = conf.reason() == null || conf.reason().isBlank();
        if (conf.nonDisclosureUntil().isAfter(latest) || noReason) {
            LocalDate proposed = conf.nonDisclosureUntil().isAfter(latest) ? latest : conf.nonDisclosureUntil();
            out.finding(Effect.NARROW, "Non-disclosure may last at most " + maxDays + " days (until " + latest
                    + ") and must give its reason" + (noReason ? "; no reason was given" : "")
                    + ". The user will be notified after " + proposed + " unless a reasoned order extends it.");
            out.narrow(new Narrowing(null, null, null, null, proposed));
        }
    });

    /** No help towards a death sentence without an assurance. */
    static final Rule DEATH_PENALTY = new Rule("DEATH_PENALTY", (c, s, out) -> {
        EvidenceRequest.Offence o = c.r().offence();
        if (o != null && Boolean.TRUE.equals(o.deathPenaltyAssurance())) {
            return;
        }
        boolean declared = o != null && Boolean.TRUE.equals(o.deathPenaltyPossible());
        StateProfile st = c.requesting();
        Set<String> capital = new LinkedHashSet<>();
        if (st != null) {
            for (String id : c.charged()) {
                if (st.capitalConduct().contains(id)) {
                    capital.add(id);
                }
            }
        }
        if (declared || !capital.isEmpty()) {
            out.finding(Effect.REFUSE, (declared ? "The requester states the death penalty is possible"
                    : "In " + st.name() + " " + String.join(", ", capital) + " can carry the death penalty")
                    + ", and no assurance was given. Give an assurance that the death penalty will not be sought or "
                    + "carried out.", declared ? List.of() : st.unconfirmedCapital(capital));
        }
    });

    /** Requests from states rated high-risk get a second look (preservation excepted). */
    static final Rule STATE_RISK = new Rule("STATE_RISK", (c, s, out) -> {
        if ("PRESERVATION".equals(c.measure())) {
            return;
        }
        StateProfile st = c.requesting();
        List<StateProfile.Rated> ratings = new ArrayList<>();
        if (st != null) {
            st.onlineRating(c.day()).ifPresent(ratings::add);
            st.freedomRating(c.day()).ifPresent(ratings::add);
        }
        if (ratings.isEmpty()) {
            out.finding(Effect.NOTE, "Habeas has no rating for " + c.r().requestingState() + ".");
            return;
        }
        // the more severe of Freedom on the Net and Freedom in the World, each in the edition in force on the day
        List<StateProfile.Rated> high = new ArrayList<>(2);
        for (StateProfile.Rated x : ratings) {
            if (x.rating().highRisk()) {
                high.add(x);
            }
        }
        if (!high.isEmpty()) {
            out.finding(Effect.ESCALATE, st.name() + " is rated high-risk (" + String.join("; ",
                    high.stream().map(StateProfile.Rated::describe).toList())
                    + "). A human-rights officer must review requests from it.",
                    high.stream().filter(x -> x.rating().confidence() == Confidence.UNCONFIRMED)
                            .map(x -> "rating of " + st.code() + ": " + x.rating().source()).toList());
        }
    });

    /** Data is not passed on to another state without the receiver's authorization. */
    static final Rule ONWARD_TRANSFER = new Rule("ONWARD_TRANSFER", (c, s, out) -> {
        EvidenceRequest.OnwardTransfer t = c.r().onwardTransfer();
        if (t == null || c.r().requestingState().equals(t.toState())) {
            return;
        }
        out.finding(Effect.ESCALATE, "The requester intends to pass the data on"
                + (t.toState() == null ? " to a state it does not name" : " to " + t.toState())
                + ". Onward transfer needs the prior written authorization of the receiving state; a legal reviewer "
                + "must decide whether to give it.");
    });

    /** No decryption, keys or weakening of security. */
    static final Rule SECURITY_INTEGRITY = new Rule("SECURITY_INTEGRITY", (c, s, out) -> {
        if (c.text().securityDemands().isEmpty()) {
            return;
        }
        List<Finding.Evidence> evidence = new ArrayList<>();
        c.text().securityDemands().values().forEach(hit -> evidence.add(new Finding.Evidence(hit.field(), hit.term())));
        out.finding(Effect.REFUSE, "The request asks to weaken the security of the service or its users: to decrypt, "
                + "hand over keys or build a way around protection. Habeas never decrypts, hands over keys or weakens "
                + "security; withdraw that demand.", List.of(), evidence);
    });

    /** Every rule, by id, in the order the default profile runs them. The ids are a contract. */
    static final Map<String, Rule> ALL = index(LEGAL_BASIS, MEASURE_AVAILABLE, REQUEST_COMPLETE, LANGUAGE, PROTECTED_CONDUCT,
            OBFUSCATED_TEXT, PROTECTED_PERSON, VAGUE_OFFENCE, LABEL_MISMATCH, DUAL_CRIMINALITY, SERIOUSNESS, JUDICIAL_AUTHORIZATION,
            EMERGENCY_CRITERIA, EMERGENCY_MINIMAL, TARGET_SPECIFICITY, PERIOD_BOUND, PRESERVATION_LIMIT, REALTIME_LIMIT,
            NON_DISCLOSURE_LIMIT, DEATH_PENALTY, STATE_RISK, ONWARD_TRANSFER, SECURITY_INTEGRITY);

    static final List<String> IDS = List.copyOf(ALL.keySet());

    private static Map<String, Rule> index(Rule... rules) {
        Map<String, Rule> byId = new LinkedHashMap<>();
        for (Rule r : rules) {
            byId.put(r.id(), r);
        }
        return Collections.unmodifiableMap(byId);
    }

    /** The words of the charge that showed each conduct class, for staff. */
    private static List<Finding.Evidence> chargeEvidence(Context c) {
        List<Finding.Evidence> evidence = new ArrayList<>();
        c.text().charged().values().forEach(hit -> evidence.add(new Finding.Evidence(hit.field(), hit.term())));
        return evidence;
    }

    private static boolean allVague(Context c) {
        for (String id : c.charged()) {
            ConductClass k = c.kb().conductClass(id).orElse(null);
            if (k == null || !k.vague()) {
                return false;
            }
        }
        return true;
    }

    private static boolean onlySubscriber(Set<String> categories) {
        for (String k : categories) {
            if (!"SUBSCRIBER".equals(k)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> sorted(Set<String> values) {
        return values.stream().sorted().toList();
    }
}
