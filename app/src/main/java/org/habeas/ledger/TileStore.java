package org.habeas.ledger;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The tile store: every full hash tile, and every full entry bundle whose entries all belong to closed reporting
 * periods (in log order: a bundle waits for those before it, so that a pass reads at most one bundle not yet due),
 * written once as a file in the log's own layout ({@code <L>/<N>}, {@code entries/<N>}) under
 * {@code habeas.ledger.tile-store} (default {@code $HABEAS_HOME/ledger/tiles}; empty: none), as soon as a signed
 * checkpoint covers it. These files never change, so a web server can serve {@code /log/tile/} straight from the
 * directory and the application serves them from there without a database read. Each node writes its own copy (the
 * content is the same on every node); a file is written to a temporary name and moved into place, so a reader never
 * sees half of one.
 */
@Component
class TileStore {

    private static final Logger log = LoggerFactory.getLogger(TileStore.class);

    private final Path dir;
    private final LedgerStore store;
    private final Clock clock;
    /** Per tile level, how many full tiles are known to be in the store; and how many entry bundles. */
    private final long[] tiles = new long[64];
    private long bundles;

    TileStore(@Value("${habeas.ledger.tile-store:${habeas.home}/ledger/tiles}") String dir, LedgerStore store,
            Clock clock) {
        this.dir = dir == null || dir.isBlank() ? null : Path.of(dir);
        this.store = store;
        this.clock = clock;
    }

    /** The directory, if there is a tile store. */
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
        if (dir == null) {
            return 0;
        }
        long size = store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
        int written = 0;
        for (int level = 0; Tiles.hashesAt(level, size) >= Tiles.WIDTH; level++) {
            long full = Tiles.hashesAt(level, size) / Tiles.WIDTH;
            for (long i = tiles[level]; i < full; i++) {
                Tiles.Tile t = new Tiles.Tile(level, i, Tiles.WIDTH);
                Path file = file(t.path());
                if (!Files.exists(file)) {
                    ByteArrayOutputStream out = new ByteArrayOutputStream(Tiles.WIDTH * Merkle.HASH_SIZE);
                    store.hashes(t.hashLevel(), i * Tiles.WIDTH, Tiles.WIDTH).forEach(out::writeBytes);
                    put(file, out.toByteArray());
                    written++;
                }
                tiles[level] = i + 1;
            }
        }
        for (long i = bundles; i < size / Tiles.WIDTH; i++) {
            Tiles.Tile t = new Tiles.Tile(0, i, Tiles.WIDTH);
            Path file = file(t.entriesPath());
            if (!Files.exists(file)) {
                List<LedgerStore.Leaf> leaves = store.leaves(i * Tiles.WIDTH, Tiles.WIDTH);
                if (Periods.publishedPrefix(leaves.stream().map(LedgerStore.Leaf::period).toList(), clock.instant())
                        < leaves.size()) {
                    break; // its period is still open, and so are those of every later bundle
                }
                put(file, bundle(leaves));
                written++;
            }
            bundles = i + 1;
        }
        return written;
    }

    /** The stored file for a full tile or bundle ({@code tile/...} path), if the store has it. */
    Optional<byte[]> read(String path) {
        if (dir == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Files.readAllBytes(file(path)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            log.warn("Tile store: could not read {} ({})", path, e.toString());
            return Optional.empty();
        }
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

    private Path file(String path) {
        return dir.resolve(path.substring("tile/".length()));
    }

    private static void put(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        Files.write(tmp, content);
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
