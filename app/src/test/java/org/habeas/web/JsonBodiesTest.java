package org.habeas.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpStatus;

/**
 * The one reader of API command bodies: what is not one JSON text is 400; what is JSON but not what the form takes
 * is 422 naming the field by its JSON Pointer.
 */
class JsonBodiesTest {

    record Form(String name, Integer days, Boolean on, UUID id, List<String> tags) {
    }

    private static ApiProblem refused(String body) {
        return catchThrowableOfType(ApiProblem.class, () -> JsonBodies.read(body.getBytes(StandardCharsets.UTF_8), Form.class));
    }

    private static void invalid(String body, String pointer) {
        ApiProblem p = refused(body);
        assertThat(p).as(body).isNotNull();
        assertThat(p.status()).as(body).isEqualTo(HttpStatus.UNPROCESSABLE_CONTENT);
        assertThat(p.errors()).as(body).singleElement().satisfies(e -> assertThat(e.get("pointer")).isEqualTo(pointer));
    }

    @Test
    void aSoundBodyIsReadAsSent() {
        Form f = JsonBodies.read("{\"name\":\"Zoë 😀\",\"days\":30,\"on\":true,\"tags\":[\"a\"]}"
                .getBytes(StandardCharsets.UTF_8), Form.class);
        assertThat(f).isEqualTo(new Form("Zoë 😀", 30, true, null, List.of("a")));
    }

    @Test
    void whatIsNotOneJsonTextIs400() {
        for (String body : new String[] {"{\"name\":\"a\",\"name\":\"b\"}", "{\"name\":\"a\"} {\"name\":\"b\"}",
                "{\"name\":\"a\"} 1", "[1,", "", "{name:\"a\"}"}) {
            ApiProblem p = refused(body);
            assertThat(p).as(body).isNotNull();
            assertThat(p.status()).as(body).isEqualTo(HttpStatus.BAD_REQUEST);
        }
    }

    @Test
    void aLoneSurrogateIs400NamingWhereItIs() {
        for (String[] c : new String[][] {{"{\"name\":\"a\\uD800\"}", "/name"}, {"{\"tags\":[\"\\uDC00\"]}", "/tags/0"},
                {"{\"x\\uD800\":1}", ""}}) {
            ApiProblem p = refused(c[0]);
            assertThat(p).as(c[0]).isNotNull();
            assertThat(p.status()).as(c[0]).isEqualTo(HttpStatus.BAD_REQUEST);
            assertThat(p.errors()).as(c[0]).first().satisfies(e -> {
                assertThat(e.get("pointer")).isEqualTo(c[1]);
                assertThat(e.get("detail")).contains("lone surrogate");
            });
        }
    }

    @Test
    void aValueTheFieldDoesNotTakeIs422NamingTheField() {
        invalid("{\"name\":7}", "/name");
        invalid("{\"name\":true}", "/name");
        invalid("{\"name\":\"\\uFDD0\"}", "/name");
        invalid("{\"name\":\"a\\u0000\"}", "/name");
        invalid("{\"days\":\"30\"}", "/days");
        invalid("{\"days\":1.5}", "/days");
        invalid("{\"days\":3000000000}", "/days");
        invalid("{\"days\":123456789012345678901234567890.5}", "/days");
        invalid("{\"on\":\"true\"}", "/on");
        invalid("{\"on\":1}", "/on");
        invalid("{\"id\":\"not-a-uuid\"}", "/id");
        invalid("{\"tags\":\"a\"}", "/tags");
        invalid("{\"tags\":[\"a\",{}]}", "/tags/1");
        invalid("{\"surprise\":null}", "/surprise");
        invalid("[]", "");
        invalid("null", "");
    }
}
