package org.habeas.casework;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
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

    Letters(Cases cases, Intake intake, Assessor assessments, Agencies agencies, JsonMapper json, PlainWords words) {
        this.words = words;
        this.cases = cases;
        this.intake = intake;
        this.assessments = assessments;
        this.agencies = agencies;
        this.json = json;
    }

    /** The letter for a decided case, as plain text. */
    public String text(UUID requestId) {
        Cases.Decision d = cases.decision(requestId).orElseThrow(() -> new Cases.Refused(Cases.Refused.Kind.CONFLICT,
                "decision", "the case is not decided yet"));
        ReceivedRequest r = intake.find(requestId).orElseThrow();
        EvidenceRequest body = json.readValue(r.body(), EvidenceRequest.class);
        Agency agency = r.agencyId() == null ? null : agencies.find(r.agencyId()).orElse(null);
        Assessment a = assessments.assessment(requestId).orElse(null);
        StringBuilder out = new StringBuilder();
        out.append("Habeas — decision on a request for electronic evidence\n\n");
        out.append("Date: ").append(d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate()).append('\n');
        out.append("To: ").append(agency == null ? body.requestingAuthority().name() : agency.name())
                .append(" (").append(r.requestingState()).append(")\n");
        out.append("Your reference: ").append(r.reference()).append('\n');
        out.append("Our reference: ").append(r.id()).append('\n');
        out.append("Request: ").append(words.label("measure.", r.measure(), java.util.Locale.ENGLISH)).append(" of ").append(categories(body.dataCategories()))
                .append(" under ").append(words.label("instrument.", r.instrument(), java.util.Locale.ENGLISH)).append(", received ")
                .append(r.receivedAt().atZone(ZoneOffset.UTC).toLocalDate()).append("\n\n");
        out.append(switch (d.outcome()) {
            case ACCEPT -> "Your request is ACCEPTED as submitted.";
            case NARROW -> "Your request is ACCEPTED IN PART: only the scope set out below will be disclosed.";
            case REFUSE -> "Your request is REFUSED. No data will be disclosed on the basis of this request.";
            case ESCALATE -> "Your request is under review.";
        }).append("\n\n");
        out.append("The decision was taken on ").append(d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate())
                .append(cases.deciders(requestId).map(w -> ", " + who(w, cases.find(requestId)
                        .map(Cases.Case::escalated).orElse(false))).orElse(""))
                .append(". Its grounds: ").append(d.reason()).append("\n");
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
            out.append("\nReasons, each with its legal basis; each says what would have to change:\n");
            int n = 1;
            for (Finding f : grounds) {
                out.append('\n').append(n++).append(". ").append(words.rule(f.rule(), java.util.Locale.ENGLISH)).append(": ").append(f.reason())
                        .append('\n');
                for (String b : f.basis()) {
                    out.append("   Legal basis: ").append(PlainWords.citation(b)).append('\n');
                }
                if (!f.unconfirmed().isEmpty()) {
                    out.append("   This rests on points the request does not establish and we could not confirm: ")
                            .append(String.join("; ", f.unconfirmed())).append('\n');
                }
            }
        }
        if (d.outcome() == Outcome.NARROW || d.outcome() == Outcome.ACCEPT) {
            Cases.Scope s = d.scope();
            out.append("\nScope that will be disclosed:\n");
            out.append("   Data: ").append(categories(s == null || s.dataCategories() == null
                    ? body.dataCategories() : s.dataCategories())).append('\n');
            // the approved period: the scope's where it narrowed it, else the period asked for
            Object from = s != null && s.periodFrom() != null ? s.periodFrom()
                    : body.period() == null ? null : body.period().from();
            Object to = s != null && s.periodTo() != null ? s.periodTo() : body.period() == null ? null : body.period().to();
            if (from != null || to != null) {
                out.append("   Period: ").append(from == null ? "(open)" : from).append(" to ")
                        .append(to == null ? "(open)" : to).append('\n');
            }
            out.append("   Accounts: ").append(s == null || s.targets() == null ? body.targets().size()
                    : s.targets().size()).append(" of ").append(body.targets().size()).append('\n');
            if (a != null && !a.conditions().isEmpty()) {
                out.append("\nBefore anything is disclosed:\n");
                for (Condition c : a.conditions()) {
                    out.append("   - ").append(c.text()).append('\n');
                }
            }
        }
        out.append("\nThis letter was generated by Habeas from the recorded decision; the decision and its grounds are ")
                .append("committed to Habeas's public log.\n");
        return out.toString();
    }

    private String categories(List<String> codes) {
        return String.join(", ", codes.stream().map(c -> words.label("category.", c, java.util.Locale.ENGLISH)).toList());
    }

    /**
     * Who decided, by role, never by name: "proposed by an analyst and confirmed by a legal reviewer", "proposed by
     * an analyst, changed by a legal reviewer and confirmed by a human-rights officer"; the number of people only
     * when it is more than one.
     */
    static String who(Cases.Deciders w, boolean escalated) {
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
