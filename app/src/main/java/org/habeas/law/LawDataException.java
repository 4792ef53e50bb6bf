package org.habeas.law;

/** A knowledge-base file that cannot be used: names the file, the line and the field at fault. */
public final class LawDataException extends RuntimeException {

    private final String file;
    private final int line;
    private final String field;

    public LawDataException(String file, int line, String field, String problem) {
        super(file + (line > 0 ? ":" + line : "") + (field == null || field.isEmpty() ? "" : ": " + field) + ": " + problem);
        this.file = file;
        this.line = line;
        this.field = field;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String field() {
        return field;
    }
}
