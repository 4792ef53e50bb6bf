package org.habeas.accounts;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The accounts API: agencies with their keys and call-back numbers, users, API tokens, the access record.
 * Which role may call what is in {@link SecurityConfiguration}.
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Accounts", description = "Agencies, their signing keys and call-back numbers; users; API tokens; the access record.")
class AccountsApi {

    private final Agencies agencies;
    private final Users users;
    private final Tokens tokens;
    private final AccessRecord access;

    AccountsApi(Agencies agencies, Users users, Tokens tokens, AccessRecord access) {
        this.agencies = agencies;
        this.users = users;
        this.tokens = tokens;
        this.access = access;
    }

    record AgencyForm(String name, String state, String kind, List<String> emailDomains) {
    }

    record StatusForm(String status) {
    }

    record NumberForm(String number, String label) {
    }

    record UserForm(String username, String displayName, String role, UUID agencyId) {
    }

    record UserChange(String role, Boolean disabled, Boolean unlock) {
    }

    record TokenForm(String name, Integer expiresInDays) {
    }

    @Operation(summary = "Who am I", description = "The caller as Habeas sees it: user, role, agency.")
    @GetMapping("/me")
    Caller me() {
        return Caller.require();
    }

    @Operation(summary = "List agencies")
    @GetMapping("/agencies")
    List<Agency> agencies() {
        return agencies.list();
    }

    @Operation(summary = "Read an agency", description = "With its keys, call-back numbers and refused signature checks.")
    @GetMapping("/agencies/{id}")
    Map<String, Object> agency(@PathVariable UUID id) {
        Agency a = agencies.find(id).orElseThrow(() -> ApiProblem.notFound("Agency " + id));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("agency", a);
        out.put("keys", agencies.keys(id));
        out.put("callbackNumbers", agencies.callbackNumbers(id));
        out.put("refusedSignatureChecks", agencies.failures(id));
        return out;
    }

    @Operation(summary = "Register an agency")
    @PostMapping("/agencies")
    ResponseEntity<Agency> register(@RequestBody AgencyForm form) {
        Agency a = agencies.register(form.name(), form.state(), kind(form.kind()), form.emailDomains());
        access.record(Caller.require().name(), "ADMIN", "AGENCY_REGISTERED", a.id().toString(), a.name());
        return ResponseEntity.created(URI.create("/api/v1/agencies/" + a.id())).body(a);
    }

    @Operation(summary = "Suspend or re-activate an agency", description = "A suspended agency's requests are refused.")
    @PostMapping("/agencies/{id}/status")
    Agency status(@PathVariable UUID id, @RequestBody StatusForm form) {
        Agency.Status s;
        try {
            s = Agency.Status.valueOf(String.valueOf(form.status()));
        } catch (IllegalArgumentException e) {
            throw new Agencies.Refused("status", "must be ACTIVE or SUSPENDED");
        }
        Agency a = agencies.setStatus(id, s);
        access.record(Caller.require().name(), "ADMIN", "AGENCY_" + s.name(), id.toString(), a.name());
        return a;
    }

    @Operation(summary = "Register a signing key", description = "The body is the agency's public JWK "
            + "(Ed25519: kty OKP, crv Ed25519; or P-256: kty EC, crv P-256), with a kid.")
    @PostMapping(path = "/agencies/{id}/keys", consumes = "application/json")
    ResponseEntity<AgencyKey> addKey(@PathVariable UUID id, @RequestBody String jwk) {
        AgencyKey k = agencies.addKey(id, jwk, Caller.require().name());
        access.record(Caller.require().name(), "ADMIN", "KEY_REGISTERED", id.toString(), k.kid());
        return ResponseEntity.created(URI.create("/api/v1/agencies/" + id + "/keys/" + k.kid())).body(k);
    }

    @Operation(summary = "Revoke a signing key")
    @DeleteMapping("/agencies/{id}/keys/{kid}")
    ResponseEntity<Void> revokeKey(@PathVariable UUID id, @PathVariable String kid) {
        agencies.revokeKey(id, kid);
        access.record(Caller.require().name(), "ADMIN", "KEY_REVOKED", id.toString(), kid);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Record a call-back number", description = "From a source staff trust (a directory, a "
            + "letter, a meeting), never from a request.")
    @PostMapping("/agencies/{id}/callback-numbers")
    ResponseEntity<CallbackNumber> addNumber(@PathVariable UUID id, @RequestBody NumberForm form) {
        CallbackNumber n = agencies.addCallbackNumber(id, form.number(), form.label(), Caller.require().name());
        return ResponseEntity.status(HttpStatus.CREATED).body(n);
    }

    @Operation(summary = "Issue an API token to an agency", description = "It acts as a requester of the agency. "
            + "The token is in the response once and never again.")
    @PostMapping("/agencies/{id}/tokens")
    ResponseEntity<Map<String, Object>> agencyToken(@PathVariable UUID id, @RequestBody TokenForm form) {
        Agency a = agencies.find(id).orElseThrow(() -> ApiProblem.notFound("Agency " + id));
        return issued(tokens.issueForAgency(a, form.name(), lifetime(form), Caller.require().name()));
    }

    @Operation(summary = "List users")
    @GetMapping("/users")
    List<User> users() {
        return users.list();
    }

    @Operation(summary = "Create a user", description = "Answers with a one-time link (valid 7 days) for the user "
            + "to set a password and enrol the second factor. Requesters need an agencyId.")
    @PostMapping("/users")
    ResponseEntity<Map<String, Object>> createUser(@RequestBody UserForm form) {
        Users.Invitation inv = users.invite(form.username(), form.displayName(), role(form.role()), form.agencyId(),
                Caller.require().name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", inv.user());
        out.put("setupLink", inv.path());
        out.put("setupLinkExpiresAt", inv.expiresAt());
        return ResponseEntity.created(URI.create("/api/v1/users/" + inv.user().id())).body(out);
    }

    @Operation(summary = "Change a user", description = "role, disabled, unlock (clears a lock-out).")
    @PatchMapping("/users/{id}")
    User changeUser(@PathVariable UUID id, @RequestBody UserChange change) {
        return users.update(id, change.role() == null ? null : role(change.role()), change.disabled(),
                Boolean.TRUE.equals(change.unlock()), Caller.require().name());
    }

    @Operation(summary = "A new set-up link for a user", description = "To reset a forgotten password or a lost "
            + "second factor. Valid 7 days.")
    @PostMapping("/users/{id}/setup-link")
    Map<String, Object> setupLink(@PathVariable UUID id) {
        User u = users.find(id).orElseThrow(() -> ApiProblem.notFound("User " + id));
        Users.Invitation inv = users.newLink(u, Duration.ofDays(7));
        access.record(Caller.require().name(), "ADMIN", "SETUP_LINK_ISSUED", u.username(), null);
        return Map.of("setupLink", inv.path(), "setupLinkExpiresAt", inv.expiresAt());
    }

    @Operation(summary = "My API tokens")
    @GetMapping("/tokens")
    List<Tokens.Token> myTokens() {
        Caller c = Caller.require();
        return c.userId() == null ? List.of() : tokens.forUser(c.userId());
    }

    @Operation(summary = "Issue myself an API token", description = "It acts as me. Shown once in the response.")
    @PostMapping("/tokens")
    ResponseEntity<Map<String, Object>> issue(@RequestBody TokenForm form) {
        Caller c = Caller.require();
        User u = c.userId() == null ? null : users.find(c.userId()).orElse(null);
        if (u == null) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Forbidden", "An agency token cannot issue tokens.");
        }
        return issued(tokens.issueForUser(u, form.name(), lifetime(form), c.name()));
    }

    @Operation(summary = "Revoke a token", description = "Your own; administrators any.")
    @DeleteMapping("/tokens/{id}")
    ResponseEntity<Void> revoke(@PathVariable UUID id) {
        tokens.revoke(id, Caller.require());
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "The access record", description = "Newest first. Filter by actor, subject or action.")
    @GetMapping("/access")
    List<AccessRecord.Entry> accessRecord(@RequestParam(required = false) String actor,
            @RequestParam(required = false) String subject, @RequestParam(required = false) String action,
            @RequestParam(defaultValue = "200") int limit) {
        if (limit < 1 || limit > 5000) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters", "limit is out of range.",
                    List.of(ApiProblems.parameter("limit", "must be 1 to 5000")));
        }
        return access.list(actor, subject, action, limit);
    }

    private ResponseEntity<Map<String, Object>> issued(Tokens.Issued issued) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("token", issued.token());
        out.put("value", issued.value());
        return ResponseEntity.status(HttpStatus.CREATED).body(out);
    }

    private static Duration lifetime(TokenForm form) {
        return Duration.ofDays(form.expiresInDays() == null ? 90 : form.expiresInDays());
    }

    private static Agency.Kind kind(String s) {
        try {
            return Agency.Kind.valueOf(String.valueOf(s));
        } catch (IllegalArgumentException e) {
            throw new Agencies.Refused("kind", "must be one of " + java.util.Arrays.toString(Agency.Kind.values()));
        }
    }

    private static UserRole role(String s) {
        try {
            return UserRole.valueOf(String.valueOf(s));
        } catch (IllegalArgumentException e) {
            throw new Agencies.Refused("role", "must be one of " + java.util.Arrays.toString(UserRole.values()));
        }
    }

    @ExceptionHandler(Agencies.Refused.class)
    ResponseEntity<ProblemDetail> refused(Agencies.Refused e) {
        HttpStatus status = switch (e.field()) {
            case "agency", "user", "token" -> HttpStatus.NOT_FOUND;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return ApiProblems.problem(status, status == HttpStatus.NOT_FOUND ? "Not found" : "Invalid value",
                e.field() + " " + e.getMessage(), List.of(Map.of("pointer", "/" + e.field(), "detail", e.getMessage())));
    }
}
