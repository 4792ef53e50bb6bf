package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HexFormat;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Full tiles and bundles the tile store holds are answered before the application, like a web server's static
 * files, with the log's caching, ETag and 304; every other path goes on to the application.
 */
class StaticTilesTest {

    @TempDir
    Path dir;

    private record Call(MockHttpServletResponse response, boolean passedOn) {
    }

    private Call call(StaticTiles filter, String method, String uri, String ifNoneMatch, String query) throws Exception {
        MockHttpServletRequest request = new MockHttpServletRequest(method, uri);
        if (ifNoneMatch != null) {
            request.addHeader("If-None-Match", ifNoneMatch);
        }
        request.setQueryString(query);
        MockHttpServletResponse response = new MockHttpServletResponse();
        MockFilterChain chain = new MockFilterChain();
        filter.doFilter(request, response, chain);
        return new Call(response, chain.getRequest() != null);
    }

    private Call get(StaticTiles filter, String uri) throws Exception {
        return call(filter, "GET", uri, null, null);
    }

    @Test
    void storedFullTilesAreServedWithTheLogsCachingAndEverythingElseGoesOn() throws Exception {
        byte[] tile = new byte[Tiles.WIDTH * Merkle.HASH_SIZE];
        new Random(1).nextBytes(tile);
        byte[] bundle = "\u0000\u0002{}".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        Files.createDirectories(dir.resolve("0"));
        Files.createDirectories(dir.resolve("entries"));
        Files.write(dir.resolve("0/000"), tile);
        Files.write(dir.resolve("entries/000"), bundle);
        Files.write(dir.resolve("0/001.p"), tile); // not a canonical name of anything
        StaticTiles filter = new StaticTiles(new TileStore(dir.toString(), null, Clock.systemUTC()));
        String etag = "\"" + HexFormat.of().formatHex(Merkle.sha256().digest(tile)) + "\"";

        Call served = get(filter, "/log/tile/0/000");
        assertThat(served.passedOn()).isFalse();
        assertThat(served.response().getStatus()).isEqualTo(200);
        assertThat(served.response().getContentAsByteArray()).isEqualTo(tile);
        assertThat(served.response().getContentType()).isEqualTo("application/octet-stream");
        assertThat(served.response().getContentLength()).isEqualTo(tile.length);
        assertThat(served.response().getHeader("Cache-Control")).isEqualTo("public, max-age=31536000, immutable");
        assertThat(served.response().getHeader("ETag")).isEqualTo(etag);
        assertThat(served.response().getHeader("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(served.response().getHeader("Content-Security-Policy")).contains("default-src 'none'");

        Call unchanged = call(filter, "GET", "/log/tile/0/000", etag, null);
        assertThat(unchanged.passedOn()).isFalse();
        assertThat(unchanged.response().getStatus()).isEqualTo(304);
        assertThat(unchanged.response().getContentAsByteArray()).isEmpty();
        assertThat(call(filter, "GET", "/log/tile/0/000", "\"another\"", null).response().getStatus()).isEqualTo(200);
        Call head = call(filter, "HEAD", "/log/tile/0/000", null, null);
        assertThat(head.response().getStatus()).isEqualTo(200);
        assertThat(head.response().getContentLength()).isEqualTo(tile.length);
        assertThat(head.response().getContentAsByteArray()).isEmpty();

        Call entries = get(filter, "/log/tile/entries/000");
        assertThat(entries.passedOn()).isFalse();
        assertThat(entries.response().getContentAsByteArray()).isEqualTo(bundle);
        assertThat(get(filter, "/log/published/tile/entries/000").response().getContentAsByteArray()).isEqualTo(bundle);
        assertThat(get(filter, "/log/published/tile/0/000").response().getContentAsByteArray()).isEqualTo(tile);

        // the application answers: partial tiles, files the store lacks, other spellings, other methods, queries
        for (String uri : new String[] {"/log/tile/0/000.p/5", "/log/tile/0/001", "/log/tile/entries/001",
                "/log/tile/00/000", "/log/tile/0/0", "/log/tile/0/x000/000", "/log/tile/0/../0/000",
                "/log/tile/0/000/", "/log/tile/0/001.p", "/log/tile/0/000;x=1", "/log/tile//0/000", "/log/checkpoint",
                "/other/log/tile/0/000", "/log/tile/1/000"}) {
            Call c = get(filter, uri);
            assertThat(c.passedOn()).as(uri).isTrue();
            assertThat(c.response().getContentAsByteArray()).as(uri).isEmpty();
        }
        assertThat(call(filter, "POST", "/log/tile/0/000", null, null).passedOn()).isTrue();
        assertThat(call(filter, "GET", "/log/tile/0/000", null, "x=1").passedOn()).isTrue();

        // no tile store: everything goes on
        StaticTiles none = new StaticTiles(new TileStore("", null, Clock.systemUTC()));
        assertThat(get(none, "/log/tile/0/000").passedOn()).isTrue();
    }
}
