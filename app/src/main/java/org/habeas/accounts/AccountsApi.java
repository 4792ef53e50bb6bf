package org.habeas.accounts;

import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.habeas.web.JsonBodies;
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
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * The accounts API: agencies with their keys and call-back numbers, users, API tokens, the access record.
 * Which role may call what is in {@link SecurityConfiguration}. Bodies are read strictly ({@link JsonBodies}).
 */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Accounts", description = "Agencies, their signing keys and call-back numbers; users; API tokens; the access record.")
class AccountsApi {

    private final Agencies agencies;
    private final Users users;
    private final Tokens tokens;
    private final AccessRecord access;
    private final AccessGrants grants;

    AccountsApi(Agencies agencies, Users users, Tokens tokens, AccessRecord access, AccessGrants grants) {
        this.agencies = agencies;
        this.users = users;
        this.tokens = tokens;
        this.access = access;
        this.grants = grants;
    }

    record AgencyForm(String name, String state, String kind, List<String> emailDomains) {
    }

    record StatusForm(String status) {
    }

    record NumberForm(String number, String label) {
    }

    record UserForm(String username, String displayName, String role, UUID agencyId, String email) {
    }

    record UserChange(String role, Boolean disabled, Boolean unlock, String email) {
    }

    record TokenForm(String name, Integer expiresInDays) {
    }

    record LanguageForm(String language) {
    }

    record TwoFactorForm(Boolean required) {
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
    @ApiResponse(responseCode = "201", description = "The agency; Location names it.")
    @PostMapping("/agencies")
    ResponseEntity<Agency> register(@RequestBody byte[] body) {
        AgencyForm form = JsonBodies.read(body, AgencyForm.class);
        Agency a = agencies.register(form.name(), form.state(), kind(form.kind()), form.emailDomains());
        access.record(Caller.require().name(), "ADMIN", "AGENCY_REGISTERED", a.id().toString(), a.name());
        return ResponseEntity.created(URI.create("/api/v1/agencies/" + a.id())).body(a);
    }

    @Operation(summary = "Suspend or re-activate an agency", description = "A suspended agency's requests are refused.")
    @PostMapping("/agencies/{id}/status")
    Agency status(@PathVariable UUID id, @RequestBody byte[] body) {
        StatusForm form = JsonBodies.read(body, StatusForm.class);
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
    @ApiResponse(responseCode = "201", description = "The key as registered; Location names it.")
    @PostMapping(path = "/agencies/{id}/keys", consumes = "application/json")
    ResponseEntity<AgencyKey> addKey(@PathVariable UUID id, @RequestBody byte[] body) {
        try {
            JsonBodies.check(body); // a key names no member twice and holds only Unicode text
        } catch (ApiProblem e) {
            if (e.status() != HttpStatus.BAD_REQUEST || !e.errors().isEmpty()) {
                throw e; // a value that is not I-JSON, or a lone surrogate: the problem names the member
            }
            // not one JSON object, or a member twice: say what a key must be, not the parser's words
            throw new Agencies.Refused("jwk", "is not a JSON Web Key: give a JSON object with \"kty\", \"crv\", \"x\" "
                    + "(and \"y\" for P-256) and a \"kid\", each member once");
        }
        String jwk = new String(body, java.nio.charset.StandardCharsets.UTF_8);
        AgencyKey k = agencies.addKey(id, jwk, Caller.require().name());
        access.record(Caller.require().name(), "ADMIN", "KEY_REGISTERED", id.toString(), k.kid());
        return ResponseEntity.created(URI.create("/api/v1/agencies/" + id + "/keys/" + k.kid())).body(k);
    }

    @Operation(summary = "Revoke a signing key")
    @ApiResponse(responseCode = "204", description = "Revoked.")
    @DeleteMapping("/agencies/{id}/keys/{kid}")
    ResponseEntity<Void> revokeKey(@PathVariable UUID id, @PathVariable String kid) {
        agencies.revokeKey(id, kid);
        access.record(Caller.require().name(), "ADMIN", "KEY_REVOKED", id.toString(), kid);
        return ResponseEntity.noContent().build();
    }

    @Operation(summary = "Record a call-back number", description = "From a source staff trust (a directory, a "
            + "letter, a meeting), never from a request.")
    @ApiResponse(responseCode = "201", description = "The number as recorded.")
    @PostMapping("/agencies/{id}/callback-numbers")
    ResponseEntity<CallbackNumber> addNumber(@PathVariable UUID id, @RequestBody byte[] body) {
        NumberForm form = JsonBodies.read(body, NumberForm.class);
        CallbackNumber n = agencies.addCallbackNumber(id, form.number(), form.label(), Caller.require().name());
        return ResponseEntity.status(HttpStatus.CREATED).body(n);
    }

    @Operation(summary = "Require a second factor of the agency's officers, or not", description = "On by "
            + "default. Body: {\"required\": true|false}. The change is in the access record.")
    @PostMapping("/agencies/{id}/two-factor")
    Agency twoFactor(@PathVariable UUID id, @RequestBody byte[] body) {
        TwoFactorForm form = JsonBodies.read(body, TwoFactorForm.class);
        if (form.required() == null) {
            throw new Agencies.Refused("required", "must be true or false");
        }
        Agency a = agencies.setRequesterTwoFactor(id, form.required());
        access.record(Caller.require().name(), "ADMIN", "AGENCY_TWO_FACTOR", id.toString(),
                form.required() ? "required for requesters" : "optional for requesters");
        return a;
    }

    @Operation(summary = "Set the language of the agency's letters", description = "Body: {\"language\": \"en\"|\"fr\"|"
            + "\"es\"}, or {\"language\": null} for the default: the language of the agency's state where Habeas writes it "
            + "(habeas.letters.state-languages), else the operator's (habeas.letters.default-language). The change is in the "
            + "access record.")
    @PostMapping("/agencies/{id}/language")
    Agency language(@PathVariable UUID id, @RequestBody byte[] body) {
        LanguageForm form = JsonBodies.read(body, LanguageForm.class);
        Agency a = agencies.setLanguage(id, form.language());
        access.record(Caller.require().name(), "ADMIN", "AGENCY_LANGUAGE", id.toString(),
                a.language() == null ? "default" : a.language());
        return a;
    }

    @Operation(summary = "List users")
    @GetMapping("/users")
    List<User> users() {
        return users.list();
    }

    @Operation(summary = "Create a user", description = "Asks for a new user: another administrator approves it "
            + "(POST /api/v1/grants/{id}/approval), and Habeas e-mails the user's one-time set-up link to their "
            + "address (email, required; a requester's in one of the agency's verified domains). Answers 202 with "
            + "the grant. Only the second administrator of an installation is created at once (201, with the masked "
            + "address the link went to). Requesters need an agencyId. No answer ever carries the link.")
    @ApiResponse(responseCode = "201", description = "The user, when no second administrator is needed.")
    @ApiResponse(responseCode = "202", description = "The user and the pending grant another administrator must approve.")
    @PostMapping("/users")
    ResponseEntity<Map<String, Object>> createUser(@RequestBody byte[] body) {
        UserForm form = JsonBodies.read(body, UserForm.class);
        AccessGrants.Requested r = grants.requestNewUser(form.username(), form.displayName(), role(form.role()),
                form.agencyId(), form.email(), Caller.require());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", r.user());
        if (r.delivery() != null) {
            putDelivery(out, r.delivery());
            return ResponseEntity.created(URI.create("/api/v1/users/" + r.user().id())).body(out);
        }
        out.put("grant", r.grant());
        return ResponseEntity.accepted().location(URI.create("/api/v1/users/" + r.user().id())).body(out);
    }

    @Operation(summary = "Change a user", description = "role, disabled, unlock (clears a lock-out), email. A role "
            + "that reaches casework or administration, and a new e-mail address (where set-up links go), are asked "
            + "for (202 with the grants) and set when another administrator approves. Nobody changes their own role. "
            + "A role change or disabling ends the user's sessions.")
    @ApiResponse(responseCode = "200", description = "The user as changed.")
    @ApiResponse(responseCode = "202", description = "The user and the pending grants another administrator must approve.")
    @PatchMapping("/users/{id}")
    ResponseEntity<Object> changeUser(@PathVariable UUID id, @RequestBody byte[] body) {
        UserChange change = JsonBodies.read(body, UserChange.class);
        UserRole r = change.role() == null ? null : role(change.role());
        AccessGrants.Requested req = grants.change(id, r, change.disabled(), Boolean.TRUE.equals(change.unlock()),
                change.email(), Caller.require());
        if (req.grant() != null) {
            return ResponseEntity.accepted().body(Map.of("user", req.user(), "grant", req.grant(),
                    "grants", req.grants()));
        }
        return ResponseEntity.ok(req.user());
    }

    @Operation(summary = "Send a user a new set-up link", description = "To reset a forgotten password or a lost "
            + "second factor, or when the first mail was lost. Habeas e-mails it to the user's own address (valid 7 "
            + "days); every older unused link of the user stops working. The answer says only where it went, masked "
            + "(setupLinkSentTo: a…@example.org). Not for oneself.")
    @PostMapping("/users/{id}/setup-link")
    Map<String, Object> setupLink(@PathVariable UUID id) {
        AccessGrants.Requested r = grants.sendSetupLink(id, Caller.require());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("user", r.user());
        putDelivery(out, r.delivery());
        return out;
    }

    @Operation(summary = "Pending grants", description = "New users, roles and set-up links awaiting a second "
            + "administrator.")
    @GetMapping("/grants")
    List<AccessGrants.Grant> pendingGrants() {
        return grants.pending();
    }

    @Operation(summary = "Approve a grant", description = "By an administrator who neither asked for it nor is its "
            + "user. Approving a new user e-mails their one-time set-up link to them; the answer says only where "
            + "it went, masked (setupLinkSentTo).")
    @PostMapping("/grants/{id}/approval")
    Map<String, Object> approve(@PathVariable UUID id) {
        return decided(grants.approve(id, Caller.require()));
    }

    @Operation(summary = "Refuse a grant")
    @PostMapping("/grants/{id}/refusal")
    Map<String, Object> refuse(@PathVariable UUID id) {
        return decided(grants.refuse(id, Caller.require()));
    }

    private static Map<String, Object> decided(AccessGrants.Decided d) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("grant", d.grant());
        if (d.delivery() != null) {
            putDelivery(out, d.delivery());
        }
        return out;
    }

    private static void putDelivery(Map<String, Object> out, SetupLinkMail.Delivery d) {
        out.put("setupLinkSentTo", d.sentTo());
        out.put("setupLinkExpiresAt", d.expiresAt());
    }

    @Operation(summary = "My API tokens")
    @GetMapping("/tokens")
    List<Tokens.Token> myTokens() {
        Caller c = Caller.require();
        return c.userId() == null ? List.of() : tokens.forUser(c.userId());
    }

    @Operation(summary = "Issue myself an API token", description = "It acts as me. Shown once in the response.")
    @ApiResponse(responseCode = "201", description = "The token, and its value, shown only this once.")
    @PostMapping("/tokens")
    ResponseEntity<Map<String, Object>> issue(@RequestBody byte[] body) {
        TokenForm form = JsonBodies.read(body, TokenForm.class);
        Caller c = Caller.require();
        User u = c.userId() == null ? null : users.find(c.userId()).orElse(null);
        if (u == null) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Forbidden", "An agency token cannot issue tokens.");
        }
        return issued(tokens.issueForUser(u, form.name(), lifetime(form), c.name()));
    }

    @Operation(summary = "Revoke a token", description = "Your own; administrators any.")
    @ApiResponse(responseCode = "204", description = "Revoked.")
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
            case "grant" -> e.getMessage().startsWith("no such") ? HttpStatus.NOT_FOUND : HttpStatus.CONFLICT;
            case "approver" -> HttpStatus.FORBIDDEN;
            case "mail" -> HttpStatus.SERVICE_UNAVAILABLE;
            default -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
        return ApiProblems.problem(status, switch (status) {
                    case NOT_FOUND -> "Not found";
                    case CONFLICT -> "Conflict";
                    case FORBIDDEN -> "Forbidden";
                    case SERVICE_UNAVAILABLE -> "No way to send mail";
                    default -> "Invalid value";
                },
                e.field() + " " + e.getMessage(), List.of(Map.of("pointer", "/" + e.field(), "detail", e.getMessage())));
    }
}
