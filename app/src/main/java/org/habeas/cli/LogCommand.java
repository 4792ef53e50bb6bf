package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.Merkle;
import org.habeas.ledger.Note;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code habeas log}: check a public log, or a single proof, without trusting the server. */
@Command(name = "log", description = "Check a Habeas public log (or any C2SP tlog-tiles log with an Ed25519 key).",
        subcommands = {LogCommand.Verify.class, LogCommand.VerifyInclusion.class, LogCommand.VerifyConsistency.class,
                LogCommand.Load.class})
final class LogCommand implements Runnable {

    static final int INVALID = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** A proof check that may be invalid. */
    interface ProofCheck {
        void run() throws Merkle.ProofException;
    }

    /** Runs a proof check: exit 0 and the message when valid, 1 when invalid, 2 on bad arguments. */
    static int check(CommandLine.Model.CommandSpec spec, ProofCheck check, String valid) {
        try {
            check.run();
            spec.commandLine().getOut().println(valid);
            return 0;
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("bad argument: " + e.getMessage());
            return HabeasCommand.BAD_INPUT;
        } catch (Merkle.ProofException e) {
            spec.commandLine().getErr().println("invalid: " + e.getMessage());
            return INVALID;
        }
    }

    static List<byte[]> hashes(String csv) {
        List<byte[]> out = new ArrayList<>();
        if (csv == null || csv.isBlank()) {
            return out;
        }
        for (String s : csv.split(",")) {
            out.add(hash(s.strip()));
        }
        return out;
    }

    static byte[] hash(String b64) {
        byte[] h = Base64.getDecoder().decode(b64);
        if (h.length != Merkle.HASH_SIZE) {
            throw new IllegalArgumentException("'" + b64 + "' is not a base64 SHA-256 hash");
        }
        return h;
    }

    @Command(name = "load", description = "The log's load driver (docs/benchmarks.md): appends from --clients concurrent "
            + "clients for --seconds, each acknowledged after commit; fills the log to --fill-to leaves; times --proofs "
            + "inclusion proofs. WRITES SYNTHETIC ENTRIES: use a scratch database (HABEAS_DB_URL, or --home).")
    static final class Load implements Callable<Integer> {
        @CommandLine.ParentCommand
        LogCommand parent;
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--clients", defaultValue = "256") int clients;
        @Option(names = "--seconds", defaultValue = "30") int seconds;
        @Option(names = "--fill-to", defaultValue = "0") long fillTo;
        @Option(names = "--proofs", defaultValue = "10000") int proofs;
        @Option(names = "--home", description = "Directory of the embedded database (default: $HABEAS_HOME or ./data).")
        Path home;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            HabeasCommand root = (HabeasCommand) spec.commandLine().getParent().getParent().getCommand();
            try (var ctx = AuditCommand.context(root.application(), home)) {
                var r = ctx.getBean(org.habeas.ledger.LoadDriver.class).run(clients, seconds, fillTo, proofs,
                        p -> { });
                out.printf(java.util.Locale.ROOT, "appends: %d in %.1f s = %.0f leaves/s (%d clients, each acknowledged after commit)%n",
                        r.appended(), r.seconds(), r.perSecond(), clients);
                out.printf(java.util.Locale.ROOT, "inclusion proof + root, log of %d leaves, %d proofs: p50 %.0f us, p99 %.0f us, max %.0f us%n",
                        r.logSize(), r.proofs(), r.p50(), r.p99(), r.max());
                return 0;
            }
        }
    }

    @Command(name = "verify-inclusion", description = "Check an inclusion proof. Exit 0 valid, 1 invalid, 2 bad arguments.")
    static final class VerifyInclusion implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--leaf-hash", required = true, description = "base64 leaf hash") String leafHash;
        @Option(names = "--index", required = true) long index;
        @Option(names = "--size", required = true) long size;
        @Option(names = "--root", required = true, description = "base64 root of the tree of that size") String root;
        @Option(names = "--proof", description = "base64 hashes, comma-separated") String proof;

        @Override
        public Integer call() {
            return check(spec, () -> Merkle.verifyInclusion(index, size, hash(leafHash), hashes(proof), hash(root)),
                    "valid: leaf " + index + " is in the tree of size " + size);
        }
    }

    @Command(name = "verify-consistency", description = "Check a consistency proof. Exit 0 valid, 1 invalid, 2 bad arguments.")
    static final class VerifyConsistency implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Option(names = "--size1", required = true) long size1;
        @Option(names = "--size2", required = true) long size2;
        @Option(names = "--root1", required = true) String root1;
        @Option(names = "--root2", required = true) String root2;
        @Option(names = "--proof", description = "base64 hashes, comma-separated") String proof;

        @Override
        public Integer call() {
            return check(spec, () -> Merkle.verifyConsistency(size1, size2, hash(root1), hash(root2), hashes(proof)),
                    "valid: the tree of size " + size1 + " is a prefix of the tree of size " + size2);
        }
    }

    @Command(name = "verify", description = "Fetch a log's checkpoint, tiles and published entries and check them all: "
            + "signature and cosignatures, every tile, the root, consistency with the last checkpoint seen (kept in "
            + "--state), every published entry. Exit 0 valid, 1 invalid, 2 bad arguments.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "The log's URL, e.g. https://habeas.example/log, or a file: URL of a "
                + "mirror made with --mirror") String url;
        @Option(names = "--vkey", description = "The log's verifier key (name+keyid+key). Without it, the key the log "
                + "serves is used, which proves less.") String vkey;
        @Option(names = "--witness", description = "A witness's verifier key whose cosignature must be present (repeatable).")
        List<String> witnesses = new ArrayList<>();
        @Option(names = "--state", description = "Directory keeping the last checkpoint seen (default ~/.habeas/log-state).")
        Path state;
        @Option(names = "--mirror", description = "Keep a copy of everything checked in this directory, in the log's own "
                + "layout (checkpoint, vkey, tile/...), written only when the whole check passes; verify it later offline "
                + "with a file: URL.") Path mirror;
        @Option(names = "--rate", description = "Also time this machine's raw SHA-256 on the same hashing, and report "
                + "the check's rate against it.") boolean rate;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Note.Verifier key;
            List<Note.Verifier> ws = new ArrayList<>();
            LogVerifier.Fetcher fetcher;
            try {
                fetcher = fetcher(url);
                if (vkey == null) {
                    LogVerifier.Response r = fetcher.get("vkey");
                    if (r.status() != 200) {
                        err.println("cannot fetch the log's verifier key: HTTP " + r.status());
                        return INVALID;
                    }
                    vkey = r.text().strip();
                    err.println("warning: using the verifier key the log itself serves; pass --vkey to check against a key you trust");
                }
                key = Note.Verifier.parse(vkey);
                for (String w : witnesses) {
                    ws.add(Note.Verifier.parse(w));
                }
            } catch (IllegalArgumentException e) {
                err.println("bad argument: " + e.getMessage());
                return HabeasCommand.BAD_INPUT;
            } catch (IOException e) {
                err.println("cannot reach the log: " + e.getMessage());
                return INVALID;
            }
            Path dir = state != null ? state : Path.of(System.getProperty("user.home"), ".habeas", "log-state");
            boolean terminal = System.console() != null;
            Mirror copy;
            try {
                copy = mirror == null ? null : new Mirror(fetcher, mirror);
            } catch (IOException e) {
                err.println("bad argument: --mirror: " + e.getMessage());
                return HabeasCommand.BAD_INPUT;
            }
            try {
                long start = System.nanoTime();
                LogVerifier.Summary s = LogVerifier.verify(copy == null ? fetcher : copy, key, ws, dir, p -> {
                    if (terminal) {
                        err.print("\r" + p + "        ");
                        err.flush();
                    }
                });
                long nanos = System.nanoTime() - start;
                if (terminal) {
                    err.println();
                }
                out.println("valid: " + s.origin() + " at size " + s.size() + ", root " + s.root());
                out.println("  signature: " + key.name() + (s.cosigners().isEmpty() ? "" : "; cosigned by "
                        + String.join(", ", s.cosigners())));
                out.println("  tiles checked: " + s.tiles());
                out.println("  consistency: " + (s.previousSize() == null ? "first visit, checkpoint saved in " + dir
                        : "extends the size " + s.previousSize() + " seen before"));
                out.println("  entries checked: " + s.entriesChecked() + (s.entriesUnpublished() == 0 ? ""
                        : "; " + s.entriesUnpublished() + " not yet published (open period"
                                + (s.unpublishedUntil() == null ? ")" : ", published from " + s.unpublishedUntil() + ")")));
                if (copy != null) {
                    copy.save(vkey);
                    out.println("  mirror: " + copy.files() + " files in " + mirror);
                }
                if (rate) {
                    long raw = LogVerifier.rawSha256Nanos(s);
                    double mb = s.hashedBytes() / 1e6;
                    out.printf(java.util.Locale.ROOT, "  rate: %.1f MB hashed in %.2f s, %.0f MB/s; raw SHA-256 on this "
                            + "machine, same run: %.2f s, %.0f MB/s; the check ran at %.0f%% of the raw rate%n", mb,
                            nanos / 1e9, mb / (nanos / 1e9), raw / 1e9, mb / (raw / 1e9), 100.0 * raw / nanos);
                }
                return 0;
            } catch (LogVerifier.Failure e) {
                if (terminal) {
                    err.println();
                }
                err.println("invalid: " + e.getMessage());
                return INVALID;
            } catch (IOException e) {
                err.println("cannot read the log: " + e.getMessage());
                return INVALID;
            } finally {
                if (copy != null) {
                    copy.discard();
                }
                if (fetcher instanceof KeepAliveHttp http) {
                    http.close();
                }
            }
        }
    }

    /**
     * Where a log's files come from: an http(s) URL of a running log, or a file: URL of a mirror kept with
     * {@code log verify --mirror}.
     *
     * @throws IllegalArgumentException if the URL is neither, or names no directory
     */
    static LogVerifier.Fetcher fetcher(String url) {
        URI base = URI.create(url.endsWith("/") ? url : url + "/");
        if ("file".equals(base.getScheme())) {
            Path root = Path.of(base);
            if (!Files.isDirectory(root)) {
                throw new IllegalArgumentException("no such directory: " + root);
            }
            return path -> mirrored(root, path);
        }
        if (base.getScheme() == null || !base.getScheme().startsWith("http")) {
            throw new IllegalArgumentException("the URL must be http(s) or file");
        }
        return new KeepAliveHttp(base, jdkClient(base));
    }

    /** The JDK's HTTP client, which follows redirects (never from https to http); made on first use. */
    private static LogVerifier.Fetcher jdkClient(URI base) {
        java.util.function.Supplier<HttpClient> client = new java.util.function.Supplier<>() {
            private HttpClient http;

            @Override
            public synchronized HttpClient get() {
                if (http == null) {
                    http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                            .followRedirects(HttpClient.Redirect.NORMAL).build();
                }
                return http;
            }
        };
        return path -> {
            HttpClient http = client.get();
            try {
                HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(base.resolve(path))
                        .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
                return new LogVerifier.Response(r.statusCode(), r.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        };
    }

    /**
     * A file of a mirror, answered as the log answers: a bundle the mirror lacks because its period was open when the
     * mirror was made points, as the log's 404 does, at the published prefix the mirror does have.
     */
    static LogVerifier.Response mirrored(Path root, String path) throws IOException {
        Path file = root.resolve(path);
        if (Files.isRegularFile(file)) {
            return new LogVerifier.Response(200, Files.readAllBytes(file));
        }
        String body = "";
        if (path.startsWith("tile/entries/")) {
            String bundle = path.replaceFirst("\\.p/\\d+$", "");
            int wanted = path.equals(bundle) ? 256 : Integer.parseInt(path.substring(bundle.length() + 3));
            Path parts = root.resolve(bundle + ".p");
            int best = 0;
            if (Files.isDirectory(parts)) {
                try (java.util.stream.Stream<Path> list = Files.list(parts)) {
                    best = list.map(p -> p.getFileName().toString()).filter(n -> n.matches("\\d{1,3}"))
                            .mapToInt(Integer::parseInt).filter(w -> w < wanted).max().orElse(0);
                }
            }
            body = "Not in this mirror: its period was open when the mirror was made."
                    + (best == 0 ? "" : " The first " + best + " entries are published as " + bundle + ".p/" + best + ".");
        }
        return new LogVerifier.Response(404, (body + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Keeps every file a check fetched successfully: written to a staging directory as it arrives, moved into the
     * mirror only once the whole check has passed, the checkpoint last, so that a mirror never names what it lacks and
     * a failed check leaves it as it was. Paths come from the verifier's own tile arithmetic, never from the server.
     */
    private static final class Mirror implements LogVerifier.Fetcher {
        private final LogVerifier.Fetcher source;
        private final Path dir;
        private final Path staging;
        private final java.util.Set<String> files = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Mirror(LogVerifier.Fetcher source, Path dir) throws IOException {
            this.source = source;
            this.dir = dir;
            Files.createDirectories(dir);
            this.staging = Files.createTempDirectory(dir, ".incoming-");
        }

        @Override
        public LogVerifier.Response get(String path) throws IOException {
            LogVerifier.Response r = source.get(path);
            if (r.status() == 200 && (path.startsWith("tile/") || path.equals("checkpoint"))) {
                Path file = staging.resolve(path);
                Files.createDirectories(file.getParent());
                Files.write(file, r.body());
                files.add(path);
            }
            return r;
        }

        int files() {
            return files.size() + 1;
        }

        void save(String vkey) throws IOException {
            for (String f : files) {
                if (!f.equals("checkpoint")) {
                    move(staging.resolve(f), dir.resolve(f));
                }
            }
            Files.writeString(staging.resolve("vkey"), vkey + "\n");
            move(staging.resolve("vkey"), dir.resolve("vkey"));
            move(staging.resolve("checkpoint"), dir.resolve("checkpoint"));
        }

        /** Removes the staging directory: all of it after a failed check, what is left of it after a saved one. */
        void discard() throws IOException {
            if (!Files.exists(staging)) {
                return;
            }
            try (java.util.stream.Stream<Path> walk = Files.walk(staging)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }

        private static void move(Path from, Path to) throws IOException {
            Files.createDirectories(to.getParent());
            Files.move(from, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
