package org.habeas.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import tools.jackson.core.JacksonException;

class PublicEntryTest {

    private static PublicEntry parse(String json) {
        return PublicEntry.parse(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsTheMembersReportsCountAndSkipsTheRest() {
        PublicEntry e = parse("""
                {"accounts":3,"case":"c1","categories":["SUBSCRIBER","CONTENT"],"commitment":"x","emergency":true,
                 "event":"DECIDED","extra":{"nested":[1,{"a":"b"}]},"instrument":"BUDAPEST","measure":"PRODUCTION",
                 "nonDisclosure":true,"outcome":"REFUSE","period":"2026-H1","requestedState":"IE",
                 "requestingState":"FR","rules":["PROTECTED_CONDUCT","JUDICIAL_AUTHORIZATION"],"v":1}""");
        assertThat(e).isEqualTo(new PublicEntry("c1", "DECIDED", "2026-H1", "FR", "BUDAPEST", "PRODUCTION", 3, true, true,
                "REFUSE", List.of("SUBSCRIBER", "CONTENT"), List.of("PROTECTED_CONDUCT", "JUDICIAL_AUTHORIZATION")));
    }

    @Test
    void membersOfTheWrongTypeReadAsAbsent() {
        PublicEntry e = parse("""
                {"case":7,"event":["RECEIVED"],"outcome":null,"accounts":"3","emergency":"true","rules":"R",
                 "categories":[1,"TRAFFIC",{"x":1}]}""");
        assertThat(e.caseId()).isNull();
        assertThat(e.event()).isNull();
        assertThat(e.outcome()).isNull();
        assertThat(e.accounts()).isZero();
        assertThat(e.emergency()).isFalse();
        assertThat(e.rules()).isEmpty();
        assertThat(e.categories()).containsExactly("TRAFFIC");
        // a REPORT record has no case: the calculator ignores it
        assertThat(parse("{\"event\":\"REPORT\",\"report\":\"abc\",\"checkpoint\":{\"size\":4}}").caseId()).isNull();
        assertThat(parse("[1,2]").event()).isNull();
        assertThatThrownBy(() -> parse("{\"case\":")).isInstanceOf(JacksonException.class);
    }
}
