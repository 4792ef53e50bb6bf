package org.habeas.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;


import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code habeas validate FILE...}: the API's own validator, without a server. */
@Command(name = "validate",
        description = "Check Request v1 JSON files against the schema and Habeas's consistency rules. "
                + "Problems go to stderr, one per line as FILE: POINTER: DETAIL; exit code 2 if any file is invalid.")
final class ValidateCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Request v1 JSON files ('-' reads standard input).")
    List<Path> files;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        RequestFiles reader = new RequestFiles(err);
        int invalid = 0;
        for (Path file : files) {
            if (reader.check(file) != null) {
                out.println(file + ": valid");
            } else {
                invalid++;
            }
        }
        out.flush();
        err.flush();
        return invalid == 0 ? 0 : HabeasCommand.BAD_INPUT;
    }
}
