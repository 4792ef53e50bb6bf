package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import org.habeas.intake.FieldError;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;

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
        RequestValidator validator = new RequestValidator();
        int invalid = 0;
        for (Path file : files) {
            byte[] body;
            try {
                body = "-".equals(file.toString()) ? System.in.readAllBytes() : Files.readAllBytes(file);
            } catch (IOException e) {
                err.println(file + ": cannot read: " + e.getMessage());
                invalid++;
                continue;
            }
            switch (validator.validate(body)) {
                case Validation.Valid v -> out.println(file + ": valid");
                case Validation.Malformed m -> {
                    err.println(file + ": " + m.detail());
                    invalid++;
                }
                case Validation.Invalid i -> {
                    for (FieldError e : i.errors()) {
                        err.println(file + ": " + (e.pointer().isEmpty() ? "(document)" : e.pointer()) + ": " + e.detail());
                    }
                    invalid++;
                }
            }
        }
        out.flush();
        err.flush();
        return invalid == 0 ? 0 : HabeasCommand.BAD_INPUT;
    }
}
