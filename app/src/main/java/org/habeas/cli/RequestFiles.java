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

    /** The largest Request v1 document read, as the API's limit ({@code habeas.intake.max-request-bytes}). */
    static final int MAX_BYTES = 1024 * 1024;

    /**
     * At most {@code max + 1} bytes of a file ({@code -}: stdin), so that a device or an endless stream
     * ({@code /dev/zero}) is refused as too large instead of filling the memory.
     */
    static byte[] read(Path file, int max) throws IOException {
        if ("-".equals(file.toString())) {
            return System.in.readNBytes(max + 1);
        }
        if (Files.isDirectory(file)) {
            throw new IOException("is a directory");
        }
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(max + 1);
        }
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
            body = read(file, MAX_BYTES);
        } catch (IOException e) {
            err.println(file + ": cannot read: " + e.getMessage());
            return null;
        }
        if (body.length > MAX_BYTES) {
            err.println(file + ": larger than " + MAX_BYTES + " bytes, the most a Request v1 document may be");
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

    /** Says that the inputs held no request file; true if so. */
    static boolean none(List<Path> files, List<Path> inputs, PrintWriter err) {
        if (!files.isEmpty()) {
            return false;
        }
        err.println(inputs.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", "))
                + ": no request files (no *.json file to read)");
        return true;
    }
}
