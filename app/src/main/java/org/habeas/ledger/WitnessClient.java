package org.habeas.ledger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Metrics;

import org.habeas.nodes.Leases;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Sends each new checkpoint to the configured witnesses ({@code habeas.ledger.witnesses}: comma-separated
 * {@code URL VERIFIER-KEY} pairs, the URL being the witness's prefix), with a consistency proof from the size the
 * witness last cosigned, and keeps their cosignatures, which are served with the checkpoint. On schedule, only the
 * node that holds the lease {@value #LEASE} submits.
 */
@Component
public class WitnessClient {

    private static final Logger log = LoggerFactory.getLogger(WitnessClient.class);

    record Configured(URI url, Note.Verifier vkey) {
    }

    private final List<Configured> witnesses = new ArrayList<>();
    private final LedgerStore store;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Long> lastSize = new ConcurrentHashMap<>();

    private final Leases leases;
    private final Duration lease;

    /** The lease that keeps submissions to the witnesses to one node. */
    public static final String LEASE = "witness-submission";

    WitnessClient(@Value("${habeas.ledger.witnesses:}") String configured, LedgerStore store, Clock clock,
            Leases leases, @Value("${habeas.ledger.signer-lease:10s}") Duration lease) {
        this.leases = leases;
        this.lease = lease;
        this.store = store;
        this.clock = clock;
        for (String entry : configured.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.strip().split("\\s+");
            if (parts.length != 2) {
                throw new IllegalArgumentException("habeas.ledger.witnesses: each entry is 'URL VERIFIER-KEY'");
            }
            String url = parts[0].endsWith("/") ? parts[0] : parts[0] + "/";
            witnesses.add(new Configured(URI.create(url), Note.Verifier.parse(parts[1])));
        }
    }

    @Scheduled(fixedDelayString = "${habeas.ledger.checkpoint-interval:2s}", initialDelayString = "${habeas.ledger.checkpoint-interval:2s}")
    void scheduled() {
        // one node at a time submits (the lease's holder); the others have nothing to do
        if (!witnesses.isEmpty() && leases.hold(LEASE, lease)) {
            publish();
        }
    }

    /** Submits the latest checkpoint to every witness that has not cosigned it yet; returns how many cosigned. */
    public synchronized int publish() {
        Optional<LedgerStore.SignedCheckpoint> latest = store.latestCheckpoint();
        if (latest.isEmpty() || witnesses.isEmpty()) {
            return 0;
        }
        LedgerStore.SignedCheckpoint cp = latest.get();
        List<String> have = store.cosignatures(cp.size());
        int cosigned = 0;
        for (Configured w : witnesses) {
            String prefix = "\u2014 " + w.vkey().name() + " ";
            if (have.stream().anyMatch(l -> l.startsWith(prefix))) {
                cosigned++;
                continue;
            }
            try {
                if (submit(w, cp)) {
                    cosigned++;
                } else {
                    failed(w);
                }
            } catch (IOException | RuntimeException e) {
                failed(w);
                log.warn("Witness {} did not cosign checkpoint {}: {}", w.vkey().name(), cp.size(), e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return cosigned;
            }
        }
        return cosigned;
    }

    /** Counts a witness's failure to cosign ({@code habeas_witness_failures_total}). */
    private static void failed(Configured w) {
        Counter.builder("habeas.witness.failures").description("Checkpoints a witness did not cosign")
                .tag("witness", w.vkey().name()).register(Metrics.globalRegistry).increment();
    }

    private boolean submit(Configured w, LedgerStore.SignedCheckpoint cp) throws IOException, InterruptedException {
        long old = lastSize.getOrDefault(w.vkey().name(), 0L);
        for (int attempt = 0; attempt < 2; attempt++) {
            StringBuilder body = new StringBuilder("old ").append(old).append('\n');
            if (old > 0 && old < cp.size()) {
                Merkle.consistencyProof(store, old, cp.size())
                        .forEach(h -> body.append(Base64.getEncoder().encodeToString(h)).append('\n'));
            }
            body.append('\n').append(cp.note());
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(w.url().resolve("add-checkpoint"))
                    .timeout(Duration.ofSeconds(10)).header("Content-Type", "text/plain; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 409) {
                old = Long.parseLong(r.body().strip());
                continue;
            }
            if (r.statusCode() != 200) {
                log.warn("Witness {} refused checkpoint {}: HTTP {} {}", w.vkey().name(), cp.size(), r.statusCode(),
                        r.body().strip());
                return false;
            }
            for (String line : r.body().split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Note.Parsed parsed = Note.parse(Checkpoint.parse(Note.parse(cp.note()).text()).body() + "\n" + line + "\n");
                for (Note.Sig s : parsed.signatures()) {
                    try {
                        Cosignature.verify(parsed.text(), s, w.vkey());
                    } catch (Merkle.ProofException e) {
                        log.warn("Witness {} answered with a bad cosignature: {}", w.vkey().name(), e.getMessage());
                        return false;
                    }
                    store.saveCosignature(cp.size(), w.vkey().name(), line, clock.instant());
                    lastSize.put(w.vkey().name(), cp.size());
                    return true;
                }
            }
            return false;
        }
        return false;
    }
}
