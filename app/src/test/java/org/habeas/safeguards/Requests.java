package org.habeas.safeguards;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.util.function.Consumer;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;

import tools.jackson.databind.node.ObjectNode;

/** Requests for engine tests: a scenario file, changed as a test needs, validated as intake validates it. */
final class Requests {

    private static final RequestValidator VALIDATOR = new RequestValidator();

    private Requests() {
    }

    static EvidenceRequest from(String scenario, Consumer<ObjectNode> change) throws IOException {
        ObjectNode tree = (ObjectNode) VALIDATOR.mapper().readTree(Files.readAllBytes(ScenarioTest.DIR.resolve(scenario)));
        change.accept(tree);
        Validation v = VALIDATOR.validate(VALIDATOR.mapper().writeValueAsBytes(tree));
        assertThat(v).as(scenario).isInstanceOf(Validation.Valid.class);
        return VALIDATOR.mapper().treeToValue(((Validation.Valid) v).request(), EvidenceRequest.class);
    }

    static ObjectNode offence(ObjectNode tree) {
        return (ObjectNode) tree.get("offence");
    }
}
