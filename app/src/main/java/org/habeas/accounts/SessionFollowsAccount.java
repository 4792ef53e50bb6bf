package org.habeas.accounts;

import java.io.IOException;
import java.util.Optional;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

/**
 * Sessions follow the account: at every request the signed-in user's role, enabled flag and session epoch are read
 * from the database (so it holds on every node), and a session whose account was disabled, given another role, or
 * set up anew ends at once; the request goes on as anonymous and is refused by the rules.
 */
class SessionFollowsAccount extends OncePerRequestFilter {

    private final Users users;

    SessionFollowsAccount(Users users) {
        this.users = users;
    }

    /** Static files are public; they need no look-up. */
    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return path.startsWith("/css/") || path.startsWith("/js/") || path.startsWith("/webjars/");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth != null && auth.getPrincipal() instanceof SessionBound p && p.sessionEpoch() != null
                && !current(p)) {
            SecurityContextHolder.clearContext();
            HttpSession session = request.getSession(false);
            if (session != null) {
                session.invalidate();
            }
        }
        chain.doFilter(request, response);
    }

    private boolean current(SessionBound p) {
        Caller c = p.caller();
        if (c.userId() == null) {
            return false;
        }
        Optional<Users.SessionState> s = users.sessionState(c.userId());
        return s.isPresent() && !s.get().disabled() && s.get().role() == c.role()
                && s.get().epoch() == p.sessionEpoch();
    }
}
