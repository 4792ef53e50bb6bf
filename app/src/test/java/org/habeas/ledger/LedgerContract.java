package org.habeas.ledger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.habeas.accounts.UserRole;
import org.habeas.intake.Intake;
import org.habeas.intake.Samples;
import org.habeas.support.TestAccounts;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.security.test.web.servlet.setup.SecurityMockMvcConfigurers;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.context.WebApplicationContext;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The public log on a real database, run once per database: entries without personal data, batched sequencing
 * under concurrency, signed checkpoints, tiles and bundles over HTTP, the verifier accepting the log and rejecting
 * any changed byte, and the refusal to sign over a tampered tree.
 */
@SpringBootTest(properties = "habeas.ledger.checkpoint-interval=1h")
@ActiveProfiles("test")
@org.junit.jupiter.api.TestMethodOrder(org.junit.jupiter.api.MethodOrderer.OrderAnnotation.class)
abstract class LedgerContract {

    @Autowired
    WebApplicationContext context;

    @Autowired
    LedgerStore store;

    @Autowired
    Sequencer sequencer;

    @Autowired
    CheckpointSigner signer;

    @Autowired
    LogEntries entries;

    @Autowired
    LogKey key;

    @Autowired
    TileStore tileStore;

    @Autowired
    Intake intake;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    TransactionTemplate tx;

    MockMvc mvc;
    TestAccounts accounts;

    @BeforeEach
    void setUp() {
        mvc = MockMvcBuilders.webAppContextSetup(context).apply(SecurityMockMvcConfigurers.springSecurity()).build();
        accounts = TestAccounts.of(context);
    }

    /** Reads the log through the application's own HTTP endpoints. */
    LogVerifier.Fetcher fetcher() {
        return path -> {
            try {
                MvcResult r = mvc.perform(get("/log/" + path)).andReturn();
                return new LogVerifier.Response(r.getResponse().getStatus(), r.getResponse().getContentAsByteArray());
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        };
    }

    @Test
    void aReceivedRequestGetsReceivedAndAssessedEntriesWithoutPersonalData() throws Exception {
        var r = Samples.production();
        String target = "ledger-" + UUID.randomUUID() + "@mail.example";
        ((tools.jackson.databind.node.ObjectNode) r.get("targets").get(0)).put("value", target);
        MvcResult created = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(r))).andReturn();
        assertThat(created.getResponse().getStatus()).isEqualTo(201);
        String location = created.getResponse().getHeader("Location");
        UUID requestId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));

        // acknowledged means integrated: the entries have indexes by the time the 201 is sent
        LogEntries.CaseKey caseKey = entries.caseKey(requestId).orElseThrow();
        List<LedgerStore.Leaf> leaves = store.leavesOfCase(caseKey.caseId());
        assertThat(leaves).extracting(LedgerStore.Leaf::event).containsExactly("RECEIVED", "ASSESSED");
        assertThat(caseKey.caseId()).isNotEqualTo(requestId);

        JsonMapper json = JsonMapper.builder().build();
        for (LedgerStore.Leaf leaf : leaves) {
            String text = new String(leaf.entry(), StandardCharsets.UTF_8);
            assertThat(text).doesNotContain(target).doesNotContain(requestId.toString())
                    .doesNotContain(r.get("reference").stringValue()).doesNotContain(r.get("facts").stringValue().substring(0, 20))
                    .doesNotContain(r.get("requestingAuthority").get("name").stringValue());
            JsonNode e = json.readTree(text);
            assertThat(e.propertyNames()).containsExactlyInAnyOrder("v", "case", "event", "period", "requestingState",
                    "requestedState", "instrument", "measure", "categories", "emergency", "nonDisclosure", "outcome",
                    "accounts", "commitment");
            assertThat(e.get("case").stringValue()).isEqualTo(caseKey.caseId().toString());
            assertThat(e.get("period").stringValue()).isEqualTo(Periods.of(Instant.now()));
            assertThat(e.get("accounts").asInt()).isEqualTo(1);
            // canonical JSON: the bytes are exactly the RFC 8785 form
            assertThat(text).isEqualTo(org.habeas.json.CanonicalJson.write(e));
            // an auditor with the case's salt can check the commitment against the stored record
            String record = entries.record(intake.find(requestId).orElseThrow(), leaf.event());
            assertThat(e.get("commitment").stringValue()).isEqualTo(LogEntries.commitment(caseKey.salt(), record));
        }
        assertThat(json.readTree(leaves.get(1).entry()).get("outcome").stringValue()).isIn("ACCEPT", "NARROW", "ESCALATE", "REFUSE");
        assertThat(json.readTree(leaves.get(0).entry()).get("outcome").isNull()).isTrue();
    }

    @Test
    void concurrentAppendsGetDistinctIndexesAndTheStoredTreeMatchesTheEntries() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            futures.add(pool.submit(() -> {
                for (int i = 0; i < 40; i++) {
                    byte[] entry = ("{\"test\":" + thread + "," + i + "}").getBytes(StandardCharsets.UTF_8);
                    Long seq = tx.execute(s -> store.addPending(entry, "2025-H2", "TEST", null, Instant.now()));
                    sequencer.await(seq, java.time.Duration.ofSeconds(30));
                }
                return null;
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        LedgerStore.State state = store.state();
        List<LedgerStore.Leaf> all = store.leaves(0, (int) state.size());
        assertThat(all).hasSize((int) state.size());
        MemoryTree tree = new MemoryTree();
        for (int i = 0; i < all.size(); i++) {
            assertThat(all.get(i).index()).isEqualTo(i);
            tree.appendData(all.get(i).entry());
        }
        assertThat(tree.root()).isEqualTo(state.root()).isEqualTo(Merkle.root(store, state.size()));
        assertThat(all.stream().filter(l -> l.event().equals("TEST"))).hasSizeGreaterThanOrEqualTo(320);

        // the in-memory path: each future completes with its entry's index after the commit
        List<java.util.concurrent.CompletableFuture<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            submitted.add(sequencer.submit(("{\"mem\":" + i + "}").getBytes(StandardCharsets.UTF_8), "2025-H2", "TEST", null));
        }
        java.util.Set<Long> indexes = new java.util.HashSet<>();
        for (int i = 0; i < submitted.size(); i++) {
            long index = submitted.get(i).get(30, java.util.concurrent.TimeUnit.SECONDS);
            indexes.add(index);
            assertThat(store.leaves(index, 1).get(0).entry())
                    .isEqualTo(("{\"mem\":" + i + "}").getBytes(StandardCharsets.UTF_8));
        }
        assertThat(indexes).hasSize(500);
        assertThat(Merkle.root(store, store.state().size())).isEqualTo(store.state().root());
    }

    @Test
    void theSignerSignsWhileTheLogGrowsUnderIt() throws Exception {
        // The signer reads the tree's size, then counts the stored leaves; entries integrated in between are
        // stored beyond the size it read, and are no damage.
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        ExecutorService pool = Executors.newFixedThreadPool(3);
        List<Future<?>> writers = new ArrayList<>();
        for (int t = 0; t < 3; t++) {
            int thread = t;
            writers.add(pool.submit(() -> {
                for (int i = 0; !stop.get(); i++) {
                    sequencer.submit(("{\"grow\":" + thread + "," + i + "}").getBytes(StandardCharsets.UTF_8),
                            "2025-H2", "TEST", null).get(30, java.util.concurrent.TimeUnit.SECONDS);
                }
                return null;
            }));
        }
        List<String> refusals = new ArrayList<>();
        long sizeBefore = store.state().size();
        try {
            long end = System.nanoTime() + java.time.Duration.ofSeconds(4).toNanos();
            while (System.nanoTime() < end && refusals.isEmpty()) {
                try {
                    signer.sign();
                } catch (IllegalStateException refused) {
                    refusals.add(refused.getMessage());
                }
            }
        } finally {
            stop.set(true);
            for (Future<?> f : writers) {
                f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            }
            pool.shutdown();
        }
        assertThat(store.state().size()).isGreaterThan(sizeBefore);
        assertThat(refusals).isEmpty();
        assertThat(signer.refusal()).isEmpty();
        assertThat(signer.sign()).isPresent();
    }

    @Test
    void theVerifierAcceptsTheLogAndRejectsAnyChangedByte(@org.junit.jupiter.api.io.TempDir Path state) throws Exception {
        // enough closed-period entries for a full level-0 tile, a level-1 tile and a published bundle
        for (int i = 0; i < 300; i++) {
            byte[] entry = ("{\"v\":1,\"n\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            tx.executeWithoutResult(s -> store.addPending(entry, "2025-H2", "TEST", null, Instant.now()));
        }
        sequencer.integrateAll();
        signer.sign();
        Note.Verifier vkey = Note.Verifier.parse(new String(fetcher().get("vkey").body(), StandardCharsets.UTF_8));
        assertThat(vkey.encoded()).isEqualTo(key.verifier().encoded());

        LogVerifier.Summary first = LogVerifier.verify(fetcher(), vkey, List.of(), state, p -> { });
        assertThat(first.size()).isEqualTo(store.state().size());
        assertThat(first.root()).isEqualTo(Base64.getEncoder().encodeToString(store.state().root()));
        assertThat(first.tiles()).isGreaterThanOrEqualTo(3);
        assertThat(first.entriesChecked()).isGreaterThanOrEqualTo(256);
        assertThat(first.previousSize()).isNull();

        // a second visit after growth checks consistency with the first
        tx.executeWithoutResult(s -> store.addPending("{\"v\":1,\"late\":true}".getBytes(StandardCharsets.UTF_8),
                Periods.of(Instant.now()), "TEST", null, Instant.now()));
        sequencer.integrateAll();
        signer.sign();
        LogVerifier.Summary second = LogVerifier.verify(fetcher(), vkey, List.of(), state, p -> { });
        assertThat(second.previousSize()).isEqualTo(first.size());
        assertThat(second.entriesUnpublished()).isGreaterThanOrEqualTo(1);
        assertThat(second.unpublishedUntil()).isEqualTo(Periods.closes(Periods.of(Instant.now())).toString());

        // any changed byte is caught, with the reason
        long size = second.size();
        Tiles.Tile lastLeafTile = Tiles.tilesAt(0, size).getLast();
        assertRejected(tampered("checkpoint", 20), vkey, "checkpoint");
        assertRejected(tampered("tile/0/000", 100), vkey, "tile/1/000");
        assertRejected(tampered(lastLeafTile.path(), 5), vkey, "do not give the checkpoint's root");
        assertRejected(tampered(Tiles.tilesAt(1, size).getFirst().path(), 7), vkey, "is not the hash of the tiles below");
        assertRejected(tampered("tile/entries/001", 40), vkey, "does not match its leaf hash");
    }

    @Test
    void fullTilesAndClosedBundlesAreWrittenOnceToTheTileStoreAndServedFromItWithAnETag() throws Exception {
        List<java.util.concurrent.CompletableFuture<Long>> submitted = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            submitted.add(sequencer.submit(("{\"tiled\":" + i + "}").getBytes(StandardCharsets.UTF_8), "2025-H2", "TEST", null));
        }
        long firstIndex = Long.MAX_VALUE;
        long lastIndex = -1;
        for (var f : submitted) {
            long index = f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            firstIndex = Math.min(firstIndex, index);
            lastIndex = Math.max(lastIndex, index);
        }
        signer.sign();
        tileStore.write();
        Path dir = tileStore.directory().orElseThrow();
        // a bundle made only of these entries (a closed period), and the hash tile that goes with it
        long k = (firstIndex + Tiles.WIDTH - 1) / Tiles.WIDTH;
        assertThat((k + 1) * Tiles.WIDTH - 1).isLessThanOrEqualTo(lastIndex);
        Tiles.Tile full = new Tiles.Tile(0, k, Tiles.WIDTH);
        Path tileFile = dir.resolve(full.path().substring("tile/".length()));
        assertThat(tileFile).exists();
        byte[] tile = Files.readAllBytes(tileFile);
        assertThat(tile).hasSize(Tiles.WIDTH * Merkle.HASH_SIZE)
                .isEqualTo(concat(store.hashes(0, k * Tiles.WIDTH, Tiles.WIDTH)));
        // the bundles in the store: every full one from the start whose entries all belong to closed periods, up to
        // the first that has an entry of an open period (this context's other tests log some), and no further
        long size = store.latestCheckpoint().orElseThrow().size();
        long closed = 0;
        while (closed < size / Tiles.WIDTH) {
            List<LedgerStore.Leaf> leaves = store.leaves(closed * Tiles.WIDTH, Tiles.WIDTH);
            if (Periods.publishedPrefix(leaves.stream().map(LedgerStore.Leaf::period).toList(), Instant.now())
                    < Tiles.WIDTH) {
                break;
            }
            Path bundleFile = dir.resolve(new Tiles.Tile(0, closed, Tiles.WIDTH).entriesPath().substring("tile/".length()));
            assertThat(bundleFile).exists();
            assertThat(Files.readAllBytes(bundleFile)).isEqualTo(TileStore.bundle(leaves));
            closed++;
        }
        for (long i = closed; i < size / Tiles.WIDTH; i++) {
            assertThat(dir.resolve(new Tiles.Tile(0, i, Tiles.WIDTH).entriesPath().substring("tile/".length())))
                    .doesNotExist();
        }

        // served with a year's caching and an ETag; a client that has it gets 304
        MvcResult r = mvc.perform(get("/log/" + full.path())).andReturn();
        assertThat(r.getResponse().getStatus()).isEqualTo(200);
        assertThat(r.getResponse().getContentAsByteArray()).isEqualTo(tile);
        assertThat(r.getResponse().getHeader("Cache-Control")).contains("max-age=31536000").contains("public")
                .contains("immutable");
        String etag = r.getResponse().getHeader("ETag");
        assertThat(etag).isNotBlank();
        assertThat(mvc.perform(get("/log/" + full.path()).header("If-None-Match", etag)).andReturn().getResponse()
                .getStatus()).isEqualTo(304);
        if (closed > 0) {
            MvcResult b = mvc.perform(get("/log/" + new Tiles.Tile(0, 0, Tiles.WIDTH).entriesPath())).andReturn();
            assertThat(b.getResponse().getStatus()).isEqualTo(200);
            assertThat(b.getResponse().getHeader("Cache-Control")).contains("immutable");
            assertThat(b.getResponse().getHeader("ETag")).isNotBlank();
        }

        // the partial tile at the end of the tree stays dynamic, with short caching, and is not in the store
        Tiles.Tile last = Tiles.tilesAt(0, size).getLast();
        if (!last.full()) {
            MvcResult p = mvc.perform(get("/log/" + last.path())).andReturn();
            assertThat(p.getResponse().getStatus()).isEqualTo(200);
            assertThat(p.getResponse().getHeader("Cache-Control")).contains("max-age=60").doesNotContain("immutable");
            assertThat(dir.resolve(last.path().substring("tile/".length()))).doesNotExist();
        }

        // written once: a later pass leaves the file alone; and the application serves it from the store
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(tileFile);
        tileStore.write();
        assertThat(Files.getLastModifiedTime(tileFile)).isEqualTo(written);
        byte[] marked = tile.clone();
        marked[0] ^= 1;
        Files.write(tileFile, marked);
        try {
            assertThat(mvc.perform(get("/log/" + full.path())).andReturn().getResponse().getContentAsByteArray())
                    .isEqualTo(marked);
        } finally {
            Files.write(tileFile, tile);
        }
    }

    private static byte[] concat(List<byte[]> hashes) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        hashes.forEach(out::writeBytes);
        return out.toByteArray();
    }

    @Test
    void openPeriodBundlesAnswer404WithTheirDateAndProofsVerify() throws Exception {
        tx.executeWithoutResult(s -> store.addPending("{\"v\":1,\"open\":true}".getBytes(StandardCharsets.UTF_8),
                Periods.of(Instant.now()), "TEST", null, Instant.now()));
        sequencer.integrateAll();
        signer.sign();
        long size = store.state().size();
        Tiles.Tile last = Tiles.tilesAt(0, size).getLast();
        var r = mvc.perform(get("/log/" + last.entriesPath())).andReturn().getResponse();
        assertThat(r.getStatus()).isEqualTo(404);
        String opens = Periods.closes(Periods.of(Instant.now())).toString();
        assertThat(r.getContentAsString()).contains("published from " + opens);
        assertThat(r.getHeader("Habeas-Published-From")).isEqualTo(opens);
        var tile = mvc.perform(get("/log/" + last.path())).andReturn().getResponse();
        assertThat(tile.getStatus()).isEqualTo(200);
        // a partial tile: cached briefly, as the full tile soon replaces it
        assertThat(tile.getHeader("Cache-Control")).contains(last.full() ? "immutable" : "max-age=60");
        assertThat(mvc.perform(get("/log/tile/0/x001/000")).andReturn().getResponse().getStatus()).isEqualTo(404);

        JsonMapper json = JsonMapper.builder().build();
        JsonNode inclusion = json.readTree(mvc.perform(get("/log/proof/inclusion").param("index", String.valueOf(size - 1)))
                .andReturn().getResponse().getContentAsString());
        List<byte[]> proof = new ArrayList<>();
        inclusion.get("proof").forEach(p -> proof.add(Base64.getDecoder().decode(p.stringValue())));
        Merkle.verifyInclusion(size - 1, size, Base64.getDecoder().decode(inclusion.get("leafHash").stringValue()), proof,
                store.state().root());
        if (size > 1) {
            JsonNode c = json.readTree(mvc.perform(get("/log/proof/consistency").param("from", "1"))
                    .andReturn().getResponse().getContentAsString());
            List<byte[]> cp = new ArrayList<>();
            c.get("proof").forEach(p -> cp.add(Base64.getDecoder().decode(p.stringValue())));
            Merkle.verifyConsistency(1, size, Base64.getDecoder().decode(c.get("root1").stringValue()),
                    store.state().root(), cp);
        }
        assertThat(mvc.perform(get("/log/proof/inclusion").param("index", String.valueOf(size + 5)))
                .andReturn().getResponse().getStatus()).isEqualTo(400);
    }

    /**
     * A standard C2SP tlog-tiles client, written here from the spec alone, that knows only the log's prefix and its
     * verifier key: it fetches {@code <prefix>checkpoint}, checks the signature, fetches every hash tile of that size
     * ({@code tile/L/N[.p/W]}, N in x-prefixed groups of three digits) and every entry bundle
     * ({@code tile/entries/N[.p/W]}), checks the upper tiles and the root against the leaf hashes and every entry
     * against its leaf hash. Returns the entries read.
     */
    private List<byte[]> readAsATlogTilesClient(String prefix) throws Exception {
        var cpResponse = mvc.perform(get(prefix + "checkpoint")).andReturn().getResponse();
        assertThat(cpResponse.getStatus()).isEqualTo(200);
        String note = cpResponse.getContentAsString();
        Note.verify(Note.parse(note), key.verifier());
        String[] lines = note.split("\n");
        assertThat(lines[0]).isEqualTo(key.name());
        long size = Long.parseLong(lines[1]);
        byte[] root = Base64.getDecoder().decode(lines[2]);
        java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");

        // level 0: the leaf hashes; each level above: the hash of 256 hashes below, checked
        List<byte[]> below = new ArrayList<>();
        List<byte[]> leafHashes = below;
        for (int level = 0; (size >>> (8 * level)) > 0; level++) {
            long count = size >>> (8 * level);
            List<byte[]> hashes = new ArrayList<>();
            for (long n = 0; n * 256 < count; n++) {
                int width = (int) Math.min(256, count - n * 256);
                byte[] tile = fetch(prefix + "tile/" + level + "/" + tlogIndex(n) + (width == 256 ? "" : ".p/" + width));
                assertThat(tile).hasSize(width * 32);
                for (int i = 0; i < width; i++) {
                    hashes.add(java.util.Arrays.copyOfRange(tile, 32 * i, 32 * i + 32));
                }
            }
            if (level == 0) {
                leafHashes = hashes;
                assertThat(rfc6962(sha, hashes)).as("the root of the checkpoint's size").isEqualTo(root);
            } else {
                for (int i = 0; i < hashes.size(); i++) {
                    assertThat(rfc6962(sha, below.subList(256 * i, 256 * i + 256))).isEqualTo(hashes.get(i));
                }
            }
            below = hashes;
        }
        List<byte[]> out = new ArrayList<>();
        for (long n = 0; n * 256 < size; n++) {
            int width = (int) Math.min(256, size - n * 256);
            byte[] bundle = fetch(prefix + "tile/entries/" + tlogIndex(n) + (width == 256 ? "" : ".p/" + width));
            int at = 0;
            for (int i = 0; i < width; i++) {
                int len = ((bundle[at] & 0xff) << 8) | (bundle[at + 1] & 0xff);
                byte[] entry = java.util.Arrays.copyOfRange(bundle, at + 2, at + 2 + len);
                at += 2 + len;
                sha.update((byte) 0);
                assertThat(sha.digest(entry)).isEqualTo(leafHashes.get((int) (n * 256 + i)));
                out.add(entry);
            }
            assertThat(at).isEqualTo(bundle.length);
        }
        return out;
    }

    private byte[] fetch(String path) throws Exception {
        var r = mvc.perform(get(path)).andReturn().getResponse();
        assertThat(r.getStatus()).as(path).isEqualTo(200);
        return r.getContentAsByteArray();
    }

    /** C2SP tlog-tiles: 1234067 is x001/x234/067. */
    private static String tlogIndex(long n) {
        String s = String.format("%03d", n % 1000);
        for (n /= 1000; n > 0; n /= 1000) {
            s = String.format("x%03d/", n % 1000) + s;
        }
        return s;
    }

    /** RFC 6962 tree hash of a list of leaf hashes. */
    private static byte[] rfc6962(java.security.MessageDigest sha, List<byte[]> hashes) {
        if (hashes.size() == 1) {
            return hashes.get(0);
        }
        int k = Integer.highestOneBit(hashes.size() - 1);
        byte[] left = rfc6962(sha, hashes.subList(0, k));
        byte[] right = rfc6962(sha, hashes.subList(k, hashes.size()));
        sha.update((byte) 1);
        sha.update(left);
        return sha.digest(right);
    }

    /**
     * Issue 17: with entries of an open period after the closed ones in one tile, and no checkpoint signed at the
     * boundary, a standard tlog-tiles client given {@code /log/published/} reads exactly the published entries,
     * including the partial bundle {@code tile/entries/N.p/W} at the edge, and nothing beyond.
     */
    @Test
    @org.junit.jupiter.api.Order(1) // first, so that no entry of the open period comes before these
    void aStandardTlogTilesClientReadsExactlyThePublishedPrefixKnowingOnlyItsCheckpoint() throws Exception {
        long start = store.state().size();
        tx.executeWithoutResult(s -> {
            long pad = (Tiles.WIDTH - start % Tiles.WIDTH) % Tiles.WIDTH;
            for (int i = 0; i < pad + Tiles.WIDTH + 3; i++) {
                store.addPending(("{\"v\":1,\"closed\":" + i + "}").getBytes(StandardCharsets.UTF_8), "2025-H2",
                        "TEST", null, Instant.now());
            }
            for (int i = 0; i < 2; i++) {
                store.addPending(("{\"v\":1,\"open\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        Periods.of(Instant.now()), "TEST", null, Instant.now());
            }
        });
        sequencer.integrateAll();
        signer.sign();
        long size = store.state().size();
        long firstOpen = jdbc.sql("select min(idx) from ledger_leaf where period = :p")
                .param("p", Periods.of(Instant.now())).query(Long.class).single();
        assertThat(firstOpen).isLessThan(size);
        assertThat(firstOpen % Tiles.WIDTH).as("the prefix ends inside a tile").isEqualTo(3);
        // the log's own checkpoint covers the open entries; no checkpoint was signed at the boundary before
        assertThat(mvc.perform(get("/log/checkpoint")).andReturn().getResponse().getContentAsString())
                .contains("\n" + size + "\n");

        List<byte[]> read = readAsATlogTilesClient("/log/published/");
        assertThat(read).hasSize((int) firstOpen);
        for (byte[] entry : read) {
            assertThat(new String(entry, StandardCharsets.UTF_8)).doesNotContain("\"open\"");
        }
        // the edge bundle is served at the spec's partial path, and one entry more is not
        String edge = "tile/entries/" + tlogIndex(firstOpen / 256);
        assertThat(mvc.perform(get("/log/published/" + edge + ".p/3")).andReturn().getResponse().getStatus())
                .isEqualTo(200);
        assertThat(mvc.perform(get("/log/published/" + edge + ".p/4")).andReturn().getResponse().getStatus())
                .isEqualTo(404);
        // habeas log verify reads the same view with nothing left unpublished
        LogVerifier.Fetcher published = path -> {
            try {
                MvcResult r = mvc.perform(get("/log/published/" + path)).andReturn();
                return new LogVerifier.Response(r.getResponse().getStatus(), r.getResponse().getContentAsByteArray());
            } catch (Exception e) {
                throw new java.io.IOException(e);
            }
        };
        LogVerifier.Summary s = LogVerifier.verify(published, key.verifier(), List.of(), null, p -> { });
        assertThat(s.size()).isEqualTo(firstOpen);
        assertThat(s.entriesChecked()).isEqualTo(firstOpen);
        assertThat(s.entriesUnpublished()).isZero();
        // signing again changes nothing while the period is open
        signer.sign();
        assertThat(readAsATlogTilesClient("/log/published/")).hasSize((int) firstOpen);
    }

    @Test
    void aHalfPublishedBundleIsServedAtTheStandardPartialPathOfItsPublishedPrefix() throws Exception {
        // fill up to a tile boundary, then three closed-period entries, a checkpoint, and two of the open period
        tx.executeWithoutResult(s -> {
            long pad = (Tiles.WIDTH - store.state().size() % Tiles.WIDTH) % Tiles.WIDTH;
            for (int i = 0; i < pad + 3; i++) {
                store.addPending(("{\"v\":1,\"pad\":" + i + "}").getBytes(StandardCharsets.UTF_8), "2025-H2", "TEST",
                        null, Instant.now());
            }
        });
        sequencer.integrateAll();
        signer.sign();
        long publishedSize = store.state().size();
        tx.executeWithoutResult(s -> {
            for (int i = 0; i < 2; i++) {
                store.addPending(("{\"v\":1,\"open\":" + i + "}").getBytes(StandardCharsets.UTF_8),
                        Periods.of(Instant.now()), "TEST", null, Instant.now());
            }
        });
        sequencer.integrateAll();
        signer.sign();
        long index = publishedSize / Tiles.WIDTH;
        assertThat(publishedSize % Tiles.WIDTH).isEqualTo(3);

        // the tile a client builds for the checkpoint of the published size: tile/entries/N.p/3
        Tiles.Tile prefix = new Tiles.Tile(0, index, 3);
        assertThat(prefix.entriesPath()).isEqualTo("tile/entries/" + Tiles.encode(index) + ".p/3");
        var bundle = mvc.perform(get("/log/" + prefix.entriesPath())).andReturn().getResponse();
        assertThat(bundle.getStatus()).isEqualTo(200);
        assertThat(bundle.getContentType()).isEqualTo("application/octet-stream");
        byte[] bytes = bundle.getContentAsByteArray();
        byte[] hashes = mvc.perform(get("/log/" + prefix.path())).andReturn().getResponse().getContentAsByteArray();
        assertThat(hashes).hasSize(3 * Merkle.HASH_SIZE);
        int[] offsets = LogVerifier.offsets(prefix.entriesPath(), bytes, 3);
        for (int i = 0; i < 3; i++) {
            byte[] leaf = new byte[Merkle.HASH_SIZE];
            Merkle.leafHash(bytes, offsets[2 * i], offsets[2 * i + 1], leaf);
            assertThat(leaf).isEqualTo(java.util.Arrays.copyOfRange(hashes, i * Merkle.HASH_SIZE,
                    (i + 1) * Merkle.HASH_SIZE));
        }
        // exactly the prefix: one entry more reaches into the open period, and the current edge names the prefix
        assertThat(mvc.perform(get("/log/" + new Tiles.Tile(0, index, 4).entriesPath())).andReturn().getResponse()
                .getStatus()).isEqualTo(404);
        var edge = mvc.perform(get("/log/" + new Tiles.Tile(0, index, 5).entriesPath())).andReturn().getResponse();
        assertThat(edge.getStatus()).isEqualTo(404);
        assertThat(edge.getContentAsString()).contains("published as " + prefix.entriesPath() + ".");
    }

    @Test
    void theLogRefusesToSignOverATreeThatNoLongerGivesItsLastCheckpoint() throws Exception {
        tx.executeWithoutResult(s -> store.addPending("{\"v\":1,\"x\":1}".getBytes(StandardCharsets.UTF_8),
                "2025-H2", "TEST", null, Instant.now()));
        sequencer.integrateAll();
        signer.sign();
        byte[] original = store.hash(0, 0);
        try {
            jdbc.sql("update ledger_hash set hash = :h where level = 0 and idx = 0")
                    .param("h", Merkle.leafHash("forged".getBytes(StandardCharsets.UTF_8))).update();
            signer.checkOnStart();
            assertThat(signer.refusal()).get().asString().containsAnyOf("do not give the signed root",
                    "entry 0 does not match its stored leaf hash");
            assertThatThrownBy(() -> signer.sign()).hasMessageContaining("refuses to sign");
        } finally {
            jdbc.sql("update ledger_hash set hash = :h where level = 0 and idx = 0").param("h", original).update();
            signer.checkOnStart();
        }
        assertThat(signer.refusal()).isEmpty();
    }

    @Autowired
    Audit audit;

    @Test
    void theAuditFindsADecisionChangedInTheDatabase() throws Exception {
        MvcResult created = mvc.perform(post("/api/v1/requests").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content(Samples.json(Samples.production()))).andReturn();
        String location = created.getResponse().getHeader("Location");
        UUID requestId = UUID.fromString(location.substring(location.lastIndexOf('/') + 1));
        Audit.Report before = audit.run();
        assertThat(before.problems()).isEmpty();
        assertThat(before.entries()).isGreaterThanOrEqualTo(2);

        String decision = jdbc.sql("select decision from safeguards_assessment where request_id = :id")
                .param("id", requestId).query(String.class).single();
        String changed = decision.equals("ACCEPT") ? "REFUSE" : "ACCEPT";
        jdbc.sql("update safeguards_assessment set decision = :d where request_id = :id")
                .param("d", changed).param("id", requestId).update();
        try {
            Audit.Report after = audit.run();
            UUID caseId = entries.caseKey(requestId).orElseThrow().caseId();
            assertThat(after.problems()).hasSize(1);
            assertThat(after.problems().get(0)).contains("case " + caseId).contains(requestId.toString())
                    .contains("event ASSESSED").contains("no longer matches");
        } finally {
            jdbc.sql("update safeguards_assessment set decision = :d where request_id = :id")
                    .param("d", decision).param("id", requestId).update();
        }
        // the request as received is covered too
        jdbc.sql("update intake_request set body = replace(body, 'EU_EEVIDENCE', 'BUDAPEST') where id = :id")
                .param("id", requestId).update();
        try {
            assertThat(audit.run().problems()).anySatisfy(p -> assertThat(p).contains("event RECEIVED"));
        } finally {
            jdbc.sql("update intake_request set body = replace(body, 'BUDAPEST', 'EU_EEVIDENCE') where id = :id")
                    .param("id", requestId).update();
        }
        assertThat(audit.run().problems()).isEmpty();
    }

    /** A request of agency A, assessed, proposed by the analyst and decided by the legal reviewer. */
    private UUID decided() throws Exception {
        String id = new org.habeas.support.CaseSteps(mvc, accounts).submit("01-legit-ransomware-traffic-eu.json");
        new org.habeas.support.CaseSteps(mvc, accounts).decide(id, "ACCEPT");
        return UUID.fromString(id);
    }

    /** Runs {@code tamper}, checks what the audit says, and always undoes it; the audit is clean again afterwards. */
    private void tampered(String tamper, String undo, java.util.Map<String, Object> params,
            java.util.function.Consumer<List<String>> found) {
        assertThat(audit.run().problems()).isEmpty();
        var t = jdbc.sql(tamper);
        for (var p : params.entrySet()) {
            t = t.param(p.getKey(), p.getValue());
        }
        assertThat(t.update()).isEqualTo(1);
        try {
            found.accept(audit.run().problems());
        } finally {
            var u = jdbc.sql(undo);
            for (var p : params.entrySet()) {
                u = u.param(p.getKey(), p.getValue());
            }
            u.update();
        }
        assertThat(audit.run().problems()).isEmpty();
    }

    @Test
    void theAuditFindsARequestReassignedToAnotherAgencyOrStateAndAChangedActor() throws Exception {
        UUID id = decided();
        String caseId = entries.caseKey(id).orElseThrow().caseId().toString();
        tampered("update intake_request set agency_id = :other where id = :id",
                "update intake_request set agency_id = :mine where id = :id",
                java.util.Map.of("id", id, "other", accounts.agencyB.id(), "mine", accounts.agencyA.id()),
                problems -> assertThat(problems).singleElement().asString().contains("case " + caseId)
                        .contains("event RECEIVED").contains("(commitment)"));
        String state = jdbc.sql("select requesting_state from intake_request where id = :id").param("id", id)
                .query(String.class).single();
        tampered("update intake_request set requesting_state = 'RU' where id = :id",
                "update intake_request set requesting_state = :state where id = :id", java.util.Map.of("id", id, "state", state),
                problems -> assertThat(problems).isNotEmpty().allSatisfy(p -> assertThat(p).contains("case " + caseId)
                        .contains("requestingState")));
        long proposed = jdbc.sql("select id from casework_event where request_id = :id and action like 'PROPOSED%'")
                .param("id", id).query(Long.class).single();
        String analyst = accounts.users.get(UserRole.ANALYST).username();
        tampered("update casework_event set actor = 'someone-else' where id = :e",
                "update casework_event set actor = :analyst where id = :e", java.util.Map.of("e", proposed, "analyst", analyst),
                problems -> assertThat(problems).singleElement().asString().contains("case " + caseId)
                        .contains("event DECIDED").contains("commitment"));
    }

    @Test
    void theAuditFindsADeletedLeafAndAMissingHashWithoutCrashing() throws Exception {
        String id = new org.habeas.support.CaseSteps(mvc, accounts).submit("01-legit-ransomware-traffic-eu.json");
        mvc.perform(post("/api/v1/cases/" + id + "/withdrawal").header("Authorization", accounts.bearer(UserRole.REQUESTER))
                .contentType(MediaType.APPLICATION_JSON).content("{\"text\":\"No longer needed\"}"))
                .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.status().isOk());
        sequencer.integrateAll();
        signer.sign();
        assertThat(audit.run().problems()).isEmpty();
        UUID caseId = entries.caseKey(UUID.fromString(id)).orElseThrow().caseId();
        LedgerStore.Leaf withdrawn = store.leavesOfCase(caseId).stream().filter(l -> l.event().equals("WITHDRAWN"))
                .findFirst().orElseThrow();
        var row = jdbc.sql("select * from ledger_leaf where idx = :i").param("i", withdrawn.index()).query().singleRow();
        jdbc.sql("delete from ledger_leaf where idx = :i").param("i", withdrawn.index()).update();
        try {
            assertThat(audit.run().problems())
                    .anySatisfy(p -> assertThat(p).contains("case " + caseId).contains("no WITHDRAWN entry"))
                    .anySatisfy(p -> assertThat(p).contains("leaf " + withdrawn.index() + " is missing"));
            assertThat(signerAfterGrowth()).contains("a leaf was deleted");
            assertThat(health()).isEqualTo(503);
        } finally {
            jdbc.sql("insert into ledger_leaf (idx, entry, period, event, case_id, appended_at) values (:i, :e, :p, :ev, :c, :at)")
                    .param("i", row.get("idx")).param("e", row.get("entry")).param("p", row.get("period"))
                    .param("ev", row.get("event")).param("c", row.get("case_id")).param("at", row.get("appended_at")).update();
        }
        // the signer checks again, finds the tree whole and signs again; health is up
        assertThat(signer.sign()).isPresent();
        assertThat(signer.refusal()).isEmpty();
        assertThat(health()).isEqualTo(200);
        assertThat(audit.run().problems()).isEmpty();

        // a level-0 hash row deleted: reported, not a crash
        byte[] hash = store.hash(0, withdrawn.index());
        jdbc.sql("delete from ledger_hash where level = 0 and idx = :i").param("i", withdrawn.index()).update();
        try {
            assertThat(audit.run().problems())
                    .anySatisfy(p -> assertThat(p).contains("leaf hash of entry " + withdrawn.index() + " is missing"));
        } finally {
            jdbc.sql("insert into ledger_hash (level, idx, hash) values (0, :i, :h)").param("i", withdrawn.index())
                    .param("h", hash).update();
        }
        assertThat(audit.run().problems()).isEmpty();
    }

    @Test
    void theSignerRefusesALargerCheckpointOverAnEditedLeafAndSaysSoInHealth() throws Exception {
        UUID id = decided();
        sequencer.integrateAll();
        signer.sign();
        LedgerStore.Leaf received = store.leavesOfCase(entries.caseKey(id).orElseThrow().caseId()).get(0);
        byte[] original = received.entry();
        byte[] forged = new String(original, StandardCharsets.UTF_8).replace("\"emergency\":false", "\"emergency\":true")
                .getBytes(StandardCharsets.UTF_8);
        jdbc.sql("update ledger_leaf set entry = :e where idx = :i").param("e", forged).param("i", received.index()).update();
        try {
            assertThat(signerAfterGrowth()).contains("entry " + received.index() + " does not match its stored leaf hash");
            assertThat(health()).isEqualTo(503);
            var indicator = context.getBean("logHealthIndicator",
                    org.springframework.boot.health.contributor.HealthIndicator.class).health();
            assertThat(indicator.getStatus().getCode()).isEqualTo("DOWN");
            assertThat(String.valueOf(indicator.getDetails().get("reason"))).contains("does not match");
            assertThat(audit.run().problems()).anySatisfy(p -> assertThat(p).contains("event RECEIVED"))
                    .anySatisfy(p -> assertThat(p).contains("entry " + received.index() + " does not match"));
        } finally {
            jdbc.sql("update ledger_leaf set entry = :e where idx = :i").param("e", original).param("i", received.index())
                    .update();
        }
        assertThat(signer.sign()).isPresent();
        assertThat(signer.refusal()).isEmpty();
        assertThat(health()).isEqualTo(200);
    }

    @Autowired
    org.springframework.core.env.Environment environment;

    @Test
    void theAuditCommandRunsAlongsideTheServerAndWritesNothing() throws Exception {
        new org.habeas.support.CaseSteps(mvc, accounts).submit("01-legit-ransomware-traffic-eu.json");
        sequencer.integrateAll();
        // the tree has grown past the last checkpoint: a signer that ran in the audit would sign it
        long signed = store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
        assertThat(store.state().size()).isGreaterThan(signed);
        long checkpoints = jdbc.sql("select count(*) from ledger_checkpoint").query(Long.class).single();
        long users = jdbc.sql("select count(*) from accounts_user").query(Long.class).single();
        java.util.Map<String, String> db = java.util.Map.of(
                "spring.datasource.url", environment.getProperty("spring.datasource.url"),
                "spring.datasource.username", environment.getProperty("spring.datasource.username"),
                "spring.datasource.password", environment.getProperty("spring.datasource.password", ""));
        db.forEach(System::setProperty);
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int exit;
        try {
            var cli = org.habeas.cli.HabeasCommand.commandLine(org.habeas.HabeasApplication.class);
            cli.setOut(new java.io.PrintWriter(out, true));
            cli.setErr(new java.io.PrintWriter(err, true));
            exit = cli.execute("audit", "--home", org.habeas.support.TestDatabases.home("audit").toString());
        } finally {
            db.keySet().forEach(System::clearProperty);
        }
        assertThat(exit).as(err.toString()).isZero();
        assertThat(out.toString()).startsWith("clean: ");
        assertThat(jdbc.sql("select count(*) from ledger_checkpoint").query(Long.class).single()).isEqualTo(checkpoints);
        assertThat(store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L)).isEqualTo(signed);
        // no first-administrator invitation either
        assertThat(jdbc.sql("select count(*) from accounts_user").query(Long.class).single()).isEqualTo(users);
    }

    /** Grows the tree by one entry and asks the signer to sign it; returns why it refused (empty if it signed). */
    private String signerAfterGrowth() {
        tx.executeWithoutResult(s -> store.addPending("{\"v\":1,\"x\":2}".getBytes(StandardCharsets.UTF_8),
                "2025-H2", "TEST", null, Instant.now()));
        sequencer.integrateAll();
        long before = store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L);
        try {
            signer.sign();
        } catch (IllegalStateException refused) {
            assertThat(store.latestCheckpoint().map(LedgerStore.SignedCheckpoint::size).orElse(0L)).isEqualTo(before);
            return signer.refusal().orElseThrow();
        }
        return "";
    }

    private int health() throws Exception {
        return mvc.perform(get("/actuator/health")).andReturn().getResponse().getStatus();
    }

    private LogVerifier.Fetcher tampered(String path, int offset) {
        LogVerifier.Fetcher real = fetcher();
        return p -> {
            LogVerifier.Response r = real.get(p);
            // an entry bundle is tampered with whatever width of it is served
            boolean target = p.equals(path) || path.startsWith("tile/entries/") && p.startsWith(path + ".p/");
            if (target && r.status() == 200) {
                byte[] b = r.body().clone();
                b[offset % b.length] ^= 0x01;
                return new LogVerifier.Response(200, b);
            }
            return r;
        };
    }

    private static void assertRejected(LogVerifier.Fetcher f, Note.Verifier vkey, String reason) throws Exception {
        Path fresh = Files.createTempDirectory("habeas-verify");
        assertThatThrownBy(() -> LogVerifier.verify(f, vkey, List.of(), fresh, p -> { }))
                .isInstanceOf(LogVerifier.Failure.class).hasMessageContaining(reason);
    }
}
