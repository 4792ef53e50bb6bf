package org.habeas.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * The tile store: every full hash tile, and every full entry bundle whose entries all belong to closed reporting
 * periods (in log order: a bundle waits for those before it, so that a pass reads at most one bundle not yet due),
 * written once as a file in the log's own layout ({@code <L>/<N>}, {@code entries/<N>}) under
 * {@code habeas.ledger.tile-store} (default {@code $HABEAS_HOME/ledger/tiles}; empty: none), as soon as a signed
 * checkpoint covers it. These files never change, so a web server can serve {@code /log/tile/} straight from the
 * directory and the application serves them from there without a database read. Each node writes its own copy (the
 * content is the same on every node); a file is written to a temporary name and moved into place, so a reader never
 * sees half of one.
 *
 * <p>{@code habeas.ledger.tile-store=s3://bucket/prefix} keeps them in an S3-compatible bucket instead (Amazon S3,
 * or any server that speaks its API at {@code habeas.ledger.tile-store-endpoint}), each object with a year's
 * caching, for the bucket or a CDN in front of it to serve; every node writes to the same bucket (the same bytes
 * under the same key), and the application itself serves the tiles from its database.
 */
@Component
class TileStore {

    private static final Logger log = LoggerFactory.getLogger(TileStore.class);

    /** The directory, when the files are kept in one; else null. */
    private final Path dir;
    /** Where the files are kept: the directory, a bucket, or nothing. */
    private final Storage files;
    private final LedgerStore store;
    private final Clock clock;
    /** Per tile level, how many full tiles are known to be in the store; and how many entry bundles. */
    private final long[] tiles = new long[64];
    private long bundles;

    /**
     * @param where    a directory, or {@code s3://bucket/prefix} for an S3-compatible bucket; empty: none
     * @param endpoint the bucket's endpoint URL when it is not Amazon S3's (a path-style S3-compatible server)
     * @param region   the bucket's region
     */
    @Autowired
    TileStore(@Value("${habeas.ledger.tile-store:${habeas.home}/ledger/tiles}") String where,
            @Value("${habeas.ledger.tile-store-endpoint:}") String endpoint,
            @Value("${habeas.ledger.tile-store-region:us-east-1}") String region, LedgerStore store, Clock clock) {
        if (where == null || where.isBlank()) {
            this.dir = null;
            this.files = null;
        } else if (where.startsWith("s3://")) {
            this.dir = null;
            this.files = new Bucket(where, endpoint, region);
        } else {
            this.dir = Path.of(where);
            this.files = new Directory(dir);
        }
        this.store = store;
        this.clock = clock;
    }

    TileStore(String dir, LedgerStore store, Clock clock) {
        this(dir, "", "us-east-1", store, clock);
    }

    /** The directory, if the tile store is one (a web server can serve it, and so does the application). */
    Optional<Path> directory() {
        return Optional.ofNullable(dir);
    }

    @Scheduled(fixedDelayString = "${habeas.ledger.checkpoint-interval:2s}", initialDelayString = "${habeas.ledger.checkpoint-interval:2s}")
    void scheduled() {
        try {
            write();
        } catch (IOException | RuntimeException e) {
            log.warn("Tile store: could not write the new tiles ({}); they are served from the database", e.toString());
        }
    }

    /** Writes every full tile and closed full entry bundle the latest checkpoint covers and the store lacks. */
    synchronized int write() throws IOException {
        if (files == null) {
            return 0;
        }
        long size = store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
        int written = 0;
        for (int level = 0; Tiles.hashesAt(level, size) >= Tiles.WIDTH; level++) {
            long full = Tiles.hashesAt(level, size) / Tiles.WIDTH;
            for (long i = tiles[level]; i < full; i++) {
                Tiles.Tile t = new Tiles.Tile(level, i, Tiles.WIDTH);
                if (!files.has(t.path())) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(Tiles.WIDTH * Merkle.HASH_SIZE);
                    store.hashes(t.hashLevel(), i * Tiles.WIDTH, Tiles.WIDTH).forEach(out::writeBytes);
                    files.put(t.path(), out.toByteArray());
                    written++;
                }
                tiles[level] = i + 1;
            }
        }
        for (long i = bundles; i < size / Tiles.WIDTH; i++) {
            Tiles.Tile t = new Tiles.Tile(0, i, Tiles.WIDTH);
            if (!files.has(t.entriesPath())) {
                List<LedgerStore.Leaf> leaves = store.leaves(i * Tiles.WIDTH, Tiles.WIDTH);
                if (Periods.publishedPrefix(leaves.stream().map(LedgerStore.Leaf::period).toList(), clock.instant())
                        < leaves.size()) {
                    break; // its period is still open, and so are those of every later bundle
                }
                files.put(t.entriesPath(), bundle(leaves));
                written++;
            }
            bundles = i + 1;
        }
        return written;
    }

    /**
     * The stored file for a full tile or bundle ({@code tile/...} path), if the store is a directory and has it. A
     * bucket is read by its own web server or CDN, not through the application, which serves from its database.
     */
    Optional<byte[]> read(String path) {
        return files == null ? Optional.empty() : files.read(path);
    }


    static byte[] bundle(List<LedgerStore.Leaf> leaves) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (LedgerStore.Leaf l : leaves) {
            out.write(l.entry().length >>> 8);
            out.write(l.entry().length & 0xff);
            out.writeBytes(l.entry());
        }
        return out.toByteArray();
    }

    /** Where the files are kept; {@code path} is the log's ({@code tile/...}). */
    interface Storage {
        boolean has(String path) throws IOException;

        /** Writes the file whole: a reader sees all of it or none. */
        void put(String path, byte[] content) throws IOException;

        /** The file, for the application to serve; empty where the store is served by its own web server. */
        Optional<byte[]> read(String path);
    }

    /** A directory in the log's own layout ({@code <L>/<N>}, {@code entries/<N>}). */
    private record Directory(Path dir) implements Storage {
        @Override
        public boolean has(String path) {
            return Files.exists(file(path));
        }

        @Override
        public void put(String path, byte[] content) throws IOException {
            Path file = file(path);
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
            Files.write(tmp, content);
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }

        @Override
        public Optional<byte[]> read(String path) {
            try {
                return Optional.of(Files.readAllBytes(file(path)));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            } catch (IOException e) {
                log.warn("Tile store: could not read {} ({})", path, e.toString());
                return Optional.empty();
            }
        }

        private Path file(String path) {
            return dir.resolve(path.substring("tile/".length()));
        }
    }

    /**
     * An S3-compatible bucket, under a prefix, in the log's own layout ({@code <prefix>/tile/<L>/<N>}): each object
     * written with the caching a full tile has, so that the bucket, or a CDN in front of it, serves
     * {@code /log/tile/} as it is. Credentials come from the AWS SDK's default chain (for example
     * {@code AWS_ACCESS_KEY_ID} and {@code AWS_SECRET_ACCESS_KEY}); a PUT of an object is atomic.
     */
    static final class Bucket implements Storage {
        private final S3Client s3;
        private final String bucket;
        private final String prefix;
        /** The keys known to be in the bucket: listed on first use, and each one written since. */
        private Set<String> listed;

        Bucket(String url, String endpoint, String region) {
            URI uri = URI.create(url);
            if (uri.getHost() == null || uri.getHost().isBlank()) {
                throw new IllegalArgumentException("habeas.ledger.tile-store: no bucket in " + url);
            }
            this.bucket = uri.getHost();
            String p = uri.getPath() == null ? "" : uri.getPath().replaceAll("^/+|/+$", "");
            this.prefix = p.isEmpty() ? "" : p + "/";
            S3ClientBuilder b = S3Client.builder().httpClient(UrlConnectionHttpClient.create())
                    .region(Region.of(region))
                    // what S3-compatible servers accept: the whole body signed (the files are small), not sent in
                    // aws-chunked signed chunks, and a checksum only where the API requires one
                    .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                    .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                    .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED);
            if (endpoint != null && !endpoint.isBlank()) {
                b.endpointOverride(URI.create(endpoint)).forcePathStyle(true);
            }
            this.s3 = b.build();
        }

        String key(String path) {
            return prefix + path;
        }

        /** Nothing: the bucket, or a CDN in front of it, serves its objects; the application serves its database. */
        @Override
        public Optional<byte[]> read(String path) {
            return Optional.empty();
        }

        /**
         * Whether the bucket holds the file. The bucket's files under the prefix are listed once (a thousand keys a
         * request) and kept, with those written since: an object another node writes afterwards is written again
         * here, the same bytes under the same key.
         */
        @Override
        public synchronized boolean has(String path) throws IOException {
            if (listed == null) {
                Set<String> keys = new HashSet<>();
                try {
                    s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix + "tile/")
                            .build()).contents().forEach(o -> keys.add(o.key()));
                } catch (SdkException e) {
                    throw new IOException("s3://" + bucket + "/" + prefix + ": " + e.getMessage(), e);
                }
                listed = keys;
            }
            return listed.contains(key(path));
        }

        @Override
        public void put(String path, byte[] content) throws IOException {
            try {
                s3.putObject(PutObjectRequest.builder().bucket(bucket).key(key(path))
                        .contentType("application/octet-stream").cacheControl(StaticTiles.CACHE).build(),
                        RequestBody.fromBytes(content));
                synchronized (this) {
                    if (listed != null) {
                        listed.add(key(path));
                    }
                }
            } catch (SdkException e) {
                throw new IOException("s3://" + bucket + "/" + key(path) + ": " + e.getMessage(), e);
            }
        }
    }
}
