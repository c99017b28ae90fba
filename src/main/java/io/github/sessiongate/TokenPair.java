package io.github.sessiongate;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The tokens a backend hands out at login or refresh. {@link #toString()} never shows them.
 *
 * @param accessToken the new access token
 * @param refreshToken the new refresh token when the backend rotates it; {@code null} keeps the old
 * @param accessExpiresAt when the access token expires, if the backend says; {@code null} otherwise
 */
public record TokenPair(String accessToken, String refreshToken, Instant accessExpiresAt) {
    public TokenPair {
        Objects.requireNonNull(accessToken, "accessToken");
    }

    /** The rotated refresh token, if the backend issued one. */
    public Optional<String> rotatedRefreshToken() {
        return Optional.ofNullable(refreshToken);
    }

    @Override
    public String toString() {
        return "TokenPair[accessToken=[PROTECTED], refreshToken="
                + (refreshToken == null ? "none" : "[PROTECTED]") + ", accessExpiresAt=" + accessExpiresAt + "]";
    }
}
