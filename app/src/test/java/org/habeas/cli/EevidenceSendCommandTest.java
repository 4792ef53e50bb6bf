package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code habeas eevidence send} refuses bad arguments with one line on stderr and exit code 2. */
class EevidenceSendCommandTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        picocli.CommandLine cli = HabeasCommand.commandLine(Object.class);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    @Test
    void badArgumentsExitTwoWithOneLine() throws Exception {
        Path message = Files.writeString(dir.resolve("m.xml"), "<HI1Message/>");
        Path p12 = Files.write(dir.resolve("c.p12"), new byte[] {1, 2, 3});
        assertThat(run("eevidence", "send", message.toString(), "--to", "http://plain.example/eevidence/production",
                "--client-certificate", p12.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).containsExactly("bad argument: --to must be an https:// URL");
        err.getBuffer().setLength(0);
        assertThat(run("eevidence", "send", dir.resolve("missing.xml").toString(), "--to",
                "https://localhost:1/eevidence/production", "--client-certificate", p12.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().contains("missing.xml cannot be read");
        err.getBuffer().setLength(0);
        assertThat(run("eevidence", "send", message.toString(), "--to", "https://localhost:1/eevidence/production",
                "--client-certificate", p12.toString())).isEqualTo(2);
        assertThat(err.toString().lines()).singleElement().asString().startsWith("bad argument: the certificates cannot be read");
        assertThat(out.toString()).isEmpty();
    }
}
