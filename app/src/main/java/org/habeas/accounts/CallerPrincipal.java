package org.habeas.accounts;

import java.io.Serializable;
import java.security.Principal;
import java.util.List;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** The principal of a signed-in session or a token call: the caller and nothing secret. */
record CallerPrincipal(Caller caller) implements Caller.Holder, Principal, Serializable {

    @Override
    public String getName() {
        return caller.name();
    }

    List<GrantedAuthority> authorities() {
        return List.of(new SimpleGrantedAuthority(caller.role().authority()));
    }
}
