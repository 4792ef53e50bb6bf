package org.habeas.accounts;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Authenticates API calls that carry {@code Authorization: Bearer <token>}. A token that is unknown, expired or
 * revoked is answered with 401 at once (RFC 6750 §3.1), never passed on as an anonymous call. The authentication
 * lasts for this call only; nothing is kept in a session.
 */
class BearerTokenFilter extends OncePerRequestFilter {

    /**
     * The role of a metrics scraper that sent the configured scrape token: it may read {@code /actuator/prometheus} and
     * the details of {@code /actuator/health}.
     */
    static final String SCRAPER = "METRICS_SCRAPER";

    private final Tokens tokens;
    /** SHA-256 of {@code habeas.metrics.scrape-token}, or null when none is configured. */
    private final byte[] scrapeTokenHash;

    BearerTokenFilter(Tokens tokens, String scrapeToken) {
        this.tokens = tokens;
        this.scrapeTokenHash = scrapeToken == null || scrapeToken.isBlank() ? null : sha256(scrapeToken.strip());
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The metrics or the health endpoint (whose details it may see), called with the configured scrape token
     * (compared in constant time).
     */
    private boolean isScrape(HttpServletRequest request, String value) {
        String uri = request.getRequestURI();
        return scrapeTokenHash != null && ("/actuator/prometheus".equals(uri) || "/actuator/health".equals(uri)
                || uri.startsWith("/actuator/health/")) && MessageDigest.isEqual(scrapeTokenHash, sha256(value));
    }

    /**
     * Writes a problem+json body as UTF-8 bytes: through the output stream, so that the servlet container adds no
     * {@code charset} (its default for a writer is ISO-8859-1, which JSON never is).
     */
    static void writeProblem(HttpServletResponse response, String json) throws IOException {
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }

    static boolean carriesBearer(HttpServletRequest request) {
        String h = request.getHeader("Authorization");
        return h != null && h.regionMatches(true, 0, "Bearer ", 0, 7);
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        if (!carriesBearer(request)) {
            chain.doFilter(request, response);
            return;
        }
        String value = request.getHeader("Authorization").substring(7).strip();
        if (isScrape(request, value)) {
            SecurityContext context = SecurityContextHolder.createEmptyContext();
            context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated("metrics scraper", null,
                    List.of(new SimpleGrantedAuthority("ROLE_" + SCRAPER))));
            SecurityContextHolder.setContext(context);
            try {
                chain.doFilter(request, response);
            } finally {
                SecurityContextHolder.clearContext();
            }
            return;
        }
        var caller = tokens.authenticate(value);
        if (caller.isEmpty()) {
            response.setStatus(HttpStatus.UNAUTHORIZED.value());
            response.setHeader("WWW-Authenticate", "Bearer error=\"invalid_token\"");
            writeProblem(response, """
                    {"type":"about:blank","title":"Unauthorized","status":401,\
                    "detail":"The bearer token is unknown, expired or revoked.",\
                    "errors":[{"header":"Authorization","detail":"is not a valid token"}]}""");
            return;
        }
        CallerPrincipal principal = new CallerPrincipal(caller.get());
        SecurityContext context = SecurityContextHolder.createEmptyContext();
        context.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(principal, null,
                principal.authorities()));
        SecurityContextHolder.setContext(context);
        try {
            chain.doFilter(request, response);
        } finally {
            SecurityContextHolder.clearContext();
        }
    }
}
