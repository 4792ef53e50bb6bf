package org.habeas.ledger;

import java.io.ByteArrayOutputStream;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.springframework.http.CacheControl;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The public log over HTTP, as C2SP tlog-tiles: the checkpoint, hash tiles, entry bundles, the verifier key, and
 * two convenience proof endpoints. No sign-in. Full tiles never change and are cached for a year (partial ones a
 * minute), with an ETag; full ones come from the {@link TileStore} once it has them. Entry bundles are served only
 * when every entry in them belongs to a closed reporting period.
 */
@RestController
@Hidden
class LogHttp {

    private static final MediaType TEXT = MediaType.parseMediaType("text/plain; charset=utf-8");
    private static final CacheControl IMMUTABLE = CacheControl.maxAge(Duration.ofDays(365)).cachePublic().immutable();
    /** A partial tile or bundle: it never changes either, but the full one soon replaces it. */
    private static final CacheControl PARTIAL = CacheControl.maxAge(Duration.ofSeconds(60)).cachePublic();

    private final LedgerStore store;
    private final LogKey key;
    private final Clock clock;
    private final TileStore files;

    LogHttp(LedgerStore store, LogKey key, Clock clock, TileStore files) {
        this.files = files;
        this.store = store;
        this.key = key;
        this.clock = clock;
    }

    /** The size of the latest signed checkpoint: everything served is within it. */
    private long published() {
        return store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
    }

    @GetMapping("/log/checkpoint")
    ResponseEntity<String> checkpoint() {
        Optional<LedgerStore.SignedCheckpoint> cp = store.latestCheckpoint();
        if (cp.isEmpty()) {
            return text(HttpStatus.SERVICE_UNAVAILABLE, "No checkpoint has been signed yet.\n");
        }
        StringBuilder note = new StringBuilder(cp.get().note());
        store.cosignatures(cp.get().size()).forEach(line -> note.append(line).append('\n'));
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.maxAge(Duration.ofSeconds(2)).cachePublic())
                .body(note.toString());
    }

    /**
     * The latest checkpoint of the log's published prefix: every entry below its size belongs to a closed reporting
     * period, so that a standard tlog-tiles client given {@code /log/published/} as the log's prefix reads the tiles
     * and entry bundles of exactly the published entries, the partial bundle at the edge included.
     */
    @GetMapping("/log/published/checkpoint")
    ResponseEntity<String> publishedCheckpoint() {
        Optional<LedgerStore.SignedCheckpoint> cp = store.latestPublishedCheckpoint();
        if (cp.isEmpty()) {
            return text(HttpStatus.NOT_FOUND, "No entry of the log is published yet: its reporting period is open.\n");
        }
        StringBuilder note = new StringBuilder(cp.get().note());
        store.cosignatures(cp.get().size()).forEach(line -> note.append(line).append('\n'));
        return ResponseEntity.ok().contentType(TEXT).cacheControl(CacheControl.maxAge(Duration.ofSeconds(60)).cachePublic())
                .body(note.toString());
    }

    @GetMapping("/log/vkey")
    ResponseEntity<String> vkey() {
        return ResponseEntity.ok().contentType(TEXT).body(key.verifier().encoded() + "\n");
    }

    /** The tiles and bundles, also under the published prefix's own log prefix (the same files). */
    @GetMapping({"/log/tile/**", "/log/published/tile/**"})
    ResponseEntity<byte[]> tile(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String path = uri.substring(uri.indexOf("/tile/") + "/tile/".length());
        if (path.startsWith("entries/")) {
            return entries(request, path.substring("entries/".length()));
        }
        Tiles.Tile t;
        try {
            t = Tiles.parse(path);
        } catch (IllegalArgumentException e) {
            return bytes(HttpStatus.NOT_FOUND, e.getMessage());
        }
        if (t.full()) {
            Optional<byte[]> stored = files.read(t.path());
            if (stored.isPresent()) {
                return immutable(request, t, stored.get());
            }
        }
        long available = Tiles.hashesAt(t.level(), published());
        long first = t.index() * Tiles.WIDTH;
        if (first + t.width() > available) {
            return bytes(HttpStatus.NOT_FOUND, "no such tile in the published tree");
        }
        List<byte[]> hashes = store.hashes(t.hashLevel(), first, t.width());
        ByteArrayOutputStream out = new ByteArrayOutputStream(t.width() * Merkle.HASH_SIZE);
        hashes.forEach(out::writeBytes);
        return immutable(request, t, out.toByteArray());
    }

    /**
     * A tile or bundle: cached for a year when full, a minute when partial, with an ETag (its SHA-256) so that a
     * client that has it gets {@code 304}.
     */
    private static ResponseEntity<byte[]> immutable(HttpServletRequest request, Tiles.Tile t, byte[] body) {
        String etag = "\"" + java.util.HexFormat.of().formatHex(Merkle.sha256().digest(body)) + "\"";
        CacheControl cache = t.full() ? IMMUTABLE : PARTIAL;
        String asked = request.getHeader("If-None-Match");
        if (asked != null && (asked.equals(etag) || asked.equals("W/" + etag))) {
            return ResponseEntity.status(HttpStatus.NOT_MODIFIED).eTag(etag).cacheControl(cache).build();
        }
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM).cacheControl(cache).eTag(etag)
                .body(body);
    }

    private ResponseEntity<byte[]> entries(HttpServletRequest request, String path) {
        Tiles.Tile t;
        try {
            t = Tiles.parse("0/" + path);
        } catch (IllegalArgumentException e) {
            return bytes(HttpStatus.NOT_FOUND, e.getMessage());
        }
        if (t.full()) {
            Optional<byte[]> stored = files.read(t.entriesPath());
            if (stored.isPresent()) {
                return immutable(request, t, stored.get());
            }
        }
        long first = t.index() * Tiles.WIDTH;
        if (first + t.width() > published()) {
            return bytes(HttpStatus.NOT_FOUND, "no such entry bundle in the published tree");
        }
        List<LedgerStore.Leaf> leaves = store.leaves(first, t.width());
        int closedPrefix = Periods.publishedPrefix(leaves.stream().map(LedgerStore.Leaf::period).toList(),
                clock.instant());
        if (closedPrefix < leaves.size()) {
            LocalDate opens = Periods.closes(leaves.get(closedPrefix).period());
            String hint = closedPrefix == 0 ? "" : " The first " + closedPrefix + " entries are published as "
                    + new Tiles.Tile(0, t.index(), closedPrefix).entriesPath() + ".";
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(TEXT)
                    .header("Habeas-Published-From", opens.toString())
                    .body(("These entries belong to a reporting period that is still open; they are published from "
                            + opens + "." + hint + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return immutable(request, t, TileStore.bundle(leaves));
    }

    @GetMapping(path = "/log/proof/inclusion", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> inclusion(@RequestParam long index, @RequestParam(required = false) Long size) {
        long n = size == null ? published() : size;
        if (n > published() || index < 0 || index >= n) {
            return problem("index must be below size, and size at most the published size " + published());
        }
        Merkle.HashReader hashes = store.prefetch(r -> {
            r.hash(0, index);
            Merkle.inclusionProof(r, index, n);
        });
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("index", index);
        out.put("size", n);
        out.put("leafHash", b64(hashes.hash(0, index)));
        out.put("proof", Merkle.inclusionProof(hashes, index, n).stream().map(LogHttp::b64).toList());
        out.put("root", b64(store.root(n)));
        return ResponseEntity.ok(out);
    }

    @GetMapping(path = "/log/proof/consistency", produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Map<String, Object>> consistency(@RequestParam long from, @RequestParam(required = false) Long to) {
        long n = to == null ? published() : to;
        if (n > published() || from < 1 || from > n) {
            return problem("from must be 1 to to, and to at most the published size " + published());
        }
        Merkle.HashReader hashes = store.prefetch(r -> Merkle.consistencyProof(r, from, n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", from);
        out.put("to", n);
        out.put("proof", Merkle.consistencyProof(hashes, from, n).stream().map(LogHttp::b64).toList());
        out.put("root1", b64(store.root(from)));
        out.put("root2", b64(store.root(n)));
        return ResponseEntity.ok(out);
    }

    private static ResponseEntity<Map<String, Object>> problem(String detail) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("type", "about:blank");
        p.put("title", "Bad Request");
        p.put("status", 400);
        p.put("detail", detail);
        return ResponseEntity.badRequest().contentType(MediaType.APPLICATION_PROBLEM_JSON).body(p);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static ResponseEntity<String> text(HttpStatus status, String body) {
        return ResponseEntity.status(status).contentType(TEXT).body(body);
    }

    private static ResponseEntity<byte[]> bytes(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(TEXT)
                .body((message + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
