package org.habeas.casework;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.ReceivedRequest;
import org.habeas.safeguards.Assessment;
import org.habeas.safeguards.Assessor;
import org.habeas.safeguards.Condition;
import org.habeas.safeguards.Effect;
import org.habeas.safeguards.Finding;
import org.habeas.web.PdfWriter;
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Acceptance, narrowing and refusal letters, generated from the decision and the assessment's findings: each
 * reason in plain language, with its legal basis, so that the requester knows what it could change. As text,
 * and as PDF (Apache PDFBox) with the same content.
 */
@Component
public class Letters {


    private final Cases cases;
    private final Intake intake;
    private final Assessor assessments;
    private final Agencies agencies;
    private final JsonMapper json;
    private final PlainWords words;
    private final org.springframework.context.MessageSource messages;
    private final org.habeas.web.Sentences engine;
    private final org.habeas.accounts.LetterLanguage languages;

    Letters(Cases cases, Intake intake, Assessor assessments, Agencies agencies, JsonMapper json, PlainWords words,
            org.springframework.context.MessageSource messages, org.habeas.web.Sentences engine,
            org.habeas.accounts.LetterLanguage languages) {
        this.languages = languages;
        this.words = words;
        this.engine = engine;
        this.messages = messages;
        this.cases = cases;
        this.intake = intake;
        this.assessments = assessments;
        this.agencies = agencies;
        this.json = json;
    }

    /** The letter for a decided case, as plain text, in the requesting agency's language ({@link org.habeas.accounts.LetterLanguage}). */
    public String text(UUID requestId) {
        return text(requestId, recipientLanguage(requestId));
    }

    /**
     * The letter in a language (English unless French or Spanish): its fixed texts, labels and rule names in that language;
     * the engine's reasons and the legal provisions as the knowledge base gives them.
     */
    public String text(UUID requestId, Locale language) {
        Locale l = language == null ? Locale.ENGLISH : switch (language.getLanguage()) {
            case "fr" -> Locale.FRENCH;
            case "es" -> Locale.of("es");
            default -> Locale.ENGLISH;
        };
        Cases.Decision d = cases.decision(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.CONFLICT,
                "decision", "the case is not decided yet"));
        ReceivedRequest r = intake.find(requestId).orElseThrow();
        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        Agency agency = r.agencyId() == null ? null : agencies.find(r.agencyId()).orElse(null);
        Assessment a = assessments.assessment(requestId).orElse(null);
        StringBuilder out = new StringBuilder();
        out.append(say(l, "letter.title")).append("\n\n");
        out.append(say(l, "letter.date", d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate().toString())).append('\n');
        out.append(say(l, "letter.to", agency == null ? body.requestingAuthority().name() : agency.name(),
                r.requestingState())).append('\n');
        out.append(say(l, "letter.yourReference", r.reference())).append('\n');
        out.append(say(l, "letter.ourReference", r.id().toString())).append('\n');
        out.append(say(l, "letter.request", words.label("measure.", r.measure(), l), categories(body.dataCategories(), l),
                words.label("instrument.", r.instrument(), l), r.receivedAt().atZone(ZoneOffset.UTC).toLocalDate().toString()))
                .append("\n\n");
        out.append(say(l, "letter.outcome." + d.outcome().name())).append("\n\n");
        out.append(say(l, "letter.decidedOn", d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate().toString(),
                cases.deciders(requestId).map(w -> ", " + who(w, cases.find(requestId)
                        .map(Cases.Case::escalated).orElse(false), l)).orElse(""), d.reason())).append("\n");
        List<Finding> grounds = new ArrayList<>();
        if (a != null) {
            Effect wanted = switch (d.outcome()) {
                case REFUSE -> Effect.REFUSE;
                case NARROW -> Effect.NARROW;
                default -> null;
            };
            for (Finding f : a.findings()) {
                if (wanted != null && f.effect() == wanted || d.outcome() == Outcome.REFUSE && f.effect() == Effect.ESCALATE) {
                    grounds.add(f);
                }
            }
        }
        if (!grounds.isEmpty()) {
            out.append('\n').append(say(l, "letter.reasons")).append('\n');
            int n = 1;
            for (Finding f : grounds) {
                out.append('\n').append(n++).append(". ").append(say(l, "letter.ground", words.rule(f.rule(), l), engine.reason(f.reason(), l)))
                        .append('\n');
                for (String b : f.basis()) {
                    out.append("   ").append(say(l, "letter.basis", citation(b, l))).append('\n');
                }
                if (!f.unconfirmed().isEmpty()) {
                    out.append("   ").append(say(l, "letter.unconfirmed", engine.unconfirmed(f.unconfirmed(), l))).append('\n');
                }
            }
        }
        if (d.outcome() == Outcome.NARROW || d.outcome() == Outcome.ACCEPT) {
            Cases.Scope s = d.scope();
            out.append('\n').append(say(l, "letter.scope")).append('\n');
            out.append("   ").append(say(l, "letter.data", categories(s == null || s.dataCategories() == null
                    ? body.dataCategories() : s.dataCategories(), l))).append('\n');
            // the approved period: the scope's where it narrowed it, else the period asked for
            Object from = s != null && s.periodFrom() != null ? s.periodFrom()
                    : body.period() == null ? null : body.period().from();
            Object to = s != null && s.periodTo() != null ? s.periodTo() : body.period() == null ? null : body.period().to();
            if (from != null || to != null) {
                out.append("   ").append(say(l, "letter.period", from == null ? say(l, "letter.open") : from.toString(),
                        to == null ? say(l, "letter.open") : to.toString())).append('\n');
            }
            out.append("   ").append(say(l, "letter.accounts", String.valueOf(s == null || s.targets() == null
                    ? body.targets().size() : s.targets().size()), String.valueOf(body.targets().size()))).append('\n');
            if (a != null && !a.conditions().isEmpty()) {
                out.append('\n').append(say(l, "letter.conditions")).append('\n');
                for (Condition c : a.conditions()) {
                    out.append("   - ").append(engine.condition(c.text(), l)).append('\n');
                }
            }
        }
        out.append('\n').append(say(l, "letter.generated")).append('\n');
        return out.toString();
    }

    /** The language of the requesting agency's letters. */
    private Locale recipientLanguage(UUID requestId) {
        return languages.of(intake.find(requestId).map(ReceivedRequest::agencyId).flatMap(agencies::find).orElse(null));
    }

    private String say(Locale language, String key, Object... arguments) {
        return messages.getMessage(key, arguments.length == 0 ? null : arguments, language);
    }

    /** A legal basis as the letter cites it: provisions as the knowledge base gives them, Habeas's own as policy. */
    private String citation(String basis, Locale language) {
        String english = PlainWords.citation(basis);
        String policy = "the operator's published safeguards policy";
        if (english.equals(basis) || !english.startsWith(policy)) {
            return english;
        }
        return say(language, "letter.ownPolicy") + english.substring(policy.length());
    }

    private String categories(List<String> codes, Locale language) {
        return String.join(", ", codes.stream().map(c -> words.label("category.", c, language)).toList());
    }

    static String who(Cases.Deciders w, boolean escalated) {
        return whoInEnglish(w, escalated);
    }

    private String who(Cases.Deciders w, boolean escalated, Locale language) {
        if ("en".equals(language.getLanguage())) {
            return whoInEnglish(w, escalated);
        }
        String and = say(language, "letter.who.and");
        String decided = say(language, w.confirmed() ? "letter.who.confirmed" : escalated ? "letter.who.decided"
                : "letter.who.changed", role(w.decidedRole(), language));
        StringBuilder out = new StringBuilder();
        if (w.proposedBy() != null) {
            out.append(say(language, "letter.who.proposed", role(w.proposedRole(), language)));
            out.append(w.changedBy() != null ? ", " + say(language, "letter.who.changedBy", role(w.changedRole(), language)) + and
                    : and);
        }
        out.append(decided);
        if (w.people() > 1) {
            out.append(", ").append(say(language, "letter.who.people", w.people()));
        }
        return out.toString();
    }

    /** A role as a letter in a language other than English names it: "un analyste", "un analista". */
    private String role(String role, Locale language) {
        String staff = messages.getMessage("letter.role.STAFF", null, language);
        return role == null ? staff : messages.getMessage("letter.role." + role, null, staff, language);
    }

    /**
     * Who decided, by role, never by name: "proposed by an analyst and confirmed by a legal reviewer", "proposed by
     * an analyst, changed by a legal reviewer and confirmed by a human-rights officer"; the number of people only
     * when it is more than one.
     */
    private static String whoInEnglish(Cases.Deciders w, boolean escalated) {
        String decided = (w.confirmed() ? "confirmed" : escalated ? "decided" : "changed") + " by " + role(w.decidedRole());
        StringBuilder out = new StringBuilder();
        if (w.proposedBy() != null) {
            out.append("proposed by ").append(role(w.proposedRole()));
            out.append(w.changedBy() != null ? ", changed by " + role(w.changedRole()) + " and " : " and ");
        }
        out.append(decided);
        long people = w.people();
        if (people > 1) {
            out.append(", after review by ").append(people == 2 ? "two" : people == 3 ? "three" : people).append(" people");
        }
        return out.toString();
    }

    private static String role(String role) {
        if (role == null) {
            return "a member of staff";
        }
        String label;
        try {
            label = org.habeas.accounts.UserRole.valueOf(role).label().toLowerCase(java.util.Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return "a member of staff";
        }
        return ("aeiou".indexOf(label.charAt(0)) >= 0 ? "an " : "a ") + label;
    }

    /** The same letter as a PDF document. */
    public byte[] pdf(UUID requestId) {
        return pdf(requestId, java.util.List.of());
    }

    /** The letter as a PDF document, with the given identifiers withheld (for oversight). */
    public byte[] pdf(UUID requestId, java.util.List<String> withheld) {
        PdfWriter pdf = new PdfWriter("Habeas decision " + requestId, 10.5f, 14f);
        for (String paragraph : org.habeas.intake.Redaction.scrub(text(requestId), withheld).split("\n", -1)) {
            pdf.paragraph(paragraph);
        }
        return pdf.finish();
    }
}
