package org.habeas.web;

import java.util.List;
import java.util.Map;

import org.springframework.http.HttpStatus;

/** Thrown by API controllers to answer with an RFC 9457 problem. */
public class ApiProblem extends RuntimeException {

    private final HttpStatus status;
    private final String title;
    private final List<Map<String, String>> errors;

    public ApiProblem(HttpStatus status, String title, String detail, List<Map<String, String>> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? List.of() : List.copyOf(errors);
    }

    public ApiProblem(HttpStatus status, String title, String detail) {
        this(status, title, detail, List.of());
    }

    public static ApiProblem notFound(String what) {
        return new ApiProblem(HttpStatus.NOT_FOUND, "Not found", what + " does not exist.");
    }

    public HttpStatus status() {
        return status;
    }

    public String title() {
        return title;
    }

    public List<Map<String, String>> errors() {
        return errors;
    }
}
