package io.github.sessiongate;

import java.util.Objects;

/**
 * What a refresh attempt concluded. As with {@link ValidationResult}, only {@link Refused} is
 * definitive (it clears cookies); {@link Unavailable} is transient and clears nothing.
 */
public sealed interface RefreshResult {

    /** The four outcomes. */
    enum Kind { REFRESHED, REFUSED, UNAVAILABLE, UNSUPPORTED }

    Kind kind();

    static RefreshResult refreshed(TokenPair tokens) {
        return new Refreshed(tokens);
    }

    static RefreshResult refused() {
        return Refused.INSTANCE;
    }

    static RefreshResult unavailable(String cause) {
        return new Unavailable(cause);
    }

    static RefreshResult unsupported() {
        return Unsupported.INSTANCE;
    }

    /** The backend issued new tokens. */
    record Refreshed(TokenPair tokens) implements RefreshResult {
        public Refreshed {
            Objects.requireNonNull(tokens, "tokens");
        }

        @Override
        public Kind kind() {
            return Kind.REFRESHED;
        }
    }

    /** The backend says the refresh token is invalid, expired or revoked. */
    record Refused() implements RefreshResult {
        static final Refused INSTANCE = new Refused();

        @Override
        public Kind kind() {
            return Kind.REFUSED;
        }
    }

    /** No verdict; transient. {@code cause} must not contain a token. */
    record Unavailable(String cause) implements RefreshResult {
        public Unavailable {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Kind kind() {
            return Kind.UNAVAILABLE;
        }
    }

    /** This validator cannot refresh. */
    record Unsupported() implements RefreshResult {
        static final Unsupported INSTANCE = new Unsupported();

        @Override
        public Kind kind() {
            return Kind.UNSUPPORTED;
        }
    }
}
