package org.habeas.ledger;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A whole log as the files C2SP tlog-tiles serves — signed checkpoint, every hash tile, every entry bundle — built
 * in memory from a list of entries: what a verifier is pointed at in benchmarks, and a copy of a log to check a
 * report against. Pure.
 */
public final class StaticLog {

    private final Map<String, byte[]> files = new HashMap<>();
    private final MemoryTree tree;

    /** Builds the files of a log holding {@code entries}, its checkpoint signed by {@code key} as {@code origin}. */
    public StaticLog(List<byte[]> entries, String origin, KeyPair key) {
        int size = entries.size();
        tree = new MemoryTree(size);
        ByteArrayOutputStream bundle = new ByteArrayOutputStream();
        for (int i = 0; i < size; i++) {
            byte[] e = entries.get(i);
            tree.appendData(e);
            bundle.write(e.length >>> 8);
            bundle.write(e.length & 0xff);
            bundle.writeBytes(e);
            if ((i + 1) % Tiles.WIDTH == 0 || i == size - 1) {
                files.put(new Tiles.Tile(0, i / Tiles.WIDTH, i % Tiles.WIDTH + 1).entriesPath(), bundle.toByteArray());
                bundle.reset();
            }
        }
        for (Tiles.Tile t : Tiles.all(size)) {
            ByteArrayOutputStream data = new ByteArrayOutputStream();
            for (int i = 0; i < t.width(); i++) {
                data.writeBytes(tree.hash(t.hashLevel(), t.index() * Tiles.WIDTH + i));
            }
            files.put(t.path(), data.toByteArray());
        }
        Checkpoint cp = new Checkpoint(origin, size, tree.root());
        files.put("checkpoint", Note.format(cp.body(), List.of(Note.sign(cp.body(), origin, key.getPrivate(),
                key.getPublic()))).getBytes(StandardCharsets.UTF_8));
    }

    public MemoryTree tree() {
        return tree;
    }

    /** Serves the files; anything else is a 404. */
    public LogVerifier.Fetcher fetcher() {
        return path -> {
            byte[] b = files.get(path);
            return b == null ? new LogVerifier.Response(404, new byte[0]) : new LogVerifier.Response(200, b);
        };
    }
}
