package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.habeas.ledger.LogVerifier;
import org.habeas.ledger.Note;
import org.habeas.transparency.ReportVerifier;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** {@code habeas report verify}: recount a transparency report from the public log. */
@Command(name = "report", description = "Transparency reports.", subcommands = ReportCommand.Verify.class)
final class ReportCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "verify", description = "Check a report.json against the public log it names: the log, the "
            + "checkpoint, and every figure recounted from the published entries. Exit 0 when every figure matches, "
            + "1 with the differences, 2 on bad arguments.")
    static final class Verify implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;
        @Parameters(index = "0", description = "The report (report.json).") Path file;
        @Option(names = "--log", required = true, description = "The log's URL, e.g. https://habeas.example/log, or the "
                + "file: URL of a mirror made with log verify --mirror") String url;
        @Option(names = "--vkey", description = "The log's verifier key; without it, the key the log serves.") String vkey;

        /** A report of every state, instrument and measure is a few hundred kilobytes. */
        static final int MAX_REPORT_BYTES = 16 * 1024 * 1024;

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            JsonNode report;
            LogVerifier.Fetcher fetcher;
            try {
                byte[] bytes = RequestFiles.read(file, MAX_REPORT_BYTES);
                if (bytes.length > MAX_REPORT_BYTES) {
                    err.println("bad argument: " + file + " is larger than " + MAX_REPORT_BYTES + " bytes");
                    return HabeasCommand.BAD_INPUT;
                }
                org.habeas.json.StrictJson.Check strict = org.habeas.json.StrictJson.check(bytes);
                if (!strict.ok()) {
                    err.println("bad argument: " + file + ": " + (strict.malformed() != null ? strict.malformed()
                            : strict.problems().get(0).pointer() + " " + strict.problems().get(0).detail()));
                    return HabeasCommand.BAD_INPUT;
                }
                report = JsonMapper.builder().build().readTree(bytes);
                fetcher = LogCommand.fetcher(url);
            } catch (IOException | RuntimeException e) {
                err.println("bad argument: " + e.getMessage());
                return HabeasCommand.BAD_INPUT;
            }
            try {
                Note.Verifier key = Note.Verifier.parse(vkey != null ? vkey : fetcher.get("vkey").text().strip());
                List<String> differences = ReportVerifier.verify(report, fetcher, key);
                if (differences.isEmpty()) {
                    out.println("valid: every figure of " + report.path("period").stringValue()
                            + " matches the log at size " + report.path("log").path("size").asLong());
                    return 0;
                }
                differences.forEach(d -> err.println("differs: " + d));
                return LogCommand.INVALID;
            } catch (IllegalArgumentException e) {
                err.println("bad argument: " + e.getMessage());
                return HabeasCommand.BAD_INPUT;
            } catch (LogVerifier.Failure e) {
                err.println("invalid log: " + e.getMessage());
                return LogCommand.INVALID;
            }
        }
    }
}
