package io.github.sessiongate.spring;

import io.github.sessiongate.Session;
import java.util.Objects;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.authority.AuthorityUtils;

/**
 * A SessionGate session as Spring Security's {@code Authentication}: the principal is the
 * session's subject, each role {@code r} is the authority {@code ROLE_r} (so {@code hasRole("r")},
 * {@code @PreAuthorize("hasRole('r')")} and {@code authorizeHttpRequests} see it), and the
 * credentials are never exposed (the token stays in {@link #session()}, which the filter verified).
 *
 * <p>Read it in a controller as {@code @AuthenticationPrincipal String subject}, or cast
 * {@code SecurityContextHolder.getContext().getAuthentication()} for the whole session.
 */
public final class SessionAuthentication extends AbstractAuthenticationToken {
    private static final long serialVersionUID = 1L;

    /** The prefix Spring Security's {@code hasRole} expects on a role authority. */
    public static final String ROLE_PREFIX = "ROLE_";

    private final String subject;
    private final transient Session session;

    /** An authenticated token for a session the filter verified. */
    public SessionAuthentication(Session session) {
        super(AuthorityUtils.createAuthorityList(Objects.requireNonNull(session, "session").roles().stream()
                .sorted().map(role -> ROLE_PREFIX + role).toArray(String[]::new)));
        this.subject = session.subject();
        this.session = session;
        setAuthenticated(true);
    }

    /** The verified session (null only after Java deserialisation, which never carries it). */
    public Session session() {
        return session;
    }

    /** The session's subject. */
    @Override
    public Object getPrincipal() {
        return subject;
    }

    /** Never the token: it stays with the filter. */
    @Override
    public Object getCredentials() {
        return null;
    }
}
