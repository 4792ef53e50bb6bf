package org.habeas.transparency;

import java.util.List;
import java.util.Map;

import org.habeas.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Transparency reports computed on demand for a closed period (administrators and oversight). */
@RestController
@Tag(name = "Transparency", description = "Reports computed from the public log.")
class ReportApi {

    private static final List<String> FORMATS = List.of("json", "csv", "google", "meta", "pdf");

    private final Reports reports;
    private final tools.jackson.databind.json.JsonMapper json;

    ReportApi(Reports reports, tools.jackson.databind.json.JsonMapper json) {
        this.reports = reports;
        this.json = json;
    }

    @Operation(summary = "Compute the report of a closed period", description = "period like 2026-H1; format json "
            + "(default, names the checkpoint it was computed from), csv (Habeas's columns), google or meta (their "
            + "published column sets) or pdf (with charts).")
    @GetMapping("/api/v1/reports/{period}")
    ResponseEntity<?> report(@PathVariable String period, @RequestParam(defaultValue = "json") String format) {
        if (!org.habeas.ledger.Periods.valid(period)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid period", "A period is written 2026-H1 or 2026-H2.",
                    List.of(Map.of("parameter", "period", "detail", "must look like 2026-H1")));
        }
        if (!FORMATS.contains(format)) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid format", "format is one of " + FORMATS + ".",
                    List.of(Map.of("parameter", "format", "detail", "must be one of " + FORMATS)));
        }
        Map<String, Object> doc;
        try {
            doc = reports.compute(period);
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.CONFLICT, "Period not closed", e.getMessage());
        }
        MediaType csv = MediaType.parseMediaType("text/csv; charset=utf-8");
        return switch (format) {
            case "json" -> ResponseEntity.ok(doc);
            case "csv" -> ResponseEntity.ok().contentType(csv).body(Reports.csv(doc));
            case "google" -> ResponseEntity.ok().contentType(csv).body(reports.google(doc));
            case "meta" -> ResponseEntity.ok().contentType(csv).body(reports.meta(doc));
            default -> {
                String sha256 = Publications.sha256(org.habeas.json.CanonicalJson.write(json.valueToTree(doc)));
                yield ResponseEntity.ok().contentType(MediaType.APPLICATION_PDF)
                        .body(ReportPdf.render(period, sha256, null, doc));
            }
        };
    }
}
