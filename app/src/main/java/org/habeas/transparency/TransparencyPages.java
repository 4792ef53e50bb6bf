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
class TransparencyPages {

    private final Publications publications;
    private final JsonMapper json;
    private final Register register;
    private final java.time.Clock clock;

    TransparencyPages(Publications publications, JsonMapper json, Register register, java.time.Clock clock) {
        this.publications = publications;
        this.json = json;
        this.register = register;
        this.clock = clock;
    }

    /** The accountability register over a range of closed periods (default: all). */
    @GetMapping("/transparency/register")
    String register(@RequestParam(required = false) String from, @RequestParam(required = false) String to, Model model) {
        String first = from != null && from.matches("\\d{4}-H[12]") ? from : "0000-H1";
        String last = to != null && to.matches("\\d{4}-H[12]") ? to : "9999-H2";
        model.addAttribute("lines", register.byState(first, last, clock.instant()));
        model.addAttribute("from", from);
        model.addAttribute("to", to);
        return "transparency/register";
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

    @GetMapping("/transparency/{period}/{file}")
    @ResponseBody
    ResponseEntity<byte[]> file(@PathVariable String period, @PathVariable String file) {
        Publications.Published p = publications.find(period).orElseThrow(() -> ApiProblem.notFound("Report " + period));
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
