package org.habeas.casework;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.web.ApiProblems;
import org.habeas.web.JsonBodies;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Who works on a case, over the API. */
@RestController
@Tag(name = "Cases")
class AssignmentApi {

    /** {@code assignee}: a caseworker's user name, or null for nobody; {@code expected}: the assignee the caller saw. */
    record AssignmentForm(String assignee, String expected) {
    }

    private final Assignments assignments;
    private final tools.jackson.databind.json.JsonMapper json;

    AssignmentApi(Assignments assignments, tools.jackson.databind.json.JsonMapper json) {
        this.assignments = assignments;
        this.json = json;
    }

    @Operation(summary = "Assign a case (staff)", description = "assignee: a caseworker's user name, or null to "
            + "hand the case back; expected: the assignee you saw (null: nobody). Analysts take cases and hand back "
            + "their own; legal reviewers and human-rights officers also assign to colleagues. 409 with the current "
            + "assignee when the case changed meanwhile.")
    @PostMapping(path = "/api/v1/cases/{id}/assignment", consumes = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<?> assign(@PathVariable UUID id, @RequestBody byte[] body) {
        AssignmentForm form = JsonBodies.read(body, AssignmentForm.class);
        boolean expectedGiven = json.readTree(body).has("expected");
        Assignments.Assignment a;
        try {
            a = assignments.assign(id, form.assignee(), form.expected(), expectedGiven);
        } catch (Cases.Refused e) {
            ResponseEntity<ProblemDetail> problem = ApiProblems.problem(e.status(), switch (e.kind()) {
                case FORBIDDEN -> "Not allowed";
                case NOT_FOUND -> "Not found";
                case CONFLICT -> "Not in this state";
                case INVALID -> "Invalid value";
            }, e.getMessage(), List.of(Map.of("pointer", "/" + e.field().replace('.', '/'), "detail", e.getMessage())));
            if (e.state() != null && problem.getBody() != null) {
                problem.getBody().setProperty("state", e.state());
                problem.getBody().setProperty("assignee", assignments.assignee(id).orElse(null)); // who has it now
            }
            return problem;
        }
        java.util.LinkedHashMap<String, Object> out = new java.util.LinkedHashMap<>();
        out.put("requestId", id);
        out.put("assignee", a == null ? null : a.assignee());
        out.put("assigneeName", a == null ? null : a.displayName());
        out.put("assignedAt", a == null ? null : a.assignedAt());
        return ResponseEntity.ok(out);
    }
}
