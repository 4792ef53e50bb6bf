package org.habeas.web;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.servlet.FlashMap;
import org.springframework.web.servlet.support.SessionFlashMapManager;

/**
 * A form whose file is over the size limit. The container refuses such an upload when its parts are first read —
 * for a form, by the CSRF check, before any controller — so a form's upload is read here first, and one over the
 * limit sends the person back to the form's page with the error next to its file field, as a refused form is (the
 * flash attributes the forms read: {@code failed}, {@code failedField}, {@code failedMessage}). Nothing of the upload
 * is kept. API calls go on to {@link ApiProblems}, which answers 413 problem+json. It runs after the session
 * filter (sessions live in the database, and the flash attributes with them) and before the security filters.
 */
@Component
@Order(org.springframework.session.web.http.SessionRepositoryFilter.DEFAULT_ORDER + 10)
class UploadTooLarge extends OncePerRequestFilter {

    /** The forms with a file field: the new request, the requester's answer and message, the staff's messages. */
    private static final Pattern PORTAL_CASE = Pattern.compile("^/portal/requests/([0-9a-fA-F-]{36})/(answer|message)$");
    private static final Pattern STAFF_CASE = Pattern.compile("^/requests/([0-9a-fA-F-]{36})/case/([a-z-]+)$");

    private final long maxDocumentBytes;

    UploadTooLarge(@Value("${habeas.intake.max-document-bytes}") long maxDocumentBytes) {
        this.maxDocumentBytes = maxDocumentBytes;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String type = request.getContentType();
        return !"POST".equals(request.getMethod()) || type == null
                || !type.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                || path(request).startsWith("/api/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            request.getParts();
        } catch (IllegalStateException | ServletException | IOException e) {
            if (tooLarge(e)) {
                ResponseEntity<Object> answer = backToTheForm(path(request), limit(maxDocumentBytes), request, response);
                response.setStatus(answer.getStatusCode().value());
                answer.getHeaders().forEach((name, values) -> values.forEach(v -> response.addHeader(name, v)));
                if (answer.getBody() != null) {
                    response.setContentType("text/plain;charset=UTF-8");
                    response.getWriter().write(answer.getBody().toString());
                }
                return;
            }
            // another malformed upload: the controllers' own handling says so
        }
        chain.doFilter(request, response);
    }

    private static boolean tooLarge(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().contains("SizeLimitExceeded")
                    || (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains("exceed"))) {
                return true;
            }
        }
        return false;
    }

    private static String path(HttpServletRequest request) {
        return request.getRequestURI().substring(request.getContextPath().length());
    }

    static String limit(long bytes) {
        return bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0 ? bytes / (1024 * 1024) + " MB"
                : bytes >= 1024 && bytes % 1024 == 0 ? bytes / 1024 + " KB" : bytes + " bytes";
    }

    static ResponseEntity<Object> backToTheForm(String path, String limit, HttpServletRequest request,
            HttpServletResponse response) {
        String message = "the file is larger than " + limit + ", the limit; nothing was sent. Choose a smaller file.";
        FlashMap flash = new FlashMap();
        Matcher portal = PORTAL_CASE.matcher(path);
        Matcher staff = STAFF_CASE.matcher(path);
        if (path.equals("/portal/new")) {
            flash.put("orderError", "The order itself: " + message);
            return redirect(flash, "/portal/new", "/portal/new#order", request, response);
        }
        if (portal.matches() || staff.matches()) {
            Matcher m = portal.matches() ? portal : staff;
            flash.put("failed", m.group(2));
            flash.put("failedField", "files");
            flash.put("failedMessage", "Documents: " + message);
            flash.put("error", "files: " + message);
            flash.put("typed", Map.of());
            String page = (portal.matches() ? "/portal/requests/" : "/requests/") + m.group(1);
            return redirect(flash, page, page + "#f-" + m.group(2), request, response);
        }
        return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE)
                .body("The upload is larger than " + limit + ", the limit; nothing was stored.\n");
    }

    private static ResponseEntity<Object> redirect(FlashMap flash, String page, String location,
            HttpServletRequest request, HttpServletResponse response) {
        flash.setTargetRequestPath(request.getContextPath() + page);
        new SessionFlashMapManager().saveOutputFlashMap(flash, request, response);
        HttpHeaders h = new HttpHeaders();
        h.set(HttpHeaders.LOCATION, request.getContextPath() + location);
        return new ResponseEntity<>(h, HttpStatus.SEE_OTHER);
    }
}
