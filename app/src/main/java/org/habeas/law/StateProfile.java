package org.habeas.law;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * What the safeguards know about a state. See {@code law/states.yaml}. Every fact carries its source, its
 * confidence and the edition it comes from; ratings also carry the date from which each edition holds, so that
 * a request is assessed by the edition in force on its day.
 */
public record StateProfile(
        String code,
        String name,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Rating> freedomOnTheNet,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Rating> freedomInTheWorld,
        Judiciary judiciary,
        DeathPenalty deathPenalty,
        AlsoCapital alsoCapital,
        LawFact sameSexConduct,
        LawFact blasphemy,
        LawFact apostasy,
        LawFact insultHeadOfState,
        LawFact falseNews,
        Conduct conduct,
        String notes) {

    public StateProfile {
        Vocabulary.required("code", code);
        Vocabulary.required("name", name);
        freedomOnTheNet = byDate(freedomOnTheNet);
        freedomInTheWorld = byDate(freedomInTheWorld);
        deathPenalty = deathPenalty == null ? DeathPenalty.NONE : deathPenalty;
        conduct = conduct == null ? Conduct.NONE : conduct;
    }

    private static List<Rating> byDate(List<Rating> ratings) {
        if (ratings == null) {
            return List.of();
        }
        List<Rating> sorted = new ArrayList<>(ratings);
        sorted.sort(Comparator.comparing(Rating::from));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).from().equals(sorted.get(i - 1).from())) {
                throw new IllegalArgumentException("from: two editions hold from " + sorted.get(i).from());
            }
        }
        return List.copyOf(sorted);
    }

    /** The Freedom on the Net edition in force on a day (empty: Freedom on the Net does not rate the state). */
    public Optional<Rated> onlineRating(LocalDate day) {
        return inForce(freedomOnTheNet, day);
    }

    /** The Freedom in the World edition in force on a day. */
    public Optional<Rated> freedomRating(LocalDate day) {
        return inForce(freedomInTheWorld, day);
    }

    /**
     * The edition that holds on the day: the newest whose {@code from} is not after it. A day before every edition
     * held gets the earliest one, marked as published later.
     */
    private static Optional<Rated> inForce(List<Rating> ratings, LocalDate day) {
        Rating found = null;
        for (Rating r : ratings) {
            if (!r.from().isAfter(day)) {
                found = r;
            }
        }
        if (found != null) {
            return Optional.of(new Rated(found, false));
        }
        return ratings.isEmpty() ? Optional.empty() : Optional.of(new Rated(ratings.get(0), true));
    }

    /** The conduct classes that can carry the death penalty here, sourced or not (empty if it is not retained). */
    public Set<String> capitalConduct() {
        if (!deathPenalty.retains()) {
            return Set.of();
        }
        Set<String> out = new LinkedHashSet<>(deathPenalty.forConduct());
        if (alsoCapital != null) {
            out.addAll(alsoCapital.forConduct());
        }
        return out;
    }

    /** The unconfirmed sources behind the death penalty for these classes. */
    public List<String> unconfirmedCapital(Set<String> classes) {
        List<String> out = new ArrayList<>();
        if (deathPenalty.confidence() == Confidence.UNCONFIRMED && classes.stream().anyMatch(deathPenalty.forConduct()::contains)) {
            out.add("death penalty in " + code + ": " + deathPenalty.source());
        }
        if (alsoCapital != null && classes.stream().anyMatch(c -> alsoCapital.forConduct().contains(c)
                && !deathPenalty.forConduct().contains(c))) {
            out.add("death penalty in " + code + " for " + String.join(", ", classes.stream()
                    .filter(alsoCapital.forConduct()::contains).sorted().toList()) + ": " + alsoCapital.source());
        }
        return out;
    }

    /** Whether the state's courts are independent of the executive ({@code null}: contested or not assessed). */
    public Boolean judiciaryIndependent() {
        return judiciary == null ? null : judiciary.independent();
    }

    /**
     * Conduct classes that are not crimes here: the classes the conduct list gives, overridden by the state's
     * sourced facts on same-sex conduct, blasphemy (with apostasy) and false news.
     */
    public Set<String> doesNotCriminalise() {
        Set<String> out = new LinkedHashSet<>(conduct.doesNotCriminalise());
        for (var e : decided().entrySet()) {
            if (e.getValue()) {
                out.remove(e.getKey());
            } else {
                out.add(e.getKey());
            }
        }
        return Set.copyOf(out);
    }

    /** Protected conduct this state makes a crime, from the conduct list and the sourced facts. */
    public Set<String> criminalisesProtected() {
        Set<String> out = new LinkedHashSet<>(conduct.criminalisesProtected());
        for (var e : decided().entrySet()) {
            if (e.getValue()) {
                out.add(e.getKey());
            } else {
                out.remove(e.getKey());
            }
        }
        return Set.copyOf(out);
    }

    /** The conduct classes a sourced fact decides: class to "criminalised". */
    private java.util.Map<String, Boolean> decided() {
        java.util.Map<String, Boolean> out = new java.util.LinkedHashMap<>();
        if (sameSexConduct != null && sameSexConduct.criminalised() != null) {
            out.put("SAME_SEX_CONDUCT", sameSexConduct.criminalised());
        }
        if (falseNews != null && falseNews.criminalised() != null) {
            out.put("FALSE_NEWS", falseNews.criminalised());
        }
        boolean religious = (blasphemy != null && Boolean.TRUE.equals(blasphemy.criminalised()))
                || (apostasy != null && Boolean.TRUE.equals(apostasy.criminalised()));
        if (religious) {
            out.put("RELIGIOUS_EXPRESSION", true);
        } else if (blasphemy != null && Boolean.FALSE.equals(blasphemy.criminalised())
                && (apostasy == null || !Boolean.TRUE.equals(apostasy.criminalised()))) {
            out.put("RELIGIOUS_EXPRESSION", false);
        }
        return out;
    }

    /** The sources behind what this profile says about the given conduct classes, where they are unconfirmed. */
    public List<String> unconfirmedConduct(Set<String> classes) {
        List<String> out = new ArrayList<>();
        for (String c : classes) {
            LawFact f = switch (c) {
                case "SAME_SEX_CONDUCT" -> sameSexConduct;
                case "FALSE_NEWS" -> falseNews;
                case "RELIGIOUS_EXPRESSION" -> blasphemy != null && blasphemy.criminalised() != null ? blasphemy : null;
                default -> null;
            };
            if (f != null && f.criminalised() != null) {
                if (f.confidence() == Confidence.UNCONFIRMED) {
                    out.add(c + " in " + code + ": " + f.source());
                }
            } else if (conduct.confidence() == Confidence.UNCONFIRMED
                    && (conduct.doesNotCriminalise().contains(c) || conduct.criminalisesProtected().contains(c))) {
                out.add(c + " in " + code + ": " + conduct.source());
            }
        }
        return out;
    }

    /** Every fact of the profile, for counting and showing. */
    public List<Fact> facts() {
        List<Fact> out = new ArrayList<>();
        freedomOnTheNet.forEach(r -> out.add(new Fact("freedomOnTheNet", r.describe() + " (from " + r.from() + ")",
                r.source(), r.confidence())));
        freedomInTheWorld.forEach(r -> out.add(new Fact("freedomInTheWorld", r.describe() + " (from " + r.from() + ")",
                r.source(), r.confidence())));
        if (judiciary != null) {
            out.add(new Fact("judiciary", judiciary.describe(), judiciary.source(), judiciary.confidence()));
        }
        if (deathPenalty.source() != null) {
            out.add(new Fact("deathPenalty", deathPenalty.describe(), deathPenalty.source(), deathPenalty.confidence()));
        }
        if (alsoCapital != null) {
            out.add(new Fact("alsoCapital", String.join(", ", alsoCapital.forConduct().stream().sorted().toList()),
                    alsoCapital.source(), alsoCapital.confidence()));
        }
        law(out, "sameSexConduct", sameSexConduct);
        law(out, "blasphemy", blasphemy);
        law(out, "apostasy", apostasy);
        law(out, "insultHeadOfState", insultHeadOfState);
        law(out, "falseNews", falseNews);
        if (conduct.source() != null) {
            List<String> parts = new ArrayList<>();
            if (!conduct.doesNotCriminalise().isEmpty()) {
                parts.add("not crimes: " + String.join(", ", conduct.doesNotCriminalise().stream().sorted().toList()));
            }
            if (!conduct.criminalisesProtected().isEmpty()) {
                parts.add("crimes: " + String.join(", ", conduct.criminalisesProtected().stream().sorted().toList()));
            }
            out.add(new Fact("conduct", String.join("; ", parts), conduct.source(), conduct.confidence()));
        }
        return out;
    }

    private static void law(List<Fact> out, String field, LawFact f) {
        if (f != null) {
            out.add(new Fact(field, f.describe(), f.source(), f.confidence()));
        }
    }

    /** One fact with its source, as counted by {@code habeas law stats} and printed by {@code habeas law show}. */
    public record Fact(String field, String value, String source, Confidence confidence) {
    }

    /** A rating from a named edition of a named index, holding from a date. */
    public record Rating(String status, Integer score, String edition, LocalDate from, String source,
            Confidence confidence, String note) {
        public Rating {
            Vocabulary.check("rating.status", status, List.of("FREE", "PARTLY_FREE", "NOT_FREE"));
            Vocabulary.required("rating.edition", edition);
            Vocabulary.required("rating.from", from);
            Vocabulary.required("rating.source", source);
            Vocabulary.required("rating.confidence", confidence);
        }

        public boolean highRisk() {
            return "NOT_FREE".equals(status);
        }

        public String describe() {
            return edition + ": " + status.replace('_', ' ').toLowerCase(Locale.ROOT) + (score == null ? "" : " (" + score + "/100)");
        }
    }

    /** A rating as it applies on a day; {@code later}: no edition held had appeared by then, this is the earliest. */
    public record Rated(Rating rating, boolean later) {
        public String describe() {
            return rating.describe() + (later ? ", the earliest edition Habeas holds, which holds only from " + rating.from() : "");
        }
    }

    /** Whether courts are independent: Freedom House indicator F1 (0-4), 3-4 independent, 0-1 not, 2 contested. */
    public record Judiciary(Boolean independent, Integer score, String edition, String source, Confidence confidence) {
        public Judiciary {
            Vocabulary.required("judiciary.edition", edition);
            Vocabulary.required("judiciary.source", source);
            Vocabulary.required("judiciary.confidence", confidence);
        }

        String describe() {
            return (independent == null ? "contested or not assessed" : independent ? "independent" : "not independent")
                    + (score == null ? "" : " (F1 " + score + "/4)") + ", " + edition;
        }
    }

    /** Whether the state keeps the death penalty in law, and for which conduct (Amnesty International's category). */
    public record DeathPenalty(boolean retains, String status, Set<String> forConduct, String edition, String source,
            Confidence confidence) {
        static final DeathPenalty NONE = new DeathPenalty(false, null, Set.of(), null, null, null);

        @com.fasterxml.jackson.annotation.JsonCreator
        public DeathPenalty(@JsonProperty("retains") boolean retains, @JsonProperty("status") String status,
                @JsonProperty("for") Set<String> forConduct, @JsonProperty("edition") String edition,
                @JsonProperty("source") String source, @JsonProperty("confidence") Confidence confidence) {
            this.retains = retains;
            this.status = status;
            this.forConduct = forConduct == null ? Set.of() : Set.copyOf(forConduct);
            this.edition = edition;
            this.source = source;
            this.confidence = confidence;
            if (status != null) {
                Vocabulary.check("deathPenalty.status", status, List.of("abolitionist_all_crimes",
                        "abolitionist_ordinary_crimes", "abolitionist_in_practice", "retentionist"));
                Vocabulary.required("deathPenalty.source", source);
                Vocabulary.required("deathPenalty.confidence", confidence);
            }
        }

        String describe() {
            return (status == null ? (retains ? "retained" : "not retained") : status.replace('_', ' '))
                    + (forConduct.isEmpty() ? "" : "; capital: " + String.join(", ", forConduct.stream().sorted().toList()))
                    + (edition == null ? "" : ", " + edition);
        }
    }

    /** Conduct classes held to be capital without a source at hand that confirms it. */
    public record AlsoCapital(@JsonProperty("for") Set<String> forConduct, String source, Confidence confidence) {
        public AlsoCapital {
            forConduct = forConduct == null ? Set.of() : Set.copyOf(forConduct);
            Vocabulary.required("alsoCapital.source", source);
            Vocabulary.required("alsoCapital.confidence", confidence);
        }
    }

    /** Whether the state's law makes some conduct a crime, with the detail and edition of the source. */
    public record LawFact(Boolean criminalised, String detail, String edition, String source, Confidence confidence) {
        public LawFact {
            Vocabulary.required("source", source);
            Vocabulary.required("confidence", confidence);
        }

        String describe() {
            return (criminalised == null ? "unknown" : criminalised ? "a crime" : "not a crime")
                    + (detail == null ? "" : " (" + detail + ")") + (edition == null ? "" : ", " + edition);
        }
    }

    /** Other conduct classes the state does or does not make crimes, with one source for the list. */
    public record Conduct(Set<String> doesNotCriminalise, Set<String> criminalisesProtected, String source,
            Confidence confidence) {
        static final Conduct NONE = new Conduct(Set.of(), Set.of(), null, null);

        public Conduct {
            doesNotCriminalise = doesNotCriminalise == null ? Set.of() : Set.copyOf(doesNotCriminalise);
            criminalisesProtected = criminalisesProtected == null ? Set.of() : Set.copyOf(criminalisesProtected);
            if (!doesNotCriminalise.isEmpty() || !criminalisesProtected.isEmpty()) {
                Vocabulary.required("conduct.source", source);
                Vocabulary.required("conduct.confidence", confidence);
            }
        }
    }
}
