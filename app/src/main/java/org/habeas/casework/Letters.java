package org.habeas.casework;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
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
import org.springframework.stereotype.Component;

import tools.jackson.databind.json.JsonMapper;

/**
 * Acceptance, narrowing and refusal letters, generated from the decision and the assessment's findings: each
 * reason in plain language, with its legal basis, so that the requester knows what it could change. As text,
 * and as PDF (Apache PDFBox) with the same content.
 */
@Component
public class Letters {

    private static final List<Path> FONTS = List.of(Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"));

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
        String text = text(requestId);
        try (PDDocument doc = new PDDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            PDFont font = font(doc);
            float size = 10.5f;
            float leading = 14f;
            float margin = 56f;
            PDRectangle box = PDRectangle.A4;
            float width = box.getWidth() - 2 * margin;
            List<String> lines = new ArrayList<>();
            for (String paragraph : text.split("\n", -1)) {
                lines.addAll(wrap(font, size, width, printable(font, paragraph)));
            }
            PDPageContentStream content = null;
            float y = 0;
            for (String line : lines) {
                if (content == null || y < margin) {
                    if (content != null) {
                        content.endText();
                        content.close();
                    }
                    PDPage page = new PDPage(box);
                    doc.addPage(page);
                    content = new PDPageContentStream(doc, page);
                    content.beginText();
                    content.setFont(font, size);
                    content.setLeading(leading);
                    y = box.getHeight() - margin;
                    content.newLineAtOffset(margin, y);
                }
                content.showText(line);
                content.newLine();
                y -= leading;
            }
            if (content != null) {
                content.endText();
                content.close();
            }
            doc.getDocumentInformation().setTitle("Habeas decision " + requestId);
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A font with the characters of many languages when the system has one; the PDF core font otherwise. */
    private static PDFont font(PDDocument doc) throws IOException {
        for (Path p : FONTS) {
            if (Files.isReadable(p)) {
                return PDType0Font.load(doc, p.toFile());
            }
        }
        return new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    }

    /** Replaces what the font cannot draw with '?', so that a name in another script never breaks the letter. */
    private static String printable(PDFont font, String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().forEach(cp -> {
            String ch = new String(Character.toChars(cp));
            try {
                font.encode(ch);
                out.append(ch);
            } catch (IOException | IllegalArgumentException e) {
                out.append('?');
            }
        });
        return out.toString();
    }

    private static List<String> wrap(PDFont font, float size, float width, String paragraph) throws IOException {
        List<String> lines = new ArrayList<>();
        if (paragraph.isEmpty()) {
            lines.add("");
            return lines;
        }
        String indent = paragraph.startsWith("   ") ? "      " : "";
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (font.getStringWidth(candidate) / 1000 * size > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(indent).append(word);
            } else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        return lines;
    }
}
