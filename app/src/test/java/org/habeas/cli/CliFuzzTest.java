package org.habeas.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import picocli.CommandLine;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Whatever file the command line is given — binary, empty, endless, not UTF-8, a number or an instant no request
 * can hold — it answers with exit 2 and lines on stderr that each name the file, never a stack trace.
 */
class CliFuzzTest {

    @TempDir
    static Path dir;

    record Run(int exit, String out, String err) {
    }

    private static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = HabeasCommand.commandLine(Object.class);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static String sample() throws Exception {
        try (var in = CliFuzzTest.class.getResourceAsStream("/demo/02-de-ransomware-preservation.json")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The sample with one member's value replaced by raw JSON text. */
    private static byte[] withRaw(String member, String raw) throws Exception {
        ObjectNode r = (ObjectNode) JsonMapper.builder().build().readTree(sample());
        r.put(member, "@@");
        return r.toString().replace("\"@@\"", raw).getBytes(StandardCharsets.UTF_8);
    }

    static Stream<Path> badFiles() throws Exception {
        List<Path> files = new ArrayList<>();
        Random random = new Random(19);
        for (int i = 0; i < 8; i++) {
            byte[] binary = new byte[1 + random.nextInt(4096)];
            random.nextBytes(binary);
            files.add(write("binary-" + i + ".json", binary));
        }
        files.add(write("empty.json", new byte[0]));
        files.add(write("blank.json", "  \n".getBytes(StandardCharsets.UTF_8)));
        byte[] huge = new byte[RequestFiles.MAX_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        files.add(write("huge.json", huge));
        byte[] latin1 = sample().replace("\"DE\"", "\"D\u00c9\"").getBytes(StandardCharsets.ISO_8859_1);
        files.add(write("latin1.json", latin1));
        files.add(write("truncated-utf8.json", new byte[] {'{', '"', 'r', '"', ':', '"', (byte) 0xE2, (byte) 0x82}));
        files.add(write("big-number.json", withRaw("preservationDays", "123456789012345678901234567890.5")));
        files.add(write("huge-exponent.json", withRaw("preservationDays", "1e999999999")));
        files.add(write("huger-exponent.json", withRaw("preservationDays", "-1e99999999999")));
        files.add(write("long-number.json", withRaw("preservationDays", "9".repeat(5000))));
        files.add(write("leap-second.json", withRaw("receivedAt", "\"2016-12-31T23:59:60Z\"")));
        files.add(write("twelve-digits.json", withRaw("receivedAt", "\"2026-01-01T00:00:00.123456789012Z\"")));
        files.add(write("lone-surrogate.json", withRaw("reference", "\"R\\uD800\"")));
        files.add(write("noncharacter.json", withRaw("reference", "\"R\\uDBFF\\uDFFF\"")));
        files.add(write("nul.json", withRaw("reference", "\"R\\u0000\"")));
        files.add(write("nested.json", ("[".repeat(200_000) + "]".repeat(200_000)).getBytes(StandardCharsets.US_ASCII)));
        files.add(write("duplicate.json", sample().replaceFirst("\\{", "{\"measure\":\"PRODUCTION\",")
                .getBytes(StandardCharsets.UTF_8)));
        for (String scalar : List.of("null", "1", "\"text\"", "[]", "{}", "true")) {
            files.add(write("scalar-" + files.size() + ".json", scalar.getBytes(StandardCharsets.UTF_8)));
        }
        files.add(dir.resolve("missing.json"));
        Path directory = Files.createDirectories(dir.resolve("a-directory.json"));
        files.add(directory);
        for (String device : List.of("/dev/zero", "/dev/urandom")) {
            if (Files.isReadable(Path.of(device))) {
                files.add(Path.of(device));
            }
        }
        return files.stream();
    }

    private static Path write(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    private static void assertRefused(Run r, Path file) {
        assertThat(r.exit()).as(r.err()).isEqualTo(HabeasCommand.BAD_INPUT);
        assertThat(r.err()).as(file.toString()).isNotBlank()
                .doesNotContain("\tat ").doesNotContain("Exception in").doesNotContain("Caused by");
        // each line names the file and says what is wrong with it
        assertThat(r.err().lines()).as(r.err()).allSatisfy(line -> assertThat(line).startsWith(file + ": "));
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void validateRefusesWithExitTwoAndNoStackTrace(Path file) {
        Run r = run("validate", file.toString());
        assertRefused(r, file);
        assertThat(r.out()).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("badFiles")
    void assessRefusesWithExitTwoAndNoStackTrace(Path file) {
        assertRefused(run("assess", file.toString()), file);
    }

    @Test
    void assessOnADirectoryWithoutRequestsSaysSo() throws Exception {
        Path empty = Files.createDirectories(dir.resolve("nothing-here"));
        Run r = run("assess", empty.toString());
        assertThat(r.exit()).isEqualTo(HabeasCommand.BAD_INPUT);
        assertThat(r.err().lines()).singleElement().satisfies(line -> assertThat(line).contains("no request files")
                .contains(empty.toString()));
        assertThat(run("compare-profiles", empty.toString()).exit()).isEqualTo(HabeasCommand.BAD_INPUT);
    }

    @Test
    void reportVerifyRefusesAnEndlessOrBinaryFileInOneLine() throws Exception {
        Path binary = write("report.bin", new byte[] {(byte) 0xFF, 0, 1, 2});
        for (Path file : List.of(binary, Path.of("/dev/zero"))) {
            Run r = run("report", "verify", file.toString(), "--log", "file://" + dir);
            assertThat(r.exit()).as(r.err()).isEqualTo(HabeasCommand.BAD_INPUT);
            assertThat(r.err().lines()).as(r.err()).singleElement();
        }
    }
}
