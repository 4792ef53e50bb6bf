package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.habeas.support.TestDatabases;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.context.WebApplicationContext;

/**
 * The tile store in an S3-compatible bucket, against s3rver (an S3 server from the npm registry, which reads AWS
 * Signature Version 4 requests and refuses an access key it does not know): every full tile and closed bundle
 * written once as an object with a year's caching, read back anonymously as a CDN would, and a whole check of the
 * log with its full files taken from the bucket and only the rest from the application.
 */
@SpringBootTest(properties = {"habeas.ledger.checkpoint-interval=1h", "habeas.ledger.tile-store-region=us-east-1"})
@ActiveProfiles("test")
class TileStoreOnS3Test {

    private static final String BUCKET = "habeas-tiles";
    private static Process s3rver;
    private static int port;

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry r) throws Exception {
        TestDatabases.h2(r);
        start();
        r.add("habeas.ledger.tile-store", () -> "s3://" + BUCKET + "/log");
        r.add("habeas.ledger.tile-store-endpoint", () -> "http://127.0.0.1:" + port);
        // s3rver's own credentials, through the AWS SDK's default chain (system properties)
        System.setProperty("aws.accessKeyId", "S3RVER");
        System.setProperty("aws.secretAccessKey", "S3RVER");
    }

    private static void start() throws Exception {
        if (s3rver != null) {
            return;
        }
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path data = Files.createTempDirectory("s3rver");
        s3rver = new ProcessBuilder("s3rver", "-d", data.toString(), "-a", "127.0.0.1", "-p", String.valueOf(port), "-s",
                "--configure-bucket", BUCKET).redirectErrorStream(true)
                .redirectOutput(data.resolveSibling(data.getFileName() + ".log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            try (Socket c = new Socket()) {
                c.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException e) {
                assertThat(s3rver.isAlive()).as("s3rver is running (npm install -g s3rver@3.7.1)").isTrue();
                assertThat(System.nanoTime()).as("s3rver listens within 30 s").isLessThan(deadline);
                Thread.sleep(100);
            }
        }
    }

    @AfterAll
    static void stop() {
        if (s3rver != null) {
            s3rver.destroy();
        }
    }

    @Autowired
    WebApplicationContext context;

    @Autowired
    LedgerStore store;

    @Autowired
    Sequencer sequencer;

    @Autowired
    CheckpointSigner signer;

    @Autowired
    TileStore tileStore;

    @Autowired
    LogKey key;

    MockMvc mvc;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
    }

    /** An object of the bucket as anyone reads it: a plain GET, no signature. */
    private HttpResponse<byte[]> object(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/" + BUCKET + "/log/" + path))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private MvcResult app(String path) throws Exception {
        return mvc.perform(get("/log/" + path)).andReturn();
    }

    @Test
    void fullTilesAndClosedBundlesGoToTheBucketOnceAndAVerifierReadsTheLogFromIt() throws Exception {
        List<CompletableFuture<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            submitted.add(sequencer.submit(("{\"bucket\":" + i + "}").getBytes(StandardCharsets.UTF_8), "2025-H2", "TEST",
                    null));
        }
        for (var f : submitted) {
            f.get(30, TimeUnit.SECONDS);
        }
        signer.sign();
        long size = store.latestCheckpoint().orElseThrow().size();
        int written = tileStore.write();
        assertThat(written).isPositive();
        assertThat(tileStore.directory()).isEmpty();

        // each full tile is an object with the tile's bytes, a year's caching, readable without credentials
        for (long i = 0; i < size / Tiles.WIDTH; i++) {
            Tiles.Tile t = new Tiles.Tile(0, i, Tiles.WIDTH);
            HttpResponse<byte[]> r = object(t.path());
            assertThat(r.statusCode()).as(t.path()).isEqualTo(200);
            assertThat(r.body()).isEqualTo(app(t.path()).getResponse().getContentAsByteArray());
            assertThat(r.headers().firstValue("Cache-Control")).hasValue(StaticTiles.CACHE);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        }
        // the partial tile at the edge is not in the bucket; written once: a second pass writes nothing
        Tiles.Tile last = Tiles.tilesAt(0, size).getLast();
        if (!last.full()) {
            assertThat(object(last.path()).statusCode()).isEqualTo(404);
        }
        assertThat(tileStore.write()).isZero();
        // so does another node's store on the same bucket, which lists what is there
        assertThat(new TileStore("s3://" + BUCKET + "/log", "http://127.0.0.1:" + port, "us-east-1", store,
                java.time.Clock.systemUTC()).write()).isZero();

        // a verifier given the bucket for the full files (as nginx or a CDN in front of it serves them) and the
        // application for the rest checks the whole log
        java.util.concurrent.atomic.AtomicInteger fromBucket = new java.util.concurrent.atomic.AtomicInteger();
        LogVerifier.Fetcher fetcher = path -> {
            try {
                if (path.startsWith("tile/")) {
                    HttpResponse<byte[]> r = object(path);
                    if (r.statusCode() == 200) {
                        fromBucket.incrementAndGet();
                        return new LogVerifier.Response(200, r.body());
                    }
                }
                MvcResult r = app(path);
                return new LogVerifier.Response(r.getResponse().getStatus(), r.getResponse().getContentAsByteArray());
            } catch (IOException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        };
        LogVerifier.Summary s = LogVerifier.verify(fetcher, key.verifier(), List.of(), null, p -> { });
        assertThat(s.size()).isEqualTo(size);
        assertThat(fromBucket.get()).isGreaterThanOrEqualTo((int) (size / Tiles.WIDTH));
    }

    @Test
    void aPutTheServerRefusesFailsWithTheObjectNamed() {
        String before = System.getProperty("aws.accessKeyId");
        System.setProperty("aws.accessKeyId", "NOT-S3RVER");
        try {
            TileStore.Bucket bucket = new TileStore.Bucket("s3://" + BUCKET + "/elsewhere", "http://127.0.0.1:" + port,
                    "us-east-1");
            assertThatThrownBy(() -> bucket.put("tile/0/000", new byte[32]))
                    .isInstanceOf(IOException.class).hasMessageContaining("s3://habeas-tiles/elsewhere/tile/0/000");
        } finally {
            System.setProperty("aws.accessKeyId", before);
        }
    }
}
