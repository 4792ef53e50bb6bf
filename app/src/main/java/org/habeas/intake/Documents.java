package org.habeas.intake;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.apache.tika.Tika;
import org.habeas.json.StrictJson;
import org.springframework.stereotype.Service;

/**
 * Documents attached to requests. The content type is sniffed from the bytes (magic numbers), never taken
 * from the sender: only PDF, images, plain text and XML are kept.
 */
@Service
public class Documents {

    /** What may be attached: the forms legal orders and their annexes arrive in. */
    public static final Set<String> ACCEPTED_TYPES = Set.of(
            "application/pdf", "image/png", "image/jpeg", "image/gif", "image/tiff", "image/webp",
            "text/plain", "application/xml", "text/xml");

    /** The attachment was refused; {@code field} names the form field at fault. */
    public static final class Refused extends RuntimeException {
        private final boolean unsupportedType;

        Refused(boolean unsupportedType, String detail) {
            super(detail);
            this.unsupportedType = unsupportedType;
        }

        public boolean unsupportedType() {
            return unsupportedType;
        }
    }

    private final DocumentRepository documents;
    private final RequestRepository requests;
    private final Clock clock;
    private final Tika tika = new Tika();

    Documents(DocumentRepository documents, RequestRepository requests, Clock clock) {
        this.documents = documents;
        this.requests = requests;
        this.clock = clock;
    }

    /** Attaches a document; empty if the request does not exist. */
    public Optional<Document> attach(UUID requestId, String filename, String declaredType, byte[] content) {
        if (requests.find(requestId).isEmpty()) {
            return Optional.empty();
        }
        checkName(filename);
        if (declaredType != null && (declaredType.length() > MAX_DECLARED_TYPE || StrictJson.notText(declaredType) != null
                || declaredType.chars().anyMatch(Character::isISOControl))) {
            throw new Refused(false, "The file's declared content type must be at most " + MAX_DECLARED_TYPE
                    + " characters of text.");
        }
        String sniffed = check(content);
        Document d = new Document(UUID.randomUUID(), requestId, safeName(filename), declaredType, sniffed,
                content.length, Intake.sha256(content), clock.instant());
        documents.insert(d, content);
        return Optional.of(d);
    }

    /**
     * Attaches a file whose name is made safe rather than refused (a browser's upload on a message): the last path
     * segment, without control, bidirectional or other formatting characters and quotes. Empty if the request does
     * not exist.
     */
    public Optional<Document> attachAsSent(UUID requestId, String filename, String declaredType, byte[] content) {
        if (requests.find(requestId).isEmpty()) {
            return Optional.empty();
        }
        String type = declaredType == null || declaredType.length() > MAX_DECLARED_TYPE
                || StrictJson.notText(declaredType) != null || declaredType.chars().anyMatch(Character::isISOControl)
                ? null : declaredType;
        String sniffed = check(content);
        Document d = new Document(UUID.randomUUID(), requestId, safeName(filename), type, sniffed,
                content.length, Intake.sha256(content), clock.instant());
        documents.insert(d, content);
        return Optional.of(d);
    }

    /**
     * Checks that a file would be accepted, without storing anything; returns its sniffed type.
     *
     * @throws Refused if it is empty or of a type Habeas does not accept
     */
    public String check(byte[] content) {
        if (content.length == 0) {
            throw new Refused(false, "The file is empty.");
        }
        String sniffed = tika.detect(content);
        if (!ACCEPTED_TYPES.contains(sniffed)) {
            throw new Refused(true, "The file's content is " + sniffed
                    + "; accepted are PDF, PNG, JPEG, GIF, TIFF, WebP, plain text and XML.");
        }
        return sniffed;
    }

    public List<Document> list(UUID requestId) {
        return documents.list(requestId);
    }

    public Optional<Document> find(UUID requestId, UUID id) {
        return documents.find(requestId, id);
    }

    public byte[] content(Document d) {
        return documents.content(d.id());
    }

    /** Longest file name and declared type kept (the columns' width, and more than any file system allows). */
    static final int MAX_NAME = 255;
    static final int MAX_DECLARED_TYPE = 255;

    /**
     * A file name is kept as sent or refused: never one with NUL, control or bidirectional formatting characters
     * (which make a name display as another, "order\u202Etxt.exe"), nor one longer than {@value #MAX_NAME}.
     */
    static void checkName(String filename) {
        if (filename == null) {
            return;
        }
        String reason = StrictJson.notText(filename);
        if (reason == null && filename.codePoints().anyMatch(c -> Character.getType(c) == Character.CONTROL
                || Character.getType(c) == Character.FORMAT)) {
            reason = "contains a control or formatting character";
        }
        if (reason == null && filename.codePointCount(0, filename.length()) > MAX_NAME) {
            reason = "is longer than " + MAX_NAME + " characters";
        }
        if (reason != null) {
            throw new Refused(false, "The file's name " + reason + ".");
        }
    }

    /**
     * Keeps the last path segment, drops control and formatting characters (bidirectional overrides, zero-width
     * marks), quotes and unpaired surrogates, and bounds the length.
     */
    public static String safeName(String filename) {
        if (filename == null) {
            return "document";
        }
        String name = filename.replace('\\', '/');
        name = name.substring(name.lastIndexOf('/') + 1);
        name = name.replaceAll("[\\p{Cntrl}\\p{Cf}\\p{Cs}\"]", "").strip();
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            return "document";
        }
        return name.length() > 200 ? name.substring(name.length() - 200) : name;
    }
}
