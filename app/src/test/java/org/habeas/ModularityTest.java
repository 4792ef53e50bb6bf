package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The top-level packages under {@code org.habeas} are the modules. They may use each other only through their
 * public types, without cycles; this test fails when that breaks, and draws the module diagram into
 * {@code docs/modules/}.
 */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(HabeasApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void writesTheModuleDiagramIntoTheDocs() throws Exception {
        Path docs = Path.of("..", "docs", "modules").toAbsolutePath().normalize();
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(docs.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        assertThat(docs.resolve("components.puml")).exists();
        assertThat(Files.readString(docs.resolve("components.puml"))).contains("\"Intake\"").contains("\"Cli\"").containsPattern("Rel\\(\\S*Cli, \\S*Intake");
    }
}
