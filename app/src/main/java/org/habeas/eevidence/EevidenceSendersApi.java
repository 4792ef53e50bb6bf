package org.habeas.eevidence;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.habeas.accounts.AccessRecord;
import org.habeas.accounts.Agencies;
import org.habeas.accounts.Caller;
import org.habeas.web.ApiProblem;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Administrators bind a member state's HI-1 sender identifier to the registered agency it stands for. */
@RestController
@RequestMapping("/api/v1/eevidence")
@Tag(name = "EU e-Evidence", description = "The senders of the e-Evidence channel (ETSI TS 103 120).")
class EevidenceSendersApi {

    record SenderForm(String country, String identifier, String agencyId) {
    }

    record SenderBinding(String country, String identifier, UUID agencyId) {
    }

    private final EevidenceStore store;
    private final Agencies agencies;
    private final AccessRecord access;
    private final java.time.Clock clock;

    EevidenceSendersApi(EevidenceStore store, Agencies agencies, AccessRecord access, java.time.Clock clock) {
        this.store = store;
        this.agencies = agencies;
        this.access = access;
        this.clock = clock;
    }

    @Operation(summary = "The bound senders")
    @GetMapping("/senders")
    List<SenderBinding> list() {
        return store.senders().stream().map(s -> new SenderBinding(s[0], s[1], UUID.fromString(s[2]))).toList();
    }

    @Operation(summary = "Bind a sender identifier to an agency",
            description = "country and identifier are the HI-1 header's SenderIdentifier (CountryCode, "
                    + "UniqueIdentifier); messages from it become that agency's requests. Binding it again moves it.")
    @ApiResponse(responseCode = "201", description = "The binding.")
    @PostMapping("/senders")
    ResponseEntity<SenderBinding> bind(@RequestBody SenderForm form) {
        List<Map<String, String>> errors = new ArrayList<>();
        if (form.country() == null || !form.country().matches("[A-Z]{2}")) {
            errors.add(Map.of("pointer", "/country", "detail", "must be two capital letters (the CountryCode)"));
        }
        if (form.identifier() == null || form.identifier().isBlank() || form.identifier().length() > 256
                || form.identifier().chars().anyMatch(Character::isISOControl)) {
            errors.add(Map.of("pointer", "/identifier", "detail", "must be the UniqueIdentifier: 1 to 256 characters"));
        }
        UUID agency = null;
        try {
            agency = form.agencyId() == null ? null : UUID.fromString(form.agencyId());
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (agency == null || agencies.find(agency).isEmpty()) {
            errors.add(Map.of("pointer", "/agencyId", "detail", "must be the id of a registered agency"));
        }
        if (!errors.isEmpty()) {
            throw new ApiProblem(HttpStatus.UNPROCESSABLE_CONTENT, "Invalid sender",
                    "The sender binding is not valid.", errors);
        }
        store.bind(form.country(), form.identifier(), agency, clock.instant());
        access.record(Caller.require().name(), "ADMIN", "EEVIDENCE_SENDER_BOUND", form.country() + "/"
                + form.identifier(), agency.toString());
        return ResponseEntity.created(URI.create("/api/v1/eevidence/senders"))
                .body(new SenderBinding(form.country(), form.identifier(), agency));
    }
}
