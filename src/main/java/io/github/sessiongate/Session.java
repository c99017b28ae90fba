package io.github.sessiongate;

import jakarta.servlet.ServletRequest;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A verified session: who the user is, what they may do, and the token that proved it.
 * Immutable and safe to share between threads.
 *
 * <p>The filter stores it on the request under {@link #REQUEST_ATTRIBUTE}; application code reads
 * it with {@link #from(ServletRequest)}. {@link #toString()} never shows the token.
 */
public final class Session {
    /** Request attribute under which the filter stores the current {@code Session}. */
    public static final String REQUEST_ATTRIBUTE = "io.github.sessiongate.Session";

    private final String subject;
    private final Set<String> roles;
    private final Map<String, Object> claims;
    private final Instant expiresAt;
    private final String token;
    private final boolean guest;

    private Session(Builder b) {
        this.subject = b.subject;
        this.roles = Set.copyOf(b.roles);
        this.claims = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(b.claims));
        this.expiresAt = b.expiresAt;
        this.token = b.token;
        this.guest = b.guest;
    }

    /** Starts a session for a subject (never blank) proven by a token. */
    public static Builder builder(String subject, String token) {
        return new Builder(subject, token);
    }

    /** The session the filter attached to this request, if any. */
    public static Optional<Session> from(ServletRequest request) {
        Object value = request.getAttribute(REQUEST_ATTRIBUTE);
        return value instanceof Session s ? Optional.of(s) : Optional.empty();
    }

    /** The user's stable identifier (the JWT {@code sub}). */
    public String subject() {
        return subject;
    }

    /** Roles granted to the user; empty when none. */
    public Set<String> roles() {
        return roles;
    }

    /** Whether the user has the role. */
    public boolean hasRole(String role) {
        return roles.contains(role);
    }

    /** All verified claims, as the validator read them. */
    public Map<String, Object> claims() {
        return claims;
    }

    /** When the token stops being valid, if it says. */
    public Optional<Instant> expiresAt() {
        return Optional.ofNullable(expiresAt);
    }

    /** The access token itself, for forwarding to a backend. Never log it. */
    public String token() {
        return token;
    }

    /** Whether this is an anonymous guest session, which never satisfies a protected path. */
    public boolean isGuest() {
        return guest;
    }

    @Override
    public String toString() {
        return "Session[subject=" + subject + ", roles=" + roles + ", guest=" + guest
                + ", expiresAt=" + expiresAt + ", token=[PROTECTED]]";
    }

    /** Builds a {@link Session}; not thread-safe. */
    public static final class Builder {
        private final String subject;
        private final String token;
        private Set<String> roles = Set.of();
        private Map<String, Object> claims = Map.of();
        private Instant expiresAt;
        private boolean guest;

        private Builder(String subject, String token) {
            Objects.requireNonNull(subject, "subject");
            if (subject.isBlank()) {
                throw new IllegalArgumentException("subject must not be blank");
            }
            this.subject = subject;
            this.token = Objects.requireNonNull(token, "token");
        }

        public Builder roles(Set<String> roles) {
            this.roles = Objects.requireNonNull(roles, "roles");
            return this;
        }

        public Builder claims(Map<String, Object> claims) {
            this.claims = Objects.requireNonNull(claims, "claims");
            return this;
        }

        public Builder expiresAt(Instant expiresAt) {
            this.expiresAt = expiresAt;
            return this;
        }

        public Builder guest(boolean guest) {
            this.guest = guest;
            return this;
        }

        public Session build() {
            return new Session(this);
        }
    }
}
