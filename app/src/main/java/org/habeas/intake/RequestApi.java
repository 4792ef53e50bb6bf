package org.habeas.intake;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.Agency;
import org.habeas.accounts.Caller;
import org.habeas.accounts.SenderVerification;
import org.habeas.accounts.Signatures;
import org.habeas.accounts.UserRole;
import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** The intake API: submit Request v1 documents, read them back, list them. */
@RestController
@RequestMapping("/api/v1")
@Tag(name = "Requests", description = "Submit and read requests for electronic evidence (Request v1).")
class RequestApi {

    /** RFC 9110 token-ish: printable ASCII without spaces, as Idempotency-Key values are in practice. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x21-\\x7e]{1,255}");
    private static final List<String> STATUSES = List.of("RECEIVED", "ASSESSED", "IN_REVIEW", "AWAITING_REQUESTER",
            "DECIDED", "EXECUTING", "CLOSED", "WITHDRAWN");

    private final Intake intake;
    private final RequestValidator validator;
    private final List<RequestExtension> extensions;
    private final RequestBody requestBody;
    private final Signatures signatures;
    private final Agencies agencies;
    private final AccessRecord access;
    private final ResponseClocks clocks;
    private final java.time.Clock clock;

    RequestApi(Intake intake, RequestValidator validator, List<RequestExtension> extensions, RequestBody requestBody,
            Signatures signatures, Agencies agencies, AccessRecord access, ResponseClocks clocks, java.time.Clock clock) {
        this.clocks = clocks;
        this.clock = clock;
        this.intake = intake;
        this.validator = validator;
        this.extensions = extensions;
        this.requestBody = requestBody;
        this.signatures = signatures;
        this.agencies = agencies;
        this.access = access;
    }

    @Operation(summary = "Submit a request",
            description = "Takes a Request v1 document. Answers 201 with the stored request; 400 if the body is not "
                    + "JSON, 422 if it breaks the schema or a consistency rule (every problem listed with its JSON "
                    + "Pointer), 413 over 1 MiB, 415 for another media type, 409 if the Idempotency-Key was used "
                    + "with a different body. Nothing is stored unless every check passes. A requester submits for "
                    + "their own agency; staff register a request that arrived by another channel with onBehalfOf. "
                    + "The request may be signed: a detached JWS with unencoded payload (RFC 7797) over the exact "
                    + "body, in the X-JWS-Signature header; a bad signature is refused (400), and so is every request "
                    + "of a suspended agency (403).")
    @ApiResponse(responseCode = "201", description = "The request as stored, with its assessment; Location names it.")
    @PostMapping(path = "/requests", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_PROBLEM_JSON_VALUE})
    ResponseEntity<JsonNode> submit(InputStream body,
            @Parameter(description = "Makes retries safe: the same key with the same body returns the original request.")
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "Content-Length", required = false) Long contentLength,
            @Parameter(description = "Staff only: the id of the registered agency the request came from.")
            @RequestParam(required = false) String onBehalfOf,
            @Parameter(description = "A detached compact JWS (header..signature) over the exact body, b64=false.")
            @RequestHeader(name = Signatures.HEADER, required = false) String signature) throws IOException {
        // one scope for the whole call: what the submission wrote is what its answer shows, read once
        return ReadScope.within(() -> submitted(body, idempotencyKey, contentLength, onBehalfOf, signature));
    }

    private ResponseEntity<JsonNode> submitted(InputStream body, String idempotencyKey, Long contentLength,
            String onBehalfOf, String signature) throws IOException {
        Agency agency = sendingAgency(Caller.require(), onBehalfOf);
        UUID agencyId = agency.id();
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid header",
                    "The Idempotency-Key header must be 1 to 255 visible ASCII characters.",
                    List.of(Map.of("header", "Idempotency-Key", "detail", "must be 1 to 255 visible ASCII characters")));
        }
        byte[] bytes = requestBody.read(body, contentLength);
        Signatures.Check check = signatures.check(agency, bytes, signature);
        if (check.result() == SenderVerification.AGENCY_SUSPENDED) {
            throw new ApiProblem(HttpStatus.FORBIDDEN, "Agency suspended", check.detail()
                    + " Its requests are refused; contact the operator of this Habeas.");
        }
        if (check.result() == SenderVerification.BAD_SIGNATURE) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Bad signature", check.detail() + " The request was refused.",
                    List.of(Map.of("header", Signatures.HEADER, "detail", check.detail())));
        }
        Sender sender = new Sender(agencyId, Caller.require().name(), check.result().name(), check.kid(),
                check.jti(), check.signedSha256(), Caller.require().role().name());
        Intake.Receipt receipt;
        try {
            receipt = intake.receive(bytes, idempotencyKey, sender);
        } catch (SignatureReplayed e) {
            signatures.replayed(agencyId, check.kid());
            throw e;
        }
        ResponseEntity.BodyBuilder response = ResponseEntity.created(
                URI.create("/api/v1/requests/" + receipt.request().id()));
        if (receipt.replayed()) {
            response.header("Idempotent-Replayed", "true");
        }
        JsonNode stored;
        try {
            // read back: the request's case has moved on (assessed) in the same transaction
            // the agency as this call read it; a new request's other parts as its transaction wrote them
            Map<UUID, java.util.Optional<Agency>> agencyOf = new java.util.HashMap<>();
            agencyOf.put(agencyId, java.util.Optional.of(agency));
            ReceivedRequest r = intake.find(receipt.request().id()).orElse(receipt.request());
            stored = representation(r, agencyOf, parts(List.of(r)));
        } catch (org.springframework.dao.DataAccessException e) {
            // stored and logged, but not readable just now: answer with what is known, never an error
            stored = received(receipt.request());
        }
        return response.body(stored);
    }

    @Operation(summary = "Read one request")
    @GetMapping("/requests/{id}")
    JsonNode get(@PathVariable UUID id) {
        return ReadScope.within(() -> one(id));
    }

    private JsonNode one(UUID id) {
        Caller caller = Caller.require();
        ReceivedRequest r = intake.find(id).filter(x -> caller.maySeeRequestOf(x.agencyId()))
                .orElseThrow(() -> ApiProblem.notFound("Request " + id));
        if (caller.role().staff()) {
            access.viewed("VIEW_REQUEST", id);
        }
        return representation(r);
    }

    @Operation(summary = "List requests",
            description = "Newest first. Filters combine with AND. receivedFrom/receivedTo take a date (a whole UTC "
                    + "day) or an instant; both bounds are inclusive. due takes the queue's deadline filter: overdue, "
                    + "or N (1 to 366) for due within N days and not yet overdue, over the requests whose response "
                    + "clock runs (open, undecided, not waiting for the requester). page counts from 0; size is 1 "
                    + "to 1000.")
    @GetMapping("/requests")
    ObjectNode list(@RequestParam(required = false) String status,
            @RequestParam(required = false) String requestingState,
            @RequestParam(required = false) String instrument,
            @RequestParam(required = false) String measure,
            @RequestParam(required = false) String receivedFrom,
            @RequestParam(required = false) String receivedTo,
            @io.swagger.v3.oas.annotations.Parameter(description = "overdue, or N (1 to 366): due within N days",
                    example = "overdue") @RequestParam(required = false) String due,
            @RequestParam(required = false) String page,
            @RequestParam(required = false) String size) {
        List<Map<String, String>> errors = new ArrayList<>();
        String dueFilter = DueFilter.parse(due);
        if (due != null && !due.isBlank() && dueFilter == null) {
            errors.add(ApiProblems.parameter("due", "must be overdue or a number of days from 1 to 366"));
        }
        RequestQuery query = new RequestQuery(
                oneOf("status", status, STATUSES, errors),
                state(requestingState, errors),
                oneOf("instrument", instrument, intake.allowedValues("instrument"), errors),
                oneOf("measure", measure, intake.allowedValues("measure"), errors),
                bound("receivedFrom", receivedFrom, false, errors),
                bound("receivedTo", receivedTo, true, errors),
                integer("page", page, 0, 0, Integer.MAX_VALUE / RequestQuery.MAX_SIZE, errors),
                integer("size", size, 20, 1, RequestQuery.MAX_SIZE, errors), null);
        if (!errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters",
                    "Some query parameters are not valid.", errors);
        }
        Caller caller = Caller.require();
        if (dueFilter != null) {
            query = DueFilter.apply(query, dueFilter, clocks.running(), clock);
        }
        Page<ReceivedRequest> result = intake.list(caller.is(UserRole.REQUESTER) ? query.forAgency(caller.agencyId()) : query);
        if (caller.role().staff()) {
            access.viewed("LIST_REQUESTS", "page " + result.page());
        }
        ObjectNode out = validator.mapper().createObjectNode();
        ArrayNode items = out.putArray("items");
        // the page is read in a fixed number of queries, whatever its size: each agency once, each extension's
        // parts for the whole page at once
        Map<UUID, java.util.Optional<Agency>> agencyOf = new java.util.HashMap<>();
        ReadScope.within(() -> {
            Map<RequestExtension, Map<UUID, Object>> parts = parts(result.items());
            result.items().forEach(r -> items.add(representation(r, agencyOf, parts)));
            return null;
        });
        out.put("total", result.total());
        out.put("page", result.page());
        out.put("size", result.size());
        return out;
    }

    @Operation(summary = "The JSON Schema (2020-12) of Request v1", description = "The same file the validator uses.")
    @GetMapping(path = "/schema/request", produces = {"application/schema+json", MediaType.APPLICATION_JSON_VALUE})
    ResponseEntity<byte[]> schema() {
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType("application/schema+json"))
                .body(RequestValidator.schemaDocument());
    }

    /**
     * What is known of a request without reading the database again: the request as received, its id and
     * sender; the rest (assessment, case, verification) is at its Location.
     */
    private JsonNode received(ReceivedRequest r) {
        boolean identifiers = Caller.current().map(Caller::seesIdentifiers).orElse(false);
        ObjectNode out = validator.mapper().createObjectNode();
        out.put("id", r.id().toString());
        out.put("status", r.status());
        out.put("receivedAt", r.receivedAt().toString());
        JsonNode body = validator.mapper().readTree(r.body());
        out.set("request", identifiers ? body : Redaction.withoutIdentifiers(body));
        out.putObject("sender").put("submittedBy", r.sender().submittedBy())
                .put("verification", r.sender().verification()).put("signatureKid", r.sender().signatureKid());
        out.putObject("links").put("self", "/api/v1/requests/" + r.id());
        return out;
    }

    JsonNode representation(ReceivedRequest r) {
        return ReadScope.within(() -> representation(r, new java.util.HashMap<>(), parts(List.of(r))));
    }

    /** Each extension's parts for these requests. */
    private Map<RequestExtension, Map<UUID, Object>> parts(List<ReceivedRequest> requests) {
        Map<RequestExtension, Map<UUID, Object>> parts = new java.util.IdentityHashMap<>();
        for (RequestExtension e : extensions) {
            parts.put(e, e.forRequests(requests));
        }
        return parts;
    }

    private JsonNode representation(ReceivedRequest r, Map<UUID, java.util.Optional<Agency>> agencyOf,
            Map<RequestExtension, Map<UUID, Object>> parts) {
        boolean identifiers = Caller.current().map(Caller::seesIdentifiers).orElse(false);
        ObjectNode out = validator.mapper().createObjectNode();
        out.put("id", r.id().toString());
        out.put("status", r.status());
        out.put("receivedAt", r.receivedAt().toString());
        JsonNode body = validator.mapper().readTree(r.body());
        out.set("request", identifiers ? body : Redaction.withoutIdentifiers(body));
        ObjectNode sender = out.putObject("sender");
        if (r.agencyId() != null) {
            agencyOf.computeIfAbsent(r.agencyId(), agencies::find).ifPresent(a -> sender.putObject("agency")
                    .put("id", a.id().toString()).put("name", a.name()).put("state", a.state())
                    .put("status", a.status().name()));
        }
        boolean requester = Caller.current().map(c -> c.is(UserRole.REQUESTER)).orElse(false);
        sender.put("submittedBy", requester ? r.sender().submittedByForRequester() : r.sender().submittedBy());
        sender.put("submittedRole", r.sender().submittedRole());
        sender.put("verification", r.sender().verification());
        sender.put("signatureKid", r.sender().signatureKid());
        for (RequestExtension e : extensions) {
            Object part = parts.get(e).get(r.id());
            if (part != null) {
                out.set(e.name(), validator.mapper().valueToTree(part));
            }
        }
        ObjectNode links = out.putObject("links");
        links.put("self", "/api/v1/requests/" + r.id());
        if (identifiers) {
            links.put("documents", "/api/v1/requests/" + r.id() + "/documents");
        }
        // the parts other modules add (findings, a decision's scope...) may quote identifiers too
        return identifiers ? out : Redaction.scrub(out, Redaction.identifiers(body));
    }

    /** The agency a submission is for: a requester's own; for staff, the one named by onBehalfOf. */
    private Agency sendingAgency(Caller caller, String onBehalfOf) {
        if (caller.is(UserRole.REQUESTER)) {
            if (onBehalfOf != null && !onBehalfOf.equals(String.valueOf(caller.agencyId()))) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters",
                        "A requester submits requests for their own agency only.",
                        List.of(ApiProblems.parameter("onBehalfOf", "must be absent or your own agency's id")));
            }
            return agencies.find(caller.agencyId()).orElseThrow(
                    () -> new Agencies.Refused("agency", "no such agency"));
        }
        if (onBehalfOf == null || onBehalfOf.isBlank()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters",
                    "Staff register a request on behalf of the registered agency it came from.",
                    List.of(ApiProblems.parameter("onBehalfOf", "is required: the id of the sending agency")));
        }
        try {
            UUID id = UUID.fromString(onBehalfOf);
            return agencies.find(id).orElseThrow(() -> new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT,
                    "Unknown agency", "No agency " + id + " is registered.",
                    List.of(ApiProblems.parameter("onBehalfOf", "is not a registered agency"))));
        } catch (IllegalArgumentException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters", "onBehalfOf must be an agency id.",
                    List.of(ApiProblems.parameter("onBehalfOf", "must be a UUID")));
        }
    }

    private static String oneOf(String name, String value, List<String> allowed, List<Map<String, String>> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!allowed.contains(value)) {
            errors.add(ApiProblems.parameter(name, "must be one of " + String.join(", ", allowed)));
        }
        return value;
    }

    private static String state(String value, List<Map<String, String>> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        if (!value.matches("[A-Z]{2}")) {
            errors.add(ApiProblems.parameter("requestingState", "must be an ISO 3166-1 alpha-2 code such as FR"));
        }
        return value;
    }

    private static Instant bound(String name, String value, boolean upper, List<Map<String, String>> errors) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            if (value.length() == 10) {
                LocalDate day = LocalDate.parse(value);
                return (upper ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            Instant t = java.time.OffsetDateTime.parse(value).toInstant();
            return upper ? t.plusNanos(1000) : t; // inclusive upper bound at the database's microsecond precision
        } catch (DateTimeParseException e) {
            errors.add(ApiProblems.parameter(name, "must be a date (2026-07-01) or an instant (2026-07-01T12:00:00Z)"));
            return null;
        }
    }

    private static int integer(String name, String value, int fallback, int min, int max,
            List<Map<String, String>> errors) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(value);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        errors.add(ApiProblems.parameter(name, "must be a whole number from " + min + " to " + max));
        return fallback;
    }
}
