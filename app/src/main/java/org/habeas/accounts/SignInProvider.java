package org.habeas.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Checks the sign-in form: user name, password and, for staff, the current code of their authenticator app.
 * Besides the per-account lock-out (see {@link Users#signIn}), each client address may fail only so many times in a
 * window, which slows guessing across many accounts.
 */
class SignInProvider implements AuthenticationProvider {

    /** What the sign-in form sends besides user name and password. */
    record Details(String code, String remoteAddress) {
        static Details of(HttpServletRequest request) {
            return new Details(request.getParameter("code"), request.getRemoteAddr());
        }
    }

    private final Users users;
    private final Clock clock;
    private final int maxFailuresPerAddress;
    private final Duration window;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    SignInProvider(Users users, Clock clock, int maxFailuresPerAddress, Duration window) {
        this.users = users;
        this.clock = clock;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.window = window;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Details details = authentication.getDetails() instanceof Details d ? d : new Details(null, "unknown");
        String address = details.remoteAddress() == null ? "unknown" : details.remoteAddress();
        if (recentFailures(address) >= maxFailuresPerAddress) {
            throw new BadCredentialsException("Too many failed sign-ins from your network address. Wait "
                    + window.toMinutes() + " minutes and try again.");
        }
        try {
            Caller caller = users.signIn(String.valueOf(authentication.getPrincipal()),
                    authentication.getCredentials() == null ? null : authentication.getCredentials().toString(),
                    details.code());
            CallerPrincipal principal = new CallerPrincipal(caller);
            return UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.authorities());
        } catch (Users.SignInFailed e) {
            failures.computeIfAbsent(address, a -> new ArrayDeque<>()).addLast(clock.instant());
            throw new BadCredentialsException(e.getMessage());
        }
    }

    private int recentFailures(String address) {
        Deque<Instant> q = failures.get(address);
        if (q == null) {
            return 0;
        }
        synchronized (q) {
            Instant cutoff = clock.instant().minus(window);
            while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
                q.pollFirst();
            }
            if (q.isEmpty()) {
                failures.remove(address, q);
            }
            return q.size();
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
