package org.habeas.intake;

import java.io.IOException;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

@RestController
@RequestMapping("/api/v1/requests/{requestId}/documents")
@Tag(name = "Documents", description = "The legal order and other documents attached to a request.")
class DocumentApi {

    private final Documents documents;
    private final Intake intake;
    private final org.habeas.accounts.AccessRecord access;

    DocumentApi(Documents documents, Intake intake, org.habeas.accounts.AccessRecord access) {
        this.documents = documents;
        this.intake = intake;
        this.access = access;
    }

    /** The request, if the caller may see it; 404 otherwise (a requester never learns of other agencies' requests). */
    private void visible(UUID requestId) {
        org.habeas.accounts.Caller caller = org.habeas.accounts.Caller.require();
        intake.find(requestId).filter(r -> caller.maySeeRequestOf(r.agencyId()) && caller.seesIdentifiers())
                .orElseThrow(() -> ApiProblem.notFound("Request " + requestId));
    }

    @Operation(summary = "Attach a document",
            description = "multipart/form-data with the file in the part 'file'. The content type is sniffed from the "
                    + "bytes; PDF, images, plain text and XML are accepted (415 otherwise). Stored with its SHA-256.")
    @ApiResponse(responseCode = "201", description = "The document as stored; Location names it.")
    @PostMapping(consumes = MediaType.MULTIPART_FORM_DATA_VALUE)
    ResponseEntity<Document> attach(@PathVariable UUID requestId, @RequestPart("file") MultipartFile file)
            throws IOException {
        visible(requestId);
        Document d = documents.attach(requestId, file.getOriginalFilename(), file.getContentType(), file.getBytes())
                .orElseThrow(() -> ApiProblem.notFound("Request " + requestId));
        return ResponseEntity.created(URI.create("/api/v1/requests/" + requestId + "/documents/" + d.id())).body(d);
    }

    @Operation(summary = "List a request's documents")
    @GetMapping
    List<Document> list(@PathVariable UUID requestId) {
        visible(requestId);
        return documents.list(requestId);
    }

    @Operation(summary = "Download a document", description = "Served as an attachment, with its sniffed content type "
            + "and an RFC 9530 Repr-Digest header carrying its SHA-256.")
    @GetMapping("/{documentId}")
    ResponseEntity<byte[]> download(@PathVariable UUID requestId, @PathVariable UUID documentId) {
        visible(requestId);
        Document d = documents.find(requestId, documentId)
                .orElseThrow(() -> ApiProblem.notFound("Document " + documentId + " of request " + requestId));
        if (org.habeas.accounts.Caller.require().role().staff()) {
            access.viewed("VIEW_DOCUMENT", documentId);
        }
        byte[] sha256 = HexFormat.of().parseHex(d.sha256());
        return ResponseEntity.ok()
                .contentType(MediaType.parseMediaType(d.sniffedType()))
                .header("Content-Disposition", ContentDisposition.attachment()
                        .filename(d.filename(), java.nio.charset.StandardCharsets.UTF_8).build().toString())
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "sandbox")
                .header("Repr-Digest", "sha-256=:" + Base64.getEncoder().encodeToString(sha256) + ":")
                .body(documents.content(d));
    }

    @ExceptionHandler(Documents.Refused.class)
    ResponseEntity<ProblemDetail> refused(Documents.Refused e) {
        return ApiProblems.problem(e.unsupportedType() ? HttpStatus.UNSUPPORTED_MEDIA_TYPE : HttpStatus.UNPROCESSABLE_CONTENT,
                "Document refused", e.getMessage(), List.of(Map.of("parameter", "file", "detail", e.getMessage())));
    }
}
