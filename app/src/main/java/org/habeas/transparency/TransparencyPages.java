package org.habeas.transparency;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import org.habeas.accounts.Caller;
import org.habeas.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.ModelAndView;

import tools.jackson.databind.json.JsonMapper;

/**
 * The public transparency pages (no sign-in): the list of published reports, each report with its table (sortable
 * without JavaScript), a bar chart with a text alternative, the files, and how to check it.
 */
@Controller
@org.habeas.web.Pages
class TransparencyPages {

    private final Publications publications;
    private final JsonMapper json;
    private final Register register;
    private final OversightRegister oversightRegister;
    private final java.time.Clock clock;
    private final org.habeas.ledger.PublicLog log;
    private final String baseUrl;

    TransparencyPages(Publications publications, JsonMapper json, Register register, OversightRegister oversightRegister,
            java.time.Clock clock, org.habeas.ledger.PublicLog log,
            @org.springframework.beans.factory.annotation.Value("${habeas.base-url:}") String baseUrl) {
        this.log = log;
        this.baseUrl = baseUrl;
        this.publications = publications;
        this.json = json;
        this.register = register;
        this.oversightRegister = oversightRegister;
        this.clock = clock;
    }

    /** The public accountability register, per requesting state, over a range of closed periods (default: all). */
    @GetMapping("/transparency/register")
    String register(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "rights") String sort, Model model) {
        List<String> errors = new ArrayList<>();
        String first = period("from", from, "0000-H1", errors);
        String last = period("to", to, "9999-H2", errors);
        String key = sortKey(sort);
        model.addAttribute("lines", Register.sorted(register.byState(first, last, clock.instant()), key));
        return registerPage(model, from, to, key, errors, false);
    }

    /** The register for oversight: per requesting agency, from the case tables, open periods included. */
    @GetMapping("/oversight/register")
    String oversightRegister(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
            @RequestParam(defaultValue = "rights") String sort, Model model) {
        List<String> errors = new ArrayList<>();
        String first = period("from", from, "2000-H1", errors);
        String last = period("to", to, org.habeas.ledger.Periods.of(clock.instant()), errors);
        String key = sortKey(sort);
        model.addAttribute("lines", Register.sorted(oversightRegister.byAgency(first, last), key));
        return registerPage(model, from, to, key, errors, true);
    }

    private String registerPage(Model model, String from, String to, String sort, List<String> errors, boolean oversight) {
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        model.addAttribute("sort", sort);
        model.addAttribute("errors", errors);
        model.addAttribute("themes", register.themes().themes());
        model.addAttribute("oversight", oversight);
        return "transparency/register";
    }

    private String sortKey(String sort) {
        return Register.SORTS.contains(sort) || register.themes().themes().stream().anyMatch(t -> t.id().equals(sort))
                ? sort : "rights";
    }

    /** A period parameter, or its default when absent; a malformed one is reported by name and not used. */
    private static String period(String name, String value, String absent, List<String> errors) {
        if (value == null || value.isBlank()) {
            return absent;
        }
        if (!org.habeas.ledger.Periods.valid(value.strip())) {
            errors.add(name + ": \"" + value + "\" is not a period; write it as 2026-H1 or 2026-H2.");
            return absent;
        }
        return value.strip();
    }

    @GetMapping("/transparency")
    String list(Model model) {
        model.addAttribute("reports", publications.list());
        return "transparency/list";
    }

    @GetMapping("/transparency/{period}")
    ModelAndView report(@PathVariable String period, @RequestParam(defaultValue = "requests") String sort) {
        return publications.find(period).map(p -> {
            Map<String, Object> doc = json.readValue(p.reportJson(), Map.class);
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> rows = new ArrayList<>((List<Map<String, Object>>) doc.get("rows"));
            String key = List.of("requests", "accounts", "refused", "someDataProduced", "emergencyRequests", "requestingState")
                    .contains(sort) ? sort : "requests";
            Comparator<Map<String, Object>> order = key.equals("requestingState")
                    ? Comparator.comparing(r -> (String) r.get("requestingState"))
                    : Comparator.comparing((Map<String, Object> r) -> ((Number) r.get(key)).longValue()).reversed();
            rows.sort(order);
            long max = rows.stream().mapToLong(r -> ((Number) r.get("requests")).longValue()).max().orElse(1);
            ModelAndView mv = new ModelAndView("transparency/report");
            @SuppressWarnings("unchecked")
            Map<String, Object> total = (Map<String, Object>) doc.get("total");
            List<Bar> outcomes = bars(ReportFigures.outcomes(total));
            List<Bar> rules = bars(ReportFigures.refusalsByRule(total));
            long emergencies = ReportFigures.number(total, "emergencyRequests");
            long requests = ReportFigures.number(total, "requests");
            mv.addObject("charts", List.of(
                    new Chart("chart-outcomes", "Outcomes", "outcomes-table", outcomes),
                    new Chart("chart-rules", "Refusals by rule", "rules-table", rules),
                    new Chart("chart-emergency", "Emergency share", "emergency-table", List.of(
                            new Bar("Emergency requests", emergencies), new Bar("Other requests", requests - emergencies),
                            new Bar(ReportFigures.LABELS.get("emergencyDisclosures"),
                                    ReportFigures.number(total, "emergencyDisclosures"))))));
            mv.addObject("history", history(p.period()));
            // the exact commands to check this report against this instance's log
            String base = baseUrl.isBlank()
                    ? org.springframework.web.servlet.support.ServletUriComponentsBuilder.fromCurrentContextPath().toUriString()
                    : baseUrl.replaceAll("/+$", "");
            mv.addObject("base", base);
            mv.addObject("vkey", log.verifierKey());
            mv.addObject("p", p);
            mv.addObject("doc", doc);
            mv.addObject("rows", rows);
            mv.addObject("sort", key);
            mv.addObject("max", Math.max(1, max));
            return mv;
        }).orElseGet(() -> {
            ModelAndView mv = new ModelAndView("not-found");
            mv.setStatus(HttpStatus.NOT_FOUND);
            return mv;
        });
    }

    private static List<Bar> bars(Map<String, Long> figures) {
        return figures.entrySet().stream().map(e -> new Bar(e.getKey(), e.getValue())).toList();
    }

    /** One bar of a chart: its label and its value. */
    record Bar(String label, long value) {
    }

    /** A bar chart: drawn as SVG, its data also given as a table (its text alternative). */
    record Chart(String id, String title, String tableId, List<Bar> bars) {
        public long max() {
            return Math.max(1, bars.stream().mapToLong(Bar::value).max().orElse(1));
        }

        /** The bar's length in pixels on a chart 400 pixels wide. */
        public long width(Bar b) {
            return b.value() * 400 / max();
        }

        /** The chart in words, for its text alternative. */
        public String words() {
            return bars.isEmpty() ? "None." : bars.stream().map(b -> b.label() + ": " + b.value())
                    .collect(java.util.stream.Collectors.joining("; ")) + ".";
        }
    }

    /** Requests per requesting state in each published period up to this one: the states of this period's report. */
    record History(List<String> periods, List<Map.Entry<String, List<Long>>> states, long max) {
        /** The bar's length in pixels on a chart 300 pixels wide. */
        public long width(long value) {
            return value * 300 / max;
        }
    }

    @SuppressWarnings("unchecked")
    private History history(String upTo) {
        List<Publications.Published> published = publications.list().stream()
                .filter(x -> x.period().compareTo(upTo) <= 0)
                .sorted(Comparator.comparing(Publications.Published::period)).toList();
        List<String> periods = published.stream().map(Publications.Published::period).toList();
        Map<String, List<Long>> byState = new java.util.TreeMap<>();
        for (int i = 0; i < published.size(); i++) {
            Map<String, Object> doc = json.readValue(published.get(i).reportJson(), Map.class);
            for (Map<String, Object> row : (List<Map<String, Object>>) doc.get("rows")) {
                List<Long> counts = byState.computeIfAbsent((String) row.get("requestingState"),
                        k -> new ArrayList<>(java.util.Collections.nCopies(periods.size(), 0L)));
                counts.set(i, counts.get(i) + ((Number) row.get("requests")).longValue());
            }
        }
        byState.keySet().removeIf(state -> byState.get(state).get(periods.size() - 1) == 0);
        long max = byState.values().stream().flatMap(List::stream).mapToLong(Long::longValue).max().orElse(1);
        return new History(periods, new ArrayList<>(byState.entrySet()), Math.max(1, max));
    }

    @GetMapping("/transparency/{period}/{file}")
    @ResponseBody
    ResponseEntity<byte[]> file(@PathVariable String period, @PathVariable String file) {
        Publications.Published p = publications.find(period).orElseThrow(() -> ApiProblem.notFound("Report " + period));
        if (file.equals("report.pdf")) {
            @SuppressWarnings("unchecked")
            Map<String, Object> doc = json.readValue(p.reportJson(), Map.class);
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                    .header("Content-Disposition", "inline; filename=\"report.pdf\"").body(ReportPdf.render(p, doc));
        }
        String body;
        MediaType type = MediaType.parseMediaType("text/csv; charset=utf-8");
        switch (file) {
            case "report.json" -> {
                body = p.reportJson();
                type = MediaType.APPLICATION_JSON;
            }
            case "report.csv" -> body = p.reportCsv();
            case "google.csv" -> body = p.googleCsv();
            case "meta.csv" -> body = p.metaCsv();
            default -> throw ApiProblem.notFound("File " + file);
        }
        return ResponseEntity.ok().contentType(type).header("Content-Disposition", "inline; filename=\"" + file + "\"")
                .body(body.getBytes(StandardCharsets.UTF_8));
    }

    @PostMapping("/api/v1/reports/{period}/publication")
    ResponseEntity<Map<String, Object>> publish(@PathVariable String period) {
        try {
            Publications.Published p = publications.publish(period, Caller.require().name());
            return ResponseEntity.status(HttpStatus.CREATED).body(Map.of("period", p.period(), "sha256", p.sha256(),
                    "logIndex", p.logIndex(), "url", "/transparency/" + p.period()));
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Cannot publish", e.getMessage());
        }
    }
}
