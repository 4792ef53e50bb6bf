package org.habeas.intake;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;

import org.habeas.json.CanonicalJson;
import org.habeas.law.StateCodes;
import org.habeas.json.StrictJson;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks a Request v1 document: first against its JSON Schema (2020-12, the file served at
 * {@code /api/v1/schema/request}), then against the consistency rules a schema cannot express. Every problem
 * is reported at once. Plain Java: the CLI uses it without starting Spring, and it is safe to share between
 * threads.
 */
public final class RequestValidator {

    /** Classpath location of the Request v1 JSON Schema. */
    public static final String SCHEMA_RESOURCE = "/schema/request-v1.json";

    private static final Pattern STATE_SHAPE = Pattern.compile("[A-Z]{2}");
    private static final Set<String> EMERGENCY_MEASURES = Set.of("EMERGENCY_DISCLOSURE");
    private static final Set<String> EMERGENCY_CHANNELS = Set.of("EMERGENCY");
    private static final Set<String> DURATION_MEASURES = Set.of("REALTIME_TRAFFIC", "INTERCEPTION");

    private final JsonMapper mapper;
    private final Schema schema;

    public RequestValidator() {
        this.mapper = JsonMapper.builder()
                // I-JSON (RFC 7493 §2.3): a document with a member twice means different things to different readers
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        SchemaRegistryConfig config = SchemaRegistryConfig.builder()
                .pathType(PathType.JSON_POINTER)
                .formatAssertionsEnabled(true)
                .build();
        SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
                b -> b.schemaRegistryConfig(config));
        try (InputStream in = RequestValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing " + SCHEMA_RESOURCE);
            }
            this.schema = registry.getSchema(mapper.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads the schema document itself, as served to clients. */
    public static byte[] schemaDocument() {
        try (InputStream in = RequestValidator.class.getResourceAsStream(SCHEMA_RESOURCE)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Validation validate(byte[] body) {
        StrictJson.Check strict = StrictJson.check(body);
        if (strict.malformed() != null) {
            return new Validation.Malformed(strict.malformed());
        }
        if (!strict.unreadable().isEmpty()) {
            java.util.List<FieldError> unreadable = strict.unreadable().stream()
                    .map(p -> new FieldError(p.pointer(), p.detail())).sorted().toList();
            FieldError first = unreadable.get(0);
            return new Validation.Malformed((first.pointer().isEmpty() ? "The body " : first.pointer() + " ")
                    + first.detail() + ".", unreadable);
        }
        if (!strict.problems().isEmpty()) {
            return new Validation.Invalid(strict.problems().stream()
                    .map(p -> new FieldError(p.pointer(), p.detail())).sorted().toList());
        }
        JsonNode document;
        try {
            document = mapper.readTree(body);
        } catch (JacksonException e) {
            return new Validation.Malformed(StrictJson.describe(e));
        }
        if (document == null || document.isMissingNode()) {
            return new Validation.Malformed("The body is empty; a Request v1 JSON document was expected.");
        }
        TreeSet<FieldError> errors = new TreeSet<>();
        for (Error e : schema.validate(document)) {
            errors.add(toFieldError(e));
        }
        if (document.isObject()) {
            checkConsistency(document, errors);
        }
        if (!errors.isEmpty()) {
            return new Validation.Invalid(new ArrayList<>(errors));
        }
        // what is stored, the canonical form, must be readable by every later step (the engine reads it as an
        // EvidenceRequest): read here once, and handed on
        String canonical = CanonicalJson.write(document);
        EvidenceRequest read;
        try {
            read = mapper.readValue(canonical, EvidenceRequest.class);
        } catch (JacksonException e) {
            return new Validation.Invalid(List.of(new FieldError(e instanceof DatabindException d ? pointer(d) : "",
                    "cannot be read: " + e.getOriginalMessage())));
        }
        return new Validation.Valid(document, canonical, read);
    }

    private static String pointer(DatabindException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            b.append('/').append(ref.getPropertyName() != null ? FieldError.token(ref.getPropertyName())
                    : String.valueOf(ref.getIndex()));
        }
        return b.toString();
    }

    private static FieldError toFieldError(Error e) {
        String location = e.getInstanceLocation().toString();
        String pointer = location;
        String keyword = e.getKeyword();
        if (("required".equals(keyword) || "additionalProperties".equals(keyword)) && e.getProperty() != null) {
            pointer = location + "/" + FieldError.token(e.getProperty());
        }
        String detail = switch (keyword == null ? "" : keyword) {
            case "required" -> "is required";
            case "additionalProperties" -> "is not a field of Request v1";
            case "pattern" -> "\\S".equals(e.getSchemaNode().stringValue(""))
                    ? "must not be empty or blank"
                    : stripLocation(e.getMessage(), location);
            case "enum" -> "must be one of " + String.join(", ",
                    e.getSchemaNode().valueStream().map(JsonNode::asString).toList());
            case "format" -> switch (e.getSchemaNode().stringValue("")) {
                case "email" -> "must be an e-mail address";
                case "date" -> "must be a date (YYYY-MM-DD)";
                case "date-time" -> "must be an RFC 3339 date and time, such as 2026-11-28T09:30:00Z";
                default -> stripLocation(e.getMessage(), location);
            };
            default -> stripLocation(e.getMessage(), location);
        };
        return new FieldError(pointer, detail);
    }

    private static String stripLocation(String message, String location) {
        String prefix = location + ": ";
        return message.startsWith(prefix) ? message.substring(prefix.length()) : message;
    }

    private void checkConsistency(JsonNode request, TreeSet<FieldError> errors) {
        checkState(request.path("requestingState"), "/requestingState", errors);
        checkState(request.path("requestedState"), "/requestedState", errors);
        checkState(request.path("onwardTransfer").path("toState"), "/onwardTransfer/toState", errors);

        JsonNode receivedAt = request.path("receivedAt");
        if (receivedAt.isString() && errors.stream().noneMatch(e -> e.pointer().equals("/receivedAt"))) {
            try {
                OffsetDateTime.parse(receivedAt.stringValue());
            } catch (DateTimeParseException e) {
                // RFC 3339 allows a leap second and any number of digits; an instant does not
                errors.add(new FieldError("/receivedAt", "must be an instant such as 2026-11-28T09:30:00Z: seconds "
                        + "up to 59 (no leap second), at most nine fractional digits"));
            }
        }

        LocalDate from = date(request.path("period").path("from"));
        LocalDate to = date(request.path("period").path("to"));
        if (from != null && to != null && from.isAfter(to)) {
            errors.add(new FieldError("/period/to", "must not be before period.from (" + from + ")"));
        }

        String measure = request.path("measure").asString("");
        String channel = request.path("channel").asString("");
        boolean emergencyCase = EMERGENCY_MEASURES.contains(measure) || EMERGENCY_CHANNELS.contains(channel);
        if (emergencyCase && !request.has("emergency")) {
            errors.add(new FieldError("/emergency",
                    "is required when measure is EMERGENCY_DISCLOSURE or channel is EMERGENCY"));
        } else if (!emergencyCase && request.has("emergency")) {
            errors.add(new FieldError("/emergency",
                    "is allowed only when measure is EMERGENCY_DISCLOSURE or channel is EMERGENCY"));
        }
        if (request.has("preservationDays") && !"PRESERVATION".equals(measure)) {
            errors.add(new FieldError("/preservationDays", "is allowed only when measure is PRESERVATION"));
        }
        if (request.has("durationDays") && !DURATION_MEASURES.contains(measure)) {
            errors.add(new FieldError("/durationDays",
                    "is allowed only when measure is REALTIME_TRAFFIC or INTERCEPTION"));
        }
    }

    private static void checkState(JsonNode code, String pointer, TreeSet<FieldError> errors) {
        // codes of the wrong shape are already reported by the schema
        if (code.isString() && STATE_SHAPE.matcher(code.stringValue()).matches()
                && !StateCodes.known(code.stringValue())) {
            errors.add(new FieldError(pointer, "'" + code.stringValue() + "' is not an ISO 3166-1 alpha-2 country code"));
        }
    }

    private static LocalDate date(JsonNode node) {
        if (!node.isString()) {
            return null;
        }
        try {
            return LocalDate.parse(node.stringValue());
        } catch (DateTimeParseException e) {
            return null; // reported by the schema's format check
        }
    }

    /** The values the schema allows for an enumerated top-level field, in schema order. */
    public java.util.List<String> allowedValues(String field) {
        JsonNode values = schema.getSchemaNode().path("properties").path(field).path("enum");
        java.util.List<String> out = new ArrayList<>();
        values.forEach(v -> out.add(v.stringValue()));
        return java.util.List.copyOf(out);
    }

    /** A mapper configured like the validator's, for code that reads stored canonical documents. */
    public JsonMapper mapper() {
        return mapper;
    }
}
