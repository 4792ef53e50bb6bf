package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./habeas} launcher on the packaged application jar, as a user runs it: exit codes, stdout and
 * stderr, and no server or database for the short commands. Runs after {@code package} (Failsafe).
 */
class LauncherIT {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    record Run(int exit, String out, String err, long millis) {
    }

    private Run habeas(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(ROOT.resolve("habeas").toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile())
                .redirectOutput(dir.resolve("out.txt").toFile())
                .redirectError(dir.resolve("err.txt").toFile());
        pb.environment().put("HABEAS_JAR", System.getProperty("habeas.jar"));
        pb.environment().put("HABEAS_HOME", dir.resolve("home").toString());
        long start = System.nanoTime();
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("finished").isTrue();
        long millis = (System.nanoTime() - start) / 1_000_000;
        return new Run(p.exitValue(), Files.readString(dir.resolve("out.txt")), Files.readString(dir.resolve("err.txt")),
                millis);
    }

    @Test
    void validateExitsZeroForAGoodFileAndTwoForABadOne() throws Exception {
        Path good = dir.resolve("good.json");
        Files.copy(ROOT.resolve("app/src/main/resources/demo/04-gb-kidnap-emergency.json"), good);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, Files.readString(good, StandardCharsets.UTF_8)
                .replace("\"EMERGENCY_DISCLOSURE\"", "\"PRESERVATION\"")
                .replace("\"GB\"", "\"UK\""));

        Run ok = habeas("validate", good.toString());
        assertThat(ok.exit()).isZero();
        assertThat(ok.out()).contains("good.json: valid");

        Run refused = habeas("validate", bad.toString());
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err().lines()).containsExactly(
                bad + ": /requestingState: 'UK' is not an ISO 3166-1 alpha-2 country code");
        assertThat(refused.out()).isEmpty();

        // no web server, no database: nothing was created under HABEAS_HOME
        assertThat(dir.resolve("home")).doesNotExist();
    }

    @Test
    void auditOfAFreshInstallationIsClean() throws Exception {
        Run audit = habeas("audit");
        assertThat(audit.exit()).as(audit.err()).isZero();
        assertThat(audit.out()).contains("clean: 0 cases, 0 log entries checked, 0 problems");
        // the audit only reads: it created no database and no key under HABEAS_HOME
        assertThat(dir.resolve("home/db")).doesNotExist();
        assertThat(dir.resolve("home/ledger/log-key")).doesNotExist();
    }

    @Test
    void versionAndHelpAnswer() throws Exception {
        Run version = habeas("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).startsWith("Habeas " + System.getProperty("habeas.version"));
        Run help = habeas("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("serve").contains("validate");
        Run unknown = habeas("--no-such-option");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("Unknown option");
    }
}
