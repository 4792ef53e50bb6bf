package org.habeas.disclosure;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.casework.Cases;
import org.habeas.web.ApiProblems;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Executing decisions: production packages, their download by the requester, and receipt. */
@RestController
@Tag(name = "Disclosure", description = "Production packages: exactly the approved scope, signed, encrypted for the requester.")
class DisclosureApi {

    private final Production production;
    private final Notices notices;

    DisclosureApi(Production production, Notices notices) {
        this.production = production;
        this.notices = notices;
    }

    @Operation(summary = "Notices to account holders (staff and oversight)", description = "status: PENDING, SENT or "
            + "UNDELIVERABLE; pending ones wait for a non-disclosure order to expire. Recipients are not shown to oversight.")
    @GetMapping("/api/v1/notices")
    List<Notices.Notice> notices(@org.springframework.web.bind.annotation.RequestParam(required = false) String status) {
        boolean identifiers = org.habeas.accounts.Caller.require().seesIdentifiers();
        return notices.list(status).stream().map(n -> identifiers ? n : new Notices.Notice(n.id(), n.requestId(),
                n.recipient() == null ? null : "(withheld)", n.dueAt(), n.status(), n.subject(), n.sentAt())).toList();
    }

    @Operation(summary = "Execute a decision (staff)", description = "Produces the approved scope as an encrypted package "
            + "for the requesting agency's P-256 key. 409 while a condition is open (e.g. an unconfirmed emergency).")
    @PostMapping("/api/v1/cases/{id}/package")
    ResponseEntity<Production.Package> produce(@PathVariable UUID id) {
        Production.Package p = production.produce(id);
        return ResponseEntity.created(URI.create("/api/v1/cases/" + id + "/package")).body(p);
    }

    @Operation(summary = "Download the package (requester)", description = "A compact JWE (ECDH-ES+A256KW, A256GCM) "
            + "holding a ZIP: manifest.json, manifest.sig, files/. Recorded in the access record.")
    @GetMapping(path = "/api/v1/cases/{id}/package", produces = "application/jose")
    ResponseEntity<String> download(@PathVariable UUID id) {
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jose")).body(production.download(id));
    }

    @Operation(summary = "Confirm receipt (requester)")
    @PostMapping("/api/v1/cases/{id}/package/receipt")
    ResponseEntity<Void> receipt(@PathVariable UUID id) {
        production.confirmReceipt(id);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The operator's key that signs manifests")
    @GetMapping(path = "/disclosure/vkey", produces = MediaType.TEXT_PLAIN_VALUE)
    String vkey() {
        return production.operatorKey().encoded() + "\n";
    }

    @ExceptionHandler(Cases.Refused.class)
    ResponseEntity<ProblemDetail> refused(Cases.Refused e) {
        return ApiProblems.problem(e.status(), e.status().getReasonPhrase(), e.getMessage(),
                List.of(Map.of("pointer", "/" + e.field(), "detail", e.getMessage())));
    }
}
