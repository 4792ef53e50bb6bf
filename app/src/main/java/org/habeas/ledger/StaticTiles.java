package org.habeas.ledger;

import java.io.IOException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;
import org.springframework.web.filter.ServerHttpObservationFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Full tiles and entry bundles straight from the {@link TileStore}, the way a web server in front would serve them:
 * ahead of the security filters, the session and Spring MVC, with no database read. They are public, never change
 * and are the same on every node. Only a GET or HEAD of a canonical tile path (as the log itself writes it) that the
 * store holds is answered here, with the same caching, ETag and {@code 304} as {@link LogHttp}; anything else —
 * partial tiles, bundles not yet in the store, any other spelling of a path — goes on to the application. Each call
 * is still timed in {@code http_server_requests} (the observation filter comes first).
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 2)
class StaticTiles extends OncePerRequestFilter {

    static final String CACHE = "public, max-age=31536000, immutable";
    /** A file is never a page: it runs nothing, loads nothing, is framed by nothing. */
    private static final String CSP = "default-src 'none'; frame-ancestors 'none'";
    /** The ETags of files served, so that a file is hashed once rather than on every call. */
    private static final int MAX_ETAGS = 100_000;

    private final TileStore store;
    private final Map<String, String> etags = new ConcurrentHashMap<>();

    StaticTiles(TileStore store) {
        this.store = store;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String method = request.getMethod();
        return store.directory().isEmpty() || !("GET".equals(method) || "HEAD".equals(method))
                || file(request) == null;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String path = file(request);
        Optional<byte[]> stored = path == null ? Optional.empty() : store.read(path);
        if (stored.isEmpty()) {
            chain.doFilter(request, response);
            return;
        }
        byte[] body = stored.get();
        // timed under the same route as the application's own answer for the path
        ServerHttpObservationFilter.findObservationContext(request).ifPresent(c -> c.setPathPattern(
                request.getRequestURI().substring(request.getContextPath().length()).startsWith("/log/published/")
                        ? "/log/published/tile/**" : "/log/tile/**"));
        String etag = etag(path, body);
        response.setHeader("Cache-Control", CACHE);
        response.setHeader("ETag", etag);
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", CSP);
        if (request.isSecure()) {
            response.setHeader("Strict-Transport-Security", "max-age=31536000 ; includeSubDomains");
        }
        String asked = request.getHeader("If-None-Match");
        if (asked != null && (asked.equals(etag) || asked.equals("W/" + etag))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType("application/octet-stream");
        response.setContentLength(body.length);
        if ("GET".equals(request.getMethod())) {
            response.getOutputStream().write(body);
        }
    }

    /** The ETag of a stored file: its SHA-256, as {@link LogHttp} gives it. */
    private String etag(String path, byte[] body) {
        String known = etags.get(path);
        if (known != null) {
            return known;
        }
        String etag = "\"" + HexFormat.of().formatHex(Merkle.sha256().digest(body)) + "\"";
        if (etags.size() >= MAX_ETAGS) {
            etags.clear();
        }
        etags.put(path, etag);
        return etag;
    }

    /**
     * The store's path ({@code tile/...}) of a full tile or bundle asked for under {@code /log/tile/} or
     * {@code /log/published/tile/}, if the request names one in its canonical form; else null.
     */
    static String file(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String context = request.getContextPath();
        if (!uri.startsWith(context) || request.getQueryString() != null) {
            return null;
        }
        String rest = uri.substring(context.length());
        String path;
        if (rest.startsWith("/log/tile/")) {
            path = rest.substring("/log/".length());
        } else if (rest.startsWith("/log/published/tile/")) {
            path = rest.substring("/log/published/".length());
        } else {
            return null;
        }
        try {
            if (path.startsWith("tile/entries/")) {
                Tiles.Tile t = Tiles.parse("0/" + path.substring("tile/entries/".length()));
                return t.full() && t.entriesPath().equals(path) ? path : null;
            }
            Tiles.Tile t = Tiles.parse(path.substring("tile/".length()));
            return t.full() && t.path().equals(path) ? path : null;
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            return null;
        }
    }
}
