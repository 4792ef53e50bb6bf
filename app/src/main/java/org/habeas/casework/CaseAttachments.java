package org.habeas.casework;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.intake.Document;
import org.habeas.intake.Documents;
import org.habeas.intake.RequestExtension;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;

/**
 * The message thread of a case — questions, answers and messages between staff and the requesting agency — and the
 * documents attached to them. A document is stored as the request's documents are (content type sniffed from the
 * bytes, SHA-256 recorded, size bounded), under a name made safe, and downloaded where the request's documents are,
 * by those who may see the request.
 */
@Component
public class CaseAttachments implements RequestExtension {

    /** A file as uploaded: the name the sender's system gave it, the type it declared, the bytes. */
    public record Upload(String filename, String declaredType, byte[] content) {
    }

    /** A document attached to a message, as listed in the thread. */
    public record Attachment(UUID id, String filename, String type, long size, String sha256) {
    }

    /** One message of the thread: who wrote it (a requester by name, staff by role), what, and its documents. */
    public record Message(Instant at, String from, boolean fromRequester, String kind, String text,
            List<Attachment> attachments) {
    }

    /** At most this many files on one message. */
    static final int MAX_FILES = 10;

    private static final Set<String> THREAD = Set.of("ASKED_REQUESTER", "REQUESTER_ANSWERED", "MESSAGE");

    private final JdbcClient jdbc;
    private final Documents documents;
    private final long maxBytes;
    /** Cases reads the timelines the threads are made of (and stores a message's files through this class). */
    private final ObjectProvider<Cases> cases;

    CaseAttachments(JdbcClient jdbc, Documents documents,
            @Value("${habeas.intake.max-document-bytes}") long maxBytes, ObjectProvider<Cases> cases) {
        this.jdbc = jdbc;
        this.documents = documents;
        this.maxBytes = maxBytes;
        this.cases = cases;
    }

    /** Checks every file before anything is written: count, size and type; the first fault refuses them all. */
    void check(List<Upload> files) {
        List<Upload> real = present(files);
        if (real.size() > MAX_FILES) {
            throw new Cases.Refused(Cases.Refused.Kind.INVALID, "files", "at most " + MAX_FILES + " files per message");
        }
        for (Upload f : real) {
            if (f.content().length > maxBytes) {
                throw new Cases.Refused(Cases.Refused.Kind.INVALID, "files", "'" + Documents.safeName(f.filename())
                        + "' is larger than " + (maxBytes / (1024 * 1024) > 0 ? maxBytes / (1024 * 1024) + " MB" : maxBytes + " bytes"));
            }
            try {
                documents.check(f.content());
            } catch (Documents.Refused e) {
                throw new Cases.Refused(Cases.Refused.Kind.INVALID, "files", "'" + Documents.safeName(f.filename())
                        + "': " + e.getMessage());
            }
        }
    }

    /** Stores the files as the request's documents and attaches them to the timeline step. */
    void store(UUID requestId, long step, List<Upload> files) {
        for (Upload f : present(files)) {
            Document d = documents.attachAsSent(requestId, f.filename(), f.declaredType(), f.content()).orElseThrow();
            jdbc.sql("insert into casework_attachment (event_id, document_id) values (:e, :d)")
                    .param("e", step).param("d", d.id()).update();
        }
    }

    /** A browser sends an empty part when no file was chosen: that is no file. */
    private static List<Upload> present(List<Upload> files) {
        return files == null ? List.of() : files.stream()
                .filter(f -> f != null && f.content() != null && (f.content().length > 0 || notBlank(f.filename()))).toList();
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    /** The thread of a case as the caller sees it; staff appear to requesters by role. Oversight sees no thread. */
    public List<Message> thread(Cases.Case c) {
        return threads(Map.of(c.requestId(), c)).getOrDefault(c.requestId(), List.of());
    }

    /**
     * The threads of these cases, built from the timelines Cases has read, with their documents in one statement
     * whatever the number of cases; cases without messages are absent.
     */
    private Map<UUID, List<Message>> threads(Map<UUID, Cases.Case> cases) {
        Caller caller = Caller.current().orElse(null);
        if (cases.isEmpty() || caller == null || !caller.seesIdentifiers()) {
            return Map.of();
        }
        boolean requester = caller.is(UserRole.REQUESTER);
        Map<UUID, List<Cases.Event>> steps = new LinkedHashMap<>();
        cases.forEach((id, c) -> c.timeline().stream().filter(e -> THREAD.contains(e.action()))
                .forEach(e -> steps.computeIfAbsent(id, k -> new ArrayList<>()).add(e)));
        if (steps.isEmpty()) {
            return Map.of();
        }
        Map<Long, List<Attachment>> files = new LinkedHashMap<>();
        jdbc.sql("""
                select a.event_id, d.id, d.filename, d.sniffed_type, d.size_bytes, d.sha256
                from casework_attachment a join intake_document d on d.id = a.document_id
                where a.event_id in (:e) order by a.event_id, d.uploaded_at, d.id""")
                .param("e", steps.values().stream().flatMap(List::stream).map(Cases.Event::id).toList())
                .query((rs, i) -> files.computeIfAbsent(rs.getLong("event_id"), k -> new ArrayList<>())
                        .add(new Attachment(rs.getObject("id", UUID.class), rs.getString("filename"),
                                rs.getString("sniffed_type"), rs.getLong("size_bytes"), rs.getString("sha256"))))
                .list();
        Map<UUID, List<Message>> out = new LinkedHashMap<>();
        steps.forEach((id, events) -> out.put(id, events.stream().map(e -> {
            boolean fromRequester = "REQUESTER".equals(e.role());
            String from = fromRequester || !requester ? e.actor() : roleLabel(e.role());
            return new Message(e.at(), from, fromRequester, e.action(), e.reason(), files.getOrDefault(e.id(), List.of()));
        }).toList()));
        return out;
    }

    private static String roleLabel(String role) {
        try {
            return UserRole.valueOf(role).label();
        } catch (IllegalArgumentException | NullPointerException e) {
            return "Staff";
        }
    }

    @Override
    public String name() {
        return "thread";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        List<Message> thread = threads(cases.getObject().findAll(List.of(requestId)))
                .getOrDefault(requestId, List.of());
        return thread.isEmpty() ? Optional.empty() : Optional.of(thread);
    }

    @Override
    public Map<UUID, Object> forRequests(List<org.habeas.intake.ReceivedRequest> requests) {
        // a page of requests reads its threads at once, so a list item is what the request's own GET shows; the
        // timelines are those Cases read for the page (once, in the call's scope)
        return Map.copyOf(threads(cases.getObject().findAll(
                requests.stream().map(org.habeas.intake.ReceivedRequest::id).toList())));
    }
}
