package io.github.sessiongate.web;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Collections;
import java.util.Enumeration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Objects;

/**
 * The request as downstream code sees it once a session is established: the standard servlet
 * security methods answer from the {@link Session}. A guest session is visible through
 * {@link Session#from} but is not a user: no principal, no roles. With the opt-in
 * {@code authorization-header-view}, {@code Authorization} reads {@code Bearer <access token>}.
 */
public final class SessionRequest extends HttpServletRequestWrapper {
    /** Value of {@link #getAuthType()} for requests authenticated by SessionGate. */
    public static final String AUTH_TYPE = "SESSIONGATE";

    private static final String AUTHORIZATION = "Authorization";

    private final Session session;
    /** Whether the session is a user's (a guest has no principal). */
    private final boolean user;
    /** Made on the first {@link #getUserPrincipal()}: most requests never ask (a race makes two equal ones). */
    private Principal principal;
    private final String authorization;

    public SessionRequest(HttpServletRequest request, Session session) {
        this(request, session, false);
    }

    /**
     * @param authorizationView whether {@code getHeader("Authorization")} shows the session's
     *     (possibly just-rotated) access token as {@code Bearer}, for code that forwards it
     */
    public SessionRequest(HttpServletRequest request, Session session, boolean authorizationView) {
        super(request);
        this.session = Objects.requireNonNull(session, "session");
        this.user = !session.isGuest();
        this.authorization = authorizationView && user ? "Bearer " + session.token() : null;
    }

    @Override
    public String getHeader(String name) {
        return authorization != null && AUTHORIZATION.equalsIgnoreCase(name) ? authorization : super.getHeader(name);
    }

    @Override
    public Enumeration<String> getHeaders(String name) {
        return authorization != null && AUTHORIZATION.equalsIgnoreCase(name)
                ? Collections.enumeration(List.of(authorization)) : super.getHeaders(name);
    }

    @Override
    public Enumeration<String> getHeaderNames() {
        if (authorization == null) {
            return super.getHeaderNames();
        }
        Set<String> names = new LinkedHashSet<>(Collections.list(super.getHeaderNames()));
        if (names.stream().noneMatch(AUTHORIZATION::equalsIgnoreCase)) {
            names.add(AUTHORIZATION);
        }
        return Collections.enumeration(names);
    }

    /** The session this request carries. */
    public Session session() {
        return session;
    }

    @Override
    public Principal getUserPrincipal() {
        if (!user) {
            return null;
        }
        Principal p = principal;
        if (p == null) {
            p = new SubjectPrincipal(session.subject());
            principal = p;
        }
        return p;
    }

    @Override
    public String getRemoteUser() {
        return user ? session.subject() : null;
    }

    @Override
    public boolean isUserInRole(String role) {
        return user && role != null && session.hasRole(role);
    }

    @Override
    public String getAuthType() {
        return user ? AUTH_TYPE : null;
    }

    /** The subject as a {@link Principal}. */
    private record SubjectPrincipal(String getName) implements Principal {
        @Override
        public String toString() {
            return getName;
        }
    }
}
