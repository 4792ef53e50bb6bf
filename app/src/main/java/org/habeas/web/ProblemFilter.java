package org.habeas.web;

import java.io.IOException;
import java.sql.SQLTransientConnectionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.TransientDataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The outermost filter: an exception that escapes every other filter on an API path (the bearer-token filter while
 * the database is down, say) is answered in problem+json like every other API error — 503 with Retry-After when
 * the database did not answer, else 500 — instead of the servlet container's error page.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class ProblemFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(ProblemFilter.class);

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (ServletException | IOException | RuntimeException e) {
            if (!request.getRequestURI().startsWith("/api/") || response.isCommitted()) {
                throw e;
            }
            response.resetBuffer();
            response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            response.setCharacterEncoding("UTF-8");
            if (databaseDown(e)) {
                Unavailable u = ApiProblems.databaseDown();
                log.warn("Database unavailable on {} {}: {}", request.getMethod(), request.getRequestURI(), e.toString());
                response.setStatus(u.status().value());
                response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(u.retryAfterSeconds()));
                response.getWriter().write(json(u.status().value(), u.title(), u.getMessage()));
            } else {
                log.error("Unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
                response.setStatus(500);
                response.getWriter().write(json(500, "Internal error", "Habeas could not complete this call; the "
                        + "error is in the server log."));
            }
        }
    }

    static boolean databaseDown(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DataAccessResourceFailureException || t instanceof TransientDataAccessException
                    || t instanceof CannotCreateTransactionException || t instanceof SQLTransientConnectionException) {
                return true;
            }
        }
        return false;
    }

    private static String json(int status, String title, String detail) {
        return "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status + ",\"detail\":\""
                + detail.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
    }
}
