package org.habeas.web;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.info.License;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import io.swagger.v3.oas.models.servers.Server;

/**
 * The OpenAPI description of the API ({@code /v3/api-docs}) as API tools expect it: its name and version, the
 * bearer token every call but the public ones needs, each operation's success status (declared on the operation)
 * and the RFC 9457 problems it can answer, and concrete content types instead of {@code *}{@code /*}.
 */
@Configuration
class ApiDescription {

    static final String BEARER = "bearerToken";
    static final String PROBLEM = "Problem";

    /** Paths anyone may call without a token (SecurityConfiguration lets them through). */
    private static final List<String> PUBLIC = List.of("/api/v1/schema/");

    @Bean
    OpenApiCustomizer habeasApiDescription(@Value("${habeas.version:unknown}") String version,
            @Value("${habeas.base-url:}") String baseUrl) {
        return api -> {
            // where Habeas is reached (habeas.base-url), else the server that serves this description
            api.servers(List.of(baseUrl.isBlank()
                    ? new Server().url("/").description("This Habeas: the server that serves this description")
                    : new Server().url(baseUrl.replaceAll("/+$", "")).description("This Habeas")));
            api.info(new Info().title("Habeas API").version(version)
                    .description("Receive, assess, decide and answer cross-border requests for electronic evidence. "
                            + "Every call but the schema needs an API token (Authorization: Bearer ...); every error "
                            + "is an RFC 9457 problem (application/problem+json) naming the field at fault.")
                    .license(new License().name("Apache-2.0").url("https://www.apache.org/licenses/LICENSE-2.0")));
            Components components = api.getComponents() == null ? new Components() : api.getComponents();
            api.components(components);
            components.addSecuritySchemes(BEARER, new SecurityScheme().type(SecurityScheme.Type.HTTP).scheme("bearer")
                    .description("An API token issued by Habeas (POST /api/v1/tokens, or the account page)."));
            components.addSchemas(PROBLEM, problemSchema());
            api.security(List.of(new SecurityRequirement().addList(BEARER)));
            if (api.getPaths() == null) {
                return;
            }
            api.getPaths().forEach((path, item) -> item.readOperationsMap()
                    .forEach((method, op) -> describe(path, method, op)));
        };
    }

    private static Schema<?> problemSchema() {
        Schema<?> error = new ObjectSchema().description("One field, parameter or header at fault: one of pointer, "
                        + "parameter or header, and what is wrong with it.")
                .addProperty("pointer", new StringSchema().description("JSON Pointer (RFC 6901) to the field in the body"))
                .addProperty("parameter", new StringSchema().description("name of the query or path parameter"))
                .addProperty("header", new StringSchema().description("name of the header"))
                .addProperty("detail", new StringSchema());
        return new ObjectSchema().description("An RFC 9457 problem.")
                .addProperty("type", new StringSchema().example("about:blank"))
                .addProperty("title", new StringSchema())
                .addProperty("status", new IntegerSchema())
                .addProperty("detail", new StringSchema())
                .addProperty("instance", new StringSchema())
                .addProperty("errors", new ArraySchema().items(error))
                .required(List.of("title", "status"));
    }

    private static void describe(String path, PathItem.HttpMethod method, Operation op) {
        boolean isPublic = PUBLIC.stream().anyMatch(path::startsWith);
        if (isPublic) {
            op.security(List.of());
        }
        ApiResponses responses = op.getResponses() == null ? new ApiResponses() : op.getResponses();
        op.responses(responses);
        responses.values().forEach(ApiDescription::concreteContent);
        if (op.getRequestBody() != null && op.getRequestBody().getContent() != null) {
            op.getRequestBody().content(concrete(op.getRequestBody().getContent()));
        }
        Map<String, String> problems = new LinkedHashMap<>();
        boolean takesInput = op.getRequestBody() != null || (op.getParameters() != null && !op.getParameters().isEmpty());
        if (takesInput) {
            problems.put("400", "The body or a parameter is malformed; the problem names the field.");
        }
        if (isPublic) {
            problems.put("406", "The Accept header allows none of the types this call answers in.");
        } else {
            problems.put("401", "No valid API token or session.");
            problems.put("403", "The caller's role does not allow this call.");
        }
        if (op.getRequestBody() != null) {
            problems.put("422", "A field's value is not what the field takes; the problem names it by its JSON Pointer.");
        }
        if (path.startsWith("/api/v1/cases/") && method == PathItem.HttpMethod.POST) {
            problems.put("409", "The case's state does not allow this now (the problem says which state it is in).");
        }
        if (path.contains("{")) {
            problems.put("404", "Nothing of that identifier that the caller may see.");
        }
        if (method != PathItem.HttpMethod.GET) {
            problems.put("503", "The database or the public log cannot take the change now; try again after Retry-After.");
        }
        problems.forEach((code, text) -> {
            if (!responses.containsKey(code)) {
                responses.addApiResponse(code, problem(text));
            }
        });
        responses.forEach((code, r) -> {
            if (code.startsWith("4") || code.startsWith("5")) {
                if (r.getContent() == null || r.getContent().isEmpty()) {
                    r.content(problemContent());
                }
            }
        });
    }

    static ApiResponse problem(String description) {
        return new ApiResponse().description(description).content(problemContent());
    }

    private static Content problemContent() {
        return new Content().addMediaType(org.springframework.http.MediaType.APPLICATION_PROBLEM_JSON_VALUE,
                new MediaType().schema(new Schema<>().$ref("#/components/schemas/" + PROBLEM)));
    }

    private static void concreteContent(ApiResponse r) {
        if (r.getContent() != null) {
            r.content(concrete(r.getContent()));
        }
    }

    /** {@code *}{@code /*} becomes application/json: what the API's handlers answer unless they name a type. */
    private static Content concrete(Content content) {
        MediaType any = content.get("*/*");
        if (any == null) {
            return content;
        }
        Content out = new Content();
        content.forEach((type, media) -> out.addMediaType("*/*".equals(type)
                ? org.springframework.http.MediaType.APPLICATION_JSON_VALUE : type, media));
        return out;
    }
}
