package org.habeas.transparency;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.habeas.web.PdfWriter;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PiePlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.renderer.category.BarRenderer;
import org.jfree.chart.renderer.category.StandardBarPainter;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.general.DefaultPieDataset;

/**
 * A published report as PDF: where it was computed from and how to check it, the totals, four charts (JFreeChart)
 * each followed by its data in words, and the figures per requesting state. Rendered from the report's JSON, so it
 * says nothing the JSON does not.
 */
final class ReportPdf {

    private static final Color BAR = new Color(0x0b, 0x53, 0x94);
    private static final int MAX_BARS = 20;

    private ReportPdf() {
    }

    @SuppressWarnings("unchecked")
    static byte[] render(Publications.Published p, Map<String, Object> doc) {
        return render(p.period(), p.sha256(), p.logIndex(), doc);
    }

    /** A report as PDF; {@code logIndex} is its REPORT record's entry, or null for a report not published. */
    @SuppressWarnings("unchecked")
    static byte[] render(String period, String sha256, Long logIndex, Map<String, Object> doc) {
        Map<String, Object> total = (Map<String, Object>) doc.get("total");
        List<Map<String, Object>> rows = (List<Map<String, Object>>) doc.get("rows");
        Map<String, Object> log = (Map<String, Object>) doc.get("log");
        PdfWriter pdf = new PdfWriter("Habeas transparency report " + period, 9.5f, 13f);
        pdf.heading("Transparency report " + period + (logIndex == null ? " (not published)" : ""));
        pdf.paragraph("Requests received in the period and what was done with them in it, counted from the public log "
                + log.get("origin") + " at size " + log.get("size") + ", root " + log.get("root") + ".");
        pdf.paragraph("report.json SHA-256: " + sha256 + (logIndex == null ? ""
                : "; its REPORT record is entry " + logIndex + " of the log."));
        pdf.paragraph("Check it: ./habeas report verify report.json --log https://<this Habeas>/log --vkey '<key>'");
        pdf.paragraph("");

        pdf.heading("Totals");
        List<List<String>> totals = new ArrayList<>();
        ReportFigures.LABELS.forEach((key, label) -> totals.add(List.of(label, String.valueOf(total.getOrDefault(key, 0)))));
        pdf.table(List.of("Figure", "Count"), totals, new float[] {300, 100});

        Map<String, Long> byState = new LinkedHashMap<>();
        rows.stream().collect(Collectors.groupingBy(r -> (String) r.get("requestingState"),
                        Collectors.summingLong(r -> ReportFigures.number(r, "requests"))))
                .entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_BARS).forEach(e -> byState.put(e.getKey(), e.getValue()));
        chart(pdf, "Requests by requesting state", "Requests", byState,
                byState.size() < rows.stream().map(r -> r.get("requestingState")).distinct().count()
                        ? " (the " + MAX_BARS + " states with most requests)" : "");

        chart(pdf, "Outcomes", "Requests", ReportFigures.outcomes(total), "");

        Map<String, Long> rules = ReportFigures.refusalsByRule(total);
        if (rules.isEmpty()) {
            pdf.heading("Refusals by rule");
            pdf.paragraph("No request received in this period was refused.");
        } else {
            chart(pdf, "Refusals by rule", "Refusals", rules, "");
        }

        long emergencies = ReportFigures.number(total, "emergencyRequests");
        long requests = ReportFigures.number(total, "requests");
        DefaultPieDataset<String> share = new DefaultPieDataset<>();
        share.setValue("Emergency requests", emergencies);
        share.setValue("Other requests", Math.max(0, requests - emergencies));
        JFreeChart pie = ChartFactory.createPieChart("Emergency share", share, true, false, false);
        PiePlot<String> piePlot = (PiePlot<String>) pie.getPlot();
        piePlot.setBackgroundPaint(Color.WHITE);
        piePlot.setShadowPaint(null);
        piePlot.setSectionPaint("Emergency requests", new Color(0xb4, 0x5f, 0x06));
        piePlot.setSectionPaint("Other requests", BAR);
        pie.setBackgroundPaint(Color.WHITE);
        pdf.image(image(pie, 520, 260), pdf.width() * 0.7f, "Emergency share, in words: " + emergencies
                + " emergency requests of " + requests + " requests; " + ReportFigures.number(total, "emergencyDisclosures")
                + " emergency disclosures.");

        pdf.heading("Figures per requesting state, instrument and measure");
        List<List<String>> table = new ArrayList<>();
        for (Map<String, Object> r : rows) {
            table.add(List.of(String.valueOf(r.get("requestingState")), String.valueOf(r.get("instrument")),
                    String.valueOf(r.get("measure")), String.valueOf(r.get("requests")),
                    String.valueOf(r.get("accounts")), String.valueOf(r.get("someDataProduced")),
                    String.valueOf(r.get("refused")), String.valueOf(r.get("escalated")),
                    String.valueOf(r.get("emergencyRequests"))));
        }
        pdf.table(List.of("State", "Instrument", "Measure", "Requests", "Accounts", "Data", "Refused", "Escalated",
                "Emergency"), table, new float[] {30, 104, 96, 44, 44, 28, 40, 46, 51});
        return pdf.finish();
    }

    /** A horizontal bar chart followed by the same data in words (its text alternative). */
    private static void chart(PdfWriter pdf, String title, String axis, Map<String, Long> data, String note) {
        DefaultCategoryDataset dataset = new DefaultCategoryDataset();
        data.forEach((k, v) -> dataset.addValue(v, axis, k));
        JFreeChart chart = ChartFactory.createBarChart(title + note, null, axis, dataset, PlotOrientation.HORIZONTAL,
                false, false, false);
        chart.setBackgroundPaint(Color.WHITE);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        BarRenderer renderer = (BarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, BAR);
        ((NumberAxis) plot.getRangeAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        int height = 70 + 18 * Math.max(1, data.size());
        String words = data.isEmpty() ? "none." : data.entrySet().stream().map(e -> e.getKey() + " " + e.getValue())
                .collect(Collectors.joining(", ")) + ".";
        pdf.image(image(chart, 640, height), pdf.width(), title + note + ", in words: " + words);
    }

    /** The chart drawn at twice its size, so that it stays sharp when the PDF is zoomed or printed. */
    private static BufferedImage image(JFreeChart chart, int width, int height) {
        return chart.createBufferedImage(width * 2, height * 2, width, height, null);
    }
}
