package org.habeas.accounts;

import java.io.Serializable;
import java.security.Principal;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/**
 * The principal of a signed-in session or a token call: the caller and nothing secret.
 *
 * @param sessionEpoch the account's session epoch at sign-in, for a session; {@code null} for a token call (a token
 *                     is checked against the account at every call anyway)
 */
record CallerPrincipal(Caller caller, Long sessionEpoch) implements SessionBound, Principal, Serializable {

    CallerPrincipal(Caller caller) {
        this(caller, null);
    }

    @Override
    public String getName() {
        return caller.name();
    }

    List<GrantedAuthority> authorities() {
        return List.of(new SimpleGrantedAuthority(caller.role().authority()));
    }
}
