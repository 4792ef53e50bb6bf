package org.habeas.ledger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a public log from what it serves: the checkpoint's signature (and any witness cosignatures), every hash
 * tile against the hashes recomputed from the level below, the root against the checkpoint, consistency with the
 * last checkpoint seen before, and every published entry against its leaf hash.
 */
public final class LogVerifier {

    /** Where the log's files come from: {@code path} is relative to the log's prefix, e.g. {@code tile/0/000}. */
    public interface Fetcher {
        Response get(String path) throws IOException;

        /**
         * Fetches several paths and hands each answer to {@code answers} in order, as it arrives. By default one
         * {@link #get} after another; a fetcher over HTTP/1.1 may send them all before reading the first answer.
         */
        default void getEach(List<String> paths, Answers answers) throws IOException {
            for (int i = 0; i < paths.size(); i++) {
                answers.accept(i, get(paths.get(i)));
            }
        }
    }

    /** What {@link Fetcher#getEach} hands each answer to, with the index of its path. */
    public interface Answers {
        void accept(int index, Response response);
    }

    public record Response(int status, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What was checked. */
    public record Summary(String origin, long size, String root, int tiles, long entriesChecked, long entryBytes,
            long entriesUnpublished, String unpublishedUntil, List<String> cosigners, Long previousSize, MemoryTree tree) {

        /** The interior node hashes the check computed to rebuild the tree from its leaf hashes. */
        public long nodeHashes() {
            long n = 0;
            for (int level = 1; tree.count(level) > 0; level++) {
                n += tree.count(level);
            }
            return n;
        }

        /** The bytes the check put through SHA-256: one leaf hash per checked entry, one per interior node. */
        public long hashedBytes() {
            return entriesChecked + entryBytes + nodeHashes() * (1 + 2L * Merkle.HASH_SIZE);
        }
    }

    /** The log failed a check; the message says which. */
    public static final class Failure extends Exception {
        public Failure(String message) {
            super(message);
        }
    }

    private static final Pattern PUBLISHED_PREFIX = Pattern.compile("published as (tile/entries/\\S+?)\\.\\s*$",
            Pattern.MULTILINE);

    /** Progress is reported once per this many files, not for each: a check reads thousands a second. */
    private static final int PROGRESS_EVERY = 64;

    private LogVerifier() {
    }

    /** Kept out of the loops, so that the compiler does not build the text into them. */
    private static void progress(Consumer<String> progress, String what, long n, long of) {
        progress.accept(what + n + (of < 0 ? "" : "/" + of));
    }

    public static Summary verify(Fetcher fetcher, Note.Verifier vkey, List<Note.Verifier> witnesses, Path stateDir,
            Consumer<String> progress) throws Failure, IOException {
        return verify(fetcher, vkey, witnesses, stateDir, progress, NO_SINK);
    }

    private static final EntrySink NO_SINK = (index, entry) -> { };

    /** What a check hands on: each published entry, once it matched its leaf hash. */
    public interface EntrySink {
        void accept(long index, byte[] entry);
    }

    public static Summary verify(Fetcher fetcher, Note.Verifier vkey, List<Note.Verifier> witnesses, Path stateDir,
            Consumer<String> progress, EntrySink sink) throws Failure, IOException {
        Response cpResponse = fetcher.get("checkpoint");
        if (cpResponse.status() != 200) {
            throw new Failure("checkpoint: HTTP " + cpResponse.status());
        }
        Note.Parsed note;
        Checkpoint cp;
        try {
            note = Note.parse(cpResponse.text());
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            throw new Failure("checkpoint: " + e.getMessage());
        }
        // the files to fetch follow from the checkpoint's size, and fetching them is asking for public files: the
        // fetching starts while the signatures are checked, and nothing fetched is used before they are
        boolean interleaved = sink == NO_SINK;
        Plan plan = new Plan(cp.size(), interleaved);
        if (plan.count > MAX_FILES) {
            checkSignatures(note, cp, vkey, witnesses);
            throw new Failure("a log of " + cp.size() + " entries is more than this verifier holds in memory");
        }
        try (Ahead fetches = new Ahead(fetcher, (int) plan.count, plan::task)) {
            List<String> cosigners = checkSignatures(note, cp, vkey, witnesses);

            // hash tiles, level by level; level 0 gives the leaves. One stream of requests: without a sink each
            // leaf tile is followed by its bundle, so that the bundles are hashed (by the threads that fetched them)
            // while the tree is built, and a bundle's failure waits until the tiles, the root and the consistency
            // have been checked, as if the bundles came after them; with a sink, which must see only entries of a
            // log whose root matched, the bundles do come after the tiles
            MemoryTree tree = new MemoryTree(cp.size());
            int tiles = 0;
            Entries entries = new Entries(tree, fetcher, sink, progress);
            for (int level = 0; level < plan.levels; level++) {
                for (long i = 0; i < plan.tilesAt[level]; i++) {
                    Tiles.Tile t = plan.tile(level, i);
                    byte[] data = tile(fetches.next().response(), t.path(), t.width() * Merkle.HASH_SIZE);
                    if (level == 0) {
                        appendLeaves(tree, data, t.width());
                    } else {
                        checkTile(tree, t, data);
                    }
                    tiles++;
                    if (tiles % PROGRESS_EVERY == 0 || tiles == plan.tiles) {
                        progress(progress, "tiles ", tiles, plan.tiles);
                    }
                    if (interleaved && level == 0) {
                        entries.check(t, fetches.next());
                    }
                }
            }
            byte[] root = tree.root();
            if (!MessageDigest.isEqual(root, cp.root())) {
                throw new Failure("the tiles do not give the checkpoint's root (size " + cp.size() + ")");
            }

            // consistency with what this verifier saw before
            Long previous = null;
            if (stateDir != null) {
                Path state = stateDir.resolve(fileName(cp.origin()));
                if (Files.exists(state)) {
                    Checkpoint before = Checkpoint.parse(Files.readString(state));
                    previous = before.size();
                    if (before.size() > cp.size()) {
                        throw new Failure("the log shrank: it served size " + before.size() + " before, " + cp.size() + " now");
                    }
                    if (!MessageDigest.isEqual(tree.root(before.size()), before.root())) {
                        throw new Failure("the log is not consistent with the checkpoint of size " + before.size()
                                + " seen before: its history was rewritten");
                    }
                }
                Files.createDirectories(stateDir);
                Files.writeString(state, cp.body());
            }

            // entries, where published
            if (!interleaved) {
                for (long i = 0; i < plan.tilesAt[0]; i++) {
                    entries.check(plan.tile(0, i), fetches.next());
                    entries.throwFailure();
                }
            }
            entries.throwFailure();
            return new Summary(cp.origin(), cp.size(), Base64.getEncoder().encodeToString(root), tiles, entries.checked,
                    entries.entryBytes, entries.unpublished, entries.until, cosigners, previous, tree);
        }
    }

    // the loops over a tile's hashes are methods of their own, called once per tile, so that the JIT compiles them
    // as it compiles any method called often (the launcher turns off compiling a loop while it runs)

    private static void appendLeaves(MemoryTree tree, byte[] data, int width) {
        for (int i = 0; i < width; i++) {
            tree.appendLeafHash(data, i * Merkle.HASH_SIZE);
        }
    }

    private static void checkTile(MemoryTree tree, Tiles.Tile t, byte[] data) throws Failure {
        for (int i = 0; i < t.width(); i++) {
            if (!tree.hashEquals(t.hashLevel(), t.index() * Tiles.WIDTH + i, data, i * Merkle.HASH_SIZE)) {
                throw new Failure(t.path() + ": hash " + i + " is not the hash of the tiles below it");
            }
        }
    }

    /** The log's signature on the checkpoint, its origin, and a cosignature from each witness; the cosigners. */
    private static List<String> checkSignatures(Note.Parsed note, Checkpoint cp, Note.Verifier vkey,
            List<Note.Verifier> witnesses) throws Failure {
        try {
            Note.verify(note, vkey);
        } catch (Merkle.ProofException e) {
            throw new Failure("checkpoint: " + e.getMessage());
        }
        if (!cp.origin().equals(vkey.name())) {
            throw new Failure("checkpoint: origin " + cp.origin() + " is not the key's name " + vkey.name());
        }
        List<String> cosigners = new ArrayList<>();
        for (Note.Verifier w : witnesses) {
            boolean found = false;
            for (Note.Sig s : note.signatures()) {
                if (s.name().equals(w.name()) && Arrays.equals(s.keyId(), w.keyId())) {
                    found = true;
                    try {
                        Cosignature.verify(note.text(), s, w);
                    } catch (Merkle.ProofException e) {
                        throw new Failure("checkpoint: " + e.getMessage());
                    }
                    cosigners.add(w.name());
                }
            }
            if (!found) {
                throw new Failure("checkpoint: no cosignature from witness " + w.name());
            }
        }
        return cosigners;
    }

    /** The most files a check fetches: its answers are counted in an int. */
    private static final long MAX_FILES = Integer.MAX_VALUE - 1;

    /**
     * The files of a check in the order they are asked for, each computed from its place in that order: the hash
     * tiles level by level, each leaf tile's entry bundle right after it (interleaved) or every bundle after the
     * tiles.
     */
    private static final class Plan {
        final long size;
        final boolean interleaved;
        /** The tiles at each level, the partial one included. */
        final long[] tilesAt = new long[64];
        final int levels;
        final long tiles;
        final long count;

        Plan(long size, boolean interleaved) {
            this.size = size;
            this.interleaved = interleaved;
            int level = 0;
            long all = 0;
            for (; Tiles.hashesAt(level, size) > 0; level++) {
                tilesAt[level] = (Tiles.hashesAt(level, size) + Tiles.WIDTH - 1) / Tiles.WIDTH;
                all += tilesAt[level];
            }
            this.levels = level;
            this.tiles = all;
            this.count = all + tilesAt[0];
        }

        Tiles.Tile tile(int level, long index) {
            long n = Tiles.hashesAt(level, size);
            return new Tiles.Tile(level, index, index < n / Tiles.WIDTH ? Tiles.WIDTH : (int) (n % Tiles.WIDTH));
        }

        Task task(int k) {
            if (interleaved && k < 2 * tilesAt[0]) {
                Tiles.Tile t = tile(0, k / 2);
                return k % 2 == 0 ? new Task(t.path(), null) : new Task(t.entriesPath(), t);
            }
            long ordinal = interleaved ? k - tilesAt[0] : k;
            if (ordinal >= tiles) {
                Tiles.Tile t = tile(0, ordinal - tiles);
                return new Task(t.entriesPath(), t);
            }
            for (int level = 0; ; level++) {
                if (ordinal < tilesAt[level]) {
                    return new Task(tile(level, ordinal).path(), null);
                }
                ordinal -= tilesAt[level];
            }
        }
    }

    /** The check of the entry bundles, bundle by bundle in log order; the first failure is kept, to be thrown. */
    private static final class Entries {
        private final MemoryTree tree;
        private final Fetcher fetcher;
        private final EntrySink sink;
        private final Consumer<String> progress;
        private final byte[] leaf = new byte[Merkle.HASH_SIZE];
        long checked;
        long entryBytes;
        long unpublished;
        String until;
        private Failure failure;

        Entries(MemoryTree tree, Fetcher fetcher, EntrySink sink, Consumer<String> progress) {
            this.tree = tree;
            this.fetcher = fetcher;
            this.sink = sink;
            this.progress = progress;
        }

        void throwFailure() throws Failure {
            if (failure != null) {
                throw failure;
            }
        }

        /** Checks the bundle of leaf tile {@code t}, whose leaf hashes the tree has; after a failure, nothing. */
        void check(Tiles.Tile t, Fetched f) throws IOException {
            if (failure != null) {
                return;
            }
            try {
                bundle(t, f);
            } catch (Failure e) {
                failure = e;
            }
        }

        private void bundle(Tiles.Tile t, Fetched f) throws Failure, IOException {
            Response r = f.response();
            int width = t.width();
            byte[] bundle;
            if (r.status() == 200) {
                Bundle b = f.bundle();
                if (b.failure() != null) {
                    throw b.failure();
                }
                for (int i = 0; i < width; i++) {
                    long index = t.index() * Tiles.WIDTH + i;
                    entryBytes += b.offsets()[2 * i + 1];
                    if (!tree.hashEquals(0, index, b.leafHashes(), i * Merkle.HASH_SIZE)) {
                        throw new Failure("entry " + index + " does not match its leaf hash");
                    }
                    if (sink != NO_SINK) {
                        sink.accept(index, Arrays.copyOfRange(r.body(), b.offsets()[2 * i],
                                b.offsets()[2 * i] + b.offsets()[2 * i + 1]));
                    }
                }
                checked += width;
                if (checked % (PROGRESS_EVERY * Tiles.WIDTH) < width) {
                    progress(progress, "entries ", checked, -1);
                }
                return;
            } else if (r.status() == 404) {
                String text = r.text();
                Matcher m = Pattern.compile("published from (\\d{4}-\\d{2}-\\d{2})").matcher(text);
                if (m.find() && (until == null || m.group(1).compareTo(until) < 0)) {
                    until = m.group(1);
                }
                Matcher prefix = PUBLISHED_PREFIX.matcher(text);
                if (prefix.find()) {
                    Tiles.Tile part = Tiles.parse("0/" + prefix.group(1).substring("tile/entries/".length()));
                    Response pr = fetcher.get(part.entriesPath());
                    if (pr.status() != 200) {
                        throw new Failure(part.entriesPath() + ": HTTP " + pr.status());
                    }
                    bundle = pr.body();
                    unpublished += width - part.width();
                    width = part.width();
                } else {
                    unpublished += width;
                    return;
                }
            } else {
                throw new Failure(t.entriesPath() + ": HTTP " + r.status());
            }
            // the published prefix of a bundle whose period is still open
            int[] offsets = offsets(t.entriesPath(), bundle, width);
            for (int i = 0; i < width; i++) {
                long index = t.index() * Tiles.WIDTH + i;
                Merkle.leafHash(bundle, offsets[2 * i], offsets[2 * i + 1], leaf);
                entryBytes += offsets[2 * i + 1];
                if (!tree.hashEquals(0, index, leaf, 0)) {
                    throw new Failure("entry " + index + " does not match its leaf hash");
                }
                if (sink != NO_SINK) {
                    sink.accept(index, Arrays.copyOfRange(bundle, offsets[2 * i], offsets[2 * i] + offsets[2 * i + 1]));
                }
            }
            checked += width;
            progress(progress, "entries ", checked, -1);
        }
    }

    /** An answer, and for an entry bundle what the fetching thread made of it. */
    private record Fetched(Response response, Bundle bundle) {
    }

    /** A bundle's entries as found: where each starts and how long it is, and its leaf hashes; or why not. */
    private record Bundle(int[] offsets, byte[] leafHashes, Failure failure) {
    }

    private static Fetched prepared(Tiles.Tile t, Response r) {
        if (r.status() != 200) {
            return new Fetched(r, null);
        }
        byte[] body = r.body();
        int[] offsets;
        try {
            offsets = offsets(t.entriesPath(), body, t.width());
        } catch (Failure e) {
            return new Fetched(r, new Bundle(null, null, e));
        }
        byte[] hashes = new byte[t.width() * Merkle.HASH_SIZE];
        MessageDigest d = Merkle.sha256();
        try {
            for (int i = 0; i < t.width(); i++) {
                d.update((byte) 0x00);
                d.update(body, offsets[2 * i], offsets[2 * i + 1]);
                d.digest(hashes, i * Merkle.HASH_SIZE, Merkle.HASH_SIZE);
            }
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
        return new Fetched(r, new Bundle(offsets, hashes, null));
    }

    private static byte[] tile(Response r, String path, int length) throws Failure {
        if (r.status() != 200) {
            throw new Failure(path + ": HTTP " + r.status());
        }
        if (r.body().length != length) {
            throw new Failure(path + ": " + r.body().length + " bytes, expected " + length);
        }
        return r.body();
    }

    /**
     * The nanoseconds this machine's SHA-256 takes, in a bare loop, for the same hashing a check did: one hash per
     * checked entry over its average length plus the leaf prefix, one 65-byte hash per interior node. A check's time
     * divided by this is how close it came to the machine's raw rate. The work is timed in tenths, each in short
     * calls that the JIT compiles whatever its settings, after three tenths untimed; the fastest tenth, times ten, is
     * the raw time, so that a slow moment of the machine does not flatter the check.
     */
    public static long rawSha256Nanos(Summary s) {
        MessageDigest d = Merkle.digest();
        int entryLength = s.entriesChecked() == 0 ? 0 : (int) (s.entryBytes() / s.entriesChecked());
        byte[] leafInput = new byte[1 + entryLength];
        byte[] nodeInput = new byte[1 + 2 * Merkle.HASH_SIZE];
        byte[] out = new byte[Merkle.HASH_SIZE];
        new Random(1).nextBytes(leafInput);
        leafInput[0] = 0;
        nodeInput[0] = 1;
        long leaves = s.entriesChecked() / RAW_PARTS;
        long nodes = s.nodeHashes() / RAW_PARTS;
        long best = Long.MAX_VALUE;
        for (int part = 0; part < RAW_WARMUP + RAW_PARTS; part++) {
            long start = System.nanoTime();
            rawPart(d, leafInput, out, leaves);
            rawPart(d, nodeInput, out, nodes);
            long took = System.nanoTime() - start;
            if (part >= RAW_WARMUP) {
                best = Math.min(best, took);
            }
        }
        // what a tenth leaves out (the remainders of the divisions) is timed once more
        long start = System.nanoTime();
        rawPart(d, leafInput, out, s.entriesChecked() % RAW_PARTS);
        rawPart(d, nodeInput, out, s.nodeHashes() % RAW_PARTS);
        return best * RAW_PARTS + System.nanoTime() - start;
    }

    private static final int RAW_PARTS = 10;
    private static final int RAW_WARMUP = 3;
    private static final int RAW_CALL = 64;

    private static void rawPart(MessageDigest d, byte[] input, byte[] out, long hashes) {
        for (long done = 0; done < hashes; done += RAW_CALL) {
            rawCall(d, input, out, (int) Math.min(RAW_CALL, hashes - done));
        }
    }

    private static void rawCall(MessageDigest d, byte[] input, byte[] out, int hashes) {
        try {
            for (int i = 0; i < hashes; i++) {
                d.update(input);
                d.digest(out, 0, Merkle.HASH_SIZE);
            }
        } catch (DigestException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One file to fetch; for an entry bundle, the leaf tile it belongs to, and it is hashed on the fetching thread. */
    private record Task(String path, Tiles.Tile bundleOf) {
        Fetched prepare(Response r) {
            return bundleOf == null ? new Fetched(r, null) : prepared(bundleOf, r);
        }
    }

    /**
     * Runs a list of fetches in order on a few platform threads, up to {@link #WINDOW} ahead of the file being
     * checked, so that the log's server sends the next files while this verifier checks the current one, and bundles
     * are hashed on the fetching threads meanwhile. Answers are handed out in list order. Each thread asks for
     * {@link #BATCH} files at a time on its own connection ({@link Fetcher#getEach}) and blocks on it; the kernel
     * wakes it when answers arrive, usually several at once: no scheduler, poller or future per file.
     */
    private static final class Ahead implements AutoCloseable {
        /** Files fetched ahead of the one being checked, at most. */
        private static final int WINDOW = 32;
        /**
         * Fetching threads, each with its own connection to the log's server: one per core (two at least, at most
         * eight). They hash what they fetch, so more threads than cores only take turns (docs/benchmarks.md).
         */
        private static final int THREADS = Math.clamp(Runtime.getRuntime().availableProcessors(), 2, 8);
        /** Files a thread asks for at once (on one connection, each request sent before the first answer is read). */
        private static final int BATCH = 4;

        private final Fetcher fetcher;
        private final int count;
        private final IntFunction<Task> tasks;
        /**
         * By index modulo {@link #WINDOW}: the task's {@link Fetched}, or what its fetch threw; cleared when handed
         * out. No task is fetched {@code WINDOW} or more ahead of the one to hand out next, so none overwrites another.
         */
        private final AtomicReferenceArray<Object> done = new AtomicReferenceArray<>(WINDOW);
        private final AtomicInteger next = new AtomicInteger();
        private final Thread consumer = Thread.currentThread();
        private final Thread[] workers;
        /** Answers handed out so far. */
        private volatile int consumed;
        private volatile boolean closed;

        Ahead(Fetcher fetcher, int count, IntFunction<Task> tasks) {
            this.fetcher = fetcher;
            this.count = count;
            this.tasks = tasks;
            workers = new Thread[Math.min(THREADS, (count + BATCH - 1) / BATCH)];
            for (int i = 0; i < workers.length; i++) {
                workers[i] = Thread.ofPlatform().daemon().name("log-fetch-" + i).start(this::work);
            }
        }

        private void work() {
            for (int from; !closed && (from = next.getAndAdd(BATCH)) < count; ) {
                int to = Math.min(from + BATCH, count);
                while (to > consumed + WINDOW && !closed) {
                    LockSupport.park(this);
                }
                if (closed) {
                    return;
                }
                int first = from;
                List<Task> batch = new ArrayList<>(to - from);
                List<String> paths = new ArrayList<>(to - from);
                for (int i = from; i < to; i++) {
                    batch.add(tasks.apply(i));
                    paths.add(batch.getLast().path());
                }
                int[] answered = {0};
                try {
                    fetcher.getEach(paths, (k, r) -> {
                        done.set((first + k) % WINDOW, batch.get(k).prepare(r));
                        answered[0] = k + 1;
                        LockSupport.unpark(consumer);
                    });
                    if (answered[0] != paths.size()) {
                        throw new IllegalStateException("the fetcher answered " + answered[0] + " of " + paths.size());
                    }
                } catch (Throwable e) {
                    done.set((first + answered[0]) % WINDOW, e);
                    LockSupport.unpark(consumer);
                    return;
                }
            }
        }

        Fetched next() throws IOException {
            int i = consumed;
            Object r;
            while ((r = done.get(i % WINDOW)) == null) {
                LockSupport.park(this);
            }
            done.set(i % WINDOW, null);
            consumed = i + 1;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
            return switch (r) {
                case Fetched f -> f;
                case IOException e -> throw e;
                case RuntimeException e -> throw e;
                case Error e -> throw e;
                default -> throw new IllegalStateException("a fetch threw " + r);
            };
        }

        /** Stops the threads once their current fetch is done (a failed check does not wait for the rest). */
        @Override
        public void close() {
            closed = true;
            for (Thread w : workers) {
                LockSupport.unpark(w);
            }
        }
    }

    /** Where each entry of a bundle starts and how long it is: {start0, length0, start1, length1, ...}. */
    static int[] offsets(String path, byte[] bundle, int expected) throws Failure {
        int[] out = new int[2 * expected];
        int at = 0;
        int n = 0;
        while (at < bundle.length) {
            if (at + 2 > bundle.length) {
                throw new Failure(path + ": truncated length prefix");
            }
            int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
            at += 2;
            if (at + len > bundle.length) {
                throw new Failure(path + ": truncated entry");
            }
            if (n == expected) {
                throw new Failure(path + ": more than " + expected + " entries");
            }
            out[2 * n] = at;
            out[2 * n + 1] = len;
            n++;
            at += len;
        }
        if (n != expected) {
            throw new Failure(path + ": " + n + " entries, expected " + expected);
        }
        return out;
    }

    private static String fileName(String origin) {
        return origin.replaceAll("[^A-Za-z0-9._-]", "_") + ".checkpoint";
    }
}
