package org.habeas.safeguards;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;

import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.web.ApiProblem;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The pre-check a requesting authority runs before sending: assess a request without storing it. */
@RestController
@Tag(name = "Assessments", description = "Assess a request against the safeguard rules.")
class AssessmentApi {

    private final Intake intake;
    private final Safeguards engine;
    private final Profile profile;
    private final Clock clock;
    private final int maxBodyBytes;

    AssessmentApi(Intake intake, Safeguards engine, Profile profile, Clock clock,
            @Value("${habeas.intake.max-request-bytes}") int maxBodyBytes) {
        this.intake = intake;
        this.engine = engine;
        this.profile = profile;
        this.clock = clock;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Operation(summary = "Assess a request without storing it",
            description = "Takes a Request v1 document and answers with its Assessment, as of the document's "
                    + "receivedAt or now. Invalid documents get the same problem+json answers as POST /api/v1/requests. "
                    + "profile selects rights-first (the server's default) or treaty-minimum.")
    @PostMapping(path = "/api/v1/assessments", consumes = MediaType.APPLICATION_JSON_VALUE)
    Assessment assess(InputStream body, @RequestParam(required = false) String profile) throws IOException {
        byte[] bytes = body.readNBytes(maxBodyBytes + 1);
        if (bytes.length > maxBodyBytes) {
            throw new ApiProblem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large",
                    "A Request v1 document may be at most " + maxBodyBytes + " bytes.");
        }
        Profile chosen = this.profile;
        if (profile != null && !profile.equals(this.profile.id())) {
            if (!Profiles.BUILT_IN.contains(profile)) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters", "Unknown profile.",
                        java.util.List.of(org.habeas.web.ApiProblems.parameter("profile",
                                "must be one of " + String.join(", ", Profiles.BUILT_IN))));
            }
            chosen = Profiles.load(profile);
        }
        EvidenceRequest request = intake.parse(bytes);
        Instant asOf = request.receivedAt() != null ? request.receivedAt().toInstant() : clock.instant();
        return engine.assess(request, chosen, asOf);
    }
}
