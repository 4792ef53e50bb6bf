package org.habeas.eevidence;

import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.habeas.intake.RequestExtension;
import org.springframework.stereotype.Component;

/**
 * The check of an e-Evidence order's signed form on its request: {@code formSignature} in the request's JSON and
 * on its page (status, signer, signing time, why), as the sender's signature check is for a signed JSON request.
 */
@Component
class FormSignatureView implements RequestExtension {

    /** What is shown: the form's name, VALID / INVALID / UNSIGNED / UNKNOWN_KEY, who signed, when, and why. */
    record Shown(String document, String status, String signer, Instant signedAt, String detail) {
    }

    private final EevidenceStore store;

    FormSignatureView(EevidenceStore store) {
        this.store = store;
    }

    @Override
    public String name() {
        return "formSignature";
    }

    @Override
    public Optional<Object> forRequest(UUID requestId) {
        return store.formSignature(requestId).map(s -> s);
    }

    @Override
    public java.util.Map<UUID, Object> forRequests(java.util.List<org.habeas.intake.ReceivedRequest> requests) {
        java.util.Map<UUID, Object> out = new java.util.HashMap<>();
        java.util.List<UUID> ids = requests.stream().filter(r -> "EU_EEVIDENCE".equals(r.instrument()))
                .map(org.habeas.intake.ReceivedRequest::id).toList();
        if (!ids.isEmpty()) {
            out.putAll(store.formSignatures(ids));
        }
        return out;
    }
}
