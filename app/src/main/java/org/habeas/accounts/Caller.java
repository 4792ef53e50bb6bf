package org.habeas.accounts;

import java.io.Serializable;
import java.util.Optional;
import java.util.UUID;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Who is making the current call: a signed-in person or the holder of an API token.
 *
 * @param userId    the user, or {@code null} for a token issued to an agency
 * @param name      the user name, or {@code agency-token:<token name>}
 * @param agencyId  the agency a requester acts for; {@code null} for staff
 */
public record Caller(UUID userId, String name, String displayName, UserRole role, UUID agencyId)
        implements Serializable {

    /** Implemented by every principal Habeas puts into the security context. */
    public interface Holder {
        Caller caller();
    }

    /** The caller of the current request, if someone is signed in or presented a token. */
    public static Optional<Caller> current() {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.isAuthenticated() && auth.getPrincipal() instanceof Holder h) {
            return Optional.of(h.caller());
        }
        return Optional.empty();
    }

    /** The caller of the current request; fails if there is none (the security rules make sure there is). */
    public static Caller require() {
        return current().orElseThrow(() -> new IllegalStateException("no signed-in caller"));
    }

    public boolean is(UserRole r) {
        return role == r;
    }

    /** Whether this caller may see a request sent by {@code requestAgency}. Requesters see their own agency's only. */
    public boolean maySeeRequestOf(UUID requestAgency) {
        if (role == UserRole.REQUESTER) {
            return agencyId != null && agencyId.equals(requestAgency);
        }
        return role.casework() || role == UserRole.OVERSIGHT;
    }

    /** Oversight reads every case but never the targets' identifiers or produced data. */
    public boolean seesIdentifiers() {
        return role != UserRole.OVERSIGHT;
    }
}
