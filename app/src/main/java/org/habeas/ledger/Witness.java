package org.habeas.ledger;

import java.io.IOException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Hidden;

/**
 * Witness mode (C2SP tlog-witness): cosigns checkpoints of the logs it is configured for, but only when each new
 * checkpoint is proven consistent with the last one it cosigned for that log. A watchdog can run Habeas this way
 * for several providers' logs. The check and the update of the stored tree are one transaction that locks the
 * log's row, so a checkpoint can never roll back what was cosigned.
 */
@RestController
@Hidden
class Witness {

    private static final Logger log = LoggerFactory.getLogger(Witness.class);
    private static final MediaType TEXT = MediaType.parseMediaType("text/plain; charset=utf-8");
    private static final MediaType SIZE = MediaType.parseMediaType("text/x.tlog.size");

    private final boolean enabled;
    private final Map<String, Note.Verifier> logs = new LinkedHashMap<>();
    private final LogKey key;
    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final Clock clock;

    Witness(@Value("${habeas.witness.enabled:false}") boolean enabled,
            @Value("${habeas.witness.name:habeas.localhost/witness}") String name,
            @Value("${habeas.witness.logs:}") String logKeys,
            @Value("${habeas.home}") Path home, JdbcClient jdbc, TransactionTemplate tx, Clock clock) throws IOException {
        this.enabled = enabled;
        this.jdbc = jdbc;
        this.tx = tx;
        this.clock = clock;
        this.key = enabled ? LogKey.loadOrCreate(home.resolve("ledger").resolve("witness-key"), name) : null;
        if (enabled) {
            for (String vkey : logKeys.split(",")) {
                if (!vkey.isBlank()) {
                    Note.Verifier v = Note.Verifier.parse(vkey.strip());
                    logs.put(v.name(), v);
                }
            }
            log.info("Witness {} for {} logs; its cosignature key: {}", name, logs.size(),
                    key.cosignatureVerifier().encoded());
        }
    }

    @GetMapping("/witness/vkey")
    ResponseEntity<String> vkey() {
        if (!enabled) {
            return ResponseEntity.status(HttpStatus.NOT_FOUND).contentType(TEXT).body("This Habeas is not a witness.\n");
        }
        return ResponseEntity.ok().contentType(TEXT).body(key.cosignatureVerifier().encoded() + "\n");
    }

    @PostMapping("/witness/add-checkpoint")
    ResponseEntity<String> addCheckpoint(@RequestBody(required = false) String body) {
        if (!enabled) {
            return text(HttpStatus.NOT_FOUND, "This Habeas is not a witness.");
        }
        if (body == null) {
            return text(HttpStatus.BAD_REQUEST, "empty request");
        }
        // "old <size>", proof lines, a blank line, the signed checkpoint
        int blank = body.indexOf("\n\n");
        if (blank < 0) {
            return text(HttpStatus.BAD_REQUEST, "expected the old size and proof, a blank line, then the checkpoint");
        }
        String[] head = body.substring(0, blank).split("\n");
        if (!head[0].matches("old (0|[1-9][0-9]{0,18})") || head.length > 64) {
            return text(HttpStatus.BAD_REQUEST, "the first line is 'old <size>', followed by at most 63 proof lines");
        }
        long old = Long.parseLong(head[0].substring(4));
        List<byte[]> proof = new ArrayList<>();
        Note.Parsed note;
        Checkpoint cp;
        try {
            for (int i = 1; i < head.length; i++) {
                byte[] h = Base64.getDecoder().decode(head[i]);
                if (h.length != Merkle.HASH_SIZE) {
                    throw new IllegalArgumentException("proof line " + i + " is not a 32-byte hash");
                }
                proof.add(h);
            }
            note = Note.parse(body.substring(blank + 2));
            cp = Checkpoint.parse(note.text());
        } catch (IllegalArgumentException e) {
            return text(HttpStatus.BAD_REQUEST, e.getMessage());
        }
        Note.Verifier logKey = logs.get(cp.origin());
        if (logKey == null) {
            return text(HttpStatus.NOT_FOUND, "unknown log " + cp.origin());
        }
        try {
            Note.verify(note, logKey);
        } catch (Merkle.ProofException e) {
            return text(HttpStatus.FORBIDDEN, e.getMessage());
        }
        if (old > cp.size()) {
            return text(HttpStatus.BAD_REQUEST, "old size " + old + " is larger than the checkpoint's " + cp.size());
        }
        return tx.execute(status -> {
            var row = jdbc.sql("select size, root from witness_log where origin = :o for update").param("o", cp.origin())
                    .query((rs, i) -> new Object[] {rs.getLong("size"), rs.getBytes("root")}).optional();
            long size = row.map(r -> (Long) r[0]).orElse(0L);
            byte[] root = row.map(r -> (byte[]) r[1]).orElse(null);
            if (old != size) {
                return ResponseEntity.status(HttpStatus.CONFLICT).contentType(SIZE).body(size + "\n");
            }
            if (root != null && cp.size() == size && !MessageDigest.isEqual(root, cp.root())) {
                // the same size with another root: a fork of what was cosigned; the answer is the size cosigned
                return ResponseEntity.status(HttpStatus.CONFLICT).contentType(SIZE).body(size + "\n");
            }
            try {
                if (size == 0) {
                    if (!proof.isEmpty()) {
                        throw new Merkle.ProofException("a proof from the empty tree is empty");
                    }
                    if (cp.size() == 0 && !MessageDigest.isEqual(cp.root(), Merkle.emptyRoot())) {
                        throw new Merkle.ProofException("the root of the empty tree is the SHA-256 of nothing");
                    }
                } else {
                    Merkle.verifyConsistency(size, cp.size(), root, cp.root(), proof);
                }
            } catch (Merkle.ProofException e) {
                return text(HttpStatus.UNPROCESSABLE_CONTENT, "not consistent with the checkpoint of size " + size
                        + " cosigned before: " + e.getMessage());
            }
            OffsetDateTime now = OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC);
            int updated = jdbc.sql("update witness_log set size = :s, root = :r, updated_at = :t where origin = :o")
                    .param("s", cp.size()).param("r", cp.root()).param("t", now).param("o", cp.origin()).update();
            if (updated == 0) {
                jdbc.sql("""
                        insert into witness_log (origin, vkey, size, root, updated_at)
                        values (:o, :v, :s, :r, :t)""")
                        .param("o", cp.origin()).param("v", logKey.encoded()).param("s", cp.size())
                        .param("r", cp.root()).param("t", now).update();
            }
            Note.Sig cosig = key.cosign(note.text(), clock.instant().getEpochSecond());
            return ResponseEntity.ok().contentType(TEXT).body(cosig.line());
        });
    }

    private static ResponseEntity<String> text(HttpStatus status, String message) {
        return ResponseEntity.status(status).contentType(TEXT).body(message + "\n");
    }
}
