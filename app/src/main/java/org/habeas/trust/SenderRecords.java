package org.habeas.trust;

import java.util.Optional;
import java.util.UUID;

import org.habeas.accounts.AgencyExtension;
import org.springframework.stereotype.Component;

/** Adds each agency's record as a sender to its page. */
@Component
class SenderRecords implements AgencyExtension {

    private final SenderTrust trust;

    SenderRecords(SenderTrust trust) {
        this.trust = trust;
    }

    @Override
    public String name() {
        return "senderRecord";
    }

    @Override
    public Optional<Object> forAgency(UUID agencyId) {
        return Optional.of(trust.record(agencyId));
    }
}
