package org.habeas.accounts;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.authentication.BadCredentialsException;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Checks the sign-in form: user name, password and the current code of the user's authenticator app. Besides the
 * per-account lock-out (see {@link Users#signIn}), failures are counted per client address and per address and
 * account over a window: past the limit each further failure is answered only after a pause and the address is
 * put in the access record, which slows guessing across many accounts. The limit never refuses a correct sign-in,
 * so people behind one proxy or NAT do not lock each other out.
 */
class SignInProvider implements AuthenticationProvider {

    private static final Logger log = LoggerFactory.getLogger(SignInProvider.class);

    /**
     * What the sign-in form sends besides user name and password. A refused sign-in's exception carries its request,
     * and the failure is kept in the session, which lives in the database: the one-time code is never written there.
     */
    static final class Details implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final transient String code;
        private final String remoteAddress;

        Details(String code, String remoteAddress) {
            this.code = code;
            this.remoteAddress = remoteAddress;
        }

        String code() {
            return code;
        }

        String remoteAddress() {
            return remoteAddress;
        }
    }

    private final Users users;
    private final AccessRecord access;
    private final Clock clock;
    private final int maxFailuresPerAddress;
    private final Duration window;
    private final Duration pause;
    private final Map<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    SignInProvider(Users users, AccessRecord access, Clock clock, int maxFailuresPerAddress, Duration window,
            Duration pause) {
        this.users = users;
        this.access = access;
        this.clock = clock;
        this.maxFailuresPerAddress = maxFailuresPerAddress;
        this.window = window;
        this.pause = pause;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        Details details = authentication.getDetails() instanceof Details d ? d : new Details(null, "unknown");
        String address = details.remoteAddress() == null ? "unknown" : details.remoteAddress();
        String username = String.valueOf(authentication.getPrincipal());
        try {
            Users.SignedIn in = users.signIn(username,
                    authentication.getCredentials() == null ? null : authentication.getCredentials().toString(),
                    details.code());
            CallerPrincipal principal = new CallerPrincipal(in.caller(), in.epoch());
            failures.remove(address + " " + username);
            var signedIn = UsernamePasswordAuthenticationToken.authenticated(principal, null, principal.authorities());
            // the session (kept in the database) holds the address, never the form's details with the code
            signedIn.setDetails(address);
            return signedIn;
        } catch (Users.SignInFailed e) {
            int byAddress = failed(address);
            int byPair = failed(address + " " + username);
            if (byAddress > maxFailuresPerAddress || byPair > maxFailuresPerAddress) {
                if (byAddress == maxFailuresPerAddress + 1) {
                    access.record(address, null, "ADDRESS_OVER_LIMIT", address,
                            maxFailuresPerAddress + " failed sign-ins within " + window.toMinutes() + " minutes");
                }
                pause();
            }
            throw new BadCredentialsException(e.getMessage());
        } catch (DataAccessException e) {
            // the exception's text may quote the row it concerns (a password hash, a TOTP secret): never logged
            log.warn("A sign-in could not be checked: the database answered {} ({})", e.getClass().getSimpleName(),
                    sqlState(e));
            throw new AuthenticationServiceException("Sign-in is not possible just now. Try again in a moment.");
        }
    }

    private static String sqlState(DataAccessException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.sql.SQLException s) {
                return "SQLSTATE " + s.getSQLState();
            }
        }
        return "no SQLSTATE";
    }

    private void pause() {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Records a failure under {@code key} and answers how many there are in the window. */
    private int failed(String key) {
        if (failures.size() > 100_000) {
            Instant cutoff = clock.instant().minus(window);
            failures.values().removeIf(q -> {
                synchronized (q) {
                    return q.isEmpty() || q.peekLast().isBefore(cutoff);
                }
            });
        }
        Deque<Instant> q = failures.computeIfAbsent(key, a -> new ArrayDeque<>());
        synchronized (q) {
            Instant now = clock.instant();
            Instant cutoff = now.minus(window);
            while (!q.isEmpty() && q.peekFirst().isBefore(cutoff)) {
                q.pollFirst();
            }
            q.addLast(now);
            return q.size();
        }
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }
}
