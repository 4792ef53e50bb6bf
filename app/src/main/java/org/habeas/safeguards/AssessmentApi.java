package org.habeas.safeguards;

import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.habeas.accounts.Caller;
import org.habeas.accounts.UserRole;
import org.habeas.intake.EvidenceRequest;
import org.habeas.intake.Intake;
import org.habeas.intake.RequestBody;
import org.habeas.web.ApiProblem;
import org.habeas.web.ApiProblems;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
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
    private final RequestBody requestBody;

    AssessmentApi(Intake intake, Safeguards engine, Profile profile, Clock clock, RequestBody requestBody) {
        this.intake = intake;
        this.engine = engine;
        this.profile = profile;
        this.clock = clock;
        this.requestBody = requestBody;
    }

    @Operation(summary = "Assess a request without storing it",
            description = "Takes a Request v1 document and answers with its Assessment, as of the document's "
                    + "receivedAt or now. Invalid documents get the same problem+json answers as POST /api/v1/requests. "
                    + "profile selects rights-first (the server's default) or treaty-minimum. A requester's answer names each "
                    + "rule and its reason but not the words or values that set it off (evidence); staff see them.")
    @PostMapping(path = "/api/v1/assessments", consumes = MediaType.APPLICATION_JSON_VALUE)
    Assessment assess(InputStream body, @RequestParam(required = false) String profile,
            @RequestHeader(name = "Content-Length", required = false) Long contentLength) throws IOException {
        byte[] bytes = requestBody.read(body, contentLength);
        Profile chosen = this.profile;
        if (profile != null && !profile.equals(this.profile.id())) {
            if (!Profiles.BUILT_IN.contains(profile)) {
                throw new ApiProblem(HttpStatus.BAD_REQUEST, "Invalid query parameters", "Unknown profile.",
                        List.of(ApiProblems.parameter("profile",
                                "must be one of " + String.join(", ", Profiles.BUILT_IN))));
            }
            chosen = Profiles.load(profile);
        }
        EvidenceRequest request = intake.parse(bytes);
        Instant asOf = request.receivedAt() != null ? request.receivedAt().toInstant() : clock.instant();
        Assessment a = engine.assess(request, chosen, asOf);
        boolean staff = Caller.current().map(c -> !c.is(UserRole.REQUESTER)).orElse(false);
        return staff ? a : a.forRequester();
    }
}
