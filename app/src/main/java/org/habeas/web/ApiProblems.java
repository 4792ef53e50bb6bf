package org.habeas.web;

import java.util.List;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error is an RFC 9457 {@code application/problem+json} document. Spring's own errors (wrong media
 * type, unsupported method, missing part, upload too large) get the same shape as Habeas's; problems about
 * particular fields carry an {@code errors} array of {@code {pointer | parameter | header, detail}}.
 */
@RestControllerAdvice
public class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    /** Builds a problem+json response. */
    public static ResponseEntity<ProblemDetail> problem(HttpStatus status, String title, String detail,
            List<? extends Map<String, String>> errors) {
        ProblemDetail body = ProblemDetail.forStatusAndDetail(status, detail);
        body.setTitle(title);
        if (errors != null && !errors.isEmpty()) {
            body.setProperty("errors", errors);
        }
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(body);
    }

    /** A bad query parameter: {@code {"parameter": name, "detail": ...}}. */
    public static Map<String, String> parameter(String name, String detail) {
        return Map.of("parameter", name, "detail", detail);
    }

    @ExceptionHandler(ApiProblem.class)
    ResponseEntity<ProblemDetail> apiProblem(ApiProblem e) {
        return problem(e.status(), e.title(), e.getMessage(), e.errors());
    }

    @ExceptionHandler(Unavailable.class)
    ResponseEntity<ProblemDetail> unavailable(Unavailable e) {
        return unavailableResponse(e);
    }

    /** A 503 problem with Retry-After (and Location, when the call's change was kept). */
    public static ResponseEntity<ProblemDetail> unavailableResponse(Unavailable e) {
        ResponseEntity<ProblemDetail> p = problem(e.status(), e.title(), e.getMessage(), e.errors());
        HttpHeaders h = new HttpHeaders();
        h.putAll(p.getHeaders());
        h.set(HttpHeaders.RETRY_AFTER, Long.toString(e.retryAfterSeconds()));
        if (e.location() != null) {
            h.set(HttpHeaders.LOCATION, e.location());
            p.getBody().setProperty("location", e.location());
        }
        return ResponseEntity.status(e.status()).headers(h).body(p.getBody());
    }

    /**
     * The database did not answer (no connection within the pool's time-out, or the connection broke): 503 with
     * Retry-After rather than 500, since a retry later will do.
     */
    @ExceptionHandler({org.springframework.dao.DataAccessResourceFailureException.class,
            org.springframework.dao.TransientDataAccessException.class,
            org.springframework.transaction.CannotCreateTransactionException.class})
    ResponseEntity<ProblemDetail> databaseUnavailable(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith("/api/")) {
            throw e;
        }
        log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return unavailableResponse(databaseDown());
    }

    /**
     * A transaction that could not be committed or rolled back: when the cause is a connection the database ended
     * or never gave (SQLSTATE class 08, or 57P0x: the server shutting down or restarting), nothing was kept and a
     * retry later will do — 503, as above; anything else is unexpected.
     */
    @ExceptionHandler(org.springframework.transaction.TransactionSystemException.class)
    ResponseEntity<ProblemDetail> transactionFailed(org.springframework.transaction.TransactionSystemException e,
            HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith("/api/") || !connectionLost(e)) {
            return unexpected(e, request);
        }
        log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
        return unavailableResponse(databaseDown());
    }

    /** What HikariCP's closed connection answers to any call, rollback included. */
    private static final String CLOSED_BY_POOL = "Connection is closed";

    /** Whether {@code e} comes of a connection the database ended or did not give. */
    static boolean connectionLost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.sql.SQLTransientConnectionException || t instanceof java.sql.SQLNonTransientConnectionException
                    || t instanceof org.springframework.dao.DataAccessResourceFailureException
                    || t instanceof org.springframework.transaction.CannotCreateTransactionException) {
                return true;
            }
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P0"))) {
                return true;
            }
            // the pool (HikariCP) closed a connection the database had ended, and says so without an SQLSTATE
            if (t instanceof java.sql.SQLException sql && sql.getSQLState() == null
                    && CLOSED_BY_POOL.equals(sql.getMessage())) {
                return true;
            }
        }
        return e instanceof org.springframework.transaction.TransactionSystemException tse
                && tse.getApplicationException() != null && connectionLost(tse.getApplicationException());
    }

    /** The answer while the database does not answer. */
    public static Unavailable databaseDown() {
        return new Unavailable("Database unavailable",
                "Habeas could not reach its database. A change is kept only if it was committed before the "
                        + "failure: reading the resource tells, and a retry with the same Idempotency-Key is safe.",
                java.time.Duration.ofSeconds(5), false);
    }

    /**
     * An upload that is not multipart as RFC 7578 has it (no boundary, cut short, a part header too long): the
     * client's fault, said so. Uploads over the size limit: {@link #handleMaxUploadSizeExceededException}.
     */
    @ExceptionHandler(MultipartException.class)
    ResponseEntity<ProblemDetail> malformedUpload(MultipartException e) throws MultipartException {
        if (e instanceof org.springframework.web.multipart.MaxUploadSizeExceededException) {
            throw e;
        }
        return problem(HttpStatus.BAD_REQUEST, "Malformed upload", "The body is not a complete multipart/form-data "
                + "upload with a boundary (RFC 7578); nothing was stored.",
                List.of(parameter("file", "must be sent as one complete multipart/form-data part")));
    }

    /**
     * Anything unexpected on an API path is a 500 problem without internals; the cause goes to the log.
     * Elsewhere the exception goes on to the HTML error page.
     */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e, HttpServletRequest request) throws Exception {
        if (!request.getRequestURI().startsWith("/api/")) {
            throw e;
        }
        log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
        return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
                "Habeas could not complete this call. A change is kept only if it was committed before the "
                        + "failure; the error is in the server log.", List.of());
    }

    /**
     * An upload over the size limit: on the API a 413 problem naming the file part; from a form, the form's page
     * again with the error next to its file field (nothing of the upload was kept).
     */
    @Override
    protected ResponseEntity<Object> handleMaxUploadSizeExceededException(
            org.springframework.web.multipart.MaxUploadSizeExceededException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        HttpServletRequest http = ((org.springframework.web.context.request.ServletWebRequest) request).getRequest();
        String path = http.getRequestURI().substring(http.getContextPath().length());
        String limit = UploadTooLarge.limit(maxDocumentBytes);
        if (path.startsWith("/api/")) {
            String part = path.endsWith("/messages") || path.endsWith("/answers") ? "files" : "file";
            return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).contentType(MediaType.APPLICATION_PROBLEM_JSON)
                    .body(problem(HttpStatus.CONTENT_TOO_LARGE, "Upload too large", "The upload is larger than "
                            + limit + ", the limit for a document; nothing was stored.",
                            List.of(parameter(part, "must be at most " + limit))).getBody());
        }
        return UploadTooLarge.backToTheForm(path, limit, http,
                ((org.springframework.web.context.request.ServletWebRequest) request).getResponse());
    }

    @org.springframework.beans.factory.annotation.Value("${habeas.intake.max-document-bytes}")
    private long maxDocumentBytes;

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception ex, Object body, HttpHeaders headers,
            HttpStatusCode statusCode, WebRequest request) {
        HttpHeaders h = new HttpHeaders();
        if (headers != null) {
            h.putAll(headers);
        }
        h.setContentType(MediaType.APPLICATION_PROBLEM_JSON);
        return super.handleExceptionInternal(ex, body, h, statusCode, request);
    }
}
