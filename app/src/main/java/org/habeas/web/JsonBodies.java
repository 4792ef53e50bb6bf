package org.habeas.web;

import java.util.List;
import java.util.Map;

import org.habeas.json.StrictJson;
import org.springframework.http.HttpStatus;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.cfg.CoercionAction;
import tools.jackson.databind.cfg.CoercionInputShape;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.type.LogicalType;

/**
 * Reads an API command's body as every body of the API is read: I-JSON (RFC 7493: no member named twice, no text
 * that is not Unicode, no number beyond a double), no member the form does not have, each value of its field's
 * type. A body that is not JSON is 400 (so is one whose text is not Unicode: a lone surrogate, named by its JSON
 * Pointer); a value that is not what its field takes is 422 naming the field by its
 * JSON Pointer (RFC 6901), as an RFC 9457 problem. Nothing is read into a form that would have to be altered.
 */
public final class JsonBodies {

    private static final JsonMapper FORMS = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            // a number or a boolean where text belongs is a type error, not text
            .withCoercionConfig(LogicalType.Textual, c -> c.setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                    .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail))
            .build();

    private JsonBodies() {
    }

    /** The body as a {@code type} (a record of the command's fields), or an {@link ApiProblem} naming the field. */
    public static <T> T read(byte[] body, Class<T> type) {
        check(body);
        try {
            T form = FORMS.readValue(body, type);
            if (form == null) {
                throw invalid("", "must be a JSON object");
            }
            return form;
        } catch (UnrecognizedPropertyException e) {
            throw invalid(pointer(e), "is not a field of this command");
        } catch (MismatchedInputException e) {
            throw invalid(pointer(e), "must be " + kind(e.getTargetType()));
        } catch (DatabindException e) {
            throw invalid(pointer(e), "cannot be read: " + e.getOriginalMessage());
        } catch (InputCoercionException e) {
            // a whole number beyond the field's type (an int of more than 2^31 − 1)
            String at = pointer(e);
            if (at.isEmpty() && e.processor() instanceof tools.jackson.core.JsonParser p) {
                at = p.streamReadContext().pathAsPointer().toString();
            }
            throw invalid(at, "is a number out of range");
        } catch (JacksonException e) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Malformed JSON", StrictJson.describe(e));
        }
    }

    /**
     * Checks that a body kept as its text (a JSON Web Key, say) is I-JSON, without binding it to a form: 400 when it
     * is not JSON, names a member twice or holds a lone surrogate (naming where), 422 naming the string or number that is not I-JSON.
     */
    public static void check(byte[] body) {
        if (body == null || new String(body, java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Malformed JSON", "The body is empty; a JSON object was expected.");
        }
        StrictJson.Check check = StrictJson.check(body);
        if (check.malformed() != null) {
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Malformed JSON", check.malformed());
        }
        if (!check.unreadable().isEmpty()) {
            // a lone surrogate: the body is not Unicode text, so not a JSON text to read (as bytes that are not UTF-8)
            StrictJson.Problem first = check.unreadable().get(0);
            throw new ApiProblem(HttpStatus.BAD_REQUEST, "Malformed JSON",
                    (first.pointer().isEmpty() ? "The body " : first.pointer() + " ") + first.detail() + ".",
                    check.unreadable().stream().map(p -> Map.of("pointer", p.pointer(), "detail", p.detail())).toList());
        }
        if (!check.problems().isEmpty()) {
            StrictJson.Problem first = check.problems().get(0);
            throw invalid(first.pointer(), first.detail());
        }
    }

    /** A 422 problem naming one field by its JSON Pointer. */
    public static ApiProblem invalid(String pointer, String detail) {
        return new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid value",
                (pointer.isEmpty() ? "The body " : pointer + " ") + detail + ".",
                List.of(Map.of("pointer", pointer, "detail", detail)));
    }

    private static String pointer(JacksonException e) {
        StringBuilder b = new StringBuilder();
        for (var ref : e.getPath()) {
            b.append('/').append(ref.getPropertyName() != null
                    ? ref.getPropertyName().replace("~", "~0").replace("/", "~1") : String.valueOf(ref.getIndex()));
        }
        return b.toString();
    }

    private static String kind(Class<?> type) {
        if (type == null) {
            return "of another type";
        }
        if (type == String.class || type.isEnum()) {
            return "a string";
        }
        if (java.util.Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "an array";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (Number.class.isAssignableFrom(type) || type == int.class || type == long.class) {
            return "a whole number";
        }
        if (type == java.util.UUID.class) {
            return "a UUID such as 3f2b8c1e-0d4a-4b7e-9c55-2a1d6e8f9b03";
        }
        return "an object";
    }
}
