package org.habeas.ledger;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Signing a checkpoint on demand (administrators), besides the regular signing every few seconds. */
@RestController
@Tag(name = "Public log", description = "Administration of the public log; the log itself is served under /log/.")
class LogAdminApi {

    private final Sequencer sequencer;
    private final CheckpointSigner signer;
    private final WitnessClient witnesses;

    LogAdminApi(Sequencer sequencer, CheckpointSigner signer, WitnessClient witnesses) {
        this.sequencer = sequencer;
        this.signer = signer;
        this.witnesses = witnesses;
    }

    @Operation(summary = "Sign a checkpoint now", description = "Integrates pending entries, signs a checkpoint if the "
            + "tree has grown, submits it to the witnesses, and answers with the signed checkpoint.")
    @PostMapping(path = "/api/v1/log/checkpoint", produces = MediaType.TEXT_PLAIN_VALUE)
    ResponseEntity<String> signNow() {
        sequencer.integrateAll();
        String note = signer.sign().orElseThrow();
        witnesses.publish();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("text/plain; charset=utf-8")).body(note);
    }
}
