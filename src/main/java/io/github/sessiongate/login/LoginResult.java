package io.github.sessiongate.login;

import io.github.sessiongate.TokenPair;
import java.util.Objects;

/**
 * What a login attempt at the backend concluded ({@link LoginClient#login}). Only
 * {@link Rejected} says the credentials are wrong; {@link Unavailable} is transient (the backend
 * gave no verdict) and must not count as a failed password. Holds no username or password;
 * {@link TokenPair#toString()} redacts the tokens.
 */
public sealed interface LoginResult {

    /** The three outcomes. */
    enum Kind { SUCCESS, REJECTED, UNAVAILABLE }

    Kind kind();

    static LoginResult success(TokenPair tokens) {
        return new Success(tokens);
    }

    static LoginResult rejected() {
        return Rejected.INSTANCE;
    }

    static LoginResult unavailable(String cause) {
        return new Unavailable(cause);
    }

    /**
     * The backend accepted the credentials and issued tokens. {@link TokenPair#refreshToken()} is
     * {@code null} when the backend issued no refresh token.
     */
    record Success(TokenPair tokens) implements LoginResult {
        public Success {
            Objects.requireNonNull(tokens, "tokens");
        }

        @Override
        public Kind kind() {
            return Kind.SUCCESS;
        }
    }

    /**
     * The credentials are wrong: the backend said so, or they were refused before any backend call
     * (blank username, too long, control characters).
     */
    record Rejected() implements LoginResult {
        static final Rejected INSTANCE = new Rejected();

        @Override
        public Kind kind() {
            return Kind.REJECTED;
        }
    }

    /** No verdict; transient. {@code cause} is fixed text, never a credential or a token. */
    record Unavailable(String cause) implements LoginResult {
        public Unavailable {
            Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Kind kind() {
            return Kind.UNAVAILABLE;
        }
    }
}
