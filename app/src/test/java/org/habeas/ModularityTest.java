package org.habeas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.modulith.core.ApplicationModules;
import org.springframework.modulith.docs.Documenter;

/**
 * The top-level packages under {@code org.habeas} are the modules. They may use each other only through their
 * public types, without cycles; this test fails when that breaks. It draws the module diagrams into
 * {@code target/modules/} and fails when {@code docs/modules/} no longer shows the same modules and links (the
 * order of lines aside, which the drawing does not keep from one run to the next). To bring the docs up to date:
 * <pre>./mvnw -B -q -ntp -pl app test -Dtest=ModularityTest -Dhabeas.modules.write=true</pre>
 */
class ModularityTest {

    private final ApplicationModules modules = ApplicationModules.of(HabeasApplication.class);

    @Test
    void modulesRespectTheirBoundaries() {
        modules.verify();
    }

    @Test
    void theModuleDiagramsInTheDocsAreTheModulesAsTheyAre() throws Exception {
        Path drawn = Path.of("target", "modules").toAbsolutePath().normalize();
        Path docs = Path.of("..", "docs", "modules").toAbsolutePath().normalize();
        new Documenter(modules, Documenter.Options.defaults().withOutputFolder(drawn.toString()))
                .writeModulesAsPlantUml()
                .writeIndividualModulesAsPlantUml();
        assertThat(Files.readString(drawn.resolve("components.puml"))).contains("\"Intake\"").contains("\"Cli\"")
                .containsPattern("Rel\\(\\S*Cli, \\S*Intake");
        List<Path> diagrams;
        try (Stream<Path> files = Files.list(drawn)) {
            diagrams = files.filter(f -> f.toString().endsWith(".puml")).sorted().toList();
        }
        if (Boolean.getBoolean("habeas.modules.write")) {
            for (Path d : diagrams) {
                Files.copy(d, docs.resolve(d.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        for (Path d : diagrams) {
            Path doc = docs.resolve(d.getFileName());
            assertThat(doc).as("docs/modules/%s (run with -Dhabeas.modules.write=true)", d.getFileName()).exists();
            assertThat(sortedLines(doc)).as("docs/modules/%s against the modules as they are (run with "
                    + "-Dhabeas.modules.write=true)", d.getFileName()).isEqualTo(sortedLines(d));
        }
    }

    private static List<String> sortedLines(Path file) throws IOException {
        return Files.readAllLines(file).stream().map(String::strip).filter(l -> !l.isEmpty()).sorted().toList();
    }
}
