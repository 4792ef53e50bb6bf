package org.habeas.accounts;

import java.util.Optional;
import java.util.UUID;

/** What other modules add to an agency's page (the trust module: its record as a sender). */
public interface AgencyExtension {

    /** The model attribute on the agency page. */
    String name();

    Optional<Object> forAgency(UUID agencyId);
}
