package org.habeas.casework;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Casework over the API: the case of a request, proposals, four-eyes decisions, questions, withdrawal. */
@RestController
@RequestMapping("/api/v1/cases")
@Tag(name = "Cases", description = "The life of a request's case: proposals, decisions with four eyes, withdrawal.")
class CaseApi {

    record ProposalForm(String outcome, Cases.Scope scope, String reason, String justification) {
    }

    record DecisionForm(String action, String outcome, Cases.Scope scope, String reason, String justification) {
    }

    record TextForm(String text) {
    }

    private final Cases cases;
    private final Letters letters;

    CaseApi(Cases cases, Letters letters) {
        this.cases = cases;
        this.letters = letters;
    }

    @Operation(summary = "The decision letter", description = "format=text (default) or pdf. Each reason with its "
            + "legal basis. 409 until the case is decided.")
    @GetMapping("/{id}/letter")
    ResponseEntity<byte[]> letter(@PathVariable UUID id,
            @org.springframework.web.bind.annotation.RequestParam(defaultValue = "text") String format) {
        cases.visible(id, Caller.require());
        if (format.equals("pdf")) {
            return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                    .header("Content-Disposition", "attachment; filename=\"habeas-decision-" + id + ".pdf\"")
                    .body(letters.pdf(id));
        }
        if (!format.equals("text")) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "format", "must be text or pdf");
        }
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.parseMediaType("text/plain; charset=utf-8"))
                .body(letters.text(id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Operation(summary = "Read a case", description = "State, timeline, proposals and decision (requesters see their "
            + "own agency's cases, without staff deliberations).")
    @GetMapping("/{id}")
    Cases.Case get(@PathVariable UUID id) {
        Caller caller = Caller.require();
        Cases.Case c = cases.visible(id, caller);
        return caller.is(UserRole.REQUESTER) ? Cases.forRequester(c) : c;
    }

    @Operation(summary = "Propose a decision (analyst)", description = "outcome ACCEPT, NARROW (scope: dataCategories, "
            + "periodFrom, periodTo, targets — by default the engine's proposal), ESCALATE or REFUSE; reason required; "
            + "justification required when going against the engine.")
    @PostMapping("/{id}/proposals")
    ResponseEntity<Cases.Proposal> propose(@PathVariable UUID id, @RequestBody ProposalForm form) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(cases.propose(id, outcome(form.outcome()), form.scope(), form.reason(), form.justification()));
    }

    @Operation(summary = "Decide (legal reviewer; human-rights officer when escalated)", description = "action CONFIRM "
            + "the open proposal, or CHANGE it to outcome (and scope). Never the proposer.")
    @PostMapping("/{id}/decision")
    Cases.Case decide(@PathVariable UUID id, @RequestBody DecisionForm form) {
        boolean confirm;
        if ("CONFIRM".equals(form.action())) {
            confirm = true;
        } else if ("CHANGE".equals(form.action())) {
            confirm = false;
        } else {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "action", "must be CONFIRM or CHANGE");
        }
        return cases.decide(id, confirm, confirm ? null : outcome(form.outcome()), form.scope(), form.reason(),
                form.justification());
    }

    @Operation(summary = "Ask the requester (staff)", description = "The case waits for the answer.")
    @PostMapping("/{id}/questions")
    Cases.Case ask(@PathVariable UUID id, @RequestBody TextForm form) {
        return cases.ask(id, form.text());
    }

    @Operation(summary = "Answer a question (requester)")
    @PostMapping("/{id}/answers")
    Cases.Case answer(@PathVariable UUID id, @RequestBody TextForm form) {
        return Cases.forRequester(cases.answer(id, form.text()));
    }

    @Operation(summary = "Withdraw the request (requester, or staff on their behalf)")
    @PostMapping("/{id}/withdrawal")
    Cases.Case withdraw(@PathVariable UUID id, @RequestBody TextForm form) {
        return cases.withdraw(id, form.text());
    }

    private static Outcome outcome(String s) {
        try {
            return s == null ? null : Outcome.valueOf(s);
        } catch (IllegalArgumentException e) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "outcome", "must be ACCEPT, NARROW, ESCALATE or REFUSE");
        }
    }

    @ExceptionHandler(Cases.Refused.class)
    ResponseEntity<ProblemDetail> refused(Cases.Refused e) {
        ResponseEntity<ProblemDetail> problem = ApiProblems.problem(e.status(), switch (e.kind()) {
            case FORBIDDEN -> "Not allowed";
            case NOT_FOUND -> "Not found";
            case CONFLICT -> "Not in this state";
            case INVALID -> "Invalid value";
        }, e.getMessage(), List.of(Map.of("pointer", "/" + e.field().replace('.', '/'), "detail", e.getMessage())));
        if (e.state() != null && problem.getBody() != null) {
            problem.getBody().setProperty("state", e.state()); // the loser of a race learns what the case is now
        }
        return problem;
    }
}
