package org.habeas.web;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.apache.pdfbox.pdmodel.graphics.image.LosslessFactory;
import org.apache.pdfbox.pdmodel.graphics.image.PDImageXObject;

/**
 * A PDF laid out top to bottom on A4 pages (PDFBox): headings, wrapped paragraphs, simple tables and images, with a
 * new page whenever the next block does not fit. Text uses a system font with the characters of many languages when
 * there is one, and whatever the font cannot draw becomes '?', so that a name in another script never breaks a
 * document.
 */
public final class PdfWriter {

    private static final List<Path> FONTS = List.of(Path.of("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
            Path.of("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"));
    private static final float MARGIN = 56f;
    private static final PDRectangle BOX = PDRectangle.A4;

    private final PDDocument doc = new PDDocument();
    private final PDFont font;
    private final float size;
    private final float leading;
    private PDPageContentStream content;
    private float y;

    /** A document with body text of {@code size} points on lines {@code leading} points apart. */
    public PdfWriter(String title, float size, float leading) {
        this.size = size;
        this.leading = leading;
        try {
            this.font = loadFont();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        doc.getDocumentInformation().setTitle(title);
    }

    /** The width text may take on a page, in points. */
    public float width() {
        return BOX.getWidth() - 2 * MARGIN;
    }

    public PdfWriter heading(String text) {
        float big = size * 1.5f;
        need(big * 2);
        y -= big * 0.6f;
        line(MARGIN, printable(text), big);
        y -= big * 1.2f;
        return this;
    }

    /** A paragraph wrapped to the page width; a paragraph that starts with three spaces wraps with an indent. */
    public PdfWriter paragraph(String text) {
        for (String l : wrap(printable(text), size, width())) {
            need(leading);
            line(MARGIN, l, size);
            y -= leading;
        }
        return this;
    }

    /** A table: one line per row in a slightly smaller type, each cell cut to its column; the header repeats on each new page. */
    public PdfWriter table(List<String> header, List<List<String>> rows, float[] columns) {
        need(leading * 3);
        row(header, columns);
        for (List<String> r : rows) {
            if (y - leading < MARGIN) {
                need(Float.MAX_VALUE);
                row(header, columns);
            }
            row(r, columns);
        }
        y -= leading / 2;
        return this;
    }

    private void row(List<String> cells, float[] columns) {
        float x = MARGIN;
        float small = size * 0.85f;
        for (int i = 0; i < cells.size() && i < columns.length; i++) {
            line(x, fit(printable(cells.get(i)), columns[i] - 3, small), small);
            x += columns[i];
        }
        y -= leading;
    }

    /** An image scaled to {@code widthPoints}, keeping its proportions. */
    public PdfWriter image(BufferedImage image, float widthPoints, String altText) {
        float h = widthPoints * image.getHeight() / image.getWidth();
        need(h + leading);
        try {
            PDImageXObject x = LosslessFactory.createFromImage(doc, image);
            content.drawImage(x, MARGIN, y - h, widthPoints, h);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y -= h + leading;
        if (altText != null) {
            paragraph(altText);
        }
        return this;
    }

    public byte[] finish() {
        try (doc; ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (content != null) {
                content.close();
            }
            if (doc.getNumberOfPages() == 0) {
                doc.addPage(new PDPage(BOX));
            }
            doc.save(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts a new page unless {@code height} points still fit on this one. */
    private void need(float height) {
        if (content != null && y - height >= MARGIN) {
            return;
        }
        try {
            if (content != null) {
                content.close();
            }
            PDPage page = new PDPage(BOX);
            doc.addPage(page);
            content = new PDPageContentStream(doc, page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        y = BOX.getHeight() - MARGIN;
    }

    private void line(float x, String text, float points) {
        try {
            content.beginText();
            content.setFont(font, points);
            content.newLineAtOffset(x, y - points);
            content.showText(text);
            content.endText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private PDFont loadFont() throws IOException {
        for (Path p : FONTS) {
            if (Files.isReadable(p)) {
                return PDType0Font.load(doc, p.toFile());
            }
        }
        return new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    }

    private String printable(String s) {
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

    private float widthOf(String s, float points) {
        try {
            return font.getStringWidth(s) / 1000 * points;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String fit(String s, float width, float points) {
        String out = s;
        while (!out.isEmpty() && widthOf(out, points) > width) {
            out = out.substring(0, out.length() - 1);
        }
        return out.length() < s.length() && out.length() > 1 ? out.substring(0, out.length() - 1) + "…" : out;
    }

    private List<String> wrap(String paragraph, float points, float width) {
        List<String> lines = new ArrayList<>();
        if (paragraph.isEmpty()) {
            lines.add("");
            return lines;
        }
        String indent = paragraph.startsWith("   ") ? "      " : "";
        StringBuilder line = new StringBuilder();
        for (String word : paragraph.split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (widthOf(candidate, points) > width && !line.isEmpty()) {
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
