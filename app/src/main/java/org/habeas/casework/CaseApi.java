package org.habeas.casework;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.web.ApiProblems;
import org.habeas.web.JsonBodies;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
    private final org.habeas.intake.Intake intake;
    private final tools.jackson.databind.json.JsonMapper json;

    private final CaseAttachments attachments;

    CaseApi(Cases cases, Letters letters, org.habeas.intake.Intake intake, tools.jackson.databind.json.JsonMapper json,
            CaseAttachments attachments) {
        this.attachments = attachments;
        this.cases = cases;
        this.letters = letters;
        this.intake = intake;
        this.json = json;
    }

    /** The identifiers the caller may not see: none for staff and requesters, the request's own for oversight. */
    private java.util.List<String> withheld(UUID id, Caller caller) {
        return caller.seesIdentifiers() ? java.util.List.of() : intake.identifiers(id);
    }

    @Operation(summary = "The decision letter", description = "format=text (default) or pdf. Each reason with its "
            + "legal basis. 409 until the case is decided.")
    @GetMapping("/{id}/letter")
    ResponseEntity<byte[]> letter(@PathVariable UUID id,
            @org.springframework.web.bind.annotation.RequestParam(defaultValue = "text") String format) {
        Caller caller = Caller.require();
        cases.visible(id, caller);
        java.util.List<String> withheld = withheld(id, caller);
        if (format.equals("pdf")) {
            return ResponseEntity.ok().contentType(org.springframework.http.MediaType.APPLICATION_PDF)
                    .header("Content-Disposition", "attachment; filename=\"habeas-decision-" + id + ".pdf\"")
                    .body(letters.pdf(id, withheld));
        }
        if (!format.equals("text")) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "format", "must be text or pdf");
        }
        return ResponseEntity.ok().contentType(org.springframework.http.MediaType.parseMediaType("text/plain; charset=utf-8"))
                .body(org.habeas.intake.Redaction.scrub(letters.text(id), withheld).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Operation(summary = "Read a case", description = "State, timeline, proposals and decision (requesters see their "
            + "own agency's cases, without staff deliberations).")
    @GetMapping("/{id}")
    Object get(@PathVariable UUID id) {
        Caller caller = Caller.require();
        Cases.Case c = cases.visible(id, caller);
        if (caller.is(UserRole.REQUESTER)) {
            return Cases.forRequester(c);
        }
        java.util.List<String> withheld = withheld(id, caller);
        return withheld.isEmpty() ? c : org.habeas.intake.Redaction.scrub(json.valueToTree(c), withheld);
    }

    @Operation(summary = "Propose a decision (analyst)", description = "outcome ACCEPT, NARROW (scope: dataCategories, "
            + "periodFrom, periodTo, targets — by default the engine's proposal), ESCALATE or REFUSE; reason required; "
            + "justification required when going against the engine.")
    @ApiResponse(responseCode = "201", description = "The proposal.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, path = "/{id}/proposals")
    ResponseEntity<Cases.Proposal> propose(@PathVariable UUID id, @RequestBody byte[] body) {
        ProposalForm form = form(body, ProposalForm.class);
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(cases.propose(id, outcome(form.outcome()), scope(form.scope()), form.reason(), form.justification()));
    }

    @Operation(summary = "Decide (legal reviewer; human-rights officer when escalated)", description = "action CONFIRM "
            + "the open proposal, or CHANGE it to outcome (and scope). Never the proposer.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, path = "/{id}/decision")
    Cases.Case decide(@PathVariable UUID id, @RequestBody byte[] body) {
        DecisionForm form = form(body, DecisionForm.class);
        boolean confirm;
        if ("CONFIRM".equals(form.action())) {
            confirm = true;
        } else if ("CHANGE".equals(form.action())) {
            confirm = false;
        } else {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "action", "must be CONFIRM or CHANGE");
        }
        return cases.decide(id, confirm, confirm ? null : outcome(form.outcome()), scope(form.scope()), form.reason(),
                form.justification());
    }

    @Operation(summary = "Ask the requester (staff)", description = "The case waits for the answer.")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, path = "/{id}/questions")
    Cases.Case ask(@PathVariable UUID id, @RequestBody byte[] body) {
        TextForm form = form(body, TextForm.class);
        return cases.ask(id, form.text());
    }

    @Operation(summary = "Answer a question (requester)")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, path = "/{id}/answers")
    Cases.Case answer(@PathVariable UUID id, @RequestBody byte[] body) {
        TextForm form = form(body, TextForm.class);
        return Cases.forRequester(cases.answer(id, form.text()));
    }

    @Operation(summary = "Answer a question with documents (requester)", description = "multipart/form-data: the "
            + "answer in the part 'text', files in parts 'file' (as the request's documents: PDF, images, plain text, "
            + "XML; size bounded; at most 10).")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, path = "/{id}/answers")
    Cases.Case answerWithFiles(@PathVariable UUID id,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String text,
            @org.springframework.web.bind.annotation.RequestPart(name = "file", required = false)
            List<org.springframework.web.multipart.MultipartFile> files) {
        return Cases.forRequester(cases.answer(id, text, CasePages.uploads(files)));
    }

    @Operation(summary = "Write a message on the case (staff or the requesting agency)", description = "multipart/"
            + "form-data: the message in the part 'text', documents in parts 'file' (PDF, images, plain text, XML; "
            + "size bounded; at most 10). While the case is open; 409 on a withdrawn or closed case. Attachments are "
            + "downloaded as the request's documents.")
    @ApiResponse(responseCode = "201", description = "The case's messages, the new one included.")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE, path = "/{id}/messages")
    ResponseEntity<List<CaseAttachments.Message>> message(@PathVariable UUID id,
            @org.springframework.web.bind.annotation.RequestParam(required = false) String text,
            @org.springframework.web.bind.annotation.RequestPart(name = "file", required = false)
            List<org.springframework.web.multipart.MultipartFile> files) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(attachments.thread(cases.message(id, text, CasePages.uploads(files))));
    }

    @Operation(summary = "Withdraw the request (requester, or staff on their behalf)")
    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, path = "/{id}/withdrawal")
    Cases.Case withdraw(@PathVariable UUID id, @RequestBody byte[] body) {
        TextForm form = form(body, TextForm.class);
        return cases.withdraw(id, form.text());
    }

    /** Reads a command's body as every API body is read (see {@link JsonBodies}). */
    private static <T> T form(byte[] body, Class<T> type) {
        return JsonBodies.read(body, type);
    }

    /** A scope is checked when it is proposed, so that a decided case can always be executed. */
    private static Cases.Scope scope(Cases.Scope s) {
        if (s == null) {
            return null;
        }
        date(s.periodFrom(), "scope.periodFrom");
        date(s.periodTo(), "scope.periodTo");
        if (s.dataCategories() != null && s.dataCategories().contains(null)) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "scope.dataCategories", "must not contain null");
        }
        if (s.targets() != null && s.targets().contains(null)) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "scope.targets", "must not contain null");
        }
        return s;
    }

    private static void date(String value, String field) {
        if (value == null) {
            return;
        }
        try {
            java.time.LocalDate.parse(value);
        } catch (java.time.format.DateTimeParseException e) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, field, "must be a date such as 2026-07-01");
        }
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
