package io.github.sessiongate.web;

import io.github.sessiongate.Session;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import java.security.Principal;
import java.util.Objects;

/**
 * The request as downstream code sees it once a session is established: the standard servlet
 * security methods answer from the {@link Session}. A guest session is visible through
 * {@link Session#from} but is not a user: no principal, no roles.
 */
public final class SessionRequest extends HttpServletRequestWrapper {
    /** Value of {@link #getAuthType()} for requests authenticated by SessionGate. */
    public static final String AUTH_TYPE = "SESSIONGATE";

    private final Session session;
    private final Principal principal;

    public SessionRequest(HttpServletRequest request, Session session) {
        super(request);
        this.session = Objects.requireNonNull(session, "session");
        this.principal = session.isGuest() ? null : new SubjectPrincipal(session.subject());
    }

    /** The session this request carries. */
    public Session session() {
        return session;
    }

    @Override
    public Principal getUserPrincipal() {
        return principal;
    }

    @Override
    public String getRemoteUser() {
        return principal == null ? null : principal.getName();
    }

    @Override
    public boolean isUserInRole(String role) {
        return principal != null && role != null && session.hasRole(role);
    }

    @Override
    public String getAuthType() {
        return principal == null ? null : AUTH_TYPE;
    }

    /** The subject as a {@link Principal}. */
    private record SubjectPrincipal(String getName) implements Principal {
        @Override
        public String toString() {
            return getName;
        }
    }
}
