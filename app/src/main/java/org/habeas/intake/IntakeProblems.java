package org.habeas.intake;

import java.util.List;
import java.util.Map;

import org.habeas.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** How intake's refusals look on every API that reads Request v1 documents. */
@RestControllerAdvice
class IntakeProblems {

    @ExceptionHandler(RequestRejected.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejected e) {
        List<Map<String, String>> errors = e.errors().stream()
                .map(f -> Map.of("pointer", f.pointer(), "detail", f.detail()))
                .toList();
        if (e.malformed()) {
            return ApiProblems.problem(HttpStatus.BAD_REQUEST, "Malformed JSON", e.getMessage(), errors);
        }
        return ApiProblems.problem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid request", e.getMessage(), errors);
    }

    @ExceptionHandler(IdempotencyConflict.class)
    ResponseEntity<ProblemDetail> conflict(IdempotencyConflict e) {
        ResponseEntity<ProblemDetail> problem = ApiProblems.problem(HttpStatus.CONFLICT, "Idempotency-Key reused",
                e.getMessage() + " Use a new key for a new request.",
                List.of(Map.of("header", "Idempotency-Key", "detail", "already used for another request")));
        return problem;
    }

    @ExceptionHandler(SignatureReplayed.class)
    ResponseEntity<ProblemDetail> replayed(SignatureReplayed e) {
        return ApiProblems.problem(HttpStatus.CONFLICT, "Signature already used", e.getMessage()
                + " Sign each request anew, with a fresh \"iat\" and \"jti\".",
                List.of(Map.of("header", org.habeas.accounts.Signatures.HEADER, "detail", "was used before")));
    }

}
