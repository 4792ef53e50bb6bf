package org.habeas.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.FieldError;
import org.habeas.intake.RequestValidator;
import org.habeas.intake.Validation;

/**
 * Reading Request v1 files for the commands: every problem goes to stderr as {@code FILE: POINTER: DETAIL}, the
 * form {@code validate} documents, whichever command reads the file.
 */
final class RequestFiles {

    private final RequestValidator validator = new RequestValidator();
    private final PrintWriter err;

    RequestFiles(PrintWriter err) {
        this.err = err;
    }

    /** Files as given, with directories replaced by the {@code *.json} files under them, in name order. */
    static List<Path> expand(List<Path> inputs) throws IOException {
        List<Path> files = new ArrayList<>();
        for (Path p : inputs) {
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    s.filter(f -> f.toString().endsWith(".json") && Files.isRegularFile(f)).sorted().forEach(files::add);
                }
            } else {
                files.add(p);
            }
        }
        return files;
    }

    /** The file checked, or {@code null} after reporting why it is not a valid Request v1 ({@code -}: stdin). */
    Validation.Valid check(Path file) {
        byte[] body;
        try {
            body = "-".equals(file.toString()) ? System.in.readAllBytes() : Files.readAllBytes(file);
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return null;
        }
        return switch (validator.validate(body)) {
            case Validation.Valid v -> v;
            case Validation.Malformed m -> {
                err.println(file + ": " + m.detail());
                yield null;
            }
            case Validation.Invalid i -> {
                for (FieldError e : i.errors()) {
                    err.println(file + ": " + (e.pointer().isEmpty() ? "(document)" : e.pointer()) + ": " + e.detail());
                }
                yield null;
            }
        };
    }

    /** The file read as a request, or {@code null} after reporting its problems. */
    EvidenceRequest read(Path file) {
        Validation.Valid v = check(file);
        return v == null ? null : validator.mapper().treeToValue(v.request(), EvidenceRequest.class);
    }
}
