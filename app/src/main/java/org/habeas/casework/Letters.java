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

    Letters(Cases cases, Intake intake, Assessor assessments, Agencies agencies, JsonMapper json) {
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
        out.append("Request: ").append(r.measure()).append(" of ").append(String.join(", ", body.dataCategories()))
                .append(" under ").append(r.instrument()).append(", received ")
                .append(r.receivedAt().atZone(ZoneOffset.UTC).toLocalDate()).append("\n\n");
        out.append(switch (d.outcome()) {
            case ACCEPT -> "Your request is ACCEPTED as submitted.";
            case NARROW -> "Your request is ACCEPTED IN PART: only the scope set out below will be disclosed.";
            case REFUSE -> "Your request is REFUSED. No data will be disclosed on the basis of this request.";
            case ESCALATE -> "Your request is under review.";
        }).append("\n\n");
        out.append("The decision was taken on ").append(d.decidedAt().atZone(ZoneOffset.UTC).toLocalDate())
                .append(" after review by two people. Its grounds: ").append(d.reason()).append("\n");
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
                out.append('\n').append(n++).append(". ").append(f.reason()).append(" [").append(f.rule()).append("]\n");
                for (String b : f.basis()) {
                    out.append("   Legal basis: ").append(b).append('\n');
                }
                if (!f.unconfirmed().isEmpty()) {
                    out.append("   Note: this relies on facts Habeas has not confirmed: ")
                            .append(String.join("; ", f.unconfirmed())).append('\n');
                }
            }
        }
        if (d.outcome() == Outcome.NARROW || d.outcome() == Outcome.ACCEPT) {
            Cases.Scope s = d.scope();
            out.append("\nScope that will be disclosed:\n");
            out.append("   Data: ").append(s == null || s.dataCategories() == null
                    ? String.join(", ", body.dataCategories()) : String.join(", ", s.dataCategories())).append('\n');
            if (s != null && (s.periodFrom() != null || s.periodTo() != null)) {
                out.append("   Period: ").append(s.periodFrom()).append(" to ").append(s.periodTo()).append('\n');
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
