package org.habeas.trust;

import java.net.URI;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.Agencies;
import org.habeas.accounts.Caller;
import org.habeas.intake.Intake;
import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.habeas.web.JsonBodies;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Recording call-backs to senders. A request's verification state is part of its representation. */
@RestController
@Tag(name = "Verification", description = "Out-of-band confirmation of a request with its sender.")
class TrustApi {

    record CallbackForm(UUID numberId, String calledAt, String outcome, String note) {
    }

    private final SenderTrust trust;
    private final Intake intake;

    TrustApi(SenderTrust trust, Intake intake) {
        this.trust = trust;
        this.intake = intake;
    }

    @Operation(summary = "Record a call-back", description = "The number must be one registered for the sending "
            + "agency. outcome: CONFIRMED (closes VERIFY_REQUESTER_OUT_OF_BAND), NOT_CONFIRMED (a likely forgery; "
            + "counts against the sender), NO_ANSWER. calledAt defaults to now.")
    @ApiResponse(responseCode = "201", description = "The call-back as recorded.")
    @PostMapping("/api/v1/requests/{id}/callbacks")
    ResponseEntity<Callback> record(@PathVariable UUID id, @RequestBody byte[] body) {
        intake.find(id).filter(r -> Caller.require().maySeeRequestOf(r.agencyId()))
                .orElseThrow(() -> ApiProblem.notFound("Request " + id));
        CallbackForm form = JsonBodies.read(body, CallbackForm.class);
        Callback.Outcome outcome;
        try {
            outcome = Callback.Outcome.valueOf(String.valueOf(form.outcome()));
        } catch (IllegalArgumentException e) {
            throw new Agencies.Refused("outcome", "must be CONFIRMED, NOT_CONFIRMED or NO_ANSWER");
        }
        Instant calledAt = null;
        if (form.calledAt() != null && !form.calledAt().isBlank()) {
            try {
                calledAt = OffsetDateTime.parse(form.calledAt()).toInstant();
            } catch (DateTimeParseException e) {
                throw new Agencies.Refused("calledAt", "must be an instant such as 2026-11-28T10:15:00Z");
            }
        }
        Callback c = trust.recordCallback(id, form.numberId(), calledAt, outcome, form.note());
        return ResponseEntity.created(URI.create("/api/v1/requests/" + id)).body(c);
    }

    @ExceptionHandler(Agencies.Refused.class)
    ResponseEntity<ProblemDetail> refused(Agencies.Refused e) {
        return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid value", e.field() + " " + e.getMessage(),
                List.of(Map.of("pointer", "/" + e.field(), "detail", e.getMessage())));
    }
}
