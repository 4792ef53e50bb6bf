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
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Executing decisions: production packages, their download by the requester, and receipt. */
@RestController
@Tag(name = "Disclosure", description = "Production packages: exactly the approved scope, signed, encrypted for the requester.")
class DisclosureApi {

    private final Production production;
    private final Notices notices;
    private final EncryptionKeys keys;
    private final org.habeas.accounts.AccessRecord access;

    DisclosureApi(Production production, Notices notices, EncryptionKeys keys, org.habeas.accounts.AccessRecord access) {
        this.production = production;
        this.notices = notices;
        this.keys = keys;
        this.access = access;
    }

    @Operation(summary = "Your agency's encryption keys (requester)", description = "The public P-256 keys packages "
            + "for your agency are encrypted for; the newest active one is used.")
    @GetMapping("/api/v1/encryption-keys")
    List<EncryptionKeys.EncryptionKey> ownKeys() {
        return keys.list(ownAgency());
    }

    @Operation(summary = "Register your agency's encryption key (requester)", description = "A public JWK: "
            + "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":...,\"y\":...,\"kid\":...,\"use\":\"enc\"}; never the "
            + "private part, never a key the agency signs with. Packages produced from now on are encrypted for it.")
    @ApiResponse(responseCode = "201", description = "The key as registered; Location names it.")
    @PostMapping(path = "/api/v1/encryption-keys", consumes = "application/json")
    ResponseEntity<EncryptionKeys.EncryptionKey> registerOwn(@org.springframework.web.bind.annotation.RequestBody String jwk) {
        return registered(keys.register(ownAgency(), jwk, org.habeas.accounts.Caller.require().name()), "/api/v1/encryption-keys/");
    }

    @Operation(summary = "Revoke one of your agency's encryption keys (requester)")
    @ApiResponse(responseCode = "204", description = "Revoked.")
    @DeleteMapping("/api/v1/encryption-keys/{kid}")
    ResponseEntity<Void> revokeOwn(@PathVariable String kid) {
        return revoked(ownAgency(), kid);
    }

    @Operation(summary = "An agency's encryption keys (administrator)")
    @GetMapping("/api/v1/agencies/{id}/encryption-keys")
    List<EncryptionKeys.EncryptionKey> agencyKeys(@PathVariable UUID id) {
        return keys.list(id);
    }

    @Operation(summary = "Register an agency's encryption key (administrator)", description = "For a key the agency "
            + "sent by another channel; the same rules as the agency's own registration.")
    @ApiResponse(responseCode = "201", description = "The key as registered; Location names it.")
    @PostMapping(path = "/api/v1/agencies/{id}/encryption-keys", consumes = "application/json")
    ResponseEntity<EncryptionKeys.EncryptionKey> registerForAgency(@PathVariable UUID id,
            @org.springframework.web.bind.annotation.RequestBody String jwk) {
        return registered(keys.register(id, jwk, org.habeas.accounts.Caller.require().name()),
                "/api/v1/agencies/" + id + "/encryption-keys/");
    }

    @Operation(summary = "Revoke an agency's encryption key (administrator)")
    @ApiResponse(responseCode = "204", description = "Revoked.")
    @DeleteMapping("/api/v1/agencies/{id}/encryption-keys/{kid}")
    ResponseEntity<Void> revokeForAgency(@PathVariable UUID id, @PathVariable String kid) {
        return revoked(id, kid);
    }

    private ResponseEntity<EncryptionKeys.EncryptionKey> registered(EncryptionKeys.EncryptionKey k, String base) {
        org.habeas.accounts.Caller c = org.habeas.accounts.Caller.require();
        access.record(c.name(), c.role().name(), "ENCRYPTION_KEY_REGISTERED", k.agencyId().toString(), k.kid());
        return ResponseEntity.created(URI.create(base + java.net.URLEncoder.encode(k.kid(), java.nio.charset.StandardCharsets.UTF_8)))
                .body(k);
    }

    private ResponseEntity<Void> revoked(UUID agency, String kid) {
        keys.revoke(agency, kid);
        org.habeas.accounts.Caller c = org.habeas.accounts.Caller.require();
        access.record(c.name(), c.role().name(), "ENCRYPTION_KEY_REVOKED", agency.toString(), kid);
        return ResponseEntity.noContent().build();
    }

    private static UUID ownAgency() {
        UUID agency = org.habeas.accounts.Caller.require().agencyId();
        if (agency == null) {
            throw new Cases.Refused(Cases.Refused.Kind.FORBIDDEN, "agency", "only an agency's officers register its keys here");
        }
        return agency;
    }

    @Operation(summary = "Notices to account holders (staff and oversight)", description = "status: PENDING, SENT or "
            + "UNDELIVERABLE; pending ones wait for a non-disclosure order to expire. Recipients are not shown to oversight.")
    @GetMapping("/api/v1/notices")
    List<Notices.Notice> notices(@org.springframework.web.bind.annotation.RequestParam(required = false) String status) {
        boolean identifiers = org.habeas.accounts.Caller.require().seesIdentifiers();
        return notices.list(status).stream().map(n -> identifiers ? n : new Notices.Notice(n.id(), n.requestId(),
                n.recipient() == null ? null : "(withheld)", n.dueAt(), n.status(), n.subject(), n.sentAt(), n.attempts(),
                n.lastError(), n.lastTryAt())).toList();
    }

    @Operation(summary = "Execute a decision (staff)", description = "Produces the approved scope as an encrypted package "
            + "for the requesting agency's encryption key. 409 while a condition is open (e.g. an unconfirmed emergency).")
    @ApiResponse(responseCode = "201", description = "The package as produced; Location names it.")
    @PostMapping("/api/v1/cases/{id}/package")
    ResponseEntity<Production.Package> produce(@PathVariable UUID id) {
        Production.Package p = production.produce(id);
        return ResponseEntity.created(URI.create("/api/v1/cases/" + id + "/package")).body(p);
    }

    @Operation(summary = "Download the package (requester)", description = "A compact JWE (ECDH-ES+A256KW, A256GCM) "
            + "holding a ZIP: manifest.json, manifest.sig, files/. Recorded in the access record.")
    @GetMapping(path = "/api/v1/cases/{id}/package", produces = "application/jose")
    ResponseEntity<String> download(@PathVariable UUID id) {
        Production.Download d = production.download(id);
        io.micrometer.core.instrument.Counter.builder("habeas.packages.downloaded")
                .description("Disclosure packages downloaded by requesters")
                .register(io.micrometer.core.instrument.Metrics.globalRegistry).increment();
        return ResponseEntity.ok().contentType(MediaType.parseMediaType("application/jose"))
                .header(org.springframework.http.HttpHeaders.CONTENT_DISPOSITION,
                        org.springframework.http.ContentDisposition.attachment().filename(d.filename()).build().toString())
                .body(d.jwe());
    }

    @Operation(summary = "Confirm receipt (requester)")
    @ApiResponse(responseCode = "204", description = "Receipt recorded.")
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
